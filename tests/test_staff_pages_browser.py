"""Axe-core on the staff pages not covered by the flows: directory, imports, translations, supervision,
account requests, rule review, recognition and legal questions; on a phone, in a real browser."""

from __future__ import annotations

import pytest

from ownpath.core.choices import Role
from ownpath.core.models import Membership
from ownpath.modules.counselling import services as counselling
from ownpath.modules.directory import demo
from ownpath.modules.directory.models import ImportJob
from tests.conftest import World
from tests.factories import OrganisationFactory
from tests.test_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_other_staff_page_passes_axe(live_server: object, page: object, world: World) -> None:
    for slug, name, *_rest in demo.ORGANISATIONS:
        OrganisationFactory(slug=slug, name=name)
    demo.load()
    user = world.users[Role.ORG_ADMIN]
    for role in (Role.NETWORK_ADMIN, Role.LEGAL_ADVISER, Role.COUNSELLOR):
        Membership.objects.create(user=user, organisation=world.centre, role=role)
    recognition = counselling.add_recognition(
        user,
        world.person,
        {"diploma": "BSc Civil Engineering", "country": "UA", "route": "academic"},
        channel="ui",  # type: ignore[arg-type]
    )
    legal = counselling.request_legal_advice(user, world.person, world.centre, "May she change employer?", channel="ui")  # type: ignore[arg-type]
    job = ImportJob.objects.create(
        created_by=user,
        filename="broken.json",
        status="failed",
        errors=[{"record": "service 1", "field": "status", "message": "'open' is not one of ['active']"}],
    )
    base = live_server.url  # type: ignore[attr-defined]
    sign_in(page, base, user.email)
    service = demo._id("service", "legal-uk")
    for path in (
        "/directory/",
        "/directory/import/",
        f"/directory/import/{job.pk}/",
        f"/directory/services/{service}/",
        "/directory/coverage/",
        "/counselling/supervision/",
        "/counselling/referrals/",
        f"/counselling/recognitions/{recognition.pk}/",
        f"/counselling/legal/{legal.pk}/",
        f"/counselling/people/{world.person.pk}/steps/",
        "/portal/claims/",
        "/navigator/review/",
        "/navigator/",
    ):
        page.goto(base + path)  # type: ignore[attr-defined]
        assert page.locator("h1").count() == 1, path  # type: ignore[attr-defined]
        assert_accessible(page)
