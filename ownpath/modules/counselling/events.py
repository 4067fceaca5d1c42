"""The events counselling publishes (its part of the catalogue, ``docs/events.md``): ids and codes only."""

from __future__ import annotations

from typing import TypedDict

from ownpath.core.registry import Event

SESSION_HELD = "counselling.session_held"
STEP_STARTED = "counselling.step_started"
STEP_DONE = "counselling.step_done"
REFERRAL_SENT = "counselling.referral_sent"
REFERRAL_ACCEPTED = "counselling.referral_accepted"
REFERRAL_REJECTED = "counselling.referral_rejected"
REFERRAL_COMPLETED = "counselling.referral_completed"
OUTCOME_RECORDED = "counselling.outcome_recorded"


class SessionHeld(TypedDict):
    session_id: int
    person_id: int
    organisation_id: int
    kind: str
    barrier_count: int


class StepChanged(TypedDict):
    step_id: int
    person_id: int
    organisation_id: int | None
    kind: str


class ReferralChanged(TypedDict):
    referral_id: int
    person_id: int
    from_organisation_id: int
    to_organisation_id: int


class OutcomeRecorded(TypedDict):
    outcome_id: int
    person_id: int
    organisation_id: int
    kind: str
    barrier_count: int


EVENTS = (
    Event(SESSION_HELD, SessionHeld, "A counselling session was held with a person (monitoring's people served)."),
    Event(STEP_STARTED, StepChanged, "A step of a person's individual path started."),
    Event(STEP_DONE, StepChanged, "A step of a person's individual path was done."),
    Event(REFERRAL_SENT, ReferralChanged, "A referral was sent to another organisation."),
    Event(REFERRAL_ACCEPTED, ReferralChanged, "The receiving organisation accepted a referral."),
    Event(REFERRAL_REJECTED, ReferralChanged, "The receiving organisation declined a referral."),
    Event(REFERRAL_COMPLETED, ReferralChanged, "A referral was completed."),
    Event(OUTCOME_RECORDED, OutcomeRecorded, "An outcome (e.g. employment) was recorded for a person."),
)
