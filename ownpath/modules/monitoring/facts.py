"""Facts from events. Each handler turns one event of another module into monitoring's own rows, keyed by
the event's source so that a repeated event counts once, and marks the figures it touches for refreshing.

Modules are never imported: events are known by name (``FACT_SOURCES``), and what a fact needs about a person
(sex, age band, citizenship) is read from core's record at the time of the event. The event bus logs a
handler that fails and carries on, so a broken fact never breaks the module that published the event.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ownpath.core import events
from ownpath.core.models import Person
from ownpath.modules.monitoring import areas, periods
from ownpath.modules.monitoring.models import Cohort, Fact

FACT_KINDS = {
    "registered": "a person's record was created",
    "served": "a counselling session was held with a person",
    "path_step": "a step of a person's individual path started",
    "employed": "a person started work (an employment outcome or a hire)",
    "referral_sent": "a referral was sent",
    "referral_completed": "a referral was completed",
    "helpline_contact": "a helpline contact ended (one fact per topic)",
    "training_completed": "someone completed a course (category: the curriculum's purpose)",
    "language_gain": "a person's CEFR level in a language went up (value: levels gained)",
    "mentoring_meeting": "a mentoring pair met",
}
AGE_BANDS = ((18, "0-17"), (25, "18-24"), (35, "25-34"), (45, "35-44"), (55, "45-54"), (65, "55-64"))


def age_band(birth: date | None, on: date) -> str:
    if birth is None:
        return "unknown"
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    for limit, band in AGE_BANDS:
        if age < limit:
            return band
    return "65+"


def attributes_of(person: Person, on: date) -> dict[str, Any]:
    """What a fact keeps of a person: the id and the statistical attributes on the day ``on``."""
    codes = person.citizenship_codes
    return {
        "person_id": person.pk,
        "sex": person.sex or "unknown",
        "age_band": age_band(person.birth_date, on),
        "citizenship": codes[0] if codes else "unknown",
    }


def new_fact(kind: str, source: str, on: date, organisation_id: int | None, tree: areas.Tree, **values: Any) -> Fact:
    """An unsaved fact, with its period keys and the areas of ``organisation_id``."""
    day, month, quarter, year = periods.keys(on)
    return Fact(kind=kind, source=source[:100], occurred_on=on, day=day, month=month, quarter=quarter, year=year,
                **tree.chain(organisation_id), **values)  # fmt: skip


def record(
    kind: str,
    source: str,
    *,
    occurred_on: date | None = None,
    person_id: int | None = None,
    organisation_id: int | None = None,
    subject: str = "",
    category: str = "",
    value: float | None = None,
    tree: areas.Tree | None = None,
) -> Fact | None:
    """Store one fact (once per ``source``) and queue the figures it changes; None when it was there."""
    occurred_on = occurred_on or timezone.localdate()
    attributes: dict[str, Any] = {} if person_id is None else {"person_id": person_id}
    person = None if person_id is None else Person.objects.filter(pk=person_id).first()
    if person is not None:
        attributes = attributes_of(person, occurred_on)
        organisation_id = organisation_id or person.organisation_id
    fact = new_fact(kind, source, occurred_on, organisation_id, tree or areas.tree(), subject=subject[:60],
                    category=category[:60], value=value, **attributes)  # fmt: skip
    try:
        with transaction.atomic():
            if not _claim(fact.source):
                return None
            fact.save()
    except IntegrityError:
        return None
    from ownpath.modules.monitoring import aggregate

    aggregate.fact_added(fact)
    return fact


def _claim(source: str) -> bool:
    """Whether no fact has ``source`` yet. On PostgreSQL facts are partitioned by month (migration 0002) and
    a partitioned table cannot have a unique index on ``source`` alone, so writers of the same source are
    serialised by a transaction-level advisory lock (safe behind PgBouncer in transaction mode) and the
    look-up reads every partition's ``source`` index; on SQLite the unique constraint answers."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 7301))", [source[:100]])
    return not Fact.objects.filter(source=source[:100]).exists()


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def person_created(person_id: int, organisation_id: int, **_: Any) -> None:
    record("registered", f"person:{person_id}", person_id=person_id, organisation_id=organisation_id)


def session_held(session_id: Any, person_id: int, organisation_id: int, **_: Any) -> None:
    record("served", f"session:{session_id}", person_id=person_id, organisation_id=organisation_id)


def step_started(step_id: Any, person_id: int, organisation_id: int, **_: Any) -> None:
    record("path_step", f"step:{step_id}", person_id=person_id, organisation_id=organisation_id)


