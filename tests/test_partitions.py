"""On PostgreSQL the audit log and monitoring's facts are partitioned by month; the audit log stays append-only."""

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


@pytest.mark.django_db
def test_a_fact_is_recorded_once_per_source_whatever_its_date() -> None:
    """Facts are partitioned by month on PostgreSQL (no unique index across partitions): the same source
    sent again with another date — another partition — still counts once, on both databases."""
    from datetime import date

    from ownpath.modules.monitoring import facts
    from ownpath.modules.monitoring.models import Fact

    first = facts.record("registered", "person:test-once", occurred_on=date(2026, 1, 15))
    assert first is not None
    assert facts.record("registered", "person:test-once", occurred_on=date(2026, 5, 2)) is None
    assert facts.record("registered", "person:test-once", occurred_on=date(2019, 5, 2)) is None
    assert Fact.objects.filter(source="person:test-once").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_facts_land_in_their_months_partition() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("partitions are PostgreSQL's")
    from datetime import date

    from ownpath.core.partitions import partitioned_tables
    from ownpath.modules.monitoring import facts

    assert partitioned_tables() == {
        "core_auditevent": "timestamp with time zone", "monitoring_fact": "date",
    }  # fmt: skip
    assert audit_partitions.call() == []  # the migrations made both three months ahead
    now = datetime.now(UTC)
    old = facts.record("served", "session:partition-old", occurred_on=date(2020, 2, 10))
    new = facts.record("served", "session:partition-new", occurred_on=now.date())
    assert old is not None and new is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM monitoring_fact WHERE id IN (%s, %s) ORDER BY id", [old.pk, new.pk]
        )
        assert [row[0] for row in cursor.fetchall()] == [
            "monitoring_fact_default", f"monitoring_fact_{now.year:04d}_{now.month:02d}",
        ]  # fmt: skip
    # February 2020 already has a fact in the default partition: that month stays there, the next ones are made
    assert ensure_monthly_partitions("monitoring_fact", oldest=date(2020, 2, 10))[:1] == ["monitoring_fact_2020_03"]
    assert ensure_monthly_partitions("core_person") == []  # not partitioned: nothing made
