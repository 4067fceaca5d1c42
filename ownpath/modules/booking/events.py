"""The events booking publishes (its part of the catalogue, ``docs/events.md``): ids and codes only."""

from __future__ import annotations

from typing import TypedDict

from ownpath.core.registry import Event

BOOKED = "booking.booked"
CANCELLED = "booking.cancelled"
ATTENDANCE = "booking.attendance"
CV_SENT = "booking.cv_sent"


class Booked(TypedDict):
    booking_id: int
    organisation_id: int
    person_id: int | None
    service_kind: str
    interpreter: bool


class Cancelled(TypedDict):
    booking_id: int
    organisation_id: int
    person_id: int | None
    side: str


class Attendance(TypedDict):
    booking_id: int
    organisation_id: int
    person_id: int | None
    status: str
    missed_by: str


class CvSent(TypedDict):
    sending_id: int
    cv_id: int
    person_id: int
    employer_id: int


EVENTS = (
    Event(BOOKED, Booked, "An appointment was booked (``interpreter``: one was booked with it)."),
    Event(CANCELLED, Cancelled, "An appointment was cancelled; ``side`` says by whom."),
    Event(ATTENDANCE, Attendance, "Attendance of an appointment was recorded (held, missed and by whom)."),
    Event(CV_SENT, CvSent, "A CV was sent to an employer with the person's consent."),
)
