"""Journeys across modules in a real browser on a phone (390×844), each page checked with axe-core:
(a) a counsellor with a counselling session is not offered for it on the public booking page, and sees the
session and the appointment in their calendar and its private feed; (b) a migrant books from a service page
in Arabic and finds the appointment, their CV and the counsellor's message in their own space."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest

from ownpath.core.choices import Role
from ownpath.core.models import User
from ownpath.core.services import people as people_service
from ownpath.core.services import person_messages
from ownpath.modules.booking.models import CV, Booking
from ownpath.modules.counselling import services as counselling
from tests.booking_helpers import at, make_booking_world
from tests.conftest import World, signed_in
from tests.test_browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page: Any, base: str, user: User, language: str = "") -> None:
    """Carry a signed-in session (both factors passed for staff) into the browser."""
    client = signed_in(user)
    cookies = [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    if language:
        cookies.append({"name": "django_language", "value": language, "url": base})
    page.context.add_cookies(cookies)


def test_a_counsellor_with_sessions_cannot_be_double_booked(live_server: Any, page: Any, world: World) -> None:
    bw = make_booking_world(world)
    counsellor = world.users[Role.COUNSELLOR]
    counselling.record_session(
        counsellor, world.person, world.centre,
        {"kind": "vocational", "starts_at": at(bw.day, 10), "duration_minutes": 60, "mode": "phone"}, channel="ui",
    )  # fmt: skip
    base = live_server.url
    page.goto(f"{base}/booking/s/{bw.service.pk}/?language=pl&week={bw.day.isoformat()}")
    assert_accessible(page)
    links = page.locator("ul.times a.time")
    offered = {
        datetime.fromisoformat(parse_qs(urlsplit(href).query)["start"][0].replace(" ", "+"))
        for href in links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    }
    assert {at(bw.day, 9), at(bw.day, 11)} <= offered
    assert at(bw.day, 10) not in offered  # the counselling session
    page.locator(f"ul.times a.time[href*='{at(bw.day, 9).isoformat()[:13]}']").first.click()  # 09:00
    page.wait_for_selector("#id_name")
    page.fill("#id_name", "Jan Kowalski")
    page.fill("#id_email", "jan@example.org")
    page.check("#id_agree")
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/booking/m/**")
    assert Booking.objects.get().starts_at == at(bw.day, 9)

    _as(page, base, counsellor)
    page.goto(f"{base}/calendar/?view=day&date={bw.day.isoformat()}")
    assert_accessible(page)
    items = page.locator("ul.calendar-items li").all_inner_texts()
    assert len(items) == 2 and "09:00" in items[0] and "10:00" in items[1]
    page.click("button[name=feed][value=new]")
    page.wait_for_selector("#feed-url")
    assert_accessible(page)
    feed = page.request.get(page.locator("#feed-url").inner_text())
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    starts = sorted(e.decoded("DTSTART") for e in icalendar.Calendar.from_ical(feed.text()).walk("VEVENT"))
    assert starts == [at(bw.day, 9), at(bw.day, 10)] and "Kowalski" not in feed.text()


def test_a_migrant_books_in_arabic_from_a_service_page_and_finds_it_in_their_space(
    live_server: Any, page: Any, world: World
) -> None:
    from ownpath.modules.directory.models import DirectoryOrganization, Service

    bw = make_booking_world(world)
    counsellor = world.users[Role.COUNSELLOR]
    service = Service.objects.create(
        organization=DirectoryOrganization.objects.create(name="Centre", owner=world.centre), name="CV consultation"
    )
    user = User.objects.create_user(username="yusuf@example.org", email="yusuf@example.org", password=None)
    people_service.link_account(counsellor, world.person, user)
    person_messages.send(counsellor, world.person, "أحضر شهادتك من فضلك.")
    base = live_server.url
    _as(page, base, user, language="ar")

    page.goto(f"{base}/portal/services/{service.pk}/")
    page.wait_for_selector("html[lang=ar][dir=rtl]")
    assert_accessible(page)
    page.click("section.book a[href*='/booking/s/']")
    page.wait_for_selector("h1")
    page.goto(f"{page.url}&week={bw.day.isoformat()}")
    assert_accessible(page)
    page.locator("ul.times a.time").first.click()  # 09:00, with the Arabic interpreter
    page.wait_for_selector("#id_name")
    page.fill("#id_name", "يوسف الحمصي")
    page.fill("#id_email", "yusuf@example.org")
    page.check("#id_agree")
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/booking/m/**")
    booking = Booking.objects.get()
    assert booking.person_id == world.person.pk and booking.language == "ar"

    page.goto(f"{base}/portal/me/")
    assert_accessible(page)
    assert page.locator("#appointments a[href*='/move/']").count() == 1
    assert "أحضر شهادتك من فضلك." in page.locator("#messages").inner_text()
    page.click("#cv form button[type=submit]")  # a CV made from the profile
    page.goto(f"{base}/portal/me/")
    cv = CV.objects.get(person=world.person)
    assert page.locator(f"#cv a[href='/booking/cvs/{cv.pk}/file/']").count() == 1
    download = page.request.get(f"{base}/booking/cvs/{cv.pk}/file/")
    assert download.ok and len(download.body()) > 100
