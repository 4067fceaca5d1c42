"""What several benchmarks share: the machine line, percentiles, and fast bulk inserts into PostgreSQL
(server-side ``generate_series`` and ``COPY`` from Python)."""

from __future__ import annotations

import json
import os
import platform
import statistics
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def machine() -> str:
    return (
        f"{platform.node()} · {platform.platform()} · {platform.processor() or platform.machine()} · "
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
    )


def setup_django(database_url: str | None = None) -> None:
    """Django for a benchmark script: development settings, and ``database_url`` unless one is set."""
    if database_url:
        os.environ.setdefault("DATABASE_URL", database_url)
    os.environ.setdefault("OWNPATH_ENV", "development")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ownpath.settings"
    import django

    django.setup()


def rss_mib() -> float:
    """The resident memory of this process (Linux), in MiB."""
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: Sequence[float], q: int) -> float:
    """The q-th percentile (nearest rank) of a non-empty sample."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def summary(label: str, millis: Sequence[float]) -> str:
    return (
        f"{label:46} n={len(millis):5}  median {statistics.median(millis):8.2f} ms  "
        f"p95 {percentile(millis, 95):8.2f} ms  max {max(millis):8.2f} ms"
    )


def insert_series(model: Any, count: int, expressions: dict[str, str], start: int = 1) -> None:
    """INSERT ... SELECT over generate_series(start, start + count - 1) AS g.

    Every column gets ``expressions[column]`` (SQL using ``g``) or the field's Django default.
    """
    from django.db import connection

    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.column not in expressions:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column not in expressions and (
            getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        ):
            expressions = {**expressions, field.column: "now()"}
        if field.column in expressions:
            values.append(expressions[field.column].replace("%", "%%"))  # params follow: escape modulo
        else:
            default = field.get_default()
            values.append("%s")
            params.append(field.get_db_prep_save(default, connection))
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM generate_series({start}, {start + count - 1}) AS g"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if type(value).__name__ in ("Jsonb", "Json"):  # psycopg's JSON adapters
        value = value.obj
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def copy_columns(model: Any, count: int, columns: dict[str, Sequence[Any]], chunk: int = 200_000) -> None:
    """COPY ``count`` rows into the model's table: ``columns`` maps a column to its ``count`` values, already
    in COPY text form (``\\N`` for NULL, ``\\\\x…`` for bytea); every other column gets the field's default."""
    from django.db import connection
    from django.utils import timezone

    names, constant = [], {}
    for field in model._meta.concrete_fields:
        if field.column in columns:
            names.append(field.column)
        elif not field.primary_key:
            names.append(field.column)
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                default: Any = timezone.now()
            else:
                default = field.get_default()
            constant[field.column] = _copy_text(field.get_db_prep_save(default, connection))
    series = [columns.get(n) for n in names]
    sql = f"COPY {model._meta.db_table} ({', '.join(connection.ops.quote_name(n) for n in names)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for begin in range(0, count, chunk):
            lines: Iterable[str] = (
                "\t".join(
                    str(values[i]) if values is not None else constant[name]
                    for name, values in zip(names, series, strict=True)
                )
                for i in range(begin, min(count, begin + chunk))
            )
            copy.write("\n".join(lines) + "\n")


def reset_sequence(model: Any) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


def signed_in_client(user: Any) -> Any:
    """A Django test client with ``user`` signed in past both factors, for timing pages."""
    from django.test import Client

    # Not Django's test environment: it instruments template rendering and would inflate the figures.
    client = Client(SERVER_NAME="localhost")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["ownpath_has_second_factor"] = True
    session.save()
    return client
