"""Benchmark of booking (issue 10): availability search over 500 staff and three months, and bookings per
second under contention, on PostgreSQL.

    su postgres -c "createdb -O ownpath ownpath_booking"   # once
    DATABASE_URL=postgres://ownpath:ownpath@localhost/ownpath_booking .venv/bin/python bench/booking.py

It builds (once) one centre with 500 counsellors working Monday to Friday, 9:00-17:00, each speaking Polish
and one of English, Ukrainian or Russian, ten Arabic interpreters, and about half of every counsellor's
45-minute slots over the next three months already booked. Then it times ``find_slots``, the function
behind the portal's week page and GET /api/v1/booking/availability:

* the next 20 free times within three months, for a Polish speaker and for an Arabic speaker (who needs an
  interpreter), from a random day;
* a whole week of every counsellor's free times (what the week page reads);

and last, threads that book the same few counsellors' times at once for ten seconds: bookings per second,
refusals, and a check that no two bookings of one person overlap.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import setup_django  # noqa: E402

DOMAIN = "bench-booking.example.org"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=500)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database of its own, e.g. postgres://ownpath:ownpath@localhost/ownpath_booking"
        )
    os.environ["OWNPATH_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ownpath.modules.booking.models import BookableService

    service = BookableService.objects.filter(organisation__slug="bench-booking").first()
    if service is None:
        service = build(args.staff)
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    measure(service, args.runs)
    contention(service, args.threads)


def build(staff_count: int) -> Any:
    from django.db import transaction
    from django.utils import timezone

    from ownpath.core.choices import Role
    from ownpath.core.models import Membership, Organisation, User
    from ownpath.modules.booking.availability import find_slots
    from ownpath.modules.booking.models import BookableService, Booking, StaffProfile, WeeklyHours

    started = time.perf_counter()
    rng = random.Random(10)
    with transaction.atomic():
        centre = Organisation.objects.create(slug="bench-booking", name="Bench centre", kind="counselling_centre")
        service = BookableService.objects.create(
            organisation=centre, kind="career_counselling", duration_minutes=45, place="Room 1"
        )
        users = User.objects.bulk_create(
            User(username=f"bb{i}", email=f"staff{i}@{DOMAIN}", first_name="Staff", last_name=str(i))
            for i in range(staff_count)
        )
        interpreters = User.objects.bulk_create(
            User(username=f"bi{i}", email=f"interpreter{i}@{DOMAIN}", first_name="Interpreter", last_name=str(i))
            for i in range(10)
        )
        Membership.objects.bulk_create(Membership(user=u, organisation=centre, role=Role.COUNSELLOR) for u in users)
        Membership.objects.bulk_create(
            Membership(user=u, organisation=centre, role=Role.CULTURAL_MEDIATOR) for u in interpreters
        )
        StaffProfile.objects.bulk_create(
            StaffProfile(user=u, languages=["pl", ("en", "uk", "ru")[i % 3]]) for i, u in enumerate(users)
        )
        StaffProfile.objects.bulk_create(
            StaffProfile(user=u, languages=["ar", "pl"], is_interpreter=True) for u in interpreters
        )
        WeeklyHours.objects.bulk_create(
            WeeklyHours(user=u, organisation=centre, weekday=d, start=clock(9), end=clock(17))
            for u in [*users, *interpreters]
            for d in range(5)
        )
    # Book about half of every counsellor's slots over three months (a tenth with an interpreter).
    today = timezone.localdate()
    all_slots = find_slots(service, language="pl", start=today, end=today + timedelta(days=92), check_notice=False)
    rows = []
    for slot in all_slots:
        if rng.random() < 0.5:
            rows.append(
                Booking(
                    service=service,
                    organisation=centre,
                    staff_id=slot.staff_id,
                    language="pl",
                    staff_language="pl",
                    starts_at=slot.start,
                    ends_at=slot.end,
                    mode=slot.mode,
                    name="Bench client",
                    email="c@example.org",
                )
            )
    Booking.objects.bulk_create(rows, batch_size=5000)
    print(
        f"built: {staff_count} staff, 10 interpreters, {len(rows):,} bookings ({len(all_slots):,} slots) in {time.perf_counter() - started:.0f} s"
    )
    return service


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms ({len(ordered)} runs)"


def measure(service: Any, runs: int) -> None:
    from django.utils import timezone

    from ownpath.modules.booking.availability import find_slots

    rng = random.Random(3)
    today = timezone.localdate()
    for label, language, limit, days, distinct in (
        ("next 20 free times within 3 months, Polish speaker", "pl", 20, 92, False),
        ("next 20 free times within 3 months, Arabic speaker (interpreter)", "ar", 20, 92, False),
        ("a whole week, one choice per time (week page)", "pl", None, 6, True),
        ("a whole week, every counsellor's every free slot", "pl", None, 6, False),
    ):
        samples = []
        found = 0
        for _ in range(runs if limit else max(10, runs // 5)):
            start = today + timedelta(days=rng.randint(0, 60))
            began = time.perf_counter()
            slots = find_slots(
                service,
                language=language,
                start=start,
                end=start + timedelta(days=days),
                limit=limit,
                distinct_times=distinct,
            )
            samples.append((time.perf_counter() - began) * 1000)
            found += len(slots)
        print(f"availability, {label}: {_percentiles(samples)}; {found / len(samples):,.0f} slots a search")


def contention(service: Any, threads: int) -> None:
    from django.core.exceptions import ValidationError
    from django.db import connection, connections
    from django.utils import timezone

    from ownpath.modules.booking import services
    from ownpath.modules.booking.availability import find_slots
    from ownpath.modules.booking.models import Booking

    # Five counsellors' free times of the coming fortnight: every thread goes after the same ones.
    day = timezone.localdate() + timedelta(days=2)
    staff_ids = sorted(
        {s.staff_id for s in find_slots(service, language="pl", start=day, end=day + timedelta(days=14))}
    )[:5]
    targets = [
        s.start
        for s in find_slots(service, language="pl", start=day, end=day + timedelta(days=14), staff_ids=staff_ids)
    ]
    starts = sorted(set(targets))
    booked, refused, errors = [0], [0], [0]
    lock = threading.Lock()
    stop = time.perf_counter() + 10

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        while time.perf_counter() < stop:
            start = rng.choice(starts)
            try:
                services.book(
                    None,
                    service,
                    start=start,
                    language="pl",
                    staff_id=rng.choice(staff_ids),
                    contact=services.Contact("Bench", "bench@example.org"),
                )
                outcome = booked
            except ValidationError:
                outcome = refused
            except Exception:
                outcome = errors
            with lock:
                outcome[0] += 1
        connections.close_all()

    began = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM booking_booking a JOIN booking_booking b
               ON a.staff_id = b.staff_id AND a.id < b.id AND a.status = 'confirmed' AND b.status = 'confirmed'
               AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"""
        )
        overlaps = cursor.fetchone()[0]
    attempts = booked[0] + refused[0] + errors[0]
    print(
        f"contention: {threads} threads, {len(staff_ids)} counsellors, {len(starts)} times for {elapsed:.1f} s: "
        f"{booked[0] / elapsed:.1f} bookings/s, {attempts / elapsed:.1f} attempts/s, {refused[0]} refused, "
        f"{errors[0]} errors, {overlaps} overlapping bookings"
    )
    # Leave the calendar as it was, so that the next run measures the same thing.
    Booking.objects.filter(email="bench@example.org", created_at__gte=datetime.now(UTC) - timedelta(hours=1)).delete()


if __name__ == "__main__":
    main()
