# ownpath: `make run` serves the demo, `make test` runs every check. See the README.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://ownpath:ownpath@localhost:5432/ownpath
# Test processes (pytest-xdist): one per CPU by default; docs/decisions/0005-parallel-test-suite.md.
TEST_PROCESSES ?= auto

.PHONY: run test venv dev-venv migrate demo lint typecheck boundaries translations messages lock clean

$(VENV)/.installed: requirements.lock
	@PYTHON=$$(scripts/find-python) && { [ -x $(PY) ] || "$$PYTHON" -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.lock
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

venv: $(VENV)/.installed
dev-venv: $(VENV)/.dev-installed

migrate: venv
	$(PY) manage.py compile_translations
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# The web server and the task worker together under honcho (Procfile.dev): Ctrl-C stops both, and either
# stopping stops the other, so background work never silently waits for a worker that is gone.
run: demo
	@$(PY) manage.py demo_logins
	@echo "Serving http://127.0.0.1:$(PORT)/ with the task worker (Ctrl-C stops both)"
	@OWNPATH_BASE_URL=$${OWNPATH_BASE_URL:-http://127.0.0.1:$(PORT)} $(VENV)/bin/honcho -f Procfile.dev start -p $(PORT)

lint: dev-venv
	$(VENV)/bin/ruff check ownpath tests bench scripts
	$(VENV)/bin/ruff format --check ownpath tests bench scripts

typecheck: dev-venv
	$(VENV)/bin/mypy ownpath

boundaries: dev-venv
	PYTHONPATH=. $(VENV)/bin/lint-imports
	$(PY) scripts/check_module_boundaries.py

translations: dev-venv
	$(PY) manage.py check_translations

test: dev-venv
	scripts/test-services
	$(MAKE) --no-print-directory lint typecheck boundaries translations
	$(PY) manage.py compile_translations
	OWNPATH_ENV=test $(PY) manage.py makemigrations --check --dry-run
	OWNPATH_ENV=production OWNPATH_SECRET_KEY=$$(head -c 64 /dev/urandom | base64 | tr -d '\n/+=') \
	  OWNPATH_ENCRYPTION_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	  OWNPATH_ALLOWED_HOSTS=ownpath.example.org OWNPATH_S3_BUCKET=ownpath-media OWNPATH_BADGE_ISSUER_EMAIL=badges@ownpath.example.org DATABASE_URL=$(TEST_DATABASE_URL) $(PY) manage.py check --deploy --fail-level WARNING
	DATABASE_URL=$(TEST_DATABASE_URL) $(VENV)/bin/pytest -p no:cacheprovider -n $(TEST_PROCESSES) --dist loadfile
	DATABASE_URL=sqlite:///var/test.sqlite3 $(VENV)/bin/pytest -p no:cacheprovider -n $(TEST_PROCESSES) --dist loadfile -m "not browser and not postgres"

messages: dev-venv
	$(PY) manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=tests --ignore=var

lock:
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock requirements.in
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -c requirements.lock -o requirements-dev.lock requirements-dev.in requirements.in

clean:
	rm -rf $(VENV) var
