"""The task queue's tables: one row per enqueued task, one per worker process seen."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QueuedTask(models.Model):
    """A task enqueued through Django's tasks framework, with its lease, attempts and errors.

    A worker claims a READY task by setting RUNNING, its own id and a lease end; it renews the lease while
    the task runs (the heartbeat). A task whose lease ended without a heartbeat belonged to a worker that
    died: the reaper makes it READY again (or FAILED when it has used its attempts). A failing task is retried
    after a growing pause; FAILED is the dead letter, shown to administrators, who may run it again.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_path = models.CharField(max_length=255)
    queue_name = models.CharField(max_length=32, default="default")
    backend_name = models.CharField(max_length=32, default="default")
    priority = models.SmallIntegerField(default=0)
    args_kwargs = models.JSONField(default=dict)
    # The idempotency key: a second enqueue with the same key returns the first task instead of a new one.
    key = models.CharField(max_length=200, null=True, blank=True)
    status = models.CharField(max_length=10, choices=TaskResultStatus.choices, default=TaskResultStatus.READY)
    run_after = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    last_attempted_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=5)
    lease_seconds = models.PositiveIntegerField(default=60)
    worker_id = models.CharField(max_length=80, blank=True)
    worker_ids = models.JSONField(default=list)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    return_value = models.JSONField(null=True, blank=True)
    # [{"exception_class_path", "traceback", "at", "worker"}], oldest first; a lost worker counts as one.
    errors = models.JSONField(default=list)

    class Meta:
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=Q(key__isnull=False), name="queuedtask_key_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "queue_name", "run_after"], name="queuedtask_ready_idx"),
            models.Index(fields=["status", "lease_expires_at"], name="queuedtask_lease_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task_path} {self.status} ({self.pk})"

    @property
    def task_name(self) -> str:
        return self.task_path.rsplit(".", 1)[-1]

    @property
    def last_error(self) -> str:
        """The last line of the last traceback (the exception and its message)."""
        if not self.errors:
            return ""
        lines = [line for line in self.errors[-1].get("traceback", "").strip().splitlines() if line.strip()]
        return str(lines[-1] if lines else self.errors[-1].get("exception_class_path", ""))


class TaskWorker(models.Model):
    """A worker process, seen alive at ``seen_at`` (written every few seconds while it runs)."""

    worker_id = models.CharField(max_length=80, primary_key=True)
    hostname = models.CharField(max_length=120)
    pid = models.PositiveIntegerField()
    queues = models.JSONField(default=list)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return self.worker_id
