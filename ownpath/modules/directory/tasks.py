from __future__ import annotations

from django.tasks import task


@task(key="directory-import:{0}")  # type: ignore[call-overload]  # ownpath.core.queue.backend.Task
def run_import(job_id: int, owner_id: int | None, language: str) -> str:
    """Idempotent: the import is one transaction, and a job already done or failed is not run again."""
    from ownpath.modules.directory.services import run_import_job

    return run_import_job(job_id, owner_id, language).status
