"""The events training publishes (its part of the catalogue, ``docs/events.md``): ids and codes only."""

from __future__ import annotations

from typing import TypedDict

from ownpath.core.registry import Event

COMPLETED = "training.completed"


class Completed(TypedDict):
    enrolment_id: str
    curriculum_key: str
    purpose: str
    organisation_id: int
    trainee_organisation_id: int | None
    user_id: int | None
    person_id: int | None
    completed_on: str  # ISO date


EVENTS = (
    Event(
        COMPLETED,
        Completed,
        "A trainee completed a course (mentoring's training gate, monitoring's officials trained).",
    ),
)
