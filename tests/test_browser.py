"""Real-browser tests in Debian's Chromium on a phone-sized screen, with axe-core on every page visited."""

from __future__ import annotations

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.conftest import World
from tests.factories import PASSWORD, TOTP_SECRET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page: object) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"  # type: ignore[attr-defined]


def current_code() -> str:
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 2:
        time.sleep(2.5)
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // period))


def sign_in(page: object, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.fill("#id_login", email)  # type: ignore[attr-defined]
    page.fill("#id_password", PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    page.wait_for_url("**/accounts/2fa/authenticate/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.fill("input[name=code]", current_code())  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    page.wait_for_url("**/dashboard/")  # type: ignore[attr-defined]


def test_staff_sign_in_needs_the_second_factor(live_server: object, page: object, world: World) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    email = world.users["counsellor"].email
    page.goto(f"{base}/accounts/login/")  # type: ignore[attr-defined]
    page.fill("#id_login", email)  # type: ignore[attr-defined]
    page.fill("#id_password", PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    page.wait_for_url("**/accounts/2fa/authenticate/")  # type: ignore[attr-defined]
    page.fill("input[name=code]", "000000" if current_code() != "000000" else "111111")  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    assert "/accounts/2fa/authenticate/" in page.url  # type: ignore[attr-defined]
    assert page.locator(".error-summary").is_visible()  # type: ignore[attr-defined]
    assert_accessible(page)
    page.goto(f"{base}/people/")  # type: ignore[attr-defined]
    assert "/accounts/" in page.url and "Shevchenko" not in page.content()  # type: ignore[attr-defined]
    page.context.clear_cookies()  # type: ignore[attr-defined]
    sign_in(page, base, email)
    assert page.locator("h1").inner_text() == "Dashboard"  # type: ignore[attr-defined]
    assert_accessible(page)


def test_switching_to_arabic_turns_the_page_right_to_left(live_server: object, page: object, db: None) -> None:
    page.goto(live_server.url + "/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.select_option("#lang-switch", "ar")  # type: ignore[attr-defined]
    page.click("form.lang button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("html[dir=rtl]")  # type: ignore[attr-defined]
    html = page.locator("html")  # type: ignore[attr-defined]
    assert html.get_attribute("lang") == "ar" and html.get_attribute("dir") == "rtl"
    assert "طريقك الخاص إلى العمل" in page.locator("h1").inner_text()  # type: ignore[attr-defined]
    assert_accessible(page)
    page.goto(live_server.url + "/accounts/login/")  # type: ignore[attr-defined]
    assert page.locator("html").get_attribute("dir") == "rtl"  # type: ignore[attr-defined]
    assert_accessible(page)


def test_creating_a_person_offers_the_duplicate_in_another_script_first(
    live_server: object, page: object, world: World
) -> None:
    from ownpath.core.models import Person
    from ownpath.core.services import people as people_service

    yusuf = people_service.create_person(
        world.users["counsellor"], world.centre, {"given_name_native": "يوسف", "family_name_native": "الحمصي"}
    )
    base = live_server.url  # type: ignore[attr-defined]
    sign_in(page, base, world.users["counsellor"].email)
    page.goto(f"{base}/people/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.click("text=Add a person")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.fill("#id_given_name", "Aleksander")  # type: ignore[attr-defined]
    page.fill("#id_family_name", "Szewczenko")  # type: ignore[attr-defined]
    offer = page.locator("#duplicates .duplicates")  # type: ignore[attr-defined]
    offer.wait_for(timeout=10_000)
    assert "Шевченко" in offer.inner_text()
    assert_accessible(page)
    before = Person.objects.count()
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    assert page.locator(".error-summary").is_visible()  # type: ignore[attr-defined]
    assert Person.objects.count() == before
    assert_accessible(page)
    page.click(f"#duplicates a[href='/people/{world.person.pk}/']")  # type: ignore[attr-defined]
    page.wait_for_url(f"**/people/{world.person.pk}/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.go_back()  # type: ignore[attr-defined]
    page.goto(f"{base}/people/new/")  # type: ignore[attr-defined]
    # Issue 21 (e): typed in Latin, found in Arabic before saving.
    page.fill("#id_given_name", "Youssef")  # type: ignore[attr-defined]
    page.fill("#id_family_name", "Alhomsi")  # type: ignore[attr-defined]
    page.locator(f"#duplicates a[href='/people/{yusuf.pk}/']").wait_for(timeout=10_000)  # type: ignore[attr-defined]
    assert "يوسف" in page.locator("#duplicates").inner_text()  # type: ignore[attr-defined]
    assert_accessible(page)
    page.goto(f"{base}/people/new/")  # type: ignore[attr-defined]
    page.fill("#id_given_name_native", "Марія")  # type: ignore[attr-defined]
    page.fill("#id_family_name_native", "Зінченко")  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    page.wait_for_url("**/people/*/")  # type: ignore[attr-defined]
    assert "Mariia Zinchenko" in page.locator("h1").inner_text()  # type: ignore[attr-defined]
    for tab in ("overview", "background", "notes", "consent"):
        page.goto(f"{page.url.split('?')[0]}?tab={tab}")  # type: ignore[attr-defined]
        assert_accessible(page)


def test_administration_and_audit_pages_are_accessible(live_server: object, page: object, world: World) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    sign_in(page, base, world.users["org_admin"].email)
    pid = world.person.pk
    for path in (
        f"/people/{pid}/?tab=data",
        f"/people/{pid}/export/",
        f"/people/{pid}/erase/",
        f"/people/{pid}/edit/",
        "/organisations/",
        f"/organisations/{world.centre.pk}/",
        "/tokens/",
        "/notifications/",
        "/search/?q=Shevchenko",
        "/people/?q=Шевченко",
    ):
        page.goto(base + path)  # type: ignore[attr-defined]
        assert page.locator("h1").count() == 1, path  # type: ignore[attr-defined]
        assert_accessible(page)
    page.goto(f"{base}/people/{pid}/erase/")  # type: ignore[attr-defined]
    page.click("button.danger")  # type: ignore[attr-defined]
    assert page.locator(".error-summary").is_visible()  # type: ignore[attr-defined]
    assert_accessible(page)
    page.context.clear_cookies()  # type: ignore[attr-defined]
    sign_in(page, base, world.users["auditor"].email)
    page.goto(f"{base}/audit/?person={pid}")  # type: ignore[attr-defined]
    assert page.locator("table tbody tr").count() > 0  # type: ignore[attr-defined]
    assert_accessible(page)
