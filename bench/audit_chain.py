"""Benchmark of the audit log's hash chain (issue 26): sealing and verifying speed, and what sealing costs
the requests that write audit events, on PostgreSQL.

    su postgres -c "createdb -O ownpath ownpath_audit"   # once
    DATABASE_URL=postgres://ownpath:ownpath@localhost/ownpath_audit .venv/bin/python bench/audit_chain.py

1. Adds ``--events`` audit events in one server-side INSERT, then times ``seal()`` over all of them and
   ``verify()`` of the whole chain (events per second).
2. ``--threads`` writers each record audit events (``services.audit.record``, autocommit, like a page view)
   for ``--seconds``, first alone, then with a sealer running ``seal()`` in a loop beside them: events per
   second and the median and 95th percentile time of one ``record`` call, then a verify of everything.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, setup_django  # noqa: E402


def writers(threads: int, seconds: float, sealing: bool) -> tuple[int, list[float]]:
    from django.db import connection

    from ownpath.core.choices import AuditAction, Channel
    from ownpath.core.services import audit

    stop = time.monotonic() + seconds
    timings: list[list[float]] = [[] for _ in range(threads)]
    done = threading.Event()

    def write(slot: int) -> None:
        try:
            while time.monotonic() < stop:
                start = time.perf_counter()
                audit.record(None, AuditAction.READ, channel=Channel.UI, person_id=slot + 1, fields=["name"])
                timings[slot].append(time.perf_counter() - start)
        finally:
            connection.close()

    def seal_loop() -> None:
        try:
            while not done.is_set():
                audit.seal()
        finally:
            connection.close()

    pool = [threading.Thread(target=write, args=(i,)) for i in range(threads)]
    sealer = threading.Thread(target=seal_loop)
    if sealing:
        sealer.start()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    done.set()
    if sealing:
        sealer.join()
    flat = [t for slot in timings for t in slot]
    return len(flat), flat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database of its own, e.g. postgres://ownpath:ownpath@localhost/ownpath_audit"
        )
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from ownpath.core.models import AuditEvent, AuditSeal
    from ownpath.core.services import audit

    call_command("migrate", verbosity=0)
    print(f"Machine: {machine()} (shared with other work: figures are noisy)")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (at, actor_id, actor_label, organisation_id, action, channel, person_id,"
            " object_type, object_id, purpose, fields, detail) SELECT now() - make_interval(secs => g), g %% 50, "
            "'bench@example.org', 1, 'read', 'ui', g, 'core.person', g::text, 'casework', '[\"name\"]', '{}' "
            "FROM generate_series(1, %s) g",
            [args.events],
        )
    start = time.perf_counter()
    sealed = audit.seal()
    seal_s = time.perf_counter() - start
    start = time.perf_counter()
    report = audit.verify()
    verify_s = time.perf_counter() - start
    print(f"seal:   {sealed} events in {seal_s:.1f} s = {sealed / seal_s:,.0f} events/s")
    print(
        f"verify: {report.checked} seals in {verify_s:.1f} s = {report.checked / verify_s:,.0f} seals/s, ok={report.ok}"
    )
    for sealing in (False, True):
        count, times = writers(args.threads, args.seconds, sealing)
        times.sort()
        print(
            f"{args.threads} writers, {'with' if sealing else 'without'} a sealer beside them: "
            f"{count / args.seconds:,.0f} events/s, record() median {statistics.median(times) * 1000:.2f} ms, "
            f"p95 {times[int(len(times) * 0.95)] * 1000:.2f} ms"
        )
    audit.seal()
    report = audit.verify()
    print(f"after: {AuditEvent.objects.count()} events, {AuditSeal.objects.count()} seals, chain ok={report.ok}")


if __name__ == "__main__":
    main()
