"""The audit log's hash chain: every event sealed once, in one chain, and `manage.py audit verify` finds the
first entry someone changed, deleted or removed from the chain; the database refuses changes on both
PostgreSQL and SQLite."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from ownpath.core.choices import AuditAction, Channel
from ownpath.core.models import AuditEvent, AuditSeal
from ownpath.core.services import audit

pytestmark = pytest.mark.django_db


def _record(n: int, purpose: str = "casework") -> list[AuditEvent]:
    return [
        audit.record(None, AuditAction.READ, channel=Channel.API, person_id=i + 1, purpose=purpose, fields=["name"])
        for i in range(n)
    ]


def _as_owner_bypassing_triggers(sql: str, params: list[object]) -> None:
    """What only the schema's owner (or someone with the files) can do: switch the guard off and write."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("core_auditevent", "core_auditseal"):
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            for trigger in ("core_auditevent_no_update", "core_auditevent_no_delete", "core_auditseal_no_update",
                            "core_auditseal_no_delete"):  # fmt: skip
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        cursor.execute(sql, params)  # the test's transaction is rolled back afterwards, triggers included


TAMPERING: dict[str, Callable[[AuditEvent], None]] = {
    "event changed": lambda e: _as_owner_bypassing_triggers(
        "UPDATE core_auditevent SET purpose = 'nothing to see' WHERE id = %s", [e.pk]
    ),
    "event deleted": lambda e: _as_owner_bypassing_triggers("DELETE FROM core_auditevent WHERE id = %s", [e.pk]),
    "seal deleted": lambda e: _as_owner_bypassing_triggers("DELETE FROM core_auditseal WHERE event_id = %s", [e.pk]),
}


def test_events_are_sealed_once_into_a_chain_that_verifies() -> None:
    events = _record(3)
    assert audit.seal() == 3
    assert audit.seal() == 0
    seals = list(AuditSeal.objects.order_by("position"))
    assert [s.event_id for s in seals] == [e.pk for e in events]
    assert [s.position for s in seals] == [1, 2, 3]
    assert seals[0].prev_hash == audit.GENESIS and all(a.hash == b.prev_hash for a, b in itertools.pairwise(seals))
    report = audit.verify()
    assert report.ok and report.checked == 3 and report.head_hash == seals[-1].hash
    call_command("audit", "verify", "--head", f"2:{seals[1].hash}")  # a head recorded earlier is still there
    with pytest.raises(CommandError, match="seal 2 no longer"):
        call_command("audit", "verify", "--head", f"2:{seals[0].hash}")


@pytest.mark.parametrize("tampering", list(TAMPERING))
def test_verify_reports_the_first_broken_entry(tampering: str) -> None:
    events = _record(4)
    audit.seal()
    TAMPERING[tampering](events[1])
    report = audit.verify()
    assert not report.ok and report.broken_position == 2
    assert report.broken_event_id == (events[2].pk if tampering == "seal deleted" else events[1].pk)
    with pytest.raises(CommandError, match="breaks at seal 2"):
        call_command("audit", "verify", "--no-seal")


def test_after_old_months_are_archived_the_chain_verifies_from_the_first_seal_kept() -> None:
    events = _record(4)
    audit.seal()
    for event in events[:2]:  # the owner detached and archived the oldest events
        _as_owner_bypassing_triggers("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert audit.verify().broken_position == 1
    report = audit.verify(start=3)
    assert report.ok and report.checked == 2 and report.head_position == 4
    call_command("audit", "verify", "--no-seal", "--from", "3")
    _as_owner_bypassing_triggers("UPDATE core_auditevent SET purpose = 'x' WHERE id = %s", [events[3].pk])
    assert audit.verify(start=3).broken_position == 4


def test_the_key_is_needed_to_rebuild_the_chain() -> None:
    """An owner who edits an event and recomputes its seal with a guessed key is still caught."""
    events = _record(2)
    audit.seal()
    forged = audit.chain_hash("not the key", audit.GENESIS, 1, {**_values(events[0]), "purpose": "forged"})
    _as_owner_bypassing_triggers("UPDATE core_auditevent SET purpose = 'forged' WHERE id = %s", [events[0].pk])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditseal SET hash = %s WHERE position = 1", [forged])
    assert audit.verify().broken_position == 1


def _values(event: AuditEvent) -> dict[str, object]:
    return AuditEvent.objects.filter(pk=event.pk).values(*audit.EVENT_FIELDS).get()


def test_the_database_refuses_to_change_the_log_or_its_seals() -> None:
    event = _record(1)[0]
    audit.seal()
    for statement in (
        "UPDATE core_auditevent SET purpose = 'x' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
        "UPDATE core_auditseal SET hash = 'x' WHERE event_id = %s",
        "DELETE FROM core_auditseal WHERE event_id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    with pytest.raises(PermissionError):
        AuditSeal.objects.all().delete()
    assert audit.verify().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_writers_and_sealers_at_once_make_one_chain_and_a_late_commit_is_sealed_too() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    # A long transaction takes an id first and commits after later events were sealed.
    started, finish = threading.Event(), threading.Event()
    late: list[int] = []

    def long_transaction() -> None:
        try:
            with transaction.atomic():
                late.append(_record(1, "late")[0].pk)
                started.set()
                finish.wait(30)
        finally:
            connection.close()

    def writer() -> None:
        try:
            for _ in range(5):
                with transaction.atomic():
                    _record(3)
        finally:
            connection.close()

    def sealer() -> None:
        try:
            for _ in range(5):
                audit.seal()
        finally:
            connection.close()

    slow = threading.Thread(target=long_transaction)
    slow.start()
    assert started.wait(30)
    threads = [threading.Thread(target=writer) for _ in range(4)] + [threading.Thread(target=sealer) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    audit.seal()
    assert not AuditSeal.objects.filter(event_id=late[0]).exists()  # not committed yet
    finish.set()
    slow.join(30)
    audit.seal()
    total = AuditEvent.objects.count()
    assert total == 4 * 5 * 3 + 1
    assert AuditSeal.objects.count() == total and AuditSeal.objects.order_by("-position").first().position == total
    assert AuditSeal.objects.get(event_id=late[0]).position == total  # sealed last, though its id is lower
    report = audit.verify()
    assert report.ok and report.checked == total, report
