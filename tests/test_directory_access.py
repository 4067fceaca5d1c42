"""The directory's staff pages and the portal's account requests, as every role and anonymous."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ownpath.core.choices import Role
from ownpath.modules.directory import demo
from ownpath.modules.directory.rules import EDITOR_ROLES
from tests.conftest import World, signed_in
from tests.factories import OrganisationFactory
from tests.test_access_matrix import ROLES, casework


@pytest.fixture
def directory(world: World) -> World:
    for slug, name, *_rest in demo.ORGANISATIONS:
        OrganisationFactory(slug=slug, name=name)
    demo.load()
    return world


def expect(view: str, role: str) -> int:
    if role == "anonymous":
        return 200 if view.startswith("public_") else 302
    if view.startswith("public_"):
        return 200
    manages = role in EDITOR_ROLES or role == Role.NETWORK_ADMIN or role == "ngo_counsellor"
    if view in ("entries", "import", "coverage", "xliff_export", "export"):
        return 200 if manages else 403
    if view == "service_edit":  # owned by an organisation none of the world's staff work for
        return 200 if role == Role.NETWORK_ADMIN else 403
    if view == "claims":
        return 200 if casework(role) else 403
    raise AssertionError(view)


@pytest.mark.parametrize("role", ROLES)
def test_every_directory_and_account_page_answers_each_role(directory: World, role: str) -> None:
    client = Client() if role == "anonymous" else signed_in(directory.users[role])
    service = demo._id("service", "legal-uk")
    urls = {
        "entries": reverse("directory:entries"),
        "import": reverse("directory:import"),
        "coverage": reverse("directory:coverage"),
        "export": reverse("directory:export"),
        "xliff_export": reverse("directory:xliff_export") + "?language=uk",
        "service_edit": reverse("directory:service_edit", args=[service]),
        "claims": reverse("portal:claims"),
        "public_home": reverse("portal:home"),
        "public_finder": reverse("portal:finder"),
        "public_service": reverse("portal:service", args=[service]),
        "public_leaflet": reverse("portal:leaflet"),
        "public_hsds": "/hsds/services",
    }
    failures = []
    for view, url in urls.items():
        status = client.get(url).status_code
        if status != expect(view, role):
            failures.append(f"{view} as {role}: {status}, expected {expect(view, role)}")
    assert not failures, "\n".join(failures)
