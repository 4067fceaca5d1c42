"""The worker: claims tasks with a lease, keeps the lease alive while a task runs, retries failures after a
growing pause, re-queues the tasks of workers that died, and enqueues the scheduled jobs of each period.

Several workers on several machines may run at once: a claim takes one READY row under ``SELECT ... FOR
UPDATE SKIP LOCKED`` on PostgreSQL (on SQLite the claim's IMMEDIATE transaction holds the write lock), so a
task is claimed by one worker at a time; a task whose worker stops sending heartbeats is claimed again once
its lease has ended. A task therefore runs at least once, and its body must be idempotent: running it twice
has the effect of running it once (each task says how in its docstring).
"""

from __future__ import annotations

import logging
import os
import random
import signal
import socket
import threading
import time
import traceback
from dataclasses import replace
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from django.tasks.base import Task as DjangoTask
from django.tasks.base import TaskContext, TaskResultStatus
from django.tasks.signals import task_finished, task_started
from django.utils import timezone
from django.utils.json import normalize_json
from django.utils.module_loading import import_string

from ownpath.core.queue.backend import to_result
from ownpath.core.queue.models import QueuedTask, TaskWorker

logger = logging.getLogger(__name__)

READY, RUNNING = TaskResultStatus.READY, TaskResultStatus.RUNNING
SUCCESSFUL, FAILED = TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED
WORKER_LOST = "ownpath.core.queue.worker.WorkerLost"


class GiveUp(Exception):
    """Raised by a task body whose failure another attempt cannot fix: the task fails at once."""


def make_worker_id() -> str:
    return f"{socket.gethostname()[:50]}:{os.getpid()}:{random.randbytes(3).hex()}"


def backoff(attempts: int) -> float:
    """Seconds to wait before attempt ``attempts + 1``: doubling from OWNPATH_TASK_BACKOFF_SECONDS, at most
    an hour, with a fifth of jitter so that tasks failing together do not come back together."""
    base = float(settings.OWNPATH_TASK_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0))
    return min(base, 3600.0) * random.uniform(0.8, 1.2)


def _error(exc_class: str, text: str, worker_id: str) -> dict[str, str]:
    return {"exception_class_path": exc_class, "traceback": text, "at": timezone.now().isoformat(), "worker": worker_id}


def claim(worker_id: str, queues: list[str], now: datetime | None = None) -> QueuedTask | None:
    """Take the most urgent READY task of ``queues`` whose time has come, or None."""
    now = now or timezone.now()
    with transaction.atomic():
        row = (
            QueuedTask.objects.select_for_update(skip_locked=True)
            .filter(status=READY, queue_name__in=queues, run_after__lte=now)
            .order_by("-priority", "run_after", "enqueued_at")
            .first()
        )
        if row is None:
            return None
        row.status = RUNNING
        row.worker_id = worker_id
        row.worker_ids = [*row.worker_ids, worker_id]
        row.attempts += 1
        row.started_at = row.started_at or now
        row.last_attempted_at = now
        row.lease_expires_at = now + timedelta(seconds=row.lease_seconds)
        row.save(
            update_fields=[
                "status", "worker_id", "worker_ids", "attempts", "started_at", "last_attempted_at", "lease_expires_at"
            ]
        )  # fmt: skip
    return row


def renew(task_id: Any, worker_id: str, lease_seconds: int) -> bool:
    """The heartbeat: extend the lease; False when the task is no longer this worker's."""
    until = timezone.now() + timedelta(seconds=lease_seconds)
    return bool(
        QueuedTask.objects.filter(pk=task_id, worker_id=worker_id, status=RUNNING).update(lease_expires_at=until)
    )


