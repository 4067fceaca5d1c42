"""Booking: free slots with interpreters and time zones, booking, changes, iCalendar, reminders,
the waiting list, CVs to employers with consent, bad input, API and permissions."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ownpath.core.choices import AuditAction, ConsentPurpose, Role
from ownpath.core.models import AuditEvent
from ownpath.core.services import consent as consent_service
from ownpath.core.services.sms import MemorySms
from ownpath.modules.booking import links, services
from ownpath.modules.booking.availability import find_slots
from ownpath.modules.booking.choices import BookingStatus, EmployerAnswer, WaitStatus
from ownpath.modules.booking.models import CV, Booking, CVSending, StaffProfile, TimeOff, WaitingListEntry, WeeklyHours
from tests.booking_helpers import BookingWorld, at, make_booking_world
from tests.conftest import World, signed_in
from tests.test_access_matrix import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def bw(world: World) -> BookingWorld:
    return make_booking_world(world)


def contact(**kwargs: Any) -> services.Contact:
    return services.Contact(**{"name": "Amal Hassan", "email": "amal@example.org", **kwargs})


def parse(ics: str) -> Any:
    calendar = icalendar.Calendar.from_ical(ics)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1
    return calendar, events[0]


# --- Free slots -------------------------------------------------------------------------------------


def test_a_client_who_speaks_the_staff_language_needs_no_interpreter(bw: BookingWorld) -> None:
    slots = find_slots(bw.service, language="pl", start=bw.day, end=bw.day)
    assert [s.start for s in slots] == [at(bw.day, h) for h in (9, 10, 11, 12)]
    assert all(s.interpreter_id is None and s.session_language == "pl" for s in slots)


def test_an_arabic_speaker_gets_only_times_when_an_arabic_interpreter_is_free(bw: BookingWorld) -> None:
    slots = find_slots(bw.service, language="ar", start=bw.day, end=bw.day)
    assert [s.start for s in slots] == [at(bw.day, 9), at(bw.day, 10)]
    assert {s.interpreter_id for s in slots} == {bw.interpreter.pk}
    assert {s.session_language for s in slots} == {"pl"}
    # Nobody interprets Tigrinya: no slot at all.
    assert find_slots(bw.service, language="ti", start=bw.day, end=bw.day) == []


def test_the_interpreter_is_a_co_resource_their_other_bookings_block_the_slot(bw: BookingWorld) -> None:
    services.book(bw.counsellor, bw.service, start=at(bw.day, 9), language="ar", contact=contact())
    # The counsellor and the interpreter are both taken at 9; at 10 both are free.
    assert [s.start for s in find_slots(bw.service, language="ar", start=bw.day, end=bw.day)] == [at(bw.day, 10)]
    assert at(bw.day, 9) not in [s.start for s in find_slots(bw.service, language="pl", start=bw.day, end=bw.day)]


def test_absences_remove_and_extra_hours_add_slots(bw: BookingWorld) -> None:
    TimeOff.objects.create(user=bw.counsellor, starts_at=at(bw.day, 10), ends_at=at(bw.day, 12))
    TimeOff.objects.create(
        user=bw.counsellor,
        organisation=bw.world.centre,
        starts_at=at(bw.day, 15),
        ends_at=at(bw.day, 16),
        available=True,
    )
    starts = [s.start for s in find_slots(bw.service, language="pl", start=bw.day, end=bw.day)]
    assert starts == [at(bw.day, 9), at(bw.day, 12), at(bw.day, 15)]


def test_the_notice_period_hides_times_too_soon(bw: BookingWorld) -> None:
    now = at(bw.day, 1)  # the last slot, 12:00, is 11 hours away; the service needs 12 hours
    assert find_slots(bw.service, language="pl", start=bw.day, end=bw.day, now=now) == []
    assert len(find_slots(bw.service, language="pl", start=bw.day, end=bw.day, now=now, check_notice=False)) == 4


def test_weekly_hours_keep_their_wall_clock_time_across_daylight_saving(bw: BookingWorld) -> None:
    # Summer time begins in the EU on 28 March 2027: 9:00 in Warsaw is 08:00 UTC before, 07:00 UTC after.
    now = datetime(2027, 3, 1, tzinfo=UTC)
    before = find_slots(bw.service, language="pl", start=date(2027, 3, 26), end=date(2027, 3, 26), now=now)
    after = find_slots(bw.service, language="pl", start=date(2027, 3, 29), end=date(2027, 3, 29), now=now)
    assert before[0].start == datetime(2027, 3, 26, 8, tzinfo=UTC)
    assert after[0].start == datetime(2027, 3, 29, 7, tzinfo=UTC)


def test_staff_hours_are_read_in_their_own_time_zone(bw: BookingWorld) -> None:
    StaffProfile.objects.filter(user=bw.counsellor).update(time_zone="Europe/Vilnius")  # one hour ahead of Warsaw
    slots = find_slots(bw.service, language="pl", start=bw.day, end=bw.day)
    assert slots[0].start == at(bw.day, 8)


def test_a_limit_stops_the_search_early(bw: BookingWorld) -> None:
    slots = find_slots(bw.service, language="pl", start=bw.day, end=bw.day + timedelta(days=60), limit=6)
    assert len(slots) == 6 and slots == sorted(slots, key=lambda s: s.start)


# --- Booking, changes and iCalendar -----------------------------------------------------------------


def test_booking_sends_an_invitation_that_parses_and_changes_keep_the_uid(
    bw: BookingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        booking = services.book(None, bw.service, start=at(bw.day, 10), language="ar", contact=contact())
    assert booking.interpreter == bw.interpreter and booking.staff == bw.counsellor
    calendar, event = parse(services.invitation(booking, "REQUEST"))
    assert calendar["METHOD"] == "REQUEST" and int(event["SEQUENCE"]) == 0
    uid = str(event["UID"])
    assert uid.startswith(str(booking.uid))
    assert event.decoded("DTSTART") == at(bw.day, 10)
    attendees = {str(a) for a in event.get("ATTENDEE")}
    assert {"mailto:amal@example.org", f"mailto:{bw.interpreter.email}", f"mailto:{bw.counsellor.email}"} <= attendees
    # The client's e-mail carries the .ics, in Arabic.
    client_mail = next(m for m in mail.outbox if m.to == ["amal@example.org"])
    assert client_mail.attachments and "method=REQUEST" in client_mail.attachments[0][2]
    assert any("\u0600" <= ch <= "\u06ff" for ch in client_mail.subject)

    moved = services.reschedule(None, booking, start=at(bw.day, 9), via_link=True)
    _calendar, event = parse(services.invitation(moved, "REQUEST"))
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == at(bw.day, 9)
    # The old time is free again.
    assert at(bw.day, 10) in [s.start for s in find_slots(bw.service, language="ar", start=bw.day, end=bw.day)]

    cancelled = services.cancel(None, moved, reason="ill", via_link=True)
    calendar, event = parse(services.invitation(cancelled, "CANCEL"))
    assert calendar["METHOD"] == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 2
    assert AuditEvent.objects.filter(object_type="booking.booking", object_id=str(booking.pk)).count() == 3


def test_long_lines_are_folded_without_breaking_characters(bw: BookingWorld) -> None:
    booking = services.book(
        None, bw.service, start=at(bw.day, 11), language="pl", contact=contact(name="Ołeksandra " + "Щ" * 80)
    )
    ics = services.invitation(booking, "REQUEST")
    for line in ics.split("\r\n"):
        assert len(line.encode()) <= 75
    _calendar, event = parse(ics)
    assert any("Щ" * 80 in str(a.params.get("CN")) for a in event.get("ATTENDEE"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start": "past"}, "in the past"),
        ({"start": "soon"}, "too soon"),
        ({"language": "xx"}, "language from the list"),
        ({"contact": services.Contact("Amal")}, "e-mail address or a phone number"),
        ({"contact": services.Contact("", "a@example.org")}, "Enter your name"),
        ({"contact": services.Contact("Amal", "not-an-email")}, "valid e-mail"),
        ({"contact": services.Contact("Amal", phone="call me")}, "phone number"),
        ({"start": "not_a_slot"}, "no longer free"),
    ],
)
def test_bad_bookings_are_refused_with_a_message_and_save_nothing(
    bw: BookingWorld, change: dict[str, Any], message: str
) -> None:
    starts = {
        "past": timezone.now() - timedelta(hours=1),
        "soon": timezone.now() + timedelta(hours=2),
        "not_a_slot": at(bw.day, 9, 30),
    }
    kwargs: dict[str, Any] = {"start": at(bw.day, 9), "language": "pl", "contact": contact()}
    kwargs.update(change)
    if isinstance(kwargs["start"], str):
        kwargs["start"] = starts[kwargs["start"]]
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        services.book(None, bw.service, **kwargs)
    assert not Booking.objects.exists() and not mail.outbox


def test_a_taken_slot_cannot_be_booked_twice(bw: BookingWorld) -> None:
    services.book(None, bw.service, start=at(bw.day, 9), language="pl", contact=contact())
    with translation.override("en"), pytest.raises(ValidationError, match="no longer free"):
        services.book(None, bw.service, start=at(bw.day, 9), language="pl", contact=contact(name="Other"))
    assert Booking.objects.count() == 1


def test_staff_record_attendance_and_no_shows_count_for_each_side(bw: BookingWorld) -> None:
    first = services.book(bw.counsellor, bw.service, start=at(bw.day, 9), language="pl", contact=contact())
    second = services.book(bw.counsellor, bw.service, start=at(bw.day, 10), language="pl", contact=contact())
    with translation.override("en"), pytest.raises(ValidationError, match="once the appointment has begun"):
        services.record_attendance(bw.counsellor, first, attended=True)
    Booking.objects.update(starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1))
    first.refresh_from_db()
    second.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError, match="who did not come"):
        services.record_attendance(bw.counsellor, first, attended=False)
    services.record_attendance(bw.counsellor, first, attended=False, missed_by="client")
    services.record_attendance(bw.counsellor, second, attended=False, missed_by="staff")
    with pytest.raises(PermissionDenied):
        services.record_attendance(bw.world.users[Role.EMPLOYER_CONTACT], second, attended=True)
    (row,) = services.attendance_statistics([bw.world.centre.pk], timezone.now() - timedelta(days=1))
    assert (row["missed_client"], row["missed_staff"], row["no_show_rate"]) == (1, 1, 100)


# --- Signed links -----------------------------------------------------------------------------------


def test_links_work_without_an_account_and_expire_when_the_appointment_begins(bw: BookingWorld) -> None:
    booking = services.book(None, bw.service, start=at(bw.day, 9), language="pl", contact=contact())
    token = links.manage_token(booking)
    client = Client()
    assert client.get(reverse("booking:manage", args=[token])).status_code == 200
    ics = client.get(reverse("booking:ics", args=[token]))
    assert ics["Content-Type"].startswith("text/calendar") and parse(ics.content.decode())[1]["UID"]
    # A tampered link, and one whose appointment has begun, are refused with a clear message.
    tampered = client.get(reverse("booking:manage", args=[token[:-3] + "abc"]), HTTP_ACCEPT_LANGUAGE="en")
    assert tampered.status_code == 410 and b"not valid" in tampered.content
    Booking.objects.filter(pk=booking.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    booking.refresh_from_db()
    expired_token = links.manage_token(booking)
    response = client.post(reverse("booking:cancel", args=[expired_token]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410 and b"expired" in response.content
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.sequence == 0


def test_a_link_signed_with_another_key_is_not_valid(bw: BookingWorld) -> None:
    forged = signing.dumps({"k": "x", "x": 9999999999}, salt=links.MANAGE_SALT, key="another-secret-key-" * 3)
    with translation.override("en"), pytest.raises(links.LinkError, match="not valid"):
        links.read_manage_token(forged)


# --- Waiting list and reminders ---------------------------------------------------------------------


def test_a_freed_slot_is_offered_to_the_first_person_waiting_who_fits(
    bw: BookingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    booking = services.book(None, bw.service, start=at(bw.day, 9), language="ar", contact=contact())
    later = services.join_waiting_list(
        bw.counsellor,
        bw.service,
        language="ar",
        person=bw.world.person,
        contact=contact(name="Second", email="second@example.org"),
        earliest=bw.day,
        latest=bw.day,
    )
    elsewhere = services.join_waiting_list(
        None,
        bw.service,
        language="ti",
        contact=contact(name="Tigrinya", email="ti@example.org"),
        earliest=bw.day,
        latest=bw.day,
    )
    WaitingListEntry.objects.filter(pk=elsewhere.pk).update(created_at=timezone.now() - timedelta(days=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(None, booking, via_link=True)
    later.refresh_from_db()
    elsewhere.refresh_from_db()
    # The Tigrinya speaker waited longer, but no interpreter could serve them: the Arabic speaker gets it.
    assert elsewhere.status == WaitStatus.WAITING and later.status == WaitStatus.OFFERED
    offer_mail = next(m for m in mail.outbox if m.to == ["second@example.org"])
    token = offer_mail.body.rsplit("/offer/", 1)[1].split("/")[0]
    taken = services.take_offer(token)
    assert taken.starts_at == at(bw.day, 9) and taken.interpreter == bw.interpreter
    assert Booking.objects.get(pk=taken.pk).person == bw.world.person  # the record the counsellor named
    later.refresh_from_db()
    assert later.status == WaitStatus.BOOKED
    with translation.override("en"), pytest.raises(links.LinkError, match="no longer open"):
        services.take_offer(token)


def test_waiting_list_bad_dates_are_refused(bw: BookingWorld) -> None:
    today = timezone.localdate()
    with translation.override("en"), pytest.raises(ValidationError, match="before the first day"):
        services.join_waiting_list(
            None, bw.service, language="pl", contact=contact(), earliest=today, latest=today - timedelta(days=1)
        )
    assert not WaitingListEntry.objects.exists()


def test_reminders_go_a_day_and_an_hour_before_by_email_and_sms_in_the_client_language(
    bw: BookingWorld, settings: Any
) -> None:
    settings.OWNPATH_SMS_PROVIDER = "memory"
    MemorySms.outbox.clear()
    booking = services.book(
        None, bw.service, start=at(bw.day, 9), language="uk", contact=contact(phone="+48 600 100 200")
    )
    mail.outbox.clear()
    assert services.send_reminders(at(bw.day, 9) - timedelta(hours=30)).day == 0
    run = services.send_reminders(at(bw.day, 9) - timedelta(hours=23))
    assert (run.day, run.hour) == (1, 0)
    assert services.send_reminders(at(bw.day, 9) - timedelta(hours=22)).day == 0  # never twice
    assert services.send_reminders(at(bw.day, 9) - timedelta(minutes=50)).hour == 1
    assert len(mail.outbox) == 2 and len(MemorySms.outbox) == 2
    assert "Нагадування" in mail.outbox[0].subject and MemorySms.outbox[0][0] == "+48 600 100 200"
    booking.refresh_from_db()
    assert booking.reminded_day_at and booking.reminded_hour_at


# --- CVs --------------------------------------------------------------------------------------------

CLEAN_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def drop(bw: BookingWorld, data: bytes, name: str = "cv.pdf") -> CV:
    return services.drop_cv(
        None, bw.world.centre, file=io.BytesIO(data), filename=name, language="ar", contact=contact()
    )


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "cv.pdf", "not accepted"),
        (b"#!/bin/sh\nrm -rf /\n", "cv.pdf", "not accepted"),
        (
            b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n%%EOF",
            "cv.pdf",
            "scripts or macros",
        ),
        (b"", "cv.pdf", "empty"),
    ],
)
def test_unsafe_or_wrong_uploads_are_refused_and_nothing_is_saved(
    bw: BookingWorld, data: bytes, name: str, message: str
) -> None:
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        drop(bw, data, name)
    assert not CV.objects.exists()


def test_a_docx_with_macros_is_refused(bw: BookingWorld) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\x00macro")
    with translation.override("en"), pytest.raises(ValidationError, match="scripts or macros"):
        drop(bw, buffer.getvalue(), "cv.docx")


def test_a_cv_is_encrypted_at_rest_assigned_and_read_only_by_those_allowed(bw: BookingWorld) -> None:
    cv = drop(bw, CLEAN_PDF)
    stored = bytes(CV.objects.get(pk=cv.pk).data)
    assert b"%PDF" not in stored and b"Catalog" not in stored
    assert cv.counsellor == bw.counsellor
    assert services.cv_file(bw.counsellor, cv) == CLEAN_PDF
    assert AuditEvent.objects.filter(action=AuditAction.READ, object_type="booking.cv", object_id=str(cv.pk)).exists()
    for role in (Role.EMPLOYER_CONTACT, Role.HELPLINE_OPERATOR, Role.TRAINER, "ngo_counsellor"):
        with pytest.raises(PermissionDenied):
            services.cv_file(bw.world.users[role], cv)


def test_a_cv_goes_to_an_employer_only_with_consent_and_the_answer_is_tracked(bw: BookingWorld) -> None:
    world = bw.world
    cv = drop(bw, CLEAN_PDF)
    with translation.override("en"), pytest.raises(ValidationError, match="Link the CV"):
        services.send_cv(bw.counsellor, cv, [world.employer])
    services.update_cv(bw.counsellor, cv, person=world.person)
    with translation.override("en"), pytest.raises(PermissionDenied, match="consent"):
        services.send_cv(bw.counsellor, cv, [world.employer])
    assert not CVSending.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, person_id=world.person.pk).exists()
    consent_service.give_consent(
        bw.counsellor,
        world.person,
        recipients=[world.employer],
        purpose=ConsentPurpose.CV_TO_EMPLOYER,
        scope=services.CV_SCOPE,
        evidence="signed form",
    )
    with pytest.raises(ValidationError):
        services.send_cv(bw.counsellor, cv, [world.ngo])  # not an employer
    (sending,) = services.send_cv(bw.counsellor, cv, [world.employer])
    contact_user = world.users[Role.EMPLOYER_CONTACT]
    employer_client = signed_in(contact_user)
    assert employer_client.get(reverse("booking:received")).status_code == 200
    download = employer_client.get(reverse("booking:received_item", args=[sending.pk]))
    assert download.status_code == 200 and download.content == CLEAN_PDF
    response = employer_client.post(
        reverse("booking:received_item", args=[sending.pk]), {"answer": "interview", "note": "Mon 10:00"}
    )
    assert response.status_code == 302
    sending.refresh_from_db()
    assert sending.answer == EmployerAnswer.INTERVIEW and sending.answered_at
    # Another employer's contact cannot read it.
    from tests.factories import OrganisationFactory, staff

    other = staff(Role.EMPLOYER_CONTACT, OrganisationFactory(kind="employer"))
    assert signed_in(other).get(reverse("booking:received_item", args=[sending.pk])).status_code == 403


def test_a_cv_built_from_the_profile_is_a_pdf(bw: BookingWorld) -> None:
    cv = (
        services.build_cv_from_profile(bw.counsellor, bw.world.person, bw.world.centre)
        if bw.world.person.phone or bw.world.person.email
        else None
    )
    if cv is None:
        bw.world.person.phone = "+48 600 100 200"
        bw.world.person.save()
        cv = services.build_cv_from_profile(bw.counsellor, bw.world.person, bw.world.centre)
    assert services.cv_file(bw.counsellor, cv).startswith(b"%PDF-")


def test_the_cv_upload_page_refuses_an_executable_renamed_pdf(bw: BookingWorld) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    upload = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    response = client.post(
        reverse("booking:cv_drop"),
        {
            "organisation": bw.world.centre.pk,
            "name": "Amal",
            "email": "a@example.org",
            "language": "ar",
            "file": upload,
            "agree": "on",
        },
    )
    assert response.status_code == 400 and b"not accepted" in response.content
    assert not CV.objects.exists()


# --- Erasure ----------------------------------------------------------------------------------------


def test_erasure_removes_cvs_and_contact_details_of_bookings(bw: BookingWorld) -> None:
    from ownpath.core.services import gdpr

    booking = services.book(
        bw.counsellor, bw.service, start=at(bw.day, 9), language="uk", contact=contact(), person=bw.world.person
    )
    cv = drop(bw, CLEAN_PDF)
    services.update_cv(bw.counsellor, cv, person=bw.world.person)
    gdpr.erase_person(bw.world.users[Role.ORG_ADMIN], bw.world.person, reason="asked")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.email == "" and booking.person_id is None
    assert not CV.objects.exists()


# --- Pages and permissions --------------------------------------------------------------------------


def test_the_public_flow_books_through_the_pages(bw: BookingWorld) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ar")
    assert client.get(reverse("booking:start")).status_code == 200
    page = client.get(reverse("booking:slots", args=[bw.service.pk]), {"language": "ar", "week": bw.day.isoformat()})
    assert page.status_code == 200 and at(bw.day, 9).isoformat().encode()[:16] in page.content.replace(b"%3A", b":")
    url = reverse("booking:confirm", args=[bw.service.pk])
    params = {"language": "ar", "start": at(bw.day, 9).isoformat(), "staff": bw.counsellor.pk, "tz": "Europe/Warsaw"}
    assert client.get(url, params).status_code == 200
    missing = client.post(url, {**params, "name": "Amal", "email": "a@example.org"})
    assert missing.status_code == 400 and not Booking.objects.exists()
    done = client.post(url, {**params, "name": "Amal", "email": "a@example.org", "agree": "on"})
    assert done.status_code == 302 and "/booking/m/" in done["Location"]
    assert Booking.objects.get().interpreter == bw.interpreter


STAFF_PAGES = ["booking:appointments", "booking:hours", "booking:stats", "booking:cvs"]


@pytest.mark.parametrize("role", ROLES)
def test_staff_pages_for_every_role(bw: BookingWorld, role: str) -> None:
    client = Client() if role == "anonymous" else signed_in(bw.world.users[role])
    casework = role in {
        Role.ORG_ADMIN,
        Role.COUNSELLOR,
        Role.PSYCHOLOGIST,
        Role.LEGAL_ADVISER,
        Role.CULTURAL_MEDIATOR,
        Role.HELPLINE_OPERATOR,
        Role.MENTORING_COORDINATOR,
        "ngo_counsellor",
    }
    for name in ("booking:appointments", "booking:stats", "booking:cvs"):
        status = client.get(reverse(name)).status_code
        if role == "anonymous":
            assert status == 302, name
        else:
            assert status == (200 if casework else 403), (name, role)
    services_status = client.get(reverse("booking:services")).status_code
    assert services_status == (302 if role == "anonymous" else 200 if role == Role.ORG_ADMIN else 403)
    received_status = client.get(reverse("booking:received")).status_code
    assert received_status == (302 if role == "anonymous" else 200 if role == Role.EMPLOYER_CONTACT else 403)
    # The public pages are open to everyone.
    assert client.get(reverse("booking:start")).status_code == 200
    assert client.get(reverse("booking:cv_drop")).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_a_cv_is_shown_only_to_its_counsellor_and_the_centre_editors(bw: BookingWorld, role: str) -> None:
    cv = drop(bw, CLEAN_PDF)
    client = Client() if role == "anonymous" else signed_in(bw.world.users[role])
    allowed = role in {Role.ORG_ADMIN, Role.COUNSELLOR, Role.PSYCHOLOGIST, Role.LEGAL_ADVISER}
    for url in (reverse("booking:cv", args=[cv.pk]), reverse("booking:cv_file", args=[cv.pk])):
        status = client.get(url).status_code
        assert status == (302 if role == "anonymous" else 200 if allowed else 403), (url, role)


def test_staff_set_hours_and_bad_hours_are_refused(bw: BookingWorld) -> None:
    polish = signed_in(bw.counsellor).get(reverse("booking:hours"), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Organizacja" in polish and ">Organisation<" not in polish  # the hours and time-off forms' labels
    client = signed_in(bw.counsellor)
    client.cookies.load({"django_language": "en"})
    base = {"form": "hours", "organisation": bw.world.centre.pk, "weekday": 0, "mode": "in_person"}
    bad = client.post(reverse("booking:hours"), {**base, "start": "14:00", "end": "13:00"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    count = WeeklyHours.objects.count()
    overlapping = client.post(reverse("booking:hours"), {**base, "start": "10:00", "end": "11:00"})
    assert overlapping.status_code == 400 and WeeklyHours.objects.count() == count
    ok = client.post(reverse("booking:hours"), {**base, "start": "14:00", "end": "16:00"})
    assert ok.status_code == 302 and WeeklyHours.objects.count() == count + 1
    wrong = client.post(
        reverse("booking:hours"), {"form": "profile", "languages": ["pl", "xx"], "time_zone": "Europe/Warsaw"}
    )
    assert wrong.status_code == 400


# --- API --------------------------------------------------------------------------------------------


def test_the_api_finds_books_and_cancels_with_the_token(bw: BookingWorld) -> None:
    client = Client()
    free = client.get(
        "/api/v1/booking/availability",
        {"service_id": bw.service.pk, "language": "ar", "start": bw.day.isoformat(), "end": bw.day.isoformat()},
    )
    assert free.status_code == 200 and [s["interpreter"] for s in free.json()] == [True, True]
    body = {
        "service_id": bw.service.pk,
        "start": free.json()[0]["start"],
        "language": "ar",
        "name": "Amal",
        "email": "a@example.org",
    }
    booked = client.post("/api/v1/booking/bookings", body, content_type="application/json")
    assert booked.status_code == 201 and booked.json()["interpreter"] is True
    again = client.post("/api/v1/booking/bookings", body, content_type="application/json")
    assert again.status_code == 422 and Booking.objects.count() == 1
    token = booked.json()["token"]
    moved = client.post(
        f"/api/v1/booking/links/{token}/reschedule", {"start": free.json()[1]["start"]}, content_type="application/json"
    )
    assert moved.status_code == 200 and moved.json()["sequence"] == 1
    cancelled = client.post(
        f"/api/v1/booking/links/{moved.json()['token']}/cancel", {}, content_type="application/json"
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert (
        client.get("/api/v1/booking/availability", {"service_id": bw.service.pk, "language": "zz"}).status_code == 422
    )
    assert client.post("/api/v1/booking/links/nonsense/cancel", {}, content_type="application/json").status_code == 410


def test_staff_api_checks_permissions(bw: BookingWorld) -> None:
    booking = services.book(bw.counsellor, bw.service, start=at(bw.day, 9), language="pl", contact=contact())
    assert Client().get("/api/v1/booking/appointments").status_code == 401
    assert signed_in(bw.world.users[Role.EMPLOYER_CONTACT]).get("/api/v1/booking/appointments").status_code == 403
    assert (
        signed_in(bw.world.users[Role.EMPLOYER_CONTACT])
        .post(f"/api/v1/booking/appointments/{booking.pk}/cancel", {}, content_type="application/json")
        .status_code
        == 403
    )
    listed = signed_in(bw.counsellor).get("/api/v1/booking/appointments")
    assert listed.status_code == 200 and listed.json()[0]["id"] == booking.pk
    response = signed_in(bw.counsellor).post(
        "/api/v1/booking/appointments",
        {
            "service_id": bw.service.pk,
            "start": at(bw.day, 10).isoformat(),
            "language": "uk",
            "name": "O. S.",
            "phone": "+48600100200",
            "person_id": bw.world.person.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["person_id"] == bw.world.person.pk
    other_person = signed_in(bw.counsellor).post(
        "/api/v1/booking/appointments",
        {
            "service_id": bw.service.pk,
            "start": at(bw.day, 11).isoformat(),
            "language": "pl",
            "name": "X",
            "phone": "+48600100200",
            "person_id": bw.world.other_person.pk,
        },
        content_type="application/json",
    )
    assert other_person.status_code == 404


def test_a_refusal_for_lack_of_consent_is_shown_on_the_page_not_an_error(bw: BookingWorld) -> None:
    cv = drop(bw, CLEAN_PDF)
    services.update_cv(bw.counsellor, cv, person=bw.world.person)
    client = signed_in(bw.counsellor)
    response = client.post(
        reverse("booking:cv", args=[cv.pk]),
        {"form": "send", "employers": [bw.world.employer.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert any("consent" in str(m) for m in response.context["messages"])
    assert not CVSending.objects.exists()
