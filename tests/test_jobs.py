"""Scheduled jobs: declared in the registry, enqueued once per period however many workers race for it, a
failing job recorded without stopping the others, ``manage.py jobs`` showing last and next run, and the
jobs that were missing (partnership agreements end)."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from django.utils.module_loading import import_string

from ownpath.core.queue import worker as queue
from ownpath.core.queue.models import QueuedTask
from ownpath.core.registry import PeriodicJob, registry
from tests.factories import OrganisationFactory

DB_BACKEND = {"default": {"BACKEND": "ownpath.core.queue.backend.DatabaseBackend"}}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_run_each_job_once_per_period(settings: object, monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two workers need a database two connections can share")
    settings.TASKS = DB_BACKEND  # type: ignore[attr-defined]
    jobs = (PeriodicJob("test.fine", "tests.queue_tasks.fine_job", timedelta(days=1)),)
    monkeypatch.setattr(registry, "periodic_jobs", jobs)
    start = threading.Barrier(2)
    done: list[int] = []

    def work(name: str) -> None:
        try:
            start.wait(10)
            done.append(queue.Worker(worker_id=name, burst=True).run())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    rows = list(QueuedTask.objects.filter(key__startswith="schedule:test.fine:"))
    assert len(rows) == 1 and rows[0].status == "SUCCESSFUL" and rows[0].attempts == 1
    assert sorted(done) == [0, 1]


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_run(settings: object, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.TASKS = DB_BACKEND  # type: ignore[attr-defined]
    monkeypatch.setattr(
        registry,
        "periodic_jobs",
        (
            PeriodicJob("test.broken", "tests.queue_tasks.broken_job", timedelta(days=1)),
            PeriodicJob("test.missing", "tests.queue_tasks.no_such_job", timedelta(days=1)),
            PeriodicJob("test.fine", "tests.queue_tasks.fine_job", timedelta(hours=1)),
        ),
    )
    out = StringIO()
    call_command("jobs", stdout=out)
    assert out.getvalue().count("never run") == 3
    now = timezone.now()
    assert [key.split(":")[1] for key in queue.schedule_due(now)] == ["test.broken", "test.fine"]
    assert queue.Worker(burst=True, schedule=False).run() == 2
    assert dict(QueuedTask.objects.values_list("task_path", "status")) == {
        "tests.queue_tasks.broken_job": "FAILED",
        "tests.queue_tasks.fine_job": "SUCCESSFUL",
    }
    out = StringIO()
    call_command("jobs", stdout=out)
    lines = out.getvalue().splitlines()
    broken = next(line for line in lines if line.startswith("test.broken"))
    assert "last: failed" in broken and "the job broke" in broken
    next_hour = timezone.localtime(PeriodicJob("x", "y", timedelta(hours=1)).period_start(now) + timedelta(hours=1))
    fine = next(line for line in lines if line.startswith("test.fine"))
    assert "last: successful" in fine and f"next: {next_hour:%Y-%m-%d %H:%M}" in fine
    assert "next: " + f"{timezone.localtime(now):%Y-%m-%d %H:%M}" in next(
        line for line in lines if line.startswith("test.missing")
    )


@pytest.mark.django_db
def test_partnership_agreements_past_their_end_are_ended_by_their_job() -> None:
    from ownpath.modules.employers.choices import AgreementStatus
    from ownpath.modules.employers.models import PartnershipAgreement

    assert "employers.expire_agreements" in {job.key for job in registry.periodic_jobs}
    employer, partner = OrganisationFactory(), OrganisationFactory()
    today = timezone.localdate()

    def agreement(ends_on: date, status: str = AgreementStatus.ACTIVE) -> PartnershipAgreement:
        return PartnershipAgreement.objects.create(
            employer=employer, partner=partner, starts_on=today - timedelta(days=400), ends_on=ends_on, status=status
        )

    past, last_day, draft = (
        agreement(today - timedelta(days=1)),
        agreement(today),
        agreement(today - timedelta(days=5), AgreementStatus.DRAFT),
    )
    job = next(job for job in registry.periodic_jobs if job.key == "employers.expire_agreements")
    assert import_string(job.task).call() == 1
    past.refresh_from_db(), last_day.refresh_from_db(), draft.refresh_from_db()
    assert (past.status, last_day.status, draft.status) == (
        AgreementStatus.ENDED,
        AgreementStatus.ACTIVE,
        AgreementStatus.DRAFT,
    )
