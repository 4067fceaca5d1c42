"""The events mentoring publishes (its part of the catalogue, ``docs/events.md``): ids and codes only."""

from __future__ import annotations

from typing import TypedDict

from ownpath.core.registry import Event

MEETING_LOGGED = "mentoring.meeting_logged"


class MeetingLogged(TypedDict):
    meeting_id: int
    pair_id: int
    organisation_id: int
    person_id: int
    held_on: str  # ISO date


EVENTS = (Event(MEETING_LOGGED, MeetingLogged, "A mentoring pair met (monitoring's mentor pairs active)."),)
