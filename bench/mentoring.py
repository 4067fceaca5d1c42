"""Benchmark of mentoring (issue 8): a global match of 5,000 waiting mentees to 2,000 mentors (capacity 1 to
3 each), end to end, with the goal of at most 10 seconds.

    su postgres -c "createdb -O ownpath ownpath_mentoring"   # once
    DATABASE_URL=postgres://ownpath:ownpath@localhost/ownpath_mentoring .venv/bin/python bench/mentoring.py
    DATABASE_URL=sqlite:///var/bench-mentoring.sqlite3 .venv/bin/python bench/mentoring.py

It builds (once) a programme with 2,000 approved, trained mentors and 5,000 mentees (person records of the
programme) with invented but varied languages and CEFR levels, lived experience, sectors, places around the
Gdańsk metropolis (70 % with coordinates), free day-parts and wishes (a peer mentor, a woman mentor). Then it
times ``services.run_match`` — what the coordinator's "Match the waiting mentees" button runs: reading the
pool, scoring every pair, the global assignment (scipy), explaining every chosen pair factor by factor and
writing the proposals — and reports the median of the runs with the split between phases, and the quality:
how many were matched, the mean score, and the share of mentors' places used.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, setup_django  # noqa: E402

LANGUAGES = ["uk", "ru", "pl", "en", "ar", "ti", "prs", "so", "tr", "ka", "be", "fr"]
LEVELS = ["native", "C2", "C1", "B2", "B1", "A2", "A1"]
TAGS = ["refugee", "diploma_recognised", "single_parent", "career_change", "own_business", "language_as_adult", "disability", "long_unemployed"]  # fmt: skip
PARTS = ["weekday_morning", "weekday_afternoon", "weekday_evening", "saturday", "sunday"]
PLACES = [("Gdańsk", 54.35, 18.65), ("Gdynia", 54.52, 18.53), ("Sopot", 54.44, 18.56), ("Rumia", 54.57, 18.39),
          ("Reda", 54.60, 18.35), ("Pruszcz Gdański", 54.26, 18.64), ("Wejherowo", 54.61, 18.24), ("Kolbudy", 54.27, 18.46)]  # fmt: skip
COUNTRIES = ["UA", "BY", "SY", "ER", "AF", "SO", "TR", "GE", "PL"]
SECTORS = list("ACFGHIJMNPQ")


def attributes(rng: random.Random) -> dict:  # type: ignore[type-arg]
    first = rng.choice(LANGUAGES[:6])
    languages = {first: "native"}
    for code in rng.sample(LANGUAGES, rng.randint(0, 2)):
        languages.setdefault(code, rng.choice(LEVELS))
    name, lat, lon = rng.choice(PLACES)
    located = rng.random() < 0.7
    return {
        "languages": [[c, lvl] for c, lvl in languages.items()],
        "country_of_origin": rng.choice(COUNTRIES),
        "lived_experience": rng.sample(TAGS, rng.randint(0, 3)),
        "sector": rng.choice(SECTORS) if rng.random() < 0.8 else "",
        "municipality": name,
        "latitude": lat + rng.uniform(-0.04, 0.04) if located else None,
        "longitude": lon + rng.uniform(-0.04, 0.04) if located else None,
        "availability": rng.sample(PARTS, rng.randint(1, 4)),
        "gender": rng.choice(["woman", "man"]),
    }


def build(mentees: int, mentors: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from ownpath.core.models import Organisation, Person, User
    from ownpath.modules.mentoring.models import Mentee, Mentor

    if Mentee.objects.filter(organisation__slug="bench-mentoring").count() >= mentees:
        return
    started = time.perf_counter()
    rng = random.Random(2027)
    org, _ = Organisation.objects.get_or_create(
        slug="bench-mentoring", defaults={"name": "Bench mentoring", "kind": "ngo"}
    )
    User.objects.get_or_create(email="bench-coordinator@example.org", defaults={"username": "bench-coordinator"})
    with transaction.atomic():
        Mentor.objects.bulk_create(
            [
                Mentor(
                    organisation=org, name=f"Mentor {i}", email=f"mentor{i}@bench.example.org", kind=rng.choice(["peer", "mentor"]),
                    capacity=rng.randint(1, 3), status="active", approved_at=timezone.now(),
                    training_completed_on=timezone.localdate(), **attributes(rng),
                )
                for i in range(mentors)
            ],
            batch_size=1000,
        )  # fmt: skip
        people = Person.objects.bulk_create(
            [Person(organisation=org, given_name=f"Mentee{i}", family_name="Bench") for i in range(mentees)],
            batch_size=1000,
        )
        Mentee.objects.bulk_create(
            [
                Mentee(
                    id=uuid.uuid4(), organisation=org, person=person, wants_peer=rng.random() < 0.3,
                    wants_mentor_gender="woman" if rng.random() < 0.1 else "", **attributes(rng),
                )
                for person in people
            ],
            batch_size=1000,
        )  # fmt: skip
    print(f"built {mentees} mentees and {mentors} mentors in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=5000)
    parser.add_argument("--mentors", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", "sqlite:///var/bench-mentoring.sqlite3")
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from ownpath.core.choices import Role
    from ownpath.core.models import Membership, Organisation, User
    from ownpath.modules.mentoring import matching, services
    from ownpath.modules.mentoring.models import Mentor

    print(f"machine: {machine()}")
    print(f"database: {connection.vendor}")
    build(args.mentees, args.mentors)
    org = Organisation.objects.get(slug="bench-mentoring")
    coordinator = User.objects.get(email="bench-coordinator@example.org")
    Membership.objects.get_or_create(user=coordinator, organisation=org, role=Role.MENTORING_COORDINATOR)
    places = sum(Mentor.objects.filter(organisation=org).values_list("capacity", flat=True))

    phases: dict[str, list[float]] = {"solve": []}
    original_match = matching.match

    def timed_match(*a, **k):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        result = original_match(*a, **k)
        phases["solve"].append(time.perf_counter() - t)
        return result

    matching.match = timed_match  # type: ignore[assignment]
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        run = services.run_match(coordinator, org)
        timings.append(time.perf_counter() - started)
        scores = list(run.proposals.values_list("score", flat=True))
    matching.match = original_match  # type: ignore[assignment]
    median = statistics.median(timings)
    solve = statistics.median(phases["solve"])
    print(
        f"global match, {args.mentees} mentees x {args.mentors} mentors ({places} places), {args.runs} runs: "
        f"median {median:.2f} s (min {min(timings):.2f}, max {max(timings):.2f}); scoring + assignment {solve:.2f} s, "
        f"reading, explaining and writing {median - solve:.2f} s (goal <= 10 s)"
    )
    print(
        f"quality: {len(scores)} matched ({100 * len(scores) / args.mentees:.1f} %), mean score {statistics.mean(scores):.3f}, "
        f"{100 * len(scores) / places:.1f} % of mentors' places used"
    )


if __name__ == "__main__":
    main()