def reap(now: datetime | None = None) -> int:
    """Re-queue the RUNNING tasks whose lease ended (their worker died or hung); returns how many."""
    now = now or timezone.now()
    count = 0
    failed: list[QueuedTask] = []
    with transaction.atomic():
        expired = QueuedTask.objects.select_for_update(skip_locked=True).filter(
            status=RUNNING, lease_expires_at__lt=now
        )
        for row in expired[:500]:
            lost = _error(
                WORKER_LOST,
                f"worker {row.worker_id} stopped renewing its lease, which ended at {(row.lease_expires_at or now).isoformat()}",
                row.worker_id,
            )
            row.errors = [*row.errors, lost]
            row.worker_id = ""
            row.lease_expires_at = None
            if row.attempts >= row.max_attempts:
                row.status, row.finished_at = FAILED, now
                failed.append(row)
            else:
                row.status, row.run_after = READY, now
            row.save(update_fields=["errors", "worker_id", "lease_expires_at", "status", "finished_at", "run_after"])
            logger.warning("task %s (%s) re-queued: %s", row.pk, row.task_path, lost["traceback"])
            count += 1
    # A task that failed for good because its worker died ends like one that raised: ``task_finished`` lets
    # its module tell the person who is waiting for it (an import marked failed, with the reason).
    for row in failed:
        try:
            task = import_string(row.task_path)
        except ImportError:
            continue
        try:
            task_finished.send(sender=type(task.get_backend()), task_result=to_result(row, task))
        except Exception:  # a receiver's error must not stop the reaper
            logger.exception("task %s: a task_finished receiver failed", row.pk)
    return count


def _finish(row: QueuedTask, worker_id: str, **changes: Any) -> bool:
    """Write the outcome if the task is still this worker's (a reaped task belongs to someone else)."""
    with transaction.atomic():
        current = QueuedTask.objects.select_for_update().filter(pk=row.pk, worker_id=worker_id, status=RUNNING).first()
        if current is None:
            logger.warning("task %s finished after its lease was lost; its outcome is not recorded", row.pk)
            return False
        if "error" in changes:
            changes["errors"] = [*current.errors, changes.pop("error")]
        for name, value in {"worker_id": "", "lease_expires_at": None, **changes}.items():
            setattr(row, name, value)
        row.save(update_fields=["worker_id", "lease_expires_at", *changes])
    return True


