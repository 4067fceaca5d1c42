from __future__ import annotations

from typing import Any

from django.tasks import task
from django.tasks.base import TaskResultStatus

WORKER_LOST = "ownpath.core.queue.worker.WorkerLost"


# Three attempts: a worker that dies importing a file (out of memory, killed) is not given it five times.
@task(key="directory-import:{0}", max_attempts=3)  # type: ignore[call-overload]  # ownpath.core.queue.backend.Task
def run_import(job_id: int, owner_id: int | None, language: str) -> str:
    """Idempotent: every record is written by id, so a second run (its worker died half-way) completes the
    import, and a job already done or failed is not run again."""
    from ownpath.modules.directory.services import run_import_job

    return run_import_job(job_id, owner_id, language).status


def import_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """``task_finished``: an import task that failed for good marks its job failed, with the reason."""
    if task_result.task.module_path != run_import.module_path or not task_result.args:
        return
    from ownpath.modules.directory.services import import_task_ended

    errors = list(task_result.errors)
    import_task_ended(
        task_result.args[0],
        failed=task_result.status == TaskResultStatus.FAILED,
        worker_lost=bool(errors) and errors[-1].exception_class_path == WORKER_LOST,
    )
