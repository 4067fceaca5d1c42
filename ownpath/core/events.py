"""The core event bus. Modules publish and subscribe here instead of importing each other.

Every event is declared once, by the module that publishes it (``ModuleConfig.events``, usually from the
module's ``events.py``): its name, a ``TypedDict`` of its payload and what it means. Core's own are below.
``publish`` refuses an event nobody declared and a payload whose keys differ from the declaration; a system
check refuses a handler of an event that no enabled module declares (a renamed event cannot silently stop
its subscribers). ``docs/events.md`` is generated from the catalogue (``manage.py events_doc``).

Handlers are registered by a module's ``ModuleConfig.event_handlers`` and run after the surrounding
transaction commits, so nobody reacts to a write that was rolled back. A failing handler is logged and
does not stop the others (``OWNPATH_EVENTS_RAISE``, on in the test settings, raises instead); work that
takes time belongs in a background task the handler enqueues.
"""

from __future__ import annotations

import logging
from typing import Any, TypedDict

from django.conf import settings
from django.db import transaction

from ownpath.core.registry import Event, registry

logger = logging.getLogger(__name__)


class UndeclaredEvent(LookupError):
    """``publish`` was given an event no enabled module declares."""


# Events published by core. Payloads carry ids, never personal data.
PERSON_CREATED = "core.person_created"
PERSON_UPDATED = "core.person_updated"
PERSON_ERASED = "core.person_erased"
PERSON_SHARED = "core.person_shared"
CONSENT_WITHDRAWN = "core.consent_withdrawn"
HANDOVER_CREATED = "core.handover_created"
HANDOVER_ANSWERED = "core.handover_answered"
LANGUAGE_LEVEL_CHANGED = "core.language_level_changed"


class PersonCreated(TypedDict):
    person_id: int
    organisation_id: int
    actor_id: int | None


class PersonUpdated(TypedDict):
    person_id: int
    fields: list[str]
    actor_id: int | None


class PersonErased(TypedDict):
    person_id: int
    actor_id: int | None


class PersonShared(TypedDict):
    person_id: int
    organisation_id: int
    purpose: str
    consent_id: int


class ConsentWithdrawn(TypedDict):
    person_id: int
    consent_id: int
    purpose: str


class HandoverCreated(TypedDict):
    handover_id: int
    to_organisation_id: int
    source: str
    source_ref: str


class HandoverAnswered(TypedDict):
    handover_id: int
    source: str
    source_ref: str
    status: str
    person_id: int | None


class LanguageLevelChanged(TypedDict):
    person_id: int
    organisation_id: int | None
    language: str
    steps: int


EVENTS = (
    Event(PERSON_CREATED, PersonCreated, "A person's record was created (monitoring counts registrations)."),
    Event(PERSON_UPDATED, PersonUpdated, "Fields of a person's record changed; ``fields`` names them."),
    Event(
        PERSON_ERASED,
        PersonErased,
        "A person was erased (on request or by the retention sweep): modules delete what they still hold.",
    ),
    Event(PERSON_SHARED, PersonShared, "A person's record was shared with another organisation under a consent."),
    Event(CONSENT_WITHDRAWN, ConsentWithdrawn, "A consent was withdrawn: modules stop what relied on it."),
    Event(
        HANDOVER_CREATED,
        HandoverCreated,
        "A caller was handed over to another organisation through core's Handover (helpline → counselling).",
    ),
    Event(
        HANDOVER_ANSWERED,
        HandoverAnswered,
        "The receiving organisation accepted or declined a handover; ``person_id`` is set when accepted.",
    ),
    Event(
        LANGUAGE_LEVEL_CHANGED,
        LanguageLevelChanged,
        "A person's CEFR level in a language changed by ``steps`` levels (no levels kept; monitoring's progress).",
    ),
)


def publish(event: str, **payload: Any) -> None:
    """Deliver ``event`` to its handlers once the current transaction commits.

    Raises :class:`UndeclaredEvent` for an event missing from the catalogue and ``TypeError`` for a payload
    whose keys are not the declared ones: both are programming errors, found by the first test that
    publishes."""
    declared = registry.events.get(event)
    if declared is None:
        raise UndeclaredEvent(f"event {event!r} is not declared by any enabled module (ModuleConfig.events)")
    missing, unknown = declared.required - payload.keys(), payload.keys() - declared.fields
    if missing or unknown:
        raise TypeError(
            f"payload of {event}: missing {sorted(missing)}, undeclared {sorted(unknown)} "
            f"(declared in {declared.payload.__module__}.{declared.payload.__qualname__})"
        )
    transaction.on_commit(lambda: dispatch(event, payload))


def dispatch(event: str, payload: dict[str, Any]) -> None:
    for handler in registry.handlers_for(event):
        try:
            handler(**payload)
        except Exception:
            logger.exception("handler %s of %s failed", getattr(handler, "__qualname__", handler), event)
            if settings.OWNPATH_EVENTS_RAISE:
                raise
