"""Test databases for parallel runs (pytest-xdist): migrate once, copy for every worker.

Migrating ownpath's 66 migrations costs about a minute of CPU, most of it Django rendering the migration
state. Run in parallel processes, pytest-django would migrate one database per process. Here the first
process to arrive builds a template database under a file lock and every process, the first included,
copies it: ``CREATE DATABASE … TEMPLATE`` on PostgreSQL, SQLite's backup API into the process's own
in-memory database. The controller drops the template when the run ends (``drop_templates``).

Without xdist, or with ``--reuse-db``, pytest-django's own set-up runs unchanged (see ``tests/conftest.py``).
See docs/decisions/0005-parallel-test-suite.md.
"""

from __future__ import annotations

import fcntl
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SQLITE = "django.db.backends.sqlite3"


def _aliases() -> list[str]:
    from django.conf import settings

    return [alias for alias, conf in settings.DATABASES.items() if not conf.get("TEST", {}).get("MIRROR")]


def template_name(conf: dict[str, Any]) -> str:
    """The template's name, from the configured database (the same in the controller and every worker)."""
    if conf["ENGINE"] == SQLITE:
        stem = Path(str(conf["NAME"])).stem or "memory"
        return str(Path(tempfile.gettempdir()) / f"ownpath-test-template-{stem}.sqlite3")
    return f"test_{conf['NAME']}_template"[:63]


@contextmanager
def _locked(name: str) -> Iterator[None]:
    lock = Path(tempfile.gettempdir()) / f"ownpath-test-{Path(name).name}.lock"
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def set_up(worker: str, run: str) -> list[tuple[str, str]]:
    """Give this worker its copy of the migrated template; answers what ``tear_down`` needs."""
    from django.conf import settings
    from django.db import connections

    made = []
    for alias in _aliases():
        connection = connections[alias]
        conf = settings.DATABASES[alias]
        original = conf["NAME"]
        template = template_name(conf)
        ready = Path(tempfile.gettempdir()) / f"ownpath-test-{Path(template).name}-{run}.ready"
        with _locked(template):
            if not ready.exists():  # the first worker of this run builds the template
                conf.setdefault("TEST", {})["NAME"] = template
                connection.settings_dict.setdefault("TEST", {})["NAME"] = template
                connection.creation.create_test_db(verbosity=0, autoclobber=True)
                connection.close()
                ready.touch()
            connection.close()
            if conf["ENGINE"] == SQLITE:
                _sqlite_copy(alias, template, worker)
            else:
                connection.settings_dict["NAME"] = template
                connection.creation.clone_test_db(suffix=worker, verbosity=0, autoclobber=True)
                clone = connection.creation.get_test_db_clone_settings(worker)["NAME"]
                conf["NAME"] = connection.settings_dict["NAME"] = clone
                connection.close()
        made.append((alias, original))
    return made


def _sqlite_copy(alias: str, template: str, worker: str) -> None:
    """The template into an in-memory database shared by this process's threads (the live server's too)."""
    from django.conf import settings
    from django.db import connections

    connection = connections[alias]
    memory = f"file:memorydb_{alias}_{worker}?mode=memory&cache=shared"
    settings.DATABASES[alias]["NAME"] = connection.settings_dict["NAME"] = memory
    settings.DATABASES[alias].setdefault("TEST", {})["NAME"] = memory
    connection.settings_dict.setdefault("TEST", {})["NAME"] = memory
    connection.ensure_connection()
    source = sqlite3.connect(template)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def tear_down(made: list[tuple[str, str]]) -> None:
    from django.conf import settings
    from django.db import connections

    for alias, original in made:
        connection = connections[alias]
        if settings.DATABASES[alias]["ENGINE"] == SQLITE:
            connection.close()
            continue
        connection.creation.destroy_test_db(original, verbosity=0)


def drop_templates() -> None:
    """In the controller, after every worker has finished: remove the run's templates."""
    from django.conf import settings
    from django.db import connections

    for alias in _aliases():
        conf = settings.DATABASES[alias]
        template = template_name(conf)
        for marker in Path(tempfile.gettempdir()).glob(f"ownpath-test-{Path(template).name}-*.ready"):
            marker.unlink(missing_ok=True)
        if conf["ENGINE"] == SQLITE:
            Path(template).unlink(missing_ok=True)
            continue
        connection = connections[alias]
        with connection._nodb_cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template)}")
