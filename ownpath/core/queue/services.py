"""What administrators do with the dead letter: run a failed task again, or discard it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.tasks.base import TaskResultStatus
from django.utils import timezone

from ownpath.core.queue.models import QueuedTask, TaskWorker

logger = logging.getLogger(__name__)

# A worker not seen for this long is taken for stopped (it writes every few seconds while it runs).
WORKER_SILENCE_SECONDS = 120


def _require(actor: Any) -> None:
    if not actor.has_perm("core.manage_tasks"):
        raise PermissionDenied


def retry(actor: Any, task_id: Any) -> bool:
    """A failed task gets all its attempts again, from now; its past errors stay on the record."""
    _require(actor)
    changed = QueuedTask.objects.filter(pk=task_id, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, attempts=0, run_after=timezone.now(), finished_at=None
    )
    if changed:
        logger.info("task %s queued again by %s", task_id, actor.email)
    return bool(changed)


def discard(actor: Any, task_id: Any) -> bool:
    _require(actor)
    deleted = QueuedTask.objects.filter(pk=task_id, status=TaskResultStatus.FAILED).delete()[0]
    if deleted:
        logger.info("failed task %s discarded by %s", task_id, actor.email)
    return bool(deleted)


def overview() -> dict[str, Any]:
    """How many tasks wait, run and failed, and the workers seen lately."""
    counts = dict(QueuedTask.objects.values_list("status").annotate(n=Count("pk")).order_by())
    since = timezone.now() - timedelta(seconds=WORKER_SILENCE_SECONDS)
    workers = list(TaskWorker.objects.filter(seen_at__gte=since, stopped_at__isnull=True).order_by("worker_id"))
    overdue = QueuedTask.objects.filter(status=TaskResultStatus.READY, run_after__lt=since).count()
    return {"counts": counts, "workers": workers, "overdue": overdue}


def periodic_jobs(now: datetime | None = None) -> list[dict[str, Any]]:
    """Each periodic job with its last run (the newest task it enqueued: status, when, the error's last line)
    and its next: the start of the next period, or ``now`` when this period's run is not enqueued yet."""
    from ownpath.core.registry import registry

    now = now or timezone.now()
    rows = []
    for job in registry.periodic_jobs:
        last = QueuedTask.objects.filter(key__startswith=f"schedule:{job.key}:").order_by("-enqueued_at").first()
        due = not QueuedTask.objects.filter(key=job.run_key(now)).exists()
        start = job.period_start(now)
        rows.append({"job": job, "last": last, "next": now if due else start + job.every})
    return rows
