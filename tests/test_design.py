"""The design system's navigation, error pages, icons and style guide (issue 20, points 1, 2, 3 and 6)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client, RequestFactory
from django.urls import reverse

from ownpath.core.choices import Role
from ownpath.core.context_processors import ownpath
from ownpath.core.icons import ICONS
from ownpath.core.models import Person
from ownpath.core.registry import MENU_GROUPS, MenuItem, registry
from tests.conftest import World, signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STAFF_URLS = {reverse(item.url_name) for item in registry.menu_items if item.group in MENU_GROUPS}


def header(html: str) -> str:
    return html.split('<header class="topbar">', 1)[1].split("</header>", 1)[0]


def hrefs(html: str) -> set[str]:
    return set(re.findall(r'href="([^"#?]+)', html))


def test_the_staff_menu_is_grouped_by_purpose_from_the_registry(world: World) -> None:
    request = RequestFactory().get("/dashboard/")
    request.user = world.users[Role.COUNSELLOR]
    request.session = {}  # type: ignore[assignment]
    context = ownpath(request)
    groups = [str(label) for label, _items in context["ownpath_staff_menu"]]
    assert groups == [str(label) for label in MENU_GROUPS.values() if str(label) in groups]
    assert groups[0] == "People and cases"
    items = [item for _label, grouped in context["ownpath_staff_menu"] for item in grouped]
    assert {item.url_name for item in items} >= {"core:dashboard", "core:people", "counselling:caseload"}
    assert all(item.permission and request.user.has_perm(item.permission) for item in items)
    assert not any(item.group in ("public", "own") for item in items)


def test_the_public_navigation_never_shows_a_staff_page(world: World) -> None:
    anonymous = Client().get("/portal/").content.decode()
    own_account = UserFactory()
    Person.objects.filter(pk=world.person.pk).update(account=own_account)
    client = signed_in(own_account)
    mine = client.get("/portal/").content.decode()
    for html in (anonymous, mine):
        assert not hrefs(html) & STAFF_URLS
        assert 'class="tile"' in html and reverse("portal:finder") in hrefs(header(html))
    assert reverse("counselling:my_path") in hrefs(header(mine))
    assert reverse("counselling:my_path") not in hrefs(anonymous)


def test_staff_see_their_menu_in_the_header_and_the_portal_through_a_link(world: World) -> None:
    html = signed_in(world.users[Role.ORG_ADMIN]).get("/dashboard/").content.decode()
    top = header(html)
    assert reverse("core:organisations") in hrefs(top) and reverse("portal:home") in hrefs(top)
    assert reverse("portal:finder") not in hrefs(top)  # public pages are not in the staff menu
    assert '<details class="dropdown nav-menu">' in top  # closed until opened, with or without JavaScript


def test_a_menu_item_names_a_known_group_and_public_pages_stay_public() -> None:
    assert MenuItem("Calls", "x").group == "public" and MenuItem("Calls", "x", "perm").group == "people"
    with pytest.raises(ValueError, match="unknown group"):
        MenuItem("Calls", "x", "perm", group="calls")
    with pytest.raises(ValueError, match="public pages"):
        MenuItem("Calls", "x", None, group="administration")
    with pytest.raises(ValueError, match="public pages"):
        MenuItem("Calls", "x", "perm", group="public")


def test_favicon_and_web_app_icons_exist() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("ownpath/icons/favicon.ico")
    for name in ("favicon.ico", "icon.svg", "icon-192.png", "icon-512.png", "apple-touch-icon.png"):
        assert finders.find(f"ownpath/icons/{name}"), name
    html = Client().get("/portal/").content.decode()
    assert "ownpath/manifest.webmanifest" in html and "ownpath/icons/icon.svg" in html


def test_a_visitor_gets_a_friendly_404_and_403_in_their_language(world: World) -> None:
    visitor = Client(headers={"accept-language": "pl"})
    response = visitor.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Nie możemy znaleźć tej strony" in html and reverse("portal:home") in hrefs(html)
    assert not hrefs(html) & STAFF_URLS
    own_account = UserFactory(preferred_language="ar")
    client = signed_in(own_account)
    client.cookies["django_language"] = "ar"
    response = client.get(reverse("core:audit"))
    html = response.content.decode()
    assert response.status_code == 403 and "لا يمكنك فتح هذه الصفحة" in html and 'dir="rtl"' in html
    assert "administrator of your organisation" not in html  # staff wording is for staff


def test_staff_get_the_staff_wording_of_403_with_a_way_back(world: World) -> None:
    response = signed_in(world.users[Role.COUNSELLOR]).get(reverse("core:audit"))
    html = response.content.decode()
    assert response.status_code == 403 and "ask the administrator of your organisation" in html
    assert reverse("core:dashboard") in hrefs(html.split("<main", 1)[1])


def test_the_style_guide_is_for_staff_and_shows_every_icon(world: World) -> None:
    assert Client().get("/styleguide/").status_code == 404
    html = signed_in(world.users[Role.COUNSELLOR]).get("/styleguide/").content.decode()
    for name in ICONS:
        assert f'href="#i-{name}"' in html and f'id="i-{name}"' in html


def test_an_unknown_icon_fails_loudly_and_a_labelled_one_is_announced() -> None:
    with pytest.raises(TemplateSyntaxError, match="no icon 'nope'"):
        Template('{% load ui %}{% icon "nope" %}').render(Context())
    html = Template('{% load ui %}{% icon "phone" label="Call" %}{% icon "bell" %}').render(Context())
    assert 'role="img" aria-label="Call"' in html and 'aria-hidden="true"' in html


def test_pages_are_sent_compressed_to_browsers_that_accept_it() -> None:
    response = Client().get("/portal/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"


def test_anonymous_context_has_only_public_items() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    context = ownpath(request)
    assert context["ownpath_menu"] and all(item.group == "public" for item in context["ownpath_menu"])
    assert context["ownpath_staff_menu"] == []
