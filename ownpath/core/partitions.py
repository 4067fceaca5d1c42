"""Monthly partitions of the tables that only grow (PostgreSQL).

Which tables are partitioned is decided by migrations (core's audit log, monitoring's facts); this module
finds them in the catalogue (every table partitioned by a range over one date or timestamp column) and keeps
their monthly partitions ``AHEAD_MONTHS`` ahead, so core does not need to know any module's tables. A row
outside the partitions lands in the table's default partition rather than failing.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime
from typing import Any

from django.db import DatabaseError, transaction
from django.db import connection as default_connection

AHEAD_MONTHS = 3
logger = logging.getLogger(__name__)
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

_PARTITIONED_SQL = """
SELECT c.relname, format_type(a.atttypid, a.atttypmod), a.attname, d.relname
FROM pg_partitioned_table p
JOIN pg_class c ON c.oid = p.partrelid
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0]
LEFT JOIN pg_class d ON d.oid = p.partdefid
WHERE p.partstrat = 'r' AND p.partnatts = 1
ORDER BY c.relname
"""


def _month(year: int, month: int) -> datetime:
    return datetime(year + (month - 1) // 12, (month - 1) % 12 + 1, 1, tzinfo=UTC)


def _partitioned(connection: Any) -> dict[str, tuple[str, str, str | None]]:
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_PARTITIONED_SQL)
        return {
            name: (kind, column, default)
            for name, kind, column, default in cursor.fetchall()
            if all(_IDENTIFIER.match(part or "x") for part in (name, column, default))
        }


def partitioned_tables(connection: Any = None) -> dict[str, str]:
    """The tables partitioned by range over one column, with that column's type ('date', 'timestamp with
    time zone', ...); empty on any database but PostgreSQL."""
    return {name: kind for name, (kind, _, _) in _partitioned(connection or default_connection).items()}


def ensure_monthly_partitions(table: str, *, oldest: datetime | date | None = None, now: datetime | None = None,
                              connection: Any = None) -> list[str]:  # fmt: skip
    """Create the partitions of ``table`` from the month of ``oldest`` (or now) to AHEAD_MONTHS ahead;
    returns the names created. Idempotent: existing partitions are kept; a table that is not partitioned by
    range gets nothing."""
    connection = connection or default_connection
    found = _partitioned(connection).get(table)
    if found is None:
        return []
    key_type, column, default = found
    now = now or datetime.now(UTC)
    if isinstance(oldest, datetime):
        start = oldest.astimezone(UTC)
    elif isinstance(oldest, date):
        start = datetime(oldest.year, oldest.month, 1, tzinfo=UTC)
    else:
        start = now
    by_day = key_type == "date"
    year, month = start.year, start.month
    created = []
    with connection.cursor() as cursor:
        while _month(year, month) <= _month(now.year, now.month + AHEAD_MONTHS):
            name = f"{table}_{year:04d}_{month:02d}"
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is None:
                lower, upper = _month(year, month), _month(year, month + 1)
                bounds = (
                    [lower.date().isoformat(), upper.date().isoformat()]
                    if by_day
                    else [lower.isoformat(), upper.isoformat()]
                )
                if default is not None:
                    # A month whose rows already wait in the default partition keeps them there: PostgreSQL
                    # refuses a partition that would take rows from the default one, and the audit log's rows
                    # cannot be moved (append-only). Queries read the default partition too, so nothing is lost.
                    probe = f"SELECT 1 FROM {default} WHERE {column} >= %s AND {column} < %s LIMIT 1"  # noqa: S608  (catalogue names)
                    cursor.execute(probe, bounds)
                    if cursor.fetchone() is not None:
                        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
                        continue
                cursor.execute(f"CREATE TABLE {name} PARTITION OF {table} FOR VALUES FROM (%s) TO (%s)", bounds)
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


def ensure_all_monthly_partitions(connection: Any = None) -> list[str]:
    """Every partitioned table's partitions, three months ahead (the daily job). The audit log's come from
    the owner's function (``ensure_audit_partitions_ahead``), so that the application's role, which may not
    create tables, can run the job for it (docs/audit.md)."""
    connection = connection or default_connection
    created = ensure_audit_partitions_ahead(connection)
    for table in partitioned_tables(connection):
        if table == "core_auditevent":
            continue
        try:
            with transaction.atomic(using=connection.alias):
                created += ensure_monthly_partitions(table, connection=connection)
        except DatabaseError as error:
            # The application's role may not create tables (the two-role set-up, docs/audit.md): this table's
            # rows then wait in its default partition until `manage.py migrate` runs as the owner, which
            # makes the partitions ahead. The audit log's partitions above are made either way.
            logger.warning("No partitions made for %s: %s", table, error)
    return created
