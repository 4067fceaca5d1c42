"""Demo data of the booking module: services, hours in several languages, interpreters, appointments
(one in Arabic with an interpreter, past ones with no-shows), a waiting list, and CVs, one sent to an
employer with the person's consent and answered."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from ownpath.core.choices import Channel, ConsentPurpose, OrganisationKind, Role
from ownpath.core.demo import DEMO_DOMAIN, demo_user
from ownpath.core.models import Membership, Organisation, Person, User
from ownpath.core.services import consent as consent_service
from ownpath.core.uploads import PDF
from ownpath.modules.booking.availability import find_slots
from ownpath.modules.booking.choices import BookingStatus, CVSource, CVStatus, EmployerAnswer, Mode, ServiceKind, Side
from ownpath.modules.booking.models import (
    CV,
    BookableService,
    Booking,
    CVSending,
    StaffProfile,
    WaitingListEntry,
    WeeklyHours,
)
from ownpath.modules.booking.services import CV_SCOPE, render_cv_pdf

PLACE = "ul. Długa 12, 80-827 Gdańsk, room 3"


def load() -> str:
    if BookableService.objects.exists():
        return "Booking demo: already loaded."
    with transaction.atomic():
        counts = _load()
    return "Booking demo: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + "."


def _user(local: str) -> User:
    return User.objects.get(email=f"{local}@{DEMO_DOMAIN}")


def _load() -> dict[str, int]:
    rng = random.Random(2027)
    centre = Organisation.objects.get(slug="career-centre")
    counsellor, mediator, legal = _user("counsellor"), _user("mediator"), _user("legal-adviser")
    interpreter = demo_user("interpreter", "Samir", "Haddad", "ar")
    Membership.objects.get_or_create(user=interpreter, organisation=centre, role=Role.CULTURAL_MEDIATOR)
    for user, languages, interprets in (
        (counsellor, ["pl", "en"], False),
        (legal, ["pl", "en"], False),
        (mediator, ["uk", "ru", "pl"], True),
        (interpreter, ["ar", "pl", "en"], True),
    ):
        StaffProfile.objects.update_or_create(
            user=user, defaults={"languages": languages, "is_interpreter": interprets}
        )
    cv_help = BookableService.objects.create(
        organisation=centre,
        kind=ServiceKind.CV_CONSULTATION,
        duration_minutes=45,
        place=PLACE,
        remote=True,
        remote_link="https://meet.example.org/career-centre-cv",
    )
    career = BookableService.objects.create(
        organisation=centre, kind=ServiceKind.CAREER_COUNSELLING, duration_minutes=60, place=PLACE
    )
    legal_service = BookableService.objects.create(
        organisation=centre,
        kind=ServiceKind.LEGAL_ADVICE,
        title="Work permits and residence",
        duration_minutes=30,
        place=PLACE,
    )
    for weekday in range(5):
        WeeklyHours.objects.create(user=counsellor, organisation=centre, weekday=weekday, start=time(9), end=time(15))
        WeeklyHours.objects.create(user=mediator, organisation=centre, weekday=weekday, start=time(9), end=time(17))
        if weekday in (1, 3):
            WeeklyHours.objects.create(
                user=interpreter, organisation=centre, weekday=weekday, start=time(10), end=time(16)
            )
            WeeklyHours.objects.create(
                user=counsellor,
                organisation=centre,
                service=cv_help,
                weekday=weekday,
                start=time(16),
                end=time(18),
                mode=Mode.REMOTE,
            )
    WeeklyHours.objects.create(
        user=legal, organisation=centre, service=legal_service, weekday=2, start=time(10), end=time(14)
    )

    today = timezone.localdate()
    people = list(Person.objects.filter(organisation=centre, is_anonymised=False).order_by("pk")[:40])
    by_language: dict[str, list[Person]] = {}
    for person in people:
        by_language.setdefault(person.preferred_language or "pl", []).append(person)
    bookings = 0
    for language, service in (("ar", cv_help), ("uk", career), ("ar", career), ("ka", cv_help), ("uk", legal_service)):
        slots = find_slots(
            service, language=language, start=today + timedelta(days=1), end=today + timedelta(days=14), limit=30
        )
        if not slots:
            continue
        slot = rng.choice(slots[:10])
        client: Person | None = (by_language.get(language) or people)[0] if people else None
        Booking.objects.create(
            service=service,
            organisation=centre,
            staff_id=slot.staff_id,
            interpreter_id=slot.interpreter_id,
            language=language,
            staff_language=slot.session_language,
            starts_at=slot.start,
            ends_at=slot.end,
            mode=slot.mode,
            place=PLACE if slot.mode == Mode.IN_PERSON else "",
            link=service.remote_link if slot.mode == Mode.REMOTE else "",
            person=client,
            name=client.display_name if client else "Demo client",
            phone=client.phone if client else "+48 500 100 200",
            topic="",
            booked_by=counsellor,
        )
        bookings += 1
    # Past appointments, to show attendance and no-shows on the statistics page.
    for days_ago in range(2, 60, 3):
        day = today - timedelta(days=days_ago)
        if day.weekday() > 4:
            continue
        start = timezone.make_aware(datetime.combine(day, time(9 + days_ago % 5))).astimezone(UTC)
        past_client: Person | None = people[days_ago % len(people)] if people else None
        outcome = rng.random()
        Booking.objects.create(
            service=career,
            organisation=centre,
            staff=counsellor,
            language=(past_client.preferred_language if past_client else "") or "pl",
            staff_language="pl",
            starts_at=start,
            ends_at=start + timedelta(minutes=60),
            mode=Mode.IN_PERSON,
            place=PLACE,
            person=past_client,
            name=past_client.display_name if past_client else "Demo client",
            status=BookingStatus.ATTENDED
            if outcome < 0.75
            else BookingStatus.NO_SHOW
            if outcome < 0.92
            else BookingStatus.CANCELLED,
            missed_by=(Side.CLIENT if outcome < 0.88 else Side.STAFF) if 0.75 <= outcome < 0.92 else "",
            cancelled_by=Side.CLIENT if outcome >= 0.92 else "",
        )
        bookings += 1
    WaitingListEntry.objects.create(
        service=legal_service,
        language="ti",
        name="Yonas Tesfaye",
        phone="+48 511 222 333",
        earliest=today,
        latest=today + timedelta(days=21),
    )
    cvs = _cvs(centre, counsellor, people)
    return {"services": 3, "appointments": bookings, "waiting": 1, "CVs": cvs}


def _cvs(centre: Organisation, counsellor: User, people: list[Person]) -> int:
    from ownpath.core import crypto

    employer = Organisation.objects.filter(kind=OrganisationKind.EMPLOYER, slug="baltic-shipyard").first()
    count = 0
    for person in people[:2]:
        pdf = render_cv_pdf(person)
        cv = CV.objects.create(
            organisation=centre,
            person=person,
            name=person.display_name,
            phone=person.phone,
            language=person.preferred_language or "pl",
            source=CVSource.PROFILE,
            filename="cv.pdf",
            content_type=PDF,
            size=len(pdf),
            data=crypto.fernet().encrypt(pdf),
            counsellor=counsellor,
            status=CVStatus.RECEIVED if count == 0 else CVStatus.READY,
        )
        count += 1
        if count == 2 and employer is not None:
            consent = consent_service.give_consent(
                counsellor,
                person,
                recipients=[employer],
                purpose=ConsentPurpose.CV_TO_EMPLOYER,
                scope=CV_SCOPE,
                evidence="Signed form, demo",
                channel=Channel.SYSTEM,
            )
            CVSending.objects.create(
                cv=cv,
                employer=employer,
                consent=consent,
                sent_by=counsellor,
                answer=EmployerAnswer.INTERVIEW,
                answer_note="Interview for welder's assistant, Monday 10:00",
                answered_at=timezone.now(),
            )
    return count
