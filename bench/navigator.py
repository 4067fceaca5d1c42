"""Benchmark: the navigator's engine (assessments per second on one core) and the API's p95 (issue 5).

    .venv/bin/python bench/navigator.py

Runs the Polish test cases in a loop in one process (one core), then posts them to
POST /api/v1/navigator/assess in-process through Django's full stack.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import setup_django  # noqa: E402


def main() -> None:
    setup_django(f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    import json

    from django.test import Client

    from ownpath.modules.navigator import cases
    from ownpath.modules.navigator.engine import assess

    work = [(c["facts"], date.fromisoformat(str(c["as_of"]))) for c in cases.load("PL")]
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores (one used), Python {platform.python_version()}")
    rates = []
    for _ in range(5):
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < 1.0:
            for facts, on in work:
                assess("PL", facts, on)
                count += 1
        rates.append(count / (time.perf_counter() - started))
    print(f"engine: median {statistics.median(rates):,.0f} assessments per second (5 runs of 1 s, {len(work)} cases)")
    client = Client(SERVER_NAME="localhost")
    times = []
    for _ in range(20):
        for facts, on in work:
            body = json.dumps({"jurisdiction": "PL", "as_of": on.isoformat(), "facts": facts})
            started = time.perf_counter()
            response = client.post("/api/v1/navigator/assess", body, content_type="application/json")
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content
    times.sort()
    print(
        f"API POST /assess: median {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms ({len(times)} requests)"
    )


if __name__ == "__main__":
    main()
