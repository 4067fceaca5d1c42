"""Indicators from facts: the full rebuild and the incremental refresh share one SQL builder.

An indicator's definition becomes *parts*, each filling one field of its cells (``numerator``,
``denominator`` or ``value``). A part is counted with one SQL statement per period kind, grouped by area
level (institution, municipality, county, metropolis, all) and disaggregation: on PostgreSQL with
``GROUPING SETS`` (one pass over the facts), elsewhere as a ``UNION ALL`` of plain ``GROUP BY``s.

- **Rebuild** (``rebuild``): apply today's organisation tree to every fact, add ``registered`` facts for
  people recorded before monitoring was switched on, derive the cohorts again, then recompute every cell
  and the suppression.
- **Incremental** (``fact_added`` → ``refresh_dirty``): a new fact updates its person's cohorts and marks
  the buckets it touches (its month, quarter and year, in each of its areas); a task recomputes just those
  buckets with the same SQL restricted to them, then the suppression of the indicators that changed.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ownpath.modules.monitoring import areas, periods
from ownpath.modules.monitoring.models import Cell, Cohort, DirtyBucket, Fact, Indicator

LEVELS = (*areas.LEVELS, "all")
DEFAULT_DIMENSIONS = ("sex", "age_band", "citizenship")
PERIOD_COLUMNS = {periods.MONTH: "month", periods.QUARTER: "quarter", periods.YEAR: "year"}
AGGREGATES = {"events": "COUNT(*)", "people": "COUNT(DISTINCT person_id)", "subjects": "COUNT(DISTINCT subject)",
              "sum": "COALESCE(SUM(value), 0)"}  # fmt: skip
ADDITIVE = {"events", "sum"}
Key = tuple[str, int, str, str]  # period, area, dimension, member


class DefinitionError(ValueError):
    pass


@dataclass(frozen=True)
class Part:
    field: str  # numerator | denominator | value
    table: str  # fact | cohort
    kind: str  # fact kind (fact) or start kind (cohort)
    measure: str  # events | people | subjects | sum | size | reached | median
    end: str = ""
    within_days: int | None = None
    categories: tuple[str, ...] = ()

    @property
    def additive(self) -> bool:
        return self.measure in ADDITIVE


def _count(spec: dict[str, Any], field: str) -> Part:
    from ownpath.modules.monitoring.facts import FACT_KINDS

    if spec.get("fact") not in FACT_KINDS:
        raise DefinitionError(f"unknown fact kind {spec.get('fact')!r}")
    if spec.get("count", "events") not in AGGREGATES:
        raise DefinitionError(f"unknown count {spec.get('count')!r}")
    categories = tuple((spec.get("where") or {}).get("category", ()))
    return Part(field, "fact", spec["fact"], spec.get("count", "events"), categories=categories)


def parts(definition: dict[str, Any]) -> list[Part]:
    """What an indicator's definition counts; ``DefinitionError`` names what is wrong with it."""
    from ownpath.modules.monitoring.facts import FACT_KINDS

    kind = definition.get("type")
    if kind == "count":
        return [_count(definition, "numerator")]
    if kind == "share":
        return [_count(definition.get("numerator") or {}, "numerator"),
                _count(definition.get("denominator") or {}, "denominator")]  # fmt: skip
    if kind in ("cohort_share", "cohort_median_days"):
        start, end = definition.get("start"), definition.get("end")
        if start not in FACT_KINDS or end not in FACT_KINDS:
            raise DefinitionError(f"unknown fact kind in {start!r} → {end!r}")
        within = definition.get("within_days")
        if within is not None and (not isinstance(within, int) or within < 0):
            raise DefinitionError("within_days must be a whole number of days")
        found = [Part("numerator", "cohort", start, "reached", end, within),
                 Part("denominator", "cohort", start, "size", end)]  # fmt: skip
        if kind == "cohort_median_days":
            found.append(Part("value", "cohort", start, "median", end))
        return found
    raise DefinitionError(f"unknown indicator type {kind!r}")


def dimensions(definition: dict[str, Any]) -> tuple[str, ...]:
    found = tuple(definition.get("dimensions", DEFAULT_DIMENSIONS))
    unknown = set(found) - {"sex", "age_band", "citizenship", "category"}
    if unknown:
        raise DefinitionError(f"unknown dimensions {sorted(unknown)}")
    return found


# --- SQL ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    period_kind: str
    period_key: int
    level: str
    area_id: int


