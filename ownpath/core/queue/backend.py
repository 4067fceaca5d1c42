"""ownpath's backend for Django's tasks framework: tasks in the database, leased to workers.

``Task`` adds what a task that must not be lost needs: how many attempts it gets, how long a worker's lease
lasts between heartbeats and an idempotency ``key`` (a format string filled from the task's arguments, e.g.
``"notification-email:{0}"``): enqueueing a task whose key is already queued, running or done returns that
task instead of adding a second. The worker (``manage.py worker``, ``ownpath.core.queue.worker``) runs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.backends.immediate import ImmediateBackend as DjangoImmediateBackend
from django.tasks.base import Task as DjangoTask
from django.tasks.base import TaskError, TaskResult, TaskResultStatus
from django.tasks.exceptions import InvalidTask, TaskResultDoesNotExist
from django.tasks.signals import task_enqueued
from django.utils import timezone
from django.utils.json import normalize_json


@dataclass(frozen=True, slots=True, kw_only=True)
class Task(DjangoTask):  # type: ignore[type-arg]  # (a generic dataclass at run time: no [P, R] here)
    max_attempts: int = 5
    # Seconds a worker holds a task without a heartbeat; 0 takes OWNPATH_TASK_LEASE_SECONDS.
    lease_seconds: int = 0
    # Idempotency key template, formatted with the task's arguments: "directory-import:{0}", "{job_id}".
    key: str = ""

    def key_for(self, args: Any, kwargs: Any) -> str | None:
        if not self.key:
            return None
        try:
            return self.key.format(*args, **kwargs)[:200]
        except (IndexError, KeyError) as exc:
            raise InvalidTask(f"key {self.key!r} of {self.module_path} does not fit its arguments") from exc


def _check_options(task: DjangoTask[Any, Any]) -> None:
    if isinstance(task, Task) and not 1 <= task.max_attempts <= 100:
        raise InvalidTask("max_attempts must be between 1 and 100.")


def to_result(row: Any, task: DjangoTask[Any, Any] | None = None) -> TaskResult[Any, Any]:
    from django.utils.module_loading import import_string

    task = task or import_string(row.task_path)
    result: TaskResult[Any, Any] = TaskResult(
        task=task,
        id=str(row.pk),
        status=TaskResultStatus(row.status),
        enqueued_at=row.enqueued_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        last_attempted_at=row.last_attempted_at,
        args=row.args_kwargs.get("args", []),
        kwargs=row.args_kwargs.get("kwargs", {}),
        backend=row.backend_name,
        errors=[
            TaskError(exception_class_path=e.get("exception_class_path", ""), traceback=e.get("traceback", ""))
            for e in row.errors
        ],
        worker_ids=list(row.worker_ids),
    )
    object.__setattr__(result, "_return_value", row.return_value)
    return result


class DatabaseBackend(BaseTaskBackend):
    task_class = Task
    supports_defer = True
    supports_async_task = False
    supports_get_result = True
    supports_priority = True

    def validate_task(self, task: DjangoTask[Any, Any]) -> None:
        super().validate_task(task)
        _check_options(task)

    def enqueue(self, task: DjangoTask[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any, Any]:
        from ownpath.core.queue.models import QueuedTask

        self.validate_task(task)
        key = task.key_for(args, kwargs) if isinstance(task, Task) else None
        now = timezone.now()
        row = QueuedTask(
            task_path=task.module_path,
            queue_name=task.queue_name,
            backend_name=self.alias,
            priority=task.priority,
            args_kwargs=normalize_json({"args": list(args), "kwargs": dict(kwargs)}),
            key=key,
            run_after=task.run_after or now,
            enqueued_at=now,
            max_attempts=getattr(task, "max_attempts", 5),
            lease_seconds=getattr(task, "lease_seconds", 0) or settings.OWNPATH_TASK_LEASE_SECONDS,
        )
        if key is None:
            row.save(force_insert=True)
        else:
            existing = QueuedTask.objects.filter(key=key).first()
            if existing is not None:
                return to_result(existing, task)
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
            except IntegrityError:  # another process enqueued the same key a moment ago
                return to_result(QueuedTask.objects.get(key=key), task)
        result = to_result(row, task)
        task_enqueued.send(type(self), task_result=result)
        return result

    def get_result(self, result_id: str) -> TaskResult[Any, Any]:
        from django.core.exceptions import ValidationError

        from ownpath.core.queue.models import QueuedTask

        try:
            return to_result(QueuedTask.objects.get(pk=result_id))
        except (QueuedTask.DoesNotExist, ValidationError) as exc:
            raise TaskResultDoesNotExist(result_id) from exc


class ImmediateBackend(DjangoImmediateBackend):
    """Runs each task at once in the caller (the test settings); knows ownpath's task options."""

    task_class = Task

    def validate_task(self, task: DjangoTask[Any, Any]) -> None:
        super().validate_task(task)
        _check_options(task)
