from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ownpath.core.choices import OrganisationKind, ResidenceStatus, Role
from ownpath.core.models import Organisation, Person, User
from ownpath.core.services import people as people_service
from tests.factories import OrganisationFactory, staff

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API under live_server


@dataclass
class World:
    centre: Organisation
    ngo: Organisation
    employer: Organisation
    county: Organisation
    users: dict[str, User]
    person: Person
    other_person: Person


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """pytest-django's database set-up, except in parallel runs: there one migrated template is copied for
    each worker instead of migrating once per worker (``tests/parallel_db.py``)."""
    from django.test.utils import setup_databases, teardown_databases

    from tests import parallel_db

    workerinput = getattr(request.config, "workerinput", None)
    keep = django_db_keepdb and not django_db_createdb
    with django_db_blocker.unblock():
        if workerinput is None or keep:
            config = setup_databases(verbosity=0, interactive=False, keepdb=keep, serialized_aliases=set())
            made = None
        else:
            made = parallel_db.set_up(workerinput["workerid"], workerinput["testrunuid"])
    yield
    if keep:
        return
    with django_db_blocker.unblock():
        if made is None:
            teardown_databases(config, verbosity=0)
        else:
            parallel_db.tear_down(made)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The controller of a parallel run removes the template its workers copied."""
    if getattr(session.config, "workerinput", None) is None and getattr(session.config.option, "numprocesses", None):
        from pytest_django.plugin import blocking_manager_key

        from tests import parallel_db

        with session.config.stash[blocking_manager_key].unblock():
            parallel_db.drop_templates()


@pytest.fixture(autouse=True)
def fresh_matching_indexes() -> None:
    """The matcher's in-memory indexes live per process, and each test has a database of its own."""
    from ownpath.modules.matching import index, vacancy_index

    index._index.built = False
    vacancy_index._index.built = False


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """A page requested in Polish leaves Polish active in the thread; the next test starts in English."""
    yield
    from django.utils import translation

    translation.activate("en")


@pytest.fixture
def world(db: None) -> World:
    """A small network: a counselling centre and an NGO in a county, an employer; one user per role."""
    metropolis = OrganisationFactory(name="Metropolis", kind=OrganisationKind.METROPOLIS)
    county = OrganisationFactory(name="County", kind=OrganisationKind.COUNTY, parent=metropolis)
    centre = OrganisationFactory(name="Centre", parent=metropolis)
    ngo = OrganisationFactory(name="NGO", kind=OrganisationKind.NGO, parent=metropolis)
    employer = OrganisationFactory(name="Employer", kind=OrganisationKind.EMPLOYER)
    where = {
        Role.NETWORK_ADMIN: metropolis,
        Role.EMPLOYER_CONTACT: employer,
        Role.MIGRATION_TEAM_COORDINATOR: county,
        Role.AUDITOR: metropolis,
    }
    users = {role.value: staff(role, where.get(role, centre), first_name=role.label) for role in Role}
    users["ngo_counsellor"] = staff(Role.COUNSELLOR, ngo)
    person = people_service.create_person(
        users[Role.COUNSELLOR],
        centre,
        {
            "given_name_native": "Олександр",
            "family_name_native": "Шевченко",
            "birth_date": date(1988, 4, 12),
            "citizenships": ["UA"],
            "residence_status": ResidenceStatus.TEMPORARY_PROTECTION,
        },
        languages=[("uk", "native"), ("pl", "A2")],
    )
    other = people_service.create_person(
        users["ngo_counsellor"], ngo, {"given_name": "Layla", "family_name": "Haddad", "citizenships": ["SY"]}
    )
    return World(centre, ngo, employer, county, users, person, other)


def signed_in(user: User) -> Client:
    """A test client with a session for ``user``, past both factors."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["ownpath_has_second_factor"] = True
    session.save()
    return client


# --- Real browser (Debian's Chromium through Playwright), shared by every browser test module ---------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium for the whole session (Playwright's sync API allows one driver per process)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's Chromium is missing: run scripts/test-services (make test does) to install it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh context on a phone-sized screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()
