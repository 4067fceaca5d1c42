"""``manage.py jobs``: the periodic jobs the modules declare, with their last and next run.

The jobs themselves run in ``manage.py worker`` (which also enqueues them, once per period however many
workers run) or in ``manage.py scheduler`` next to ``worker --no-schedule``; ``jobs --run-due`` enqueues what
is due now and runs it in this process, for a deployment without a resident worker (a cron line).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from ownpath.core.queue.services import periodic_jobs


def _when(value: Any) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "-"


def write_jobs(out: Any) -> None:
    for row in periodic_jobs():
        job, last = row["job"], row["last"]
        if last is None:
            done = "never run"
        else:
            done = f"{last.status.lower()} {_when(last.finished_at or last.started_at or last.enqueued_at)}"
            if last.status == "FAILED":
                done += f" ({last.last_error})"
        out.write(f"{job.key:30} every {job.every}  last: {done}  next: {_when(row['next'])}\n{'':30} {job.task}")


class Command(BaseCommand):
    help = "List the periodic jobs with their last and next run; --run-due runs those due now in this process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--run-due", action="store_true", help="enqueue the jobs due now and run the queue once")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["run_due"]:
            from ownpath.core.queue.worker import Worker, schedule_due

            for key in schedule_due():
                self.stdout.write(f"enqueued {key}")
            Worker(burst=True, schedule=False).run()
        write_jobs(self.stdout)
