"""Benchmark: search-before-create (find_duplicates) against a large register of people.

Builds a register of N invented people (names drawn from the demo's pools in their native scripts and
Latin spellings), then times find_duplicates for queries written in another script or spelling.
Prints the machine, the database, the medians and the 95th percentiles.

    .venv/bin/python bench/duplicate_search.py --people 100000
    DATABASE_URL=postgres://ownpath:ownpath@localhost/ownpath_bench .venv/bin/python bench/duplicate_search.py

It uses its own database (var/bench.sqlite3 by default) and never touches the development one.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    setup_django(f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    from django.core.management import call_command
    from django.db import connection

    from ownpath.core.choices import OrganisationKind, Role
    from ownpath.core.demo import ORIGINS
    from ownpath.core.models import Membership, Organisation, Person, PersonNameKey, User
    from ownpath.core.names import name_keys
    from ownpath.core.services.people import find_duplicates

    call_command("migrate", verbosity=0)
    org, _ = Organisation.objects.get_or_create(
        slug="bench", defaults={"name": "Bench", "kind": OrganisationKind.COUNSELLING_CENTRE}
    )
    user, _ = User.objects.get_or_create(email="bench@example.org", defaults={"username": "bench"})
    Membership.objects.get_or_create(user=user, organisation=org, role=Role.COUNSELLOR)
    rng = random.Random(7)
    have = Person.objects.filter(organisation=org).count()
    if have < args.people:
        started = time.perf_counter()
        batch: list[Person] = []
        for _ in range(args.people - have):
            origin = rng.choice(ORIGINS)
            gn, g = rng.choice(origin.given)
            fn, f = rng.choice(origin.family)
            # Make names rarer than the pools alone: most people have a second given name or a suffix.
            extra = rng.choice(["", "", " Maria", " Ivan", " Ali", " Anna", " Petro", " Sara"])
            batch.append(
                Person(
                    organisation=org,
                    given_name=g + extra,
                    family_name=f,
                    given_name_native=gn,
                    family_name_native=fn,
                    birth_date=date(rng.randint(1950, 2006), rng.randint(1, 12), rng.randint(1, 28)),
                )
            )
            if len(batch) == 5000:
                _store(batch, Person, PersonNameKey, name_keys)
                batch = []
        if batch:
            _store(batch, Person, PersonNameKey, name_keys)
        print(f"built {args.people - have} people in {time.perf_counter() - started:.1f} s")
    queries = []
    for _ in range(args.queries):
        origin = rng.choice(ORIGINS)
        gn, g = rng.choice(origin.given)
        fn, f = rng.choice(origin.family)
        queries.append(
            (
                rng.choice([f"{g} {f}", f"{gn} {fn}"]),
                date(rng.randint(1950, 2006), rng.randint(1, 12), rng.randint(1, 28)),
            )
        )
    user = User.objects.get(pk=user.pk)
    timings, found = [], []
    for name, birth in queries:
        started = time.perf_counter()
        result = find_duplicates(user, name, birth_date=birth)
        timings.append((time.perf_counter() - started) * 1000)
        found.append(len(result.visible))
    timings.sort()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"database: {connection.vendor}, people: {Person.objects.filter(organisation=org).count()}")
    print(
        f"find_duplicates over {len(queries)} queries: median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, max {timings[-1]:.1f} ms; "
        f"median candidates shown {statistics.median(found):.0f}"
    )


def _store(batch: list[Any], person_model: Any, key_model: Any, name_keys: Any) -> None:
    people = person_model.objects.bulk_create(batch)
    keys = []
    for person in people:
        for key in name_keys(
            person.given_name, person.family_name, person.given_name_native, person.family_name_native
        ):
            keys.append(key_model(person=person, key=key))
    key_model.objects.bulk_create(keys, batch_size=5000)


if __name__ == "__main__":
    main()
