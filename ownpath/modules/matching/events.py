"""The events matching publishes (its part of the catalogue, ``docs/events.md``)."""

from __future__ import annotations

from typing import TypedDict

from ownpath.core.registry import Event

CANDIDATE_CHANGED = "matching.candidate_changed"


class CandidateChanged(TypedDict):
    person_id: int


EVENTS = (
    Event(
        CANDIDATE_CHANGED,
        CandidateChanged,
        "A candidate's skills, occupations or availability changed (matching's own index of candidates).",
    ),
)
