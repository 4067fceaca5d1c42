"""Where two modules meet, as one journey each: booking and counselling share one calendar per staff member;
what a person books, leaves and is sent shows in their own space; a partner owns and updates a step of
another organisation's plan; links are shown only where the reader may follow them; a match explanation is
read in the reader's language, whoever proposed it."""

from __future__ import annotations

import json
from typing import Any

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ownpath.core.choices import Role
from ownpath.core.models import AuditEvent, CalendarFeed, Consent, Person, PersonShare, User
from ownpath.core.services import consent as consent_service
from ownpath.core.services import people as people_service
from ownpath.modules.booking import services as booking
from ownpath.modules.booking.availability import find_slots
from ownpath.modules.booking.models import Booking
from ownpath.modules.counselling import services as counselling
from ownpath.modules.counselling.choices import StepKind, StepStatus
from ownpath.modules.counselling.models import Step
from ownpath.modules.training.models import Course, CourseSession, Curriculum
from tests.booking_helpers import BookingWorld, at, make_booking_world
from tests.conftest import World, signed_in

pytestmark = pytest.mark.django_db
UI = "ui"


@pytest.fixture
def bw(world: World) -> BookingWorld:
    return make_booking_world(world)


def _session(world: World, start: Any, minutes: int = 60) -> Any:
    return counselling.record_session(
        world.users[Role.COUNSELLOR],
        world.person,
        world.centre,
        {"kind": "vocational", "starts_at": start, "duration_minutes": minutes, "mode": "phone"},
        channel=UI,
    )


def _starts(bw: BookingWorld, language: str = "pl") -> set[Any]:
    slots = find_slots(bw.service, language=language, start=bw.day, end=bw.day)
    return {s.start for s in slots if s.staff_id == bw.counsellor.pk}


# --- One calendar per staff member ----------------------------------------------------------------------


def test_counselling_sessions_and_classes_are_busy_time_for_booking(world: World, bw: BookingWorld) -> None:
    assert _starts(bw) == {at(bw.day, h) for h in (9, 10, 11, 12)}
    _session(world, at(bw.day, 10))
    curriculum = Curriculum.objects.first() or pytest.skip("no curriculum")
    course = Course.objects.create(
        curriculum=curriculum, organisation=world.centre, title="Polish A2", starts_on=bw.day, ends_on=bw.day
    )
    CourseSession.objects.create(
        course=course, starts_at=at(bw.day, 12, 30), ends_at=at(bw.day, 13, 30), trainer=bw.counsellor
    )
    # 10:00 (a counselling session) and 12:00 (a class from 12:30) are no longer offered.
    assert _starts(bw) == {at(bw.day, 9), at(bw.day, 11)}
    with pytest.raises(ValidationError):
        booking.book(
            None,
            bw.service,
            start=at(bw.day, 10),
            language="pl",
            contact=booking.Contact("Jan Kowalski", "jan@example.org", "", "Europe/Warsaw"),
            staff_id=bw.counsellor.pk,
        )
    assert not Booking.objects.exists()


def test_a_session_cannot_be_planned_on_a_booked_appointment(world: World, bw: BookingWorld) -> None:
    booking.book(
        None,
        bw.service,
        start=at(bw.day, 9),
        language="pl",
        contact=booking.Contact("Jan Kowalski", "jan@example.org", "", "Europe/Warsaw"),
    )
    with pytest.raises(ValidationError) as refused:
        _session(world, at(bw.day, 9, 30))
    assert "starts_at" in refused.value.error_dict
    _session(world, at(bw.day, 10))  # right after it is fine


def test_staff_calendar_page_and_private_feed(world: World, bw: BookingWorld) -> None:
    _session(world, at(bw.day, 10))
    booking.book(
        None,
        bw.service,
        start=at(bw.day, 9),
        language="pl",
        contact=booking.Contact("Jan Kowalski", "jan@example.org", "", "Europe/Warsaw"),
    )
    client = signed_in(bw.counsellor)
    page = client.get(reverse("core:calendar"), {"view": "day", "date": bw.day.isoformat()}).content.decode()
    assert "09:00" in page and "10:00" in page
    created = client.post(reverse("core:calendar"), {"feed": "new"})
    url = created.context["new_url"]
    assert url and CalendarFeed.objects.filter(user=bw.counsellor).exists()
    feed = signed_in(world.users[Role.AUDITOR]).get(url)  # the address is the key, whoever reads it
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert starts == [at(bw.day, 9), at(bw.day, 10)]
    text = feed.content.decode()
    assert "Kowalski" not in text and world.person.family_name not in text  # no client names leave ownpath
    client.post(reverse("core:calendar"), {"feed": "revoke"})
    assert client.get(url).status_code == 404


