"""Benchmark: the navigator's engine (assessments per second on one core) and the API's latency.

    taskset -c 0 .venv/bin/python bench/navigator.py

Runs the test cases of every rule pack (PL, LT, FI) in a loop in one process, then posts them to
POST /api/v1/navigator/assess in-process through Django's full stack. Goal (issue 24): at least 5,000
assessments per second on one core.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, setup_django  # noqa: E402


def rate(work: list[tuple[str, dict, date]], seconds: float = 1.0, runs: int = 5) -> float:
    from ownpath.modules.navigator.engine import assess

    rates = []
    for _ in range(runs):
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            for jurisdiction, facts, on in work:
                assess(jurisdiction, facts, on)
                count += 1
        rates.append(count / (time.perf_counter() - started))
    return statistics.median(rates)


def main() -> None:
    setup_django(f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    from django.test import Client

    from ownpath.modules.navigator import cases
    from ownpath.modules.navigator.rulebook import jurisdictions, rulebook

    packs = {j: [(j, c["facts"], date.fromisoformat(str(c["as_of"]))) for c in cases.load(j)] for j in jurisdictions()}
    print(f"machine: {machine()} (one core used)")
    for jurisdiction, work in packs.items():
        print(
            f"engine {jurisdiction}: median {rate(work):,.0f} assessments per second "
            f"({len(rulebook(jurisdiction))} rules, {len(work)} cases, 5 runs of 1 s)"
        )
    everything = [item for work in packs.values() for item in work]
    print(f"engine, all packs: median {rate(everything):,.0f} assessments per second ({len(everything)} cases)")
    client = Client(SERVER_NAME="localhost")
    times = []
    for _ in range(10):
        for jurisdiction, facts, on in everything:
            body = json.dumps({"jurisdiction": jurisdiction, "as_of": on.isoformat(), "facts": facts})
            started = time.perf_counter()
            response = client.post("/api/v1/navigator/assess", body, content_type="application/json")
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content
    times.sort()
    print(
        f"API POST /assess (full trace in the answer): median {statistics.median(times):.1f} ms, "
        f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms ({len(times)} requests)"
    )


if __name__ == "__main__":
    main()
