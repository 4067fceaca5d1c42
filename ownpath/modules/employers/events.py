"""The events employers publishes (its part of the catalogue, ``docs/events.md``): ids and codes only."""

from __future__ import annotations

from typing import TypedDict

from ownpath.core.registry import Event

VACANCY_CHANGED = "employers.vacancy_changed"
PERSON_HIRED = "employers.person_hired"


class VacancyChanged(TypedDict):
    vacancy_id: int
    employer_id: int
    status: str


class PersonHired(TypedDict):
    hire_id: int
    person_id: int
    employer_id: int
    vacancy_id: int | None
    starts_on: str  # ISO date


EVENTS = (
    Event(VACANCY_CHANGED, VacancyChanged, "A vacancy was saved or changed status (matching re-indexes it)."),
    Event(PERSON_HIRED, PersonHired, "A person was hired by an employer (monitoring counts employment)."),
)
