"""The audit trail of personal data: every read and write, who, when, through which channel, why."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from ownpath.core.choices import AuditAction, Channel
from ownpath.core.models import AuditEvent, AuditSeal, Person


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
    label = (actor.email if authenticated else "anonymous") if actor is not None else "system"
    if authenticated and person is not None and person.account_id == actor.pk:
        label = "subject"  # the person on their own record: the append-only log must not keep their address
    return AuditEvent.objects.create(
        actor_id=actor.pk if authenticated else None,
        actor_label=label,
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


# -- the hash chain ----------------------------------------------------------------------------------------
# Each committed event gets a seal (``AuditSeal``): position n, the seal n-1's hash, and
# HMAC(OWNPATH_AUDIT_KEYS[0], prev_hash | n | the event's content). Sealing runs after the events are
# committed (the scheduled ``core.audit_seal`` job every five minutes, and ``manage.py audit seal|verify``), one
# sealer at a time (a PostgreSQL advisory lock; SQLite's write lock): events written by many workers at once
# join one chain, and no request holds a lock for the chain while its own transaction runs.

GENESIS = "0" * 64
SEAL_LOCK = 0x6F776E70617468  # pg_advisory_xact_lock key of the sealer ("ownpath")
SEAL_BATCH = 2000
# An event committed late (a long transaction) has a lower id than events sealed before it; the sealer looks
# back this far for such events, and verify reports any older one left unsealed.
SEAL_LOOKBACK = timedelta(days=1)
UNSEALED_GRACE = timedelta(hours=1)
EVENT_FIELDS = (
    "id", "at", "actor_id", "actor_label", "organisation_id", "action", "channel", "person_id",
    "object_type", "object_id", "purpose", "fields", "detail",
)  # fmt: skip


def _content(event: dict[str, Any]) -> bytes:
    data = dict(event)
    data["at"] = event["at"].astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def chain_hash(key: str, prev_hash: str, position: int, event: dict[str, Any]) -> str:
    message = f"{prev_hash}|{position}|".encode() + _content(event)
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def seal(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """Seal every committed event not sealed yet, in id order; returns how many. Safe to run anywhere at
    any time: concurrent sealers wait for each other."""
    total = 0
    key = settings.OWNPATH_AUDIT_KEYS[0]
    while True:
        with transaction.atomic(using=using):
            connection = connections[using]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])
            seals = AuditSeal.objects.using(using)
            last = seals.order_by("-position").values("position", "hash").first()
            position, prev_hash = (last["position"], last["hash"]) if last else (0, GENESIS)
            highest = seals.aggregate(highest=Max("event_id"))["highest"] or 0
            events = list(
                AuditEvent.objects.using(using)
                .filter(Q(id__gt=highest) | Q(at__gte=timezone.now() - SEAL_LOOKBACK))
                .filter(~Exists(seals.filter(event_id=OuterRef("id"))))
                .order_by("id")
                .values(*EVENT_FIELDS)[:SEAL_BATCH]
            )
            new = []
            for event in events:
                position += 1
                digest = chain_hash(key, prev_hash, position, event)
                new.append(
                    AuditSeal(
                        position=position, event_id=event["id"], event_at=event["at"], prev_hash=prev_hash, hash=digest
                    )
                )
                prev_hash = digest
            AuditSeal.objects.using(using).bulk_create(new)
        total += len(new)
        if len(events) < SEAL_BATCH:
            return total


@dataclass
class ChainReport:
    checked: int = 0
    head_position: int = 0
    head_hash: str = GENESIS
    broken_position: int | None = None
    broken_event_id: int | None = None
    reason: str = ""
    unsealed_old: list[int] = field(default_factory=list)
    unsealed_recent: int = 0

    @property
    def ok(self) -> bool:
        return self.broken_position is None and not self.unsealed_old


def verify(*, using: str = DEFAULT_DB_ALIAS, start: int = 1, chunk: int = SEAL_BATCH) -> ChainReport:
    """Walk the chain from ``start`` (1: its beginning; later, when older months were archived, linking
    to the stored seal before it) and stop at the first broken entry: a seal missing or out of place, a
    link that does not match the previous seal, an event deleted, or an event or seal whose content no
    longer gives its hash. Events older than UNSEALED_GRACE without a seal are reported too."""
    report = ChainReport()
    keys = list(settings.OWNPATH_AUDIT_KEYS)
    seals = AuditSeal.objects.using(using).order_by("position")
    prev_hash, expected = GENESIS, max(start, 1)
    if expected > 1:
        prev_hash = seals.filter(position=expected - 1).values_list("hash", flat=True).first() or GENESIS
        report.head_position, report.head_hash = expected - 1, prev_hash
    after = expected - 1
    while report.broken_position is None:
        batch = list(seals.filter(position__gt=after).values("position", "event_id", "prev_hash", "hash")[:chunk])
        if not batch:
            break
        events = {
            e["id"]: e
            for e in AuditEvent.objects.using(using).filter(id__in=[s["event_id"] for s in batch]).values(*EVENT_FIELDS)
        }
        for s in batch:
            event = events.get(s["event_id"])
            reason = ""
            if s["position"] != expected:
                reason = f"seal {expected} is missing (the next one is {s['position']})"
            elif s["prev_hash"] != prev_hash:
                reason = "its link does not match the previous seal"
            elif event is None:
                reason = "its event was deleted"
            elif not any(hmac.compare_digest(chain_hash(k, prev_hash, expected, event), s["hash"]) for k in keys):
                reason = "the event or its seal was changed"
            if reason:
                report.broken_position, report.broken_event_id, report.reason = expected, s["event_id"], reason
                break
            report.checked, report.head_position, report.head_hash = report.checked + 1, expected, s["hash"]
            prev_hash, expected = s["hash"], expected + 1
        after = batch[-1]["position"]
    unsealed = AuditEvent.objects.using(using).filter(
        ~Exists(AuditSeal.objects.using(using).filter(event_id=OuterRef("id")))
    )
    old = timezone.now() - UNSEALED_GRACE
    report.unsealed_old = list(unsealed.filter(at__lt=old).order_by("id").values_list("id", flat=True)[:20])
    report.unsealed_recent = unsealed.filter(at__gte=old).count()
    return report