def _sets(levels: Iterable[str], dims: tuple[str, ...]) -> list[tuple[str, str]]:
    """(area level, dimension) pairs to group by; institutions are counted in total only."""
    return [(level, dim) for level in levels for dim in ("", *(dims if level != "organisation_id" else ()))]


def _source(part: Part, bucket: Bucket | None) -> tuple[str, list[Any]]:
    params: list[Any]
    if part.table == "fact":
        where, params = ["kind = %s"], [part.kind]
        if part.categories:
            where.append(f"category IN ({', '.join(['%s'] * len(part.categories))})")
            params += list(part.categories)
        table = Fact._meta.db_table
    else:
        where, params = ["start_kind = %s", "end_kind = %s"], [part.kind, part.end]
        if part.measure == "median":
            where.append("end_day IS NOT NULL")
        table = Cohort._meta.db_table
    if bucket is not None:
        if part.table == "fact" and bucket.period_kind != periods.MONTH:
            # The (kind, month) index serves quarters and years as month ranges.
            period = periods.Period(bucket.period_kind, bucket.period_key)
            where.append("month BETWEEN %s AND %s")
            params += [periods.keys(period.start)[1], periods.keys(period.end)[1]]
        else:
            where.append(f"{PERIOD_COLUMNS[bucket.period_kind]} = %s")
            params.append(bucket.period_key)
        if bucket.level != "all":
            where.append(f"{bucket.level} = %s")
            params.append(bucket.area_id)
    return f"FROM {table} WHERE {' AND '.join(where)}", params


def _measure(part: Part) -> str:
    if part.measure in AGGREGATES:
        return AGGREGATES[part.measure]
    if part.measure == "size":
        return "COUNT(*)"
    if part.measure == "reached":
        window = "" if part.within_days is None else f" AND end_day - start_day <= {int(part.within_days)}"
        return f"SUM(CASE WHEN end_day IS NOT NULL{window} THEN 1 ELSE 0 END)"
    return "percentile_cont(0.5) WITHIN GROUP (ORDER BY end_day - start_day)"


Row = tuple[int, str, int, str, str, float]  # period key, level, area id, dimension, member, figure


def _rows(part: Part, period_kind: str, dims: tuple[str, ...], bucket: Bucket | None) -> list[Row]:
    """(period key, area level, area id, dimension, member, figure) for one part and period kind."""
    levels = [bucket.level] if bucket is not None else list(LEVELS)
    sets = _sets(levels, dims)
    source, params = _source(part, bucket)
    period = PERIOD_COLUMNS[period_kind]
    if part.measure == "median" and connection.vendor != "postgresql":
        return _median_rows(part, period, sets, source, params)
    if connection.vendor == "postgresql":
        columns = [c for c in (*areas.LEVELS, *dims) if any(c in pair for pair in sets)]
        grouping = ", ".join(
            "(" + ", ".join([period] + [c for c in (level, dim) if c and c != "all"]) + ")" for level, dim in sets
        )
        select = ", ".join([period, *columns])
        sql = (f"SELECT {select}, GROUPING({', '.join(columns) or period}) AS g, {_measure(part)} {source} "
               f"GROUP BY GROUPING SETS ({grouping})")  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        result = []
        width = len(columns)
        for row in fetched:
            bits = row[width + 1]
            grouped = {c for n, c in enumerate(columns) if not (bits >> (width - 1 - n)) & 1}
            values = dict(zip(columns, row[1 : width + 1], strict=True))
            level = next((c for c in areas.LEVELS if c in grouped), "all")
            dim = next((c for c in dims if c in grouped), "")
            area = 0 if level == "all" else values[level]
            if area is None:
                continue
            result.append((row[0], level, area, dim, values[dim] if dim else "", row[-1] or 0))
        return result
    selects = []
    for level, dim in sets:
        area = "0" if level == "all" else level
        not_null = "" if level == "all" else f" AND {level} IS NOT NULL"
        member = dim if dim else "''"
        groups = ", ".join(c for c in (period, "" if level == "all" else level, dim) if c)
        selects.append(
            f"SELECT {period}, '{level}', {area}, '{dim}', {member}, {_measure(part)} {source}{not_null} GROUP BY {groups}"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params * len(selects))
        return [(r[0], r[1], r[2], r[3], r[4], r[5] or 0) for r in cursor.fetchall()]


