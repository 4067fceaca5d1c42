"""Invented counselling work for the demo: intakes, assessments, paths, sessions, referrals, outcomes.

Built on core's demo network and people, through the module's own services (so the demo obeys every
rule), with a fixed seed; running it twice adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ownpath.core.choices import Channel, ConsentPurpose, DataScope, NeedKind, SensitiveGroup
from ownpath.core.models import Organisation, Person, User
from ownpath.core.services import consent as consent_service
from ownpath.modules.counselling import services
from ownpath.modules.counselling.choices import (
    ContactChannel,
    OutcomeKind,
    SessionKind,
    SessionMode,
    StepKind,
    StepStatus,
)
from ownpath.modules.counselling.models import Intake, Outcome, Step

SYSTEM = Channel.SYSTEM
DOMAIN = "demo.ownpath.org"

# Titles as counsellors write them: in Polish, English or the client's language.
TITLES: dict[str, list[str]] = {
    StepKind.LANGUAGE_COURSE: ["Kurs języka polskiego A2 (biblioteka w Rumi)", "Polish course A1, evenings"],
    StepKind.WORKPLACE_LANGUAGE: ["Polski w pracy: słownictwo zawodowe"],
    StepKind.RECOGNITION: ["Nostryfikacja dyplomu", "Uznanie kwalifikacji pielęgniarki"],
    StepKind.CHILDCARE: ["Miejsce w przedszkolu", "Місце в дитсадку"],
    StepKind.JOB_SEARCH: ["CV i rozmowy kwalifikacyjne", "Job club every Tuesday"],
    StepKind.INTERNSHIP: ["Staż w hotelu (3 miesiące)"],
    StepKind.LEGAL_ADVICE: ["Karta pobytu: wniosek", "Residence card application"],
    StepKind.PSYCHOLOGICAL_SUPPORT: ["Wsparcie psychologiczne, 6 spotkań"],
    StepKind.SELF_EMPLOYMENT: ["Własna działalność: salon fryzjerski"],
    StepKind.ACCESSIBLE_WORKPLACE: ["Dostosowanie stanowiska pracy"],
    StepKind.SUPPORTED_WORK: ["Zatrudnienie wspomagane z trenerem pracy"],
}
EMPLOYERS = [
    ("Sopot Hotel Group", "Receptionist", "permanent", "up_to_150"),
    ("Baltic Shipyard Services", "Welder", "fixed_term", "up_to_200"),
    ("Pomorskie Logistics", "Warehouse worker", "agency", "minimum"),
    ("Szpital Miejski w Gdyni", "Nurse assistant", "fixed_term", "up_to_150"),
    ("Piekarnia Bałtycka", "Baker", "civil", "minimum"),
]
AGREED = [
    "Uzupełnić CV po polsku do następnego spotkania.",
    "Send the diploma scan and the transcript.",
    "Зареєструватися на курс польської мови.",
    "Zapytać w przedszkolu o wolne miejsca od września.",
]


def load() -> str:
    if Intake.objects.exists():
        return "Counselling demo: already loaded."
    with transaction.atomic():
        counts = _load()
    return "Counselling demo: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + "."


def _user(local: str) -> User:
    return User.objects.get(email=f"{local}@{DOMAIN}")


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _load() -> dict[str, int]:
    rng = random.Random(2026)
    today = timezone.localdate()
    centre = Organisation.objects.get(slug="career-centre")
    house = Organisation.objects.get(slug="ukrainian-house")
    rights = Organisation.objects.get(slug="migrant-rights")
    counsellor, psychologist, mediator = _user("counsellor"), _user("psychologist"), _user("mediator")
    people = list(
        Person.objects.filter(organisation=centre, assigned_counsellor=counsellor, is_anonymised=False)
        .exclude(account__isnull=False)
        .order_by("pk")
    )
    counts = {"paths": 0, "sessions": 0, "referrals": 0, "outcomes": 0}
    for index, person in enumerate(people):
        services.record_intake(
            counsellor,
            person,
            centre,
            {
                "contact_date": today - timedelta(days=rng.randint(20, 300)),
                "came_via": rng.choice(ContactChannel.values[:4]),
                "interpreter_used": person.preferred_language not in ("pl", "en", "uk", "ru"),
                "interpreter_language": person.preferred_language
                if person.preferred_language not in ("pl", "en", "uk", "ru")
                else "",
            },
            channel=SYSTEM,
        )
        has_disability = person.needs.filter(kind=NeedKind.DISABILITY).exists()
        assessment = services.record_assessment(
            counsellor,
            person,
            centre,
            {
                "assessed_on": today - timedelta(days=rng.randint(10, 60)),
                "single_parent": bool(person.youngest_child_birth_year) and index % 2 == 0,
                "childcare_needed": bool(person.youngest_child_birth_year),
                "low_literacy": index % 11 == 0,
                "disability": has_disability,
                "health_notes": "Step-free access needed." if has_disability else "",
                "needs_psychological_support": index % 5 == 0,
                "needs_legal_advice": person.residence_expires_soon(),
                "wants_self_employment": index % 13 == 0,
                "goals": rng.choice(["Praca w zawodzie", "Stable job near home", "Робота за фахом"]),
                "preferences": rng.choice(["Full time, Gdańsk", "Part time while the child is small", ""]),
            },
            channel=SYSTEM,
        )
        goal = services.add_goal(
            counsellor, person, {"title": rng.choice(["Praca w zawodzie", "First job in Poland"])}, channel=SYSTEM
        )
        for position, suggestion in enumerate(assessment.suggestions.all()):
            if rng.random() < 0.15:
                continue  # left for the counsellor to decide
            step = services.decide_suggestion(counsellor, suggestion, accept=True, organisation=centre, channel=SYSTEM)
            assert step is not None
            start = today - timedelta(days=rng.randint(-20, 90)) + timedelta(days=position * 14)
            values: dict[str, Any] = {
                "goal": goal,
                "title": rng.choice(TITLES.get(step.kind, [""])),
                "planned_start": start,
                "planned_end": start + timedelta(days=rng.choice([14, 30, 60, 90])),
            }
            step = services.update_step(counsellor, step, values, channel=SYSTEM)
            if step.planned_start and step.planned_start < today - timedelta(days=30) and rng.random() < 0.5:
                done = min(today, step.planned_end or today)
                step = services.update_step(
                    counsellor,
                    step,
                    {
                        "status": StepStatus.DONE,
                        "actual_start": step.planned_start,
                        "actual_end": done,
                        "result": "Ukończono / completed",
                    },
                    channel=SYSTEM,
                )
            elif step.planned_start and step.planned_start <= today:
                services.update_step(counsellor, step, {"status": StepStatus.IN_PROGRESS}, channel=SYSTEM)
        counts["paths"] += 1
        for number in range(rng.randint(1, 3)):
            day = today - timedelta(days=7 * (number + 1) + rng.randint(0, 3))
            services.record_session(
                counsellor,
                person,
                centre,
                {
                    "kind": SessionKind.VOCATIONAL,
                    "starts_at": _at(day, 9 + number),
                    "duration_minutes": rng.choice([45, 60, 90]),
                    "mode": rng.choice([SessionMode.IN_PERSON, SessionMode.VIDEO]),
                    "place": "Gdańsk, ul. Długa 10, room 3",
                    "agreed_actions": rng.choice(AGREED),
                },
                note="Motivated; discussed the next steps of the path.",
                channel=SYSTEM,
            )
            counts["sessions"] += 1
        if index % 5 == 0:
            services.record_session(
                psychologist,
                person,
                centre,
                {
                    "kind": SessionKind.PSYCHOLOGICAL,
                    "starts_at": _at(today - timedelta(days=5), 14),
                    "duration_minutes": 50,
                    "place": "Room 5",
                    "interpreter_used": person.preferred_language != "pl",
                    "interpreter_language": person.preferred_language if person.preferred_language != "pl" else "",
                },
                note_group=SensitiveGroup.PSYCHOLOGICAL,
                note="Sleep problems since leaving home; grounding exercises agreed.",
                channel=SYSTEM,
            )
            counts["sessions"] += 1
        if index < 3:  # three appointments today
            services.record_session(
                counsellor,
                person,
                centre,
                {
                    "kind": SessionKind.VOCATIONAL,
                    "starts_at": _at(today, 10 + 2 * index),
                    "mode": SessionMode.IN_PERSON,
                    "place": "Gdańsk, ul. Długa 10, room 3",
                },
                channel=SYSTEM,
            )
        if index % 8 == 3:
            _referral(counsellor, person, house if index % 16 == 3 else rights, index, counts)
        if index % 6 == 1:
            employer, occupation, contract, wage = rng.choice(EMPLOYERS)
            services.record_outcome(
                counsellor,
                person,
                centre,
                {
                    "kind": OutcomeKind.EMPLOYMENT,
                    "employer": employer,
                    "occupation": occupation,
                    "contract_type": contract,
                    "hours_per_week": rng.choice([20, 30, 40]),
                    "wage_band": wage,
                    "start": today - timedelta(days=rng.randint(10, 400)),
                },
                channel=SYSTEM,
            )
            counts["outcomes"] += 1
    _olena(counsellor, mediator, centre, house, today)
    return counts


def _referral(counsellor: User, person: Person, to: Organisation, index: int, counts: dict[str, int]) -> None:
    consent_service.give_consent(
        counsellor,
        person,
        recipients=[to],
        purpose=ConsentPurpose.REFERRAL,
        scope=[DataScope.IDENTITY, DataScope.CONTACT, DataScope.LANGUAGES],
        evidence=f"Signed referral consent no. R-{index}/2026",
        channel=SYSTEM,
    )
    step = Step.objects.filter(person=person).order_by("pk").first()
    referral = services.send_referral(
        counsellor,
        person,
        to,
        service="Kurs języka polskiego" if to.slug == "ukrainian-house" else "Porada prawna / legal advice",
        scope=[DataScope.CONTACT, DataScope.LANGUAGES],
        message="Please contact the client by phone; she prefers mornings.",
        step=step,
        channel=SYSTEM,
    )
    counts["referrals"] += 1
    receiver = User.objects.filter(
        memberships__organisation=to, memberships__role__in=["counsellor", "org_admin"]
    ).exclude(pk=counsellor.pk)
    answering = receiver.first()
    if answering is None:
        return
    if index % 3 == 0:
        services.answer_referral(answering, referral, accept=True, channel=SYSTEM)
    elif index % 3 == 1:
        services.answer_referral(answering, referral, accept=True, channel=SYSTEM)
        services.complete_referral(
            answering, referral, feedback="Attended 20 of 24 lessons; A2 exam passed.", channel=SYSTEM
        )
    else:
        # Left unanswered past its date: the caseload and the reminders show it as overdue.
        type(referral).objects.filter(pk=referral.pk).update(answer_by=timezone.localdate() - timedelta(days=3))


def _olena(counsellor: User, mediator: User, centre: Organisation, house: Organisation, today: date) -> None:
    """The client with her own account: a full path she can read in Ukrainian."""
    olena = Person.objects.filter(account__email=f"client@{DOMAIN}").first()
    if olena is None or Outcome.objects.filter(person=olena).exists():
        return
    services.record_intake(
        counsellor,
        olena,
        centre,
        {
            "contact_date": today - timedelta(days=120),
            "came_via": ContactChannel.HELPLINE,
            "referred_by": "Helpline of the Foundation for Migrant Rights",
            "interpreter_used": True,
            "interpreter_language": "uk",
        },
        channel=SYSTEM,
    )
    services.record_assessment(
        counsellor,
        olena,
        centre,
        {
            "assessed_on": today - timedelta(days=110),
            "single_parent": True,
            "childcare_needed": True,
            "goals": "Працювати медсестрою в Гданську",
            "preferences": "Full time once the child is in kindergarten",
        },
        channel=SYSTEM,
    )
    goal = services.add_goal(
        counsellor,
        olena,
        {"title": "Praca jako pielęgniarka / Робота медсестрою", "target_date": today + timedelta(days=240)},
        channel=SYSTEM,
    )
    plan = [
        (StepKind.CHILDCARE, "Місце в дитсадку", -100, -60, StepStatus.DONE),
        (StepKind.LANGUAGE_COURSE, "Kurs języka polskiego B1 (medyczny)", -60, 60, StepStatus.IN_PROGRESS),
        (StepKind.RECOGNITION, "Uznanie kwalifikacji pielęgniarki", -30, 150, StepStatus.IN_PROGRESS),
        (StepKind.INTERNSHIP, "Staż: Szpital Miejski w Gdyni", 160, 250, StepStatus.PLANNED),
    ]
    for kind, title, start, end, status in plan:
        step = services.add_step(
            counsellor,
            olena,
            {
                "kind": kind,
                "title": title,
                "goal": goal,
                "responsible_organisation": centre,
                "planned_start": today + timedelta(days=start),
                "planned_end": today + timedelta(days=end),
            },
            channel=SYSTEM,
        )
        if status != StepStatus.PLANNED:
            values: dict[str, Any] = {"status": status, "actual_start": today + timedelta(days=start)}
            if status == StepStatus.DONE:
                values |= {
                    "actual_end": today + timedelta(days=end),
                    "result": "Miejsce od września / place from September",
                }
            step = services.update_step(counsellor, step, values, channel=SYSTEM)
        if kind == StepKind.RECOGNITION:
            services.add_recognition(
                counsellor,
                olena,
                {
                    "qualification": olena.qualifications.first(),
                    "diploma": "Bachelor of Nursing",
                    "country": "UA",
                    "route": "professional",
                    "institution": "Naczelna Rada Pielęgniarek i Położnych",
                    "fee": "0",
                    "documents": ["original", "transcript", "sworn_translation"],
                    "status": "submitted",
                    "submitted_on": today - timedelta(days=20),
                    "deadline": today + timedelta(days=40),
                },
                step=step,
                channel=SYSTEM,
            )
    services.record_session(
        mediator,
        olena,
        centre,
        {
            "kind": SessionKind.CULTURAL,
            "starts_at": _at(today + timedelta(days=2), 11),
            "mode": SessionMode.IN_PERSON,
            "place": "Gdańsk, ul. Długa 10, room 1",
            "interpreter_used": True,
            "interpreter_language": "uk",
        },
        channel=SYSTEM,
    )