# --- The person's own space -----------------------------------------------------------------------------


def _own_account(world: World) -> User:
    user = User.objects.create_user(username="olena@example.org", email="olena@example.org", password=None)
    people_service.link_account(world.users[Role.COUNSELLOR], world.person, user)
    return user


def test_what_a_person_books_leaves_and_is_sent_shows_in_their_own_space(world: World, bw: BookingWorld) -> None:
    user = _own_account(world)
    client = signed_in(user)
    start = at(bw.day, 9)
    response = client.post(
        reverse("booking:confirm", args=[bw.service.pk])
        + f"?language=uk&start={start.isoformat()}&staff={bw.counsellor.pk}",
        {"name": "Олександр Шевченко", "email": "olena@example.org", "phone": "", "agree": "on", "topic": ""},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert Booking.objects.get().person == world.person  # booked from the account: it is theirs
    counsellor = signed_in(world.users[Role.COUNSELLOR])
    sent = counsellor.post(reverse("core:person_message", args=[world.person.pk]), {"body": "Принесіть диплом."})
    assert sent.status_code == 302
    consent = consent_service.give_consent(
        world.users[Role.COUNSELLOR], world.person, recipients=[world.ngo], purpose="referral",
        scope=["identity"], evidence="Signed form",
    )  # fmt: skip
    me = client.get(reverse("portal:me"))
    html = me.content.decode()
    assert me.status_code == 200
    for section in ("appointments", "messages", "consents", "cv", "data"):
        assert f'id="{section}"' in html
    assert "Принесіть диплом." in html and "/booking/m/" in html
    assert AuditEvent.objects.filter(person_id=world.person.pk, purpose="own_access").exists()
    # Withdraw the consent from the account; download the data.
    assert client.post(reverse("core:own_consent_withdraw", args=[consent.pk])).status_code == 302
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None
    data = json.loads(client.get(reverse("core:own_export")).content)
    assert data["messages"][0]["text"] == "Принесіть диплом." and "booking" in data["modules"]
    # Someone else's consent cannot be withdrawn from this account.
    other = consent_service.give_consent(
        world.users["ngo_counsellor"], world.other_person, recipients=[world.centre], purpose="referral",
        scope=["identity"], evidence="Signed form",
    )  # fmt: skip
    assert client.post(reverse("core:own_consent_withdraw", args=[other.pk])).status_code == 404


def test_own_space_before_the_account_is_linked_explains_and_staff_are_sent_away(world: World) -> None:
    user = User.objects.create_user(username="new@example.org", email="new@example.org", password=None)
    page = signed_in(user).get(reverse("portal:me"))
    assert page.status_code == 200 and reverse("portal:account") in page.content.decode()
    assert signed_in(world.users[Role.COUNSELLOR]).get(reverse("portal:me")).status_code == 302
    assert signed_in(user).get(reverse("core:own_export")).status_code == 404  # no record is theirs yet


def test_a_directory_service_page_offers_booking_at_its_organisation(world: World, bw: BookingWorld) -> None:
    from ownpath.modules.directory.models import DirectoryOrganization, Service

    org = DirectoryOrganization.objects.create(name="Centre", owner=world.centre)
    service = Service.objects.create(organization=org, name="CV consultation")
    page = signed_in(world.users[Role.COUNSELLOR]).get(reverse("portal:service", args=[service.pk]))
    assert reverse("booking:slots", args=[bw.service.pk]) in page.content.decode()
    other_org = DirectoryOrganization.objects.create(name="Elsewhere")
    other = Service.objects.create(organization=other_org, name="Legal advice")
    assert "/booking/s/" not in Client_get(reverse("portal:service", args=[other.pk]))


def Client_get(url: str) -> str:
    from django.test import Client

    return Client().get(url).content.decode()


# --- Multi-agency plans and links that can be followed ----------------------------------------------------


def test_a_partner_owns_and_updates_a_step_of_another_organisations_plan(world: World) -> None:
    counsellor, partner = world.users[Role.COUNSELLOR], world.users["ngo_counsellor"]
    values = {"kind": StepKind.LANGUAGE_COURSE, "title": "Polish B1", "responsible_organisation": world.ngo}
    with pytest.raises(ValidationError) as refused:
        counselling.add_step(counsellor, world.person, values, channel=UI)  # no consent yet
    assert "responsible_organisation" in refused.value.error_dict and not Step.objects.exists()
    consent_service.give_consent(
        counsellor, world.person, recipients=[world.ngo], purpose="counselling", scope=["identity", "path"],
        evidence="Signed individual plan",
    )  # fmt: skip
    from ownpath.modules.counselling.forms import StepForm

    assert world.ngo in StepForm(person=world.person).fields["responsible_organisation"].queryset
    step = counselling.add_step(counsellor, world.person, values, channel=UI)
    assert PersonShare.objects.filter(person=world.person, organisation=world.ngo).exists()
    client = signed_in(partner)
    listing = client.get(reverse("counselling:steps_we_own")).content.decode()
    assert "Polish B1" in listing and reverse("counselling:step_edit", args=[step.pk]) in listing
    response = client.post(
        reverse("counselling:step_edit", args=[step.pk]),
        {
            "status": "in_progress",
            "actual_start": timezone.localdate().isoformat(),
            "result": "",
            "version": counselling.step_version(Step.objects.get(pk=step.pk)),  # as the edit page carries it
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response.status_code
    step.refresh_from_db()
    assert step.status == StepStatus.IN_PROGRESS
    # The partner reports progress; it cannot give the step to someone else.
    counselling.update_step(partner, step, {"responsible_organisation": world.centre, "title": "x"}, channel=UI)
    step.refresh_from_db()
    assert step.responsible_organisation == world.ngo and step.title == "Polish B1"
    # The holder's plan shows who does what.
    plan = signed_in(counsellor).get(reverse("core:person", args=[world.person.pk]) + "?tab=path").content.decode()
    assert "NGO" in plan


def test_no_link_to_a_step_the_reader_cannot_open(world: World) -> None:
    counsellor, partner = world.users[Role.COUNSELLOR], world.users["ngo_counsellor"]
    step = counselling.add_step(
        counsellor, world.person, {"kind": StepKind.LANGUAGE_COURSE, "responsible_organisation": world.centre},
        channel=UI,
    )  # fmt: skip
    consent_service.give_consent(
        counsellor, world.person, recipients=[world.ngo], purpose="referral", scope=["identity"], evidence="Signed"
    )
    counselling.send_referral(counsellor, world.person, world.ngo, service="Polish B1", scope=[], step=step, channel=UI)
    client = signed_in(partner)
    page = client.get(reverse("counselling:referrals")).content.decode()
    link = reverse("counselling:step_edit", args=[step.pk])
    assert client.get(link).status_code in (403, 404)
    assert link not in page  # not shown, since it would not open
    # Every link on the page opens for this reader.
    import re

    for href in set(re.findall(r'href="(/[^"#?]*)', page)):
        if href.startswith(("/static/", "/accounts/logout")):
            continue
        assert client.get(href).status_code < 400, href


def test_steps_are_not_offered_to_an_organisation_without_consent(world: World) -> None:
    from ownpath.modules.counselling.forms import StepForm

    organisations = StepForm(person=world.person).fields["responsible_organisation"].queryset
    assert list(organisations) == [world.centre]
    assert Person.objects.count() == 2


# --- Match explanations in the reader's language ---------------------------------------------------------


def test_a_match_explanation_is_read_in_the_readers_language(world: World) -> None:
    from ownpath.modules.matching import explain

    reasons = [{"code": "experience.years", "years": 4.0}]
    assert explain.sentence("experience", reasons, "en") == "4.0 years in this occupation."
    assert explain.sentence("experience", reasons, "pl") != explain.sentence("experience", reasons, "uk")
    stored = {"factors": [{"name": "language", "value": 1.0,
                           "reasons": [{"code": "language.ok", "language": "pl", "have": 2, "level": "A2"}]}]}  # fmt: skip
    polish = explain.render(stored, "pl")[0]["sentence"]
    ukrainian = explain.render(stored, "uk")[0]["sentence"]
    assert polish != ukrainian and "A2" in polish and "A2" in ukrainian
    # Proposals stored before reasons were codes keep their sentence.
    assert explain.render({"factors": [{"name": "x", "value": 1, "sentence": "Old."}]}, "pl")[0]["sentence"] == "Old."
