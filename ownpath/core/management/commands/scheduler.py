"""``manage.py scheduler``: enqueue each periodic job once per period and re-queue tasks of dead workers."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from ownpath.core.queue.worker import reap, schedule_due


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs the modules declare (reminders, expiries, reports), once per period however "
        "many schedulers and workers run; --list shows them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--list",
            action="store_true",
            help="list the periodic jobs with their last and next runs (as `manage.py jobs`)",
        )
        parser.add_argument("--once", action="store_true", help="enqueue what is due now, then stop")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            from ownpath.core.management.commands.jobs import write_jobs

            write_jobs(self.stdout)
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        interval = min(15.0, settings.OWNPATH_TASK_LEASE_SECONDS / 3)
        while True:
            try:
                for key in schedule_due():
                    self.stdout.write(f"enqueued {key}")
                reap()
            except Exception as exc:  # the database went away: say so and try again at the next tick
                self.stderr.write(f"scheduler: {exc}")
                connections.close_all()
            if options["once"] or stop.wait(interval):
                break