class Heartbeat(threading.Thread):
    """Renews the lease of the running task every third of its length, on its own connection."""

    def __init__(self, row: QueuedTask, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{row.pk}", daemon=True)
        self.row, self.worker_id = row, worker_id
        self.done = threading.Event()
        self.lost = False

    def run(self) -> None:
        interval = max(self.row.lease_seconds / 3, 0.2)
        try:
            while not self.done.wait(interval):
                try:
                    if not renew(self.row.pk, self.worker_id, self.row.lease_seconds):
                        self.lost = True
                        logger.warning("task %s: lease lost; the outcome will not be recorded", self.row.pk)
                        return
                except Exception:  # a database blip: try again at the next beat, the lease has slack
                    logger.exception("task %s: heartbeat failed", self.row.pk)
                    close_old_connections()
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.done.set()
        self.join(timeout=10)


def execute(row: QueuedTask, worker_id: str) -> str:
    """Run a claimed task and record its outcome; returns the status written."""
    try:
        task = import_string(row.task_path)
        if not isinstance(task, DjangoTask):
            raise TypeError(f"{row.task_path} is not a task")
    except Exception as exc:
        _finish(row, worker_id, status=FAILED, finished_at=timezone.now(), error=_error(
            f"{type(exc).__module__}.{type(exc).__qualname__}", "".join(traceback.format_exception(exc)), worker_id
        ))  # fmt: skip
        return FAILED
    result = to_result(row, task)
    task_started.send(sender=type(task.get_backend()), task_result=result)
    heartbeat = Heartbeat(row, worker_id)
    heartbeat.start()
    args, kwargs = row.args_kwargs.get("args", []), row.args_kwargs.get("kwargs", {})
    try:
        if task.takes_context:
            value = task.call(TaskContext(task_result=result), *args, **kwargs)
        else:
            value = task.call(*args, **kwargs)
        value = normalize_json(value)
    except Exception as exc:
        heartbeat.stop()
        now = timezone.now()
        error = _error(
            f"{type(exc).__module__}.{type(exc).__qualname__}", "".join(traceback.format_exception(exc)), worker_id
        )
        if isinstance(exc, GiveUp) or row.attempts >= row.max_attempts:
            status, changes = FAILED, {"finished_at": now}
        else:
            delay = backoff(row.attempts)
            status, changes = READY, {"run_after": now + timedelta(seconds=delay)}
            logger.warning(
                "task %s (%s) failed, attempt %s; again in %.0f s", row.pk, row.task_path, row.attempts, delay
            )
        _finish(row, worker_id, status=status, error=error, **changes)
    else:
        heartbeat.stop()
        status = SUCCESSFUL
        _finish(row, worker_id, status=status, finished_at=timezone.now(), return_value=value)
    row.refresh_from_db()
    task_finished.send(sender=type(task.get_backend()), task_result=to_result(row, task))
    return status


def schedule_due(now: datetime | None = None) -> list[str]:
    """Enqueue each periodic job once for the period ``now`` falls in; returns the keys enqueued now.

    The key of the run names the job and the period's start, so several schedulers (one per worker, or a
    scheduler per machine) enqueue it once between them: the second enqueue finds the first."""
    from ownpath.core.queue.models import QueuedTask
    from ownpath.core.registry import registry

    now = now or timezone.now()
    created = []
    for job in registry.periodic_jobs:
        key = job.run_key(now)
        if QueuedTask.objects.filter(key=key).exists():
            continue
        try:
            task = import_string(job.task)
            replace(task, key=key.replace("{", "{{").replace("}", "}}")).enqueue()
        except Exception:  # one broken job (a bad path, a database blip) must not keep the others from running
            logger.exception("periodic job %s could not be enqueued", job.key)
            continue
        created.append(key)
    return created


class Worker:
    """The loop of ``manage.py worker``: claim, run, repeat; reap and schedule every few seconds."""

    def __init__(
        self,
        queues: list[str] | None = None,
        *,
        worker_id: str | None = None,
        schedule: bool = True,
        burst: bool = False,
        max_tasks: int | None = None,
        poll_seconds: float = 1.0,
    ) -> None:
        self.queues = queues or ["default"]
        self.worker_id = worker_id or make_worker_id()
        self.schedule, self.burst, self.max_tasks = schedule, burst, max_tasks
        self.poll_seconds = poll_seconds
        self.stopping = threading.Event()
        self.done = 0
        self._next_chores = 0.0

    def handle_signals(self) -> None:
        def stop(signum: int, frame: FrameType | None) -> None:
            if self.stopping.is_set():
                raise KeyboardInterrupt  # a second signal: stop now; the lease brings the task back
            logger.info("worker %s: stopping after the current task", self.worker_id)
            self.stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

    def chores(self) -> None:
        """Every few seconds: say we are alive, re-queue the tasks of dead workers, enqueue due jobs."""
        if time.monotonic() < self._next_chores:
            return
        self._next_chores = time.monotonic() + min(5.0, settings.OWNPATH_TASK_LEASE_SECONDS / 3)
        now = timezone.now()
        TaskWorker.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"seen_at": now},
            create_defaults={
                "hostname": socket.gethostname()[:120], "pid": os.getpid(), "queues": self.queues, "seen_at": now
            },
        )  # fmt: skip
        reap(now)
        if self.schedule:
            schedule_due(now)

    def run(self) -> int:
        logger.info("worker %s: queues %s", self.worker_id, ", ".join(self.queues))
        pause = self.poll_seconds
        while not self.stopping.is_set():
            try:
                self.chores()
                row = claim(self.worker_id, self.queues)
                pause = self.poll_seconds
            except Exception:  # the database went away: wait, then try again; never die idle
                logger.exception("worker %s: cannot reach the queue; retrying in %.0f s", self.worker_id, pause)
                if self.burst:
                    raise
                connections.close_all()
                self.stopping.wait(pause)
                pause = min(pause * 2, 30.0)
                continue
            if row is None:
                if self.burst:
                    break
                self.stopping.wait(self.poll_seconds)
                continue
            execute(row, self.worker_id)
            if not connection.in_atomic_block:  # (the test suite runs a worker inside its transaction)
                close_old_connections()
            self.done += 1
            if self.max_tasks is not None and self.done >= self.max_tasks:
                break
        TaskWorker.objects.filter(worker_id=self.worker_id).update(stopped_at=timezone.now())
        return self.done
