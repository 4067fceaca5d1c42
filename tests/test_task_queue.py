"""The task queue: leases and heartbeats, the reaper, retries with back-off, idempotency keys, periodic jobs
once per period across workers, a worker killed with SIGKILL, and the dead-letter page."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.tasks.base import TaskResultStatus
from django.utils import timezone

from ownpath.core.queue import worker as queue
from ownpath.core.queue.models import QueuedTask
from ownpath.core.registry import PeriodicJob, registry
from tests import queue_tasks

DB_BACKEND = {"default": {"BACKEND": "ownpath.core.queue.backend.DatabaseBackend"}}
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db_queue(settings: object, db: None) -> None:
    settings.TASKS = DB_BACKEND  # type: ignore[attr-defined]
    settings.OWNPATH_TASK_LEASE_SECONDS = 30  # type: ignore[attr-defined]
    settings.OWNPATH_TASK_BACKOFF_SECONDS = 10  # type: ignore[attr-defined]


def test_enqueue_stores_the_task_and_a_key_makes_it_once(db_queue: None) -> None:
    first = queue_tasks.record.enqueue("a")
    again = queue_tasks.record.enqueue("a")
    other = queue_tasks.record.enqueue("b")
    assert first.id == again.id != other.id
    assert QueuedTask.objects.count() == 2
    row = QueuedTask.objects.get(pk=first.id)
    assert (row.status, row.key, row.args_kwargs) == ("READY", "record:a", {"args": ["a"], "kwargs": {}})
    assert queue_tasks.record.get_result(first.id).status == TaskResultStatus.READY


def test_a_claim_leases_the_task_to_one_worker_and_the_heartbeat_extends_it(db_queue: None) -> None:
    result = queue_tasks.record.enqueue("lease")
    row = queue.claim("w1", ["default"])
    assert row is not None and row.worker_id == "w1" and row.attempts == 1
    assert row.lease_expires_at is not None and row.lease_expires_at > timezone.now() + timedelta(seconds=25)
    assert queue.claim("w2", ["default"]) is None  # leased: nobody else gets it
    QueuedTask.objects.filter(pk=row.pk).update(lease_expires_at=timezone.now() + timedelta(seconds=1))
    assert queue.renew(row.pk, "w1", 30)
    assert QueuedTask.objects.get(pk=row.pk).lease_expires_at > timezone.now() + timedelta(seconds=25)
    assert not queue.renew(row.pk, "w2", 30)  # only the holder renews
    assert queue.execute(row, "w1") == "SUCCESSFUL"
    done = queue_tasks.record.get_result(result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL and done.return_value == "lease"
    assert done.worker_ids == ["w1"] and QueuedTask.objects.get(pk=row.pk).lease_expires_at is None


def test_the_reaper_requeues_a_dead_workers_task_and_fails_it_when_attempts_are_spent(db_queue: None) -> None:
    queue_tasks.record.enqueue("reaped")
    row = queue.claim("dead-worker", ["default"])
    assert row is not None
    assert queue.reap() == 0  # the lease is still running
    later = timezone.now() + timedelta(seconds=31)
    assert queue.reap(later) == 1
    row.refresh_from_db()
    assert (row.status, row.worker_id, row.attempts) == ("READY", "", 1)
    assert row.errors[0]["exception_class_path"] == queue.WORKER_LOST and "dead-worker" in row.errors[0]["traceback"]
    # The next worker runs it; a task whose every attempt lost its worker ends in the dead letter.
    QueuedTask.objects.filter(pk=row.pk).update(max_attempts=2)
    assert queue.claim("w2", ["default"], now=later).attempts == 2  # type: ignore[union-attr]
    assert queue.reap(later + timedelta(seconds=31)) == 1
    row.refresh_from_db()
    assert row.status == "FAILED" and len(row.errors) == 2 and row.finished_at is not None


def test_a_task_finishing_after_its_lease_was_reaped_does_not_overwrite_the_new_run(db_queue: None) -> None:
    queue_tasks.record.enqueue("late")
    row = queue.claim("slow", ["default"])
    later = timezone.now() + timedelta(seconds=31)
    queue.reap(later)
    again = queue.claim("fast", ["default"], now=later)
    assert again is not None and again.pk == row.pk  # type: ignore[union-attr]
    assert queue.execute(row, "slow") == "RUNNING" or QueuedTask.objects.get(pk=row.pk).worker_id == "fast"  # type: ignore[arg-type]
    assert queue.execute(again, "fast") == "SUCCESSFUL"
    assert QueuedTask.objects.get(pk=again.pk).worker_ids == ["slow", "fast"]


def test_failures_are_retried_with_growing_pauses_then_dead_lettered(db_queue: None) -> None:
    result = queue_tasks.always_fails.enqueue("boom")
    pauses = []
    for attempt in (1, 2):
        row = queue.claim("w", ["default"], now=timezone.now() + timedelta(hours=attempt))
        assert row is not None and row.attempts == attempt
        before = timezone.now()
        assert queue.execute(row, "w") == "READY"
        row.refresh_from_db()
        pauses.append((row.run_after - before).total_seconds())
        assert queue.claim("w", ["default"]) is None  # not before its pause ends
    assert 8 <= pauses[0] <= 12.5 and 16 <= pauses[1] <= 24.5  # 10 s, then 20 s, each ±20 %
    row = queue.claim("w", ["default"], now=timezone.now() + timedelta(hours=3))
    assert queue.execute(row, "w") == "FAILED"  # type: ignore[arg-type]
    failed = queue_tasks.always_fails.get_result(result.id)
    assert failed.status == TaskResultStatus.FAILED and len(failed.errors) == 3
    assert failed.errors[-1].exception_class_path == "builtins.RuntimeError" and "boom" in failed.errors[-1].traceback


def test_give_up_fails_at_once(db_queue: None) -> None:
    queue_tasks.refuses.enqueue("not fixable")
    row = queue.claim("w", ["default"])
    assert queue.execute(row, "w") == "FAILED"  # type: ignore[arg-type]
    assert QueuedTask.objects.get().attempts == 1


def test_an_unknown_task_path_fails_without_stopping_the_worker(db_queue: None) -> None:
    QueuedTask.objects.create(task_path="ownpath.nowhere.task", max_attempts=1)
    assert queue.Worker(burst=True, schedule=False).run() == 1
    assert QueuedTask.objects.get().status == "FAILED"


def test_periodic_jobs_run_once_per_period_whatever_the_number_of_schedulers(db_queue: None) -> None:
    now = timezone.make_aware(timezone.datetime(2026, 3, 10, 9, 2))
    first = queue.schedule_due(now)
    assert len(first) == len(registry.periodic_jobs) >= 6
    # A second scheduler (another worker) in the same period, a minute later: nothing new.
    assert queue.schedule_due(now + timedelta(minutes=1)) == []
    assert QueuedTask.objects.count() == len(first)
    # The next five minutes: only the five-minute jobs' periods changed (booking reminders, audit sealing).
    assert sorted(queue.schedule_due(now + timedelta(minutes=4))) == [
        "schedule:booking.reminders:2026-03-10T09:05:00+01:00", "schedule:core.audit_seal:2026-03-10T09:05:00+01:00",
    ]  # fmt: skip
    # The next day: every daily job once more.
    assert len(queue.schedule_due(now + timedelta(days=1))) == len(registry.periodic_jobs)
    # Running them: each module's body runs (reminders, expiry, retention report).
    assert queue.Worker(burst=True, schedule=False).run() == QueuedTask.objects.count()
    assert set(QueuedTask.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_periods_follow_the_local_clock() -> None:
    daily = PeriodicJob("x", "y", timedelta(days=1), timedelta(hours=6))
    at = timezone.make_aware(timezone.datetime(2026, 7, 1, 5, 59))
    assert timezone.localtime(daily.period_start(at)).isoformat() == "2026-06-30T06:00:00+02:00"
    assert timezone.localtime(daily.period_start(at + timedelta(minutes=1))).isoformat() == "2026-07-01T06:00:00+02:00"
    assert daily.run_key(at) == "schedule:x:2026-06-30T06:00:00+02:00"


def _worker(env: dict[str, str], *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603  (our own command)
        [sys.executable, "manage.py", "worker", "--no-schedule", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_for(predicate: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_has_its_task_run_again_exactly_once(settings: object, tmp_path: Path) -> None:
    """Two real worker processes: the first is killed with SIGKILL while the task runs; the second takes
    the task over once the lease ends, and the task's effect ("done") is written once."""
    settings.TASKS = DB_BACKEND  # type: ignore[attr-defined]
    if connection.vendor != "postgresql":
        pytest.skip("the worker processes need a database they can share")
    db = connection.settings_dict
    env = {
        **os.environ,
        "OWNPATH_ENV": "test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}",
        "OWNPATH_TASK_LEASE_SECONDS": "1",
    }
    journal = tmp_path / "journal"
    result = queue_tasks.journal.enqueue(str(journal))
    first = _worker(env, "--worker-id", "first")
    try:
        assert _wait_for(lambda: journal.exists() and "start" in journal.read_text(), 30), first.stderr
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    Path(f"{journal}.go").touch()
    second = _worker(env, "--worker-id", "second", "--max-tasks", "1")
    try:
        assert second.wait(60) == 0, second.stderr.read() if second.stderr else ""
    finally:
        if second.poll() is None:
            second.kill()
    lines = journal.read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["start", "start", "done"]
    assert lines[0].split()[1] == str(first.pid) and lines[2].split()[1] == str(second.pid)
    row = QueuedTask.objects.get(pk=result.id)
    assert (row.status, row.attempts, row.worker_ids) == ("SUCCESSFUL", 2, ["first", "second"])
    assert row.errors[0]["exception_class_path"] == queue.WORKER_LOST and row.return_value == second.pid


