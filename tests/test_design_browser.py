"""The staff header on a phone (390x844): at most 15 % of the screen on every staff page visited, with the
menu closed; the menu opens with the keyboard, and without JavaScript. Axe-core on the style guide and on the
portal's home and error page in Arabic."""

from __future__ import annotations

import pytest

from ownpath.core.choices import Role
from tests.conftest import World
from tests.test_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 390, "height": 844}
MAX_HEADER = 0.15 * VIEWPORT["height"]


def assert_compact_header(page: object) -> None:
    box = page.locator("header.topbar").bounding_box()  # type: ignore[attr-defined]
    assert box["height"] <= MAX_HEADER, f"{page.url}: header {box['height']:.0f} px"  # type: ignore[attr-defined]
    assert page.locator(".nav-menu").get_attribute("open") is None  # type: ignore[attr-defined]
    assert not page.locator(".menu-panel a").first.is_visible()  # type: ignore[attr-defined]


def test_the_staff_header_fits_a_phone_and_its_menu_opens_by_keyboard_with_and_without_javascript(
    live_server: object, page: object, browser: object, world: World
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    sign_in(page, base, world.users[Role.ORG_ADMIN].email)
    pid = world.person.pk
    for path in (
        "/dashboard/",
        "/people/",
        f"/people/{pid}/",
        f"/people/{pid}/?tab=consent",
        "/organisations/",
        f"/organisations/{world.centre.pk}/",
        "/notifications/",
        "/search/?q=Shevchenko",
        "/audit/",
        "/portal/",
        "/styleguide/",
    ):
        page.goto(base + path)  # type: ignore[attr-defined]
        assert_compact_header(page)
    assert_accessible(page)  # the style guide holds every component

    page.goto(f"{base}/dashboard/")  # type: ignore[attr-defined]
    summary = page.locator(".nav-menu > summary")  # type: ignore[attr-defined]
    for _ in range(12):  # Tab through the top bar to the menu button
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        if summary.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("the menu button cannot be reached with Tab")
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    assert page.locator(".nav-menu").get_attribute("open") is not None  # type: ignore[attr-defined]
    people = page.locator(".menu-panel a[href='/people/']")  # type: ignore[attr-defined]
    assert people.is_visible() and page.locator(".menu-group-label").count() >= 2  # type: ignore[attr-defined]
    assert_accessible(page)
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    assert page.evaluate("document.activeElement.closest('.menu-panel') !== null")  # type: ignore[attr-defined]
    page.keyboard.press("Escape")  # type: ignore[attr-defined]
    assert page.locator(".nav-menu").get_attribute("open") is None  # type: ignore[attr-defined]

    state = page.context.storage_state()  # type: ignore[attr-defined]
    context = browser.new_context(viewport=VIEWPORT, is_mobile=True, java_script_enabled=False, storage_state=state)  # type: ignore[attr-defined]
    try:
        plain = context.new_page()
        plain.goto(f"{base}/people/")
        assert_compact_header(plain)
        plain.locator(".nav-menu > summary").focus()
        plain.keyboard.press("Enter")
        link = plain.locator(".menu-panel a[href='/organisations/']")
        assert link.is_visible()
        link.focus()
        plain.keyboard.press("Enter")
        plain.wait_for_url("**/organisations/")
        assert_compact_header(plain)
    finally:
        context.close()


def test_the_portal_home_and_a_missing_page_in_arabic_pass_axe(live_server: object, page: object) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": base}])  # type: ignore[attr-defined]
    page.goto(f"{base}/portal/")  # type: ignore[attr-defined]
    assert page.locator("html").get_attribute("dir") == "rtl"  # type: ignore[attr-defined]
    assert page.locator("a.tile").count() >= 4  # type: ignore[attr-defined]
    assert page.locator("header.topbar").bounding_box()["height"] <= MAX_HEADER  # type: ignore[attr-defined]
    assert_accessible(page)
    page.click(".nav-menu > summary")  # type: ignore[attr-defined]
    assert page.locator(".portal-links a").first.is_visible()  # type: ignore[attr-defined]
    assert_accessible(page)
    response = page.goto(f"{base}/no-such-page/")  # type: ignore[attr-defined]
    assert response.status == 404 and "لا يمكننا العثور على هذه الصفحة" in page.locator("h1").inner_text()  # type: ignore[attr-defined]
    assert_accessible(page)
