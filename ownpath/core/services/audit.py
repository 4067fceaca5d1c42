"""The audit trail of personal data: every read and write, who, when, through which channel, why."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ownpath.core.choices import AuditAction, Channel
from ownpath.core.models import AuditEvent, Person


def record(
    actor: Any,
    action: AuditAction | str,
    *,
    channel: Channel | str,
    person: Person | None = None,
    person_id: int | None = None,
    obj: Any = None,
    object_type: str = "",
    purpose: str = "",
    fields: Iterable[str] = (),
    organisation_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    if person is not None:
        person_id = person.pk
        if organisation_id is None:
            organisation_id = person.organisation_id
    if obj is not None and not object_type:
        object_type = obj._meta.label_lower
    authenticated = getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor_id=actor.pk if authenticated else None,
        actor_label=(actor.email if authenticated else "anonymous") if actor is not None else "system",
        organisation_id=organisation_id,
        action=action,
        channel=channel,
        person_id=person_id,
        object_type=object_type or ("core.person" if person_id else ""),
        object_id=str(obj.pk) if obj is not None else (str(person_id) if person_id else ""),
        purpose=purpose,
        fields=sorted(fields),
        detail=detail or {},
    )


def record_read(
    actor: Any, person: Person, *, channel: Channel | str, fields: Iterable[str], purpose: str = "casework"
) -> AuditEvent:
    """One person's record, or part of it (``fields``), was shown to ``actor``."""
    return record(actor, AuditAction.READ, channel=channel, person=person, purpose=purpose, fields=fields)


def record_list(actor: Any, people: Iterable[Person], *, channel: Channel | str, purpose: str = "casework") -> None:
    """A list of people shown is a read of each of their names: one event with the ids shown."""
    ids = [p.pk for p in people]
    if ids:
        record(
            actor,
            AuditAction.LIST,
            channel=channel,
            object_type="core.person",
            purpose=purpose,
            fields=["name"],
            detail={"person_ids": ids},
        )
