"""Demo data of training: the Rumia Public Library's trainer runs the three shipped curricula.

* Intercultural competence for officials of the county's municipalities and the labour office - finished,
  with attendance, results, certificates (one trainee did not complete, one withdrew);
* the mentor path in spring - finished: its graduates are the mentors the mentoring demo matches;
* the mentor path this winter - running, full, with a waiting list;
* plain language for workplace instructors of partner employers - open for enrolment.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ownpath.core.models import Organisation, User
from ownpath.modules.training import services
from ownpath.modules.training.models import Course, Curriculum, Enrolment

# name, e-mail local part, organisation slug, position, certificate language
OFFICIALS = [
    ("Barbara Kwiatkowska", "b.kwiatkowska", "pruszcz", "Social worker", "pl"),
    ("Grzegorz Pawlak", "g.pawlak", "reda", "Registry clerk", "pl"),
    ("Monika Jabłońska", "m.jablonska", "labour-office", "Job counsellor", "pl"),
    ("Rafał Michalski", "r.michalski", "labour-office", "Job agent", "pl"),
    ("Natalia Król", "n.krol", "rumia", "Municipal office clerk", "pl"),
    ("Olena Savchenko", "o.savchenko", "kolbudy", "Assistant for migrant pupils", "uk"),
    ("Paweł Wieczorek", "p.wieczorek", "reda", "Family assistant", "pl"),
    ("Iwona Zając", "i.zajac", "pruszcz", "Librarian", "pl"),
]
MENTORS_SPRING = [
    ("Volodymyr Hnatiuk", "mentor@demo.ownpath.org", "ukrainian-house", "Peer mentor", "uk"),
    ("Layla Haddad", "layla.haddad", "ukrainian-house", "Peer mentor", "ar"),
    ("Tetiana Koval", "tetiana.koval", "ukrainian-house", "Peer mentor", "uk"),
    ("Jan Sikora", "jan.sikora", "migrant-rights", "Volunteer mentor", "pl"),
    ("Dawit Bekele", "dawit.bekele", "migrant-rights", "Peer mentor", "en"),
    ("Ewelina Grabowska", "ewelina.grabowska", "career-centre", "Volunteer mentor", "pl"),
]
MENTORS_WINTER = [
    ("Aliaksandra Lis", "aliaksandra.lis", "ukrainian-house", "Peer mentor", "ru"),
    ("Mariam Nasser", "mariam.nasser", "migrant-rights", "Peer mentor", "ar"),
    ("Oksana Melnyk", "oksana.melnyk", "ukrainian-house", "Peer mentor", "uk"),
    ("Tomasz Górski", "tomasz.gorski", "career-centre", "Volunteer mentor", "pl"),
    ("Hiwet Gebre", "hiwet.gebre", "migrant-rights", "Peer mentor", "en"),
    ("Serhii Bondarenko", "serhii.bondarenko", "ukrainian-house", "Peer mentor", "uk"),
    ("Anna Lewicka", "anna.lewicka", "career-centre", "Volunteer mentor", "pl"),
]
INSTRUCTORS = [
    ("Krzysztof Nowicki", "k.nowicki", "baltic-shipyard", "Welding team leader", "pl"),
    ("Dorota Mazur", "d.mazur", "pomorskie-logistics", "Warehouse shift leader", "pl"),
    ("Piotr Walczak", "p.walczak", "sopot-hotels", "Housekeeping supervisor", "pl"),
]


def _email(local: str) -> str:
    return local if "@" in local else f"{local}@demo.ownpath.org"


def _sessions(trainer: User, course: Course, count: int) -> None:
    days = max(1, (course.ends_on - course.starts_on).days)
    modules = list(course.curriculum.modules.order_by("order"))
    for index in range(count):
        day = (
            course.starts_on + timedelta(days=round(index * days / max(1, count - 1)))
            if count > 1
            else course.starts_on
        )
        starts = timezone.make_aware(datetime.combine(day, time(9, 0)))
        services.add_session(
            trainer,
            course,
            starts_at=starts,
            ends_at=starts + timedelta(hours=4),
            place=course.place,
            trainer=trainer,
            module=modules[index % len(modules)] if modules else None,
        )


def _enrol(trainer: User, course: Course, people: list[tuple[str, str, str, str, str]]) -> list[Enrolment]:
    orgs = {o.slug: o for o in Organisation.objects.all()}
    out = []
    for name, local, slug, position, language in people:
        email = _email(local)
        out.append(
            services.enrol(
                trainer,
                course,
                name=name,
                email=email,
                organisation=orgs.get(slug),
                position=position,
                language=language,
                user=User.objects.filter(email=email).first(),
            )
        )
    return out


def _finish(trainer: User, course: Course, enrolments: list[Enrolment], rng: random.Random, *, fail: int = -1) -> int:
    """Attendance for every session, results for every assessment, completion and certificates."""
    sessions = list(course.sessions.order_by("starts_at"))
    for number, session in enumerate(sessions):
        marks: dict[Any, str] = {}
        for index, enrolment in enumerate(enrolments):
            if enrolment.status != "enrolled":
                continue
            if index == fail and number % 2 == 0:
                marks[enrolment.pk] = "absent"
            else:
                marks[enrolment.pk] = rng.choice(["present"] * 8 + ["late", "excused"])
        services.record_attendance(trainer, session, marks)
    done = 0
    for index, enrolment in enumerate(enrolments):
        if enrolment.status != "enrolled":
            continue
        for assessment in course.curriculum.assessments.all():
            low = assessment.pass_score - 2 if index == fail else assessment.pass_score
            services.record_result(trainer, enrolment, assessment, rng.randint(max(0, low), assessment.max_score))
        if index == fail:
            services.mark_not_completed(trainer, enrolment)
            continue
        services.complete(trainer, enrolment)
        services.issue_certificate(trainer, enrolment)
        done += 1
    return done


def load() -> str:
    services.ensure_attendance_statuses()
    services.ensure_seed_curricula()
    if Course.objects.filter(title__startswith="Demo: ").exists():
        return "Training demo: already loaded."
    trainer = User.objects.filter(email="trainer@demo.ownpath.org").first()
    provider = Organisation.objects.filter(slug="rumia-library").first()
    if trainer is None or provider is None:
        return "Training demo: skipped, the core demo (trainer, Rumia Public Library) is missing."
    rng = random.Random(2027)
    today = timezone.localdate()
    curricula = {c.key: c for c in Curriculum.objects.filter(version=1)}
    certificates = 0
    with transaction.atomic():
        intercultural = services.plan_course(
            trainer,
            provider,
            curricula["intercultural-competence"],
            title="Demo: Intercultural competence for county officials, autumn",
            starts_on=today - timedelta(days=60),
            ends_on=today - timedelta(days=45),
            capacity=12,
            language="pl",
            place="Rumia Public Library, ul. Mickiewicza 19, training room",
        )
        _sessions(trainer, intercultural, 4)
        people = _enrol(trainer, intercultural, OFFICIALS)
        services.withdraw(trainer, people[-1])
        certificates += _finish(trainer, intercultural, people, rng, fail=3)
        services.set_course_status(trainer, intercultural, "finished")

        spring = services.plan_course(
            trainer,
            provider,
            curricula["mentor-path"],
            title="Demo: Mentor and peer-mentor path, spring",
            starts_on=today - timedelta(days=200),
            ends_on=today - timedelta(days=170),
            capacity=10,
            language="pl",
            place="Ukrainian House Gdynia, ul. Świętojańska 50",
        )
        _sessions(trainer, spring, 5)
        certificates += _finish(trainer, spring, _enrol(trainer, spring, MENTORS_SPRING), rng)
        services.set_course_status(trainer, spring, "finished")

        winter = services.plan_course(
            trainer,
            provider,
            curricula["mentor-path"],
            title="Demo: Mentor and peer-mentor path, winter",
            starts_on=today - timedelta(days=10),
            ends_on=today + timedelta(days=25),
            capacity=5,
            language="pl",
            place="Ukrainian House Gdynia, ul. Świętojańska 50",
        )
        _sessions(trainer, winter, 5)
        winter_people = _enrol(trainer, winter, MENTORS_WINTER)
        services.set_course_status(trainer, winter, "running")
        past = [s for s in winter.sessions.order_by("starts_at") if s.ends_at < timezone.now()]
        for session in past:
            services.record_attendance(
                trainer, session, {e.pk: "present" for e in winter_people if e.status == "enrolled"}
            )

        instructors = services.plan_course(
            trainer,
            provider,
            curricula["plain-language-instructors"],
            title="Demo: Plain language for workplace instructors, January",
            starts_on=today + timedelta(days=40),
            ends_on=today + timedelta(days=41),
            capacity=14,
            language="pl",
            place="Baltic Shipyard Services, training centre, Gdynia",
        )
        _sessions(trainer, instructors, 2)
        _enrol(trainer, instructors, INSTRUCTORS)
    return f"Training demo: 4 courses, {certificates} certificates, the three shipped curricula."
