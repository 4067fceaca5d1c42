"""Monitoring at metropolitan scale: 1,000,000 people and 10,000,000 facts on PostgreSQL.

The organisation tree is a metropolis, 4 counties, 40 municipalities and 200 institutions. Every person is a
core record (sex, birth date, citizenship) registered at one institution; their facts over five years are
generated in the database with ``generate_series``: registration, sessions, path steps, jobs some time after
the first session, referrals, language levels, mentoring meetings; helpline contacts and officials trained
have no person. Then it measures:

- the full rebuild of every shipped indicator (``aggregate.rebuild``), step by step, and the cells it writes;
- the dashboard and an indicator page, rendered by Django (views, templates, SVG charts) for random areas
  and period kinds: median and p95 (goal: p95 ≤ 500 ms);
- a new fact as it arrives: ``fact_added`` plus ``refresh_dirty`` (the incremental path).

Run (needs PostgreSQL; about 15–25 minutes on two cores):

    su postgres -c "createdb -O ownpath ownpath_monitoring"
    DATABASE_URL=postgres://ownpath:ownpath@localhost/ownpath_monitoring .venv/bin/python bench/monitoring.py
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import insert_series, machine, rss_mib, setup_django, signed_in_client, summary

COUNTIES, MUNICIPALITIES, INSTITUTIONS = 4, 40, 200
DAYS = 5 * 365
# Facts after the registrations: (kind, share of the rest, SQL for the day offset after the person's registration)
KINDS = [
    ("served", 0.50, "(g * 13) % 240"),
    ("path_step", 0.11, "15 + (g * 7) % 60"),
    ("employed", 0.065, "30 + (g * 11) % 400"),
    ("referral_sent", 0.09, "(g * 5) % 90"),
    ("referral_completed", 0.055, "20 + (g * 5) % 120"),
    ("helpline_contact", 0.11, None),
    ("training_completed", 0.01, None),
    ("language_gain", 0.035, "60 + (g * 17) % 300"),
    ("mentoring_meeting", 0.025, "30 + (g * 3) % 300"),
]
CITIZENSHIPS = ["UA", "UA", "UA", "UA", "BY", "GE", "IN", "PH", "SY", "TR", "UZ", "CO"]


def build(people: int, total: int) -> dict[str, int]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from ownpath.core.models import Organisation, Person
    from ownpath.modules.monitoring.models import Fact

    started = time.perf_counter()

    def step(what: str) -> None:
        print(f"  {what}: {time.perf_counter() - started:.0f} s", flush=True)

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        for table in ("monitoring_dirtybucket", "monitoring_cell", "monitoring_cohort", "monitoring_fact",
                      "core_auditevent", "core_person"):  # fmt: skip
            cursor.execute(f"TRUNCATE {table} CASCADE")
        cursor.execute(
            "DELETE FROM core_membership WHERE organisation_id IN (SELECT id FROM core_organisation WHERE slug LIKE 'bench-%%')"
        )
        cursor.execute("DELETE FROM core_organisation WHERE slug LIKE 'bench-%%'")
    with transaction.atomic():
        metropolis = Organisation.objects.create(name="Bench metropolis", slug="bench-metropolis", kind="metropolis")
        counties = [Organisation.objects.create(name=f"Bench county {c}", slug=f"bench-county-{c}", kind="county",
                                                parent=metropolis) for c in range(COUNTIES)]  # fmt: skip
        municipalities = [Organisation.objects.create(name=f"Bench municipality {m}", slug=f"bench-municipality-{m}",
                                                      kind="municipality", parent=counties[m * COUNTIES // MUNICIPALITIES])
                          for m in range(MUNICIPALITIES)]  # fmt: skip
        institutions = [Organisation.objects.create(name=f"Bench centre {i}", slug=f"bench-centre-{i}", kind="ngo",
                                                    parent=municipalities[i * MUNICIPALITIES // INSTITUTIONS])
                        for i in range(INSTITUTIONS)]  # fmt: skip
    inst = [o.pk for o in institutions]
    muni = [o.parent_id for o in institutions]
    county = [municipalities[[m.pk for m in municipalities].index(p)].parent_id for p in muni]
    as_array = lambda values: "ARRAY[" + ",".join(str(v) for v in values) + "]"  # noqa: E731
    cit = "ARRAY[" + ",".join(f"'{c}'" for c in CITIZENSHIPS) + "]"
    today = time.time() // 86400
    base = int(today) - DAYS
    person_first = None
    with transaction.atomic():
        insert_series(Person, people, {
            "organisation_id": f"({as_array(inst)})[1 + g % {INSTITUTIONS}]",
            "given_name": "(ARRAY['Olena','Ahmad','Maryam','Oleksandr','Layla','Dawit','Ayse','Ivan'])[1 + g % 8]",
            "family_name": "'Person' || g", "residence_status": "'temporary_protection'",
            "sex": "(ARRAY['female','male','female','male',''])[1 + g % 5]",
            "birth_date": "DATE '1960-01-01' + ((g::bigint * 7919) % 17000)::int",
            "citizenships": f"({cit})[1 + (g / 3) % {len(CITIZENSHIPS)}]",
        })  # fmt: skip
        person_first = Person.objects.order_by("pk").values_list("pk", flat=True).first()
    step(f"{people:,} people")

    def registration(person: str) -> str:
        return f"({base} + (({person}) * 37) % {DAYS - 420})"

    def at(values: list[int], index: str) -> str:
        return f"({as_array(values)})[1 + ({index}) % {INSTITUTIONS}]"

    def fact_columns(kind: str, person: str | None, day: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        on = f"(DATE '1970-01-01' + ({day}))"
        columns = {
            "kind": f"'{kind}'", "occurred_on": on, "day": day,
            "month": f"(EXTRACT(YEAR FROM {on})::int * 12 + EXTRACT(MONTH FROM {on})::int - 1)",
            "quarter": f"(EXTRACT(YEAR FROM {on})::int * 4 + (EXTRACT(MONTH FROM {on})::int - 1) / 3)",
            "year": f"EXTRACT(YEAR FROM {on})::int", "source": f"'{kind}:' || g", "subject": "''", "category": "''",
            "value": "NULL", "sex": "'unknown'", "age_band": "'unknown'", "citizenship": "'unknown'",
        }  # fmt: skip
        if person is not None:
            columns.update({
                "person_id": f"({person_first} - 1 + ({person}))", "organisation_id": at(inst, person),
                "municipality_id": at(muni, person), "county_id": at(county, person), "metropolis_id": str(metropolis.pk),
                "sex": f"(ARRAY['female','male','female','male','unknown'])[1 + ({person}) % 5]",
                "age_band": f"(ARRAY['18-24','25-34','25-34','35-44','35-44','45-54','55-64'])[1 + (({person}) / 7) % 7]",
                "citizenship": f"({cit})[1 + (({person}) / 3) % {len(CITIZENSHIPS)}]",
            })  # fmt: skip
        columns.update(extra or {})
        return columns

    def insert(kind: str, count: int, person: str | None, day: str, extra: dict[str, str] | None = None) -> None:
        chunk = 1_000_000
        for start in range(1, count + 1, chunk):
            with transaction.atomic():
                insert_series(Fact, min(chunk, count - start + 1), fact_columns(kind, person, day, extra), start=start)

    insert("registered", people, "g", registration("g"))
    step("registrations")
    rest = total - people
    for kind, share, offset in KINDS:
        count = int(rest * share)
        person = f"(1 + (g::bigint * 7919) % {people})::int"
        if offset is None:
            extra = {"organisation_id": at(inst, "g"), "municipality_id": at(muni, "g"), "county_id": at(county, "g"),
                     "metropolis_id": str(metropolis.pk),
                     "subject": f"'{'contact' if kind == 'helpline_contact' else 'user'}:' || (g / 2)",
                     "category": ("(ARRAY['legal_stay','work_permit','housing','employment','language'])[1 + g % 5]"
                                  if kind == "helpline_contact" else "'intercultural'")}  # fmt: skip
            insert(kind, count, None, f"({base} + (g * 31) % {DAYS})", extra)
        else:
            extra = {"value": "1 + g % 2", "category": "'pl'"} if kind == "language_gain" else None
            if kind == "mentoring_meeting":
                extra = {"subject": f"'pair:' || ({person} / 10)"}
            insert(kind, count, person, f"({registration(person)} + {offset})", extra)
        step(f"{count:,} {kind}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE monitoring_fact")
    return {"facts": Fact.objects.count(), "areas": 1 + COUNTIES + MUNICIPALITIES, "institutions": INSTITUTIONS,
            "metropolis": metropolis.pk, "counties": [c.pk for c in counties], "municipalities": [m.pk for m in municipalities]}  # type: ignore[dict-item]  # fmt: skip


def existing() -> dict[str, object]:
    from ownpath.core.models import Organisation
    from ownpath.modules.monitoring.models import Fact

    bench = Organisation.objects.filter(slug__startswith="bench-").order_by("pk")
    counties = [o.pk for o in bench if o.kind == "county"]
    municipalities = [o.pk for o in bench if o.kind == "municipality"]
    return {"facts": Fact.objects.count(), "areas": 1 + len(counties) + len(municipalities),
            "institutions": sum(1 for o in bench if o.kind == "ngo"), "counties": counties,
            "municipalities": municipalities, "metropolis": next(o.pk for o in bench if o.kind == "metropolis")}  # fmt: skip


def measure_rebuild() -> None:
    from ownpath.modules.monitoring import aggregate, areas
    from ownpath.modules.monitoring.models import Cell, Indicator

    tree = areas.tree()
    started = time.perf_counter()
    aggregate.refresh_areas(tree)
    aggregate.backfill_people(tree)
    prepared = time.perf_counter()
    print(f"  areas and backfill checked: {prepared - started:.1f} s", flush=True)
    aggregate.rebuild_cohorts(aggregate.cohort_pairs(Indicator.objects.filter(is_active=True)))
    cohorts = time.perf_counter()
    print(f"  cohorts derived: {cohorts - prepared:.1f} s", flush=True)
    for indicator in Indicator.objects.filter(is_active=True):
        begin = time.perf_counter()
        cells = aggregate.rebuild_indicator(indicator, tree)
        print(f"  {indicator.key:24} {cells:8,} cells  {time.perf_counter() - begin:6.1f} s", flush=True)
    total = time.perf_counter() - started
    print(f"full rebuild: {total:.0f} s ({total / 60:.1f} min), {Cell.objects.count():,} cells, "
          f"{Cell.objects.filter(hidden=True).count():,} suppressed; RSS {rss_mib():.0f} MiB")  # fmt: skip


def measure_pages(info: dict[str, object], requests: int) -> None:
    from ownpath.core.models import Membership, User

    user, _ = User.objects.get_or_create(email="bench-auditor@example.org", defaults={"username": "bench-auditor"})
    Membership.objects.get_or_create(user=user, organisation_id=info["metropolis"], role="auditor")
    client = signed_in_client(user)
    rng = random.Random(9)
    choices = [0, info["metropolis"], *info["counties"], *info["municipalities"]]  # type: ignore[misc]
    for label, path in (("dashboard", "/monitoring/"), ("indicator page (people served)", "/monitoring/indicators/people-served/"),
                        ("indicator page (employed in 6 months)", "/monitoring/indicators/employed-6-months/")):  # fmt: skip
        millis = []
        for n in range(requests + 5):
            query = {"area": rng.choice(choices), "kind": rng.choice(["m", "q", "y"])}
            begin = time.perf_counter()
            response = client.get(path, query)
            elapsed = (time.perf_counter() - begin) * 1000
            assert response.status_code == 200, response.status_code
            if n >= 5:  # warm-up
                millis.append(elapsed)
        print(summary(label, millis), flush=True)


def measure_incremental(info: dict[str, object], count: int) -> None:
    from datetime import date, timedelta

    from django.db import transaction

    from ownpath.modules.monitoring import aggregate, facts

    millis = []
    rng = random.Random(3)
    for n in range(count):
        begin = time.perf_counter()
        with transaction.atomic():
            facts.record("served", f"bench-new:{n}:{time.time()}", occurred_on=date.today() - timedelta(days=rng.randint(0, 60)),
                         person_id=None, organisation_id=rng.choice(info["municipalities"]))  # type: ignore[arg-type]  # fmt: skip
        aggregate.refresh_dirty()
        millis.append((time.perf_counter() - begin) * 1000)
    print(summary("one new fact: record + refresh its buckets", millis), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--facts", type=int, default=10_000_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the data of the last run again (no build, no rebuild)"
    )
    args = parser.parse_args()
    setup_django("postgres://ownpath:ownpath@localhost/ownpath_monitoring")
    from django.db import connection

    print(machine())
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        print(f"PostgreSQL {cursor.fetchone()[0]}")
    if args.reuse:
        info = existing()
    else:
        print(f"building {args.people:,} people and {args.facts:,} facts")
        info = build(args.people, args.facts)
    print(f"{info['facts']:,} facts in {info['areas']} areas and {info['institutions']} institutions")
    if not args.reuse:
        measure_rebuild()
    measure_pages(info, args.requests)
    measure_incremental(info, 20)


if __name__ == "__main__":
    main()