def _median_rows(part: Part, period: str, sets: list[tuple[str, str]], source: str, params: list[Any]) -> list[Row]:
    groups: dict[tuple[int, str, int, str, str], list[int]] = defaultdict(list)
    columns = ", ".join([period, *areas.LEVELS, "sex", "age_band", "citizenship", "category", "end_day - start_day"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} {source}", params)
        for row in cursor.fetchall():
            values = dict(
                zip([period, *areas.LEVELS, "sex", "age_band", "citizenship", "category"], row[:-1], strict=True)
            )
            for level, dim in sets:
                area = 0 if level == "all" else values[level]
                if area is not None:
                    groups[(row[0], level, area, dim, values[dim] if dim else "")].append(row[-1])
    return [(*key, float(statistics.median(days))) for key, days in groups.items()]


# --- Computing and storing cells ----------------------------------------------------------------------------


def compute(
    indicator: Indicator, tree: areas.Tree, bucket: Bucket | None = None
) -> dict[tuple[str, Key], dict[str, float]]:
    """Every cell of ``indicator`` (or of one bucket): (period kind, key) → field → figure."""
    found: dict[tuple[str, Key], dict[str, float]] = defaultdict(dict)
    dims = dimensions(indicator.definition)
    kinds = [bucket.period_kind] if bucket is not None else list(periods.KINDS)
    for part in parts(indicator.definition):
        for kind in kinds:
            for period_key, level, area, dim, member, figure in _rows(part, kind, dims, bucket):
                if _own_office(tree, level, int(area)):
                    continue
                key = (str(periods.Period(kind, int(period_key))), int(area), dim, str(member or ""))
                found[(kind, key)][part.field] = float(figure)
    return found


def _own_office(tree: areas.Tree, level: str, area: int) -> bool:
    """An area's own office is counted in the area, not as an institution of the same id."""
    return level == "organisation_id" and tree.kind.get(area) in areas.AREA_KINDS


def _cells(indicator: Indicator, figures: dict[tuple[str, Key], dict[str, float]]) -> list[Cell]:
    share = any(p.field == "denominator" for p in parts(indicator.definition))
    return [
        Cell(indicator=indicator, period=key[0], period_kind=kind, area_id=key[1], dimension=key[2], member=key[3],
             numerator=values.get("numerator", 0.0), denominator=values.get("denominator", 0.0) if share else None,
             value=values.get("value"), hidden=True)
        for (kind, key), values in figures.items()
        if values.get("numerator") or values.get("denominator")
    ]  # fmt: skip


@transaction.atomic
def rebuild_indicator(indicator: Indicator, tree: areas.Tree) -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the grouping sets sort in memory instead of on disk
            cursor.execute("SET LOCAL work_mem = '256MB'")
    figures = compute(indicator, tree)
    Cell.objects.filter(indicator=indicator).delete()
    DirtyBucket.objects.filter(indicator=indicator).delete()
    cells = Cell.objects.bulk_create(_cells(indicator, figures), batch_size=5000)
    resuppress(indicator, tree)
    Indicator.objects.filter(pk=indicator.pk).update(built_at=timezone.now())
    return len(cells)


def refresh_areas(tree: areas.Tree) -> int:
    """Apply today's organisation tree to every fact and cohort (an institution moved to another
    municipality counts there, for its whole history). One grouped read finds the organisations whose stored
    areas differ; only their rows are written."""
    changed = 0
    for model in (Fact, Cohort):
        stored = model.objects.exclude(organisation_id=None).values_list(*areas.LEVELS).distinct()
        for organisation_id, *levels in stored:
            chain = tree.chain(organisation_id)
            if [chain[level] for level in areas.LEVELS[1:]] != levels:
                changed += model.objects.filter(organisation_id=organisation_id).update(
                    **{k: v for k, v in chain.items() if k != "organisation_id"}
                )
    return changed


def backfill_people(tree: areas.Tree) -> int:
    """``registered`` facts for people recorded before monitoring was switched on (from core's records)."""
    from django.db.models import Exists, OuterRef

    from ownpath.core.models import Person
    from ownpath.modules.monitoring.facts import attributes_of, new_fact

    recorded = Fact.objects.filter(kind="registered", person_id=OuterRef("pk"))
    missing = (
        Person.objects.filter(is_anonymised=False)
        .exclude(Exists(recorded))
        .only("pk", "organisation_id", "created_at", "sex", "birth_date", "citizenships")
    )
    added = []
    for person in missing.iterator(chunk_size=2000):
        on = timezone.localdate(person.created_at)
        added.append(new_fact("registered", f"person:{person.pk}", on, person.organisation_id, tree,
                              **attributes_of(person, on)))  # fmt: skip
    Fact.objects.bulk_create(added, batch_size=5000, ignore_conflicts=True)
    return len(added)


def cohort_pairs(indicators: Iterable[Indicator]) -> set[tuple[str, str]]:
    return {(p.kind, p.end) for i in indicators for p in parts(i.definition) if p.table == "cohort"}


@transaction.atomic
def rebuild_cohorts(pairs: set[tuple[str, str]]) -> None:
    """Each person's first ``start`` fact and the first ``end`` fact on or after it, from the facts."""
    fact, cohort = Fact._meta.db_table, Cohort._meta.db_table
    columns = "month, quarter, year, organisation_id, municipality_id, county_id, metropolis_id, sex, age_band, citizenship, category"
    Cohort.objects.all().delete()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            cursor.execute("SET LOCAL work_mem = '256MB'")
        for start, end in sorted(pairs):
            cursor.execute(
                f"INSERT INTO {cohort} (person_id, start_kind, end_kind, start_day, end_day, {columns}) "  # noqa: S608
                f"SELECT f.person_id, %s, %s, f.day, (SELECT MIN(e.day) FROM {fact} e WHERE e.kind = %s "
                f"AND e.person_id = f.person_id AND e.day >= f.day), {', '.join('f.' + c.strip() for c in columns.split(','))} "
                f"FROM {fact} f WHERE f.kind = %s AND f.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {fact} g "
                f"WHERE g.kind = %s AND g.person_id = f.person_id AND (g.day < f.day OR (g.day = f.day AND g.id < f.id)))",
                [start, end, end, start, start],
            )  # fmt: skip


def rebuild(keys: Iterable[str] | None = None) -> dict[str, int]:
    """Recompute indicators (all active ones by default) from the facts; returns the cells per indicator."""
    tree = areas.tree()
    refresh_areas(tree)
    backfill_people(tree)
    active = list(Indicator.objects.filter(is_active=True))
    rebuild_cohorts(cohort_pairs(active))  # every active indicator's cohorts: they share the table
    wanted = [i for i in active if keys is None or i.key in set(keys)]
    return {indicator.key: rebuild_indicator(indicator, tree) for indicator in wanted}


# --- Incremental ---------------------------------------------------------------------------------------------


def _buckets_of(row: Fact | Cohort, level_ids: dict[str, int | None]) -> list[tuple[str, int, str, int]]:
    own_office = level_ids["organisation_id"] in {level_ids[level] for level in areas.LEVELS[1:]}
    found = []
    for kind, key in ((periods.MONTH, row.month), (periods.QUARTER, row.quarter), (periods.YEAR, row.year)):
        found.append((kind, key, "all", 0))
        for level, area in level_ids.items():
            if area is not None and not (level == "organisation_id" and own_office):
                found.append((kind, key, level, area))
    return found


def _chain(row: Fact | Cohort) -> dict[str, int | None]:
    return {level: getattr(row, level) for level in areas.LEVELS}


def fact_added(fact: Fact) -> None:
    """Update the cohorts ``fact`` starts or ends, and mark the buckets it changes for refreshing."""
    touched: dict[int, tuple[Indicator, list[Fact | Cohort]]] = {}  # indicator → what changed for it
    changed: dict[tuple[str, str], list[Cohort]] = {}
    for indicator in Indicator.objects.filter(is_active=True):
        rows: list[Fact | Cohort] = []  # the fact itself, or the cohort rows it moved
        for part in parts(indicator.definition):
            if (
                part.table == "fact"
                and part.kind == fact.kind
                and (not part.categories or fact.category in part.categories)
            ):
                rows.append(fact)
            elif part.table == "cohort" and fact.person_id is not None and fact.kind in (part.kind, part.end):
                pair = (part.kind, part.end)
                if pair not in changed:  # a cohort row is updated once, whichever indicators read it
                    changed[pair] = _cohort_changed(fact, *pair)
                rows += changed[pair]
        if rows:
            touched[indicator.pk] = (indicator, rows)
    dirty = [
        DirtyBucket(indicator=indicator, period_kind=k, period_key=p, level=lv, area_id=a)
        for indicator, rows in touched.values() for row in rows for k, p, lv, a in _buckets_of(row, _chain(row))
    ]  # fmt: skip
    if dirty:
        DirtyBucket.objects.bulk_create(dirty, ignore_conflicts=True)
        transaction.on_commit(_enqueue)


def _enqueue() -> None:
    from ownpath.modules.monitoring.tasks import refresh

    refresh.enqueue()


def _cohort_changed(fact: Fact, start: str, end: str) -> list[Cohort]:
    """The cohort rows (before and after) whose figures ``fact`` changes."""
    person_id = fact.person_id
    if fact.kind not in (start, end) or person_id is None:
        return []
    row = Cohort.objects.filter(person_id=person_id, start_kind=start, end_kind=end).first()
    changed: list[Cohort] = []
    if fact.kind == start and (row is None or fact.day < row.start_day):
        if row is not None:
            changed.append(Cohort(**{f.attname: getattr(row, f.attname) for f in Cohort._meta.concrete_fields}))
        row = row or Cohort(person_id=person_id, start_kind=start, end_kind=end)
        for name in ("month", "quarter", "year", *areas.LEVELS, "sex", "age_band", "citizenship", "category"):
            setattr(row, name, getattr(fact, name))
        row.start_day = fact.day
        row.end_day = (
            Fact.objects.filter(kind=end, person_id=fact.person_id, day__gte=fact.day).order_by("day").values_list("day", flat=True).first()
        )  # fmt: skip
        row.save()
        changed.append(row)
    if (
        fact.kind == end
        and row is not None
        and fact.day >= row.start_day
        and (row.end_day is None or fact.day < row.end_day)
    ):
        row.end_day = fact.day
        row.save(update_fields=["end_day"])
        changed.append(row)
    return changed


def refresh_dirty(limit: int = 500) -> int:
    """Recompute the marked buckets, then the suppression of the indicators that changed; returns how many."""
    tree = areas.tree()
    done = 0
    touched: set[int] = set()
    while True:
        with transaction.atomic():
            batch = list(DirtyBucket.objects.select_related("indicator").order_by("pk")[:limit])
            if not batch:
                break
            for dirty in batch:
                bucket = Bucket(dirty.period_kind, dirty.period_key, dirty.level, dirty.area_id)
                _store_bucket(dirty.indicator, bucket, compute(dirty.indicator, tree, bucket))
                touched.add(dirty.indicator_id)
            DirtyBucket.objects.filter(pk__in=[d.pk for d in batch]).delete()
            done += len(batch)
    for indicator in Indicator.objects.filter(pk__in=touched):
        resuppress(indicator, tree)
    return done


def _store_bucket(indicator: Indicator, bucket: Bucket, figures: dict[tuple[str, Key], dict[str, float]]) -> None:
    period = str(periods.Period(bucket.period_kind, bucket.period_key))
    area = 0 if bucket.level == "all" else bucket.area_id
    fresh = {
        key: cell
        for cell in _cells(indicator, figures)
        for key in [(cell.dimension, cell.member)]
        if cell.area_id == area
    }
    existing = {
        (c.dimension, c.member): c for c in Cell.objects.filter(indicator=indicator, period=period, area_id=area)
    }
    Cell.objects.filter(pk__in=[c.pk for k, c in existing.items() if k not in fresh]).delete()
    update, create = [], []
    for key, cell in fresh.items():
        old = existing.get(key)
        if old is None:
            create.append(cell)
        else:
            old.numerator, old.denominator, old.value = cell.numerator, cell.denominator, cell.value
            update.append(old)
    Cell.objects.bulk_create(create)
    Cell.objects.bulk_update(update, ["numerator", "denominator", "value"])


# --- Suppression ---------------------------------------------------------------------------------------------


def resuppress(indicator: Indicator, tree: areas.Tree) -> int:
    """Decide, over every cell of ``indicator`` at once, which figures are hidden (see ``core.disclosure``)."""
    from ownpath.modules.monitoring.suppression import hidden_cells

    rows = list(Cell.objects.filter(indicator=indicator).values_list(
        "pk", "period", "period_kind", "area_id", "dimension", "member", "numerator", "denominator", "hidden"))  # fmt: skip
    hidden = hidden_cells(indicator, rows, tree)
    show = [r[0] for r in rows if r[0] not in hidden and r[8]]
    hide = [r[0] for r in rows if r[0] in hidden and not r[8]]
    for chunk in range(0, len(show), 5000):
        Cell.objects.filter(pk__in=show[chunk : chunk + 5000]).update(hidden=False)
    for chunk in range(0, len(hide), 5000):
        Cell.objects.filter(pk__in=hide[chunk : chunk + 5000]).update(hidden=True)
    Indicator.objects.filter(pk=indicator.pk).update(suppression_stale=False)
    return len(hidden)