def test_the_dead_letter_page_is_for_network_administrators_who_may_run_a_task_again(world: object) -> None:
    from django.test import Client

    from tests.conftest import signed_in

    dead = QueuedTask.objects.create(
        task_path="tests.queue_tasks.always_fails", status="FAILED", attempts=3, finished_at=timezone.now(),
        errors=[{"exception_class_path": "builtins.RuntimeError", "traceback": "Traceback ...\nRuntimeError: SMTP said no"}],
    )  # fmt: skip
    other = QueuedTask.objects.create(task_path="tests.queue_tasks.always_fails", status="FAILED")
    url = "/background-tasks/"
    assert Client().get(url).status_code == 302  # to sign-in
    for role, user in world.users.items():  # type: ignore[attr-defined]
        expected = 200 if role == "network_admin" else 403
        assert signed_in(user).get(url).status_code == expected, role
    admin = signed_in(world.users["network_admin"])  # type: ignore[attr-defined]
    page = admin.get(url).content.decode()
    assert "always_fails" in page and "RuntimeError: SMTP said no" in page and "No task worker has been seen" in page
    # Through the form, with CSRF enforced as a browser posts it.
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = admin.cookies
    assert browser.post(url, {"action": "retry", "task": str(dead.pk)}).status_code == 403  # no token
    token = browser.get(url).cookies.get("csrftoken") or admin.cookies["csrftoken"]
    response = browser.post(url, {"action": "retry", "task": str(dead.pk), "csrfmiddlewaretoken": token.value})
    assert response.status_code == 302
    dead.refresh_from_db()
    assert (dead.status, dead.attempts, len(dead.errors)) == ("READY", 0, 1)
    browser.post(url, {"action": "discard", "task": str(other.pk), "csrfmiddlewaretoken": token.value})
    assert not QueuedTask.objects.filter(pk=other.pk).exists()
    # A task that is not failed cannot be discarded from here; a malformed id changes nothing either.
    browser.post(url, {"action": "discard", "task": str(dead.pk), "csrfmiddlewaretoken": token.value})
    browser.post(url, {"action": "discard", "task": "nonsense", "csrfmiddlewaretoken": token.value})
    assert QueuedTask.objects.filter(pk=dead.pk).exists()
    assert signed_in(world.users["counsellor"]).post(url, {"action": "retry", "task": str(dead.pk)}).status_code == 403  # type: ignore[attr-defined]
