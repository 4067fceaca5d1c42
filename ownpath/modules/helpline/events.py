"""The events the helpline publishes (its part of the catalogue, ``docs/events.md``): no caller data."""

from __future__ import annotations

from typing import TypedDict

from ownpath.core.registry import Event

CONTACT_RECORDED = "helpline.contact_recorded"


class ContactRecorded(TypedDict):
    contact_id: int
    organisation_id: int
    channel: str
    language: str
    topics: list[str]
    outcome: str


EVENTS = (
    Event(CONTACT_RECORDED, ContactRecorded, "A helpline contact ended (statistics and monitoring; no caller data)."),
)