def outcome_recorded(outcome_id: Any, person_id: int, organisation_id: int, kind: str = "", **_: Any) -> None:
    if kind in ("employment", "self_employment"):
        record("employed", f"outcome:{outcome_id}", person_id=person_id, organisation_id=organisation_id,
               category=kind)  # fmt: skip


def person_hired(hire_id: Any, person_id: int, starts_on: Any = None, **_: Any) -> None:
    record("employed", f"hire:{hire_id}", person_id=person_id, occurred_on=_day(starts_on), category="hire")


def referral_sent(referral_id: Any, person_id: int, from_organisation_id: int, **_: Any) -> None:
    record("referral_sent", f"referral:{referral_id}", person_id=person_id, organisation_id=from_organisation_id)


def referral_completed(referral_id: Any, person_id: int, from_organisation_id: int, **_: Any) -> None:
    record("referral_completed", f"referral-done:{referral_id}", person_id=person_id,
           organisation_id=from_organisation_id)  # fmt: skip


def helpline_contact(contact_id: Any, organisation_id: int, topics: list[str] | None = None, **_: Any) -> None:
    tree = areas.tree()
    for topic in topics or ["none"]:
        record("helpline_contact", f"helpline:{contact_id}:{topic}", organisation_id=organisation_id,
               subject=f"contact:{contact_id}", category=topic, tree=tree)  # fmt: skip


def training_completed(enrolment_id: Any, purpose: str = "", organisation_id: int | None = None,
                       trainee_organisation_id: int | None = None, user_id: int | None = None,
                       person_id: int | None = None, completed_on: Any = None, **_: Any) -> None:  # fmt: skip
    subject = f"user:{user_id}" if user_id else f"person:{person_id}"
    record("training_completed", f"enrolment:{enrolment_id}", occurred_on=_day(completed_on), person_id=person_id,
           organisation_id=trainee_organisation_id or organisation_id, subject=subject, category=purpose)  # fmt: skip


def language_level_changed(person_id: int, organisation_id: int, language: str, steps: int, **_: Any) -> None:
    if steps > 0:
        record("language_gain", f"language:{person_id}:{language}:{secrets.token_hex(6)}", person_id=person_id,
               organisation_id=organisation_id, category=language, value=float(steps))  # fmt: skip


def meeting_logged(meeting_id: Any, pair_id: Any, organisation_id: int, person_id: int | None = None,
                   held_on: Any = None, **_: Any) -> None:  # fmt: skip
    record("mentoring_meeting", f"meeting:{meeting_id}", occurred_on=_day(held_on), person_id=person_id,
           organisation_id=organisation_id, subject=f"pair:{pair_id}")  # fmt: skip


def person_erased(person_id: int, **_: Any) -> None:
    """The figures stay; the link to the person goes: their facts get a pseudonym no one can trace back."""
    pseudonym = -secrets.randbelow(2**62) - 1
    Fact.objects.filter(person_id=person_id, source=f"person:{person_id}").update(source=f"person:{pseudonym}")
    Fact.objects.filter(person_id=person_id, subject=f"person:{person_id}").update(subject=f"person:{pseudonym}")
    Fact.objects.filter(person_id=person_id).update(person_id=pseudonym)
    Cohort.objects.filter(person_id=person_id).update(person_id=pseudonym)


def export_person(person: Person) -> list[dict[str, Any]]:
    """What was counted about the person (kind and day), for their GDPR export."""
    return [
        {"counted": kind, "on": on.isoformat()}
        for kind, on in Fact.objects.filter(person_id=person.pk)
        .order_by("occurred_on")
        .values_list("kind", "occurred_on")
    ]


def erase_person_data(person: Person) -> None:
    """Inside core's erasure (the ``core.person_erased`` event does the same after commit, idempotently)."""
    person_erased(person.pk)


FACT_SOURCES: dict[str, Callable[..., None]] = {
    events.PERSON_CREATED: person_created,
    "counselling.session_held": session_held,
    "counselling.step_started": step_started,
    "counselling.outcome_recorded": outcome_recorded,
    "employers.person_hired": person_hired,
    "counselling.referral_sent": referral_sent,
    "counselling.referral_completed": referral_completed,
    "helpline.contact_recorded": helpline_contact,
    "training.completed": training_completed,
    events.LANGUAGE_LEVEL_CHANGED: language_level_changed,
    "mentoring.meeting_logged": meeting_logged,
    events.PERSON_ERASED: person_erased,
}
