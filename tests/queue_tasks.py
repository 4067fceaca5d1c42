"""Tasks the task-queue tests enqueue (a task must be defined at module level to be found by a worker)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.tasks import task

from ownpath.core.queue.worker import GiveUp


@task(key="record:{0}")
def record(token: str) -> str:
    return token


@task(max_attempts=3)
def always_fails(message: str) -> None:
    raise RuntimeError(message)


@task(max_attempts=5)
def refuses(message: str) -> None:
    raise GiveUp(message)


@task(key="journal:{0}", lease_seconds=1)
def journal(path: str) -> int:
    """Writes "start" to the journal, waits (at most 60 s) until the test creates ``path + '.go'``, writes
    "done": a worker killed in between leaves one "start" without its "done"."""
    journal = Path(path)
    with journal.open("a") as out:
        out.write(f"start {os.getpid()}\n")
    go = Path(f"{path}.go")
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    with journal.open("a") as out:
        out.write(f"done {os.getpid()}\n")
    return os.getpid()


@task(max_attempts=1)
def broken_job() -> None:
    """A periodic job that fails (tests/test_jobs.py)."""
    raise RuntimeError("the job broke")


@task()
def fine_job() -> str:
    return "fine"
