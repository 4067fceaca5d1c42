"""Booking in a real browser on a phone, in Arabic: a session with a Polish-speaking counsellor and an
Arabic interpreter, moved to another time; the invitation keeps its UID and raises its SEQUENCE."""

from __future__ import annotations

import icalendar
import pytest

from ownpath.modules.booking.models import Booking
from tests.booking_helpers import at, make_booking_world
from tests.conftest import World
from tests.test_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _invitation(page: object, base: str) -> icalendar.cal.Component:
    href = base + page.locator("a[href$='invite.ics']").get_attribute("href")  # type: ignore[attr-defined]
    response = page.request.get(href)  # type: ignore[attr-defined]
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    (event,) = icalendar.Calendar.from_ical(response.text()).walk("VEVENT")
    return event


def test_book_in_arabic_with_an_interpreter_then_reschedule(live_server: object, page: object, world: World) -> None:
    bw = make_booking_world(world)
    base = live_server.url  # type: ignore[attr-defined]
    page.goto(f"{base}/booking/")  # type: ignore[attr-defined]
    page.select_option("#lang-switch", "ar")  # type: ignore[attr-defined]
    page.click("form.lang button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("html[lang=ar][dir=rtl]")  # type: ignore[attr-defined]
    assert page.locator("#language").input_value() == "ar"  # type: ignore[attr-defined]
    assert_accessible(page)

    page.click(f"a[href^='/booking/s/{bw.service.pk}/']")  # type: ignore[attr-defined]
    page.wait_for_selector("h1")  # type: ignore[attr-defined]
    page.goto(f"{page.url}&week={bw.day.isoformat()}")  # type: ignore[attr-defined]
    assert_accessible(page)
    times = page.locator("ul.times a.time")  # type: ignore[attr-defined]
    assert times.count() >= 2  # 9:00 and 10:00 on the chosen day, when the interpreter is free
    times.nth(1).click()
    page.wait_for_selector("#id_name")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.fill("#id_name", "أمل حسن")  # type: ignore[attr-defined]
    page.fill("#id_email", "amal@example.org")  # type: ignore[attr-defined]
    # The agreement is required: the browser itself stops the form without it.
    assert page.locator("#id_agree").get_attribute("required") is not None  # type: ignore[attr-defined]
    page.check("#id_agree")  # type: ignore[attr-defined]
    page.click("form.stack button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url("**/booking/m/**")  # type: ignore[attr-defined]
    assert_accessible(page)

    booking = Booking.objects.get()
    assert booking.language == "ar" and booking.staff_language == "pl"
    assert booking.staff == bw.counsellor and booking.interpreter == bw.interpreter
    assert booking.starts_at == at(bw.day, 10)
    first = _invitation(page, base)
    assert int(first["SEQUENCE"]) == 0

    page.click("a[href*='/move/']")  # type: ignore[attr-defined]
    page.wait_for_selector("ul.times button.time")  # type: ignore[attr-defined]
    page.goto(f"{page.url}?week={bw.day.isoformat()}")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.locator("ul.times button.time").first.click()  # type: ignore[attr-defined]  (9:00)
    page.wait_for_url("**/booking/m/**")  # type: ignore[attr-defined]
    page.wait_for_selector(".msg.success")  # type: ignore[attr-defined]
    assert_accessible(page)
    booking.refresh_from_db()
    assert booking.starts_at == at(bw.day, 9) and booking.interpreter == bw.interpreter and booking.sequence == 1
    second = _invitation(page, base)
    assert str(second["UID"]) == str(first["UID"])
    assert int(second["SEQUENCE"]) == 1
    assert second.decoded("DTSTART") == at(bw.day, 9)


def test_staff_pages_pass_axe(live_server: object, page: object, world: World) -> None:
    from ownpath.core.choices import Role
    from ownpath.modules.booking import services
    from tests.factories import OrganisationFactory  # noqa: F401

    bw = make_booking_world(world)
    services.book(
        bw.counsellor, bw.service, start=at(bw.day, 9), language="ar", contact=services.Contact("Amal", "a@example.org")
    )
    base = live_server.url  # type: ignore[attr-defined]
    sign_in(page, base, world.users[Role.COUNSELLOR].email)
    for path in ("/booking/appointments/", "/booking/hours/", "/booking/statistics/", "/booking/cvs/", "/booking/cv/"):
        page.goto(f"{base}{path}")  # type: ignore[attr-defined]
        assert_accessible(page)
