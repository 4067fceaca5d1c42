"""On PostgreSQL the audit log is partitioned by month and stays append-only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, connection, transaction

from ownpath.core.choices import AuditAction, Channel
from ownpath.core.models import AuditEvent
from ownpath.core.partitions import ensure_monthly_partitions
from ownpath.core.tasks import audit_partitions


@pytest.mark.postgres
@pytest.mark.django_db
def test_audit_events_land_in_their_months_partition_and_cannot_be_changed() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("partitions are PostgreSQL's")
    assert audit_partitions.call() == []  # the migration made them three months ahead; nothing to do
    old = AuditEvent.objects.create(at=datetime(2020, 2, 10, tzinfo=UTC), action=AuditAction.READ, channel=Channel.UI)
    new = AuditEvent.objects.create(action=AuditAction.READ, channel=Channel.UI)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM core_auditevent WHERE id IN (%s, %s) ORDER BY id", [old.pk, new.pk]
        )
        partitions = [row[0] for row in cursor.fetchall()]
    now = datetime.now(UTC)
    assert partitions == ["core_auditevent_default", f"core_auditevent_{now.year:04d}_{now.month:02d}"]
    assert new.pk > old.pk
    for statement in (
        "UPDATE core_auditevent SET purpose = 'x' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [new.pk])
    assert ensure_monthly_partitions("core_auditevent", oldest=datetime(2021, 1, 5, tzinfo=UTC))[:2] == [
        "core_auditevent_2021_01", "core_auditevent_2021_02",
    ]  # fmt: skip
