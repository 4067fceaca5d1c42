"""Monthly partitions of the tables that only grow (PostgreSQL): the audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import connection as default_connection

AHEAD_MONTHS = 3
PARTITIONED_TABLES = ("core_auditevent",)


def _month(year: int, month: int) -> datetime:
    return datetime(year + (month - 1) // 12, (month - 1) % 12 + 1, 1, tzinfo=UTC)


def ensure_monthly_partitions(table: str, *, oldest: datetime | None = None, now: datetime | None = None,
                              connection: Any = None) -> list[str]:  # fmt: skip
    """Create the partitions of ``table`` from the month of ``oldest`` (or now) to AHEAD_MONTHS ahead;
    returns the names created. Idempotent: existing partitions are kept."""
    connection = connection or default_connection
    if connection.vendor != "postgresql" or table not in PARTITIONED_TABLES:
        return []
    now = now or datetime.now(UTC)
    start = (oldest or now).astimezone(UTC)
    year, month = start.year, start.month
    created = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = %s", [table]
        )
        if cursor.fetchone() is None:
            return []
        while _month(year, month) <= _month(now.year, now.month + AHEAD_MONTHS):
            name = f"{table}_{year:04d}_{month:02d}"
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is None:
                lower, upper = _month(year, month), _month(year, month + 1)
                cursor.execute(
                    f"CREATE TABLE {name} PARTITION OF {table} FOR VALUES FROM (%s) TO (%s)",
                    [lower.isoformat(), upper.isoformat()],
                )
                created.append(name)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return created


def ensure_audit_partitions_ahead(connection: Any = None) -> list[str]:
    """The daily job's way: the owner's SECURITY DEFINER function ``ownpath_audit_partitions_ahead()``
    makes the audit log's partitions up to AHEAD_MONTHS ahead, so the application's role, which may not
    create tables, can run it (docs/audit.md)."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM ownpath_audit_partitions_ahead()")
        return [row[0] for row in cursor.fetchall()]
