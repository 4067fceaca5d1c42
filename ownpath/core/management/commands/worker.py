"""``manage.py worker``: run background tasks (and, unless --no-schedule, enqueue the periodic jobs)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ownpath.core.queue.worker import Worker


class Command(BaseCommand):
    help = (
        "Run background tasks from the database queue with a lease and heartbeat per task, retrying failures "
        "and re-queueing the tasks of workers that died. Run as many as you like, on any machine."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue", action="append", dest="queues", help="a queue to serve (default: default)")
        parser.add_argument("--no-schedule", action="store_true", help="leave the periodic jobs to `scheduler`")
        parser.add_argument("--burst", action="store_true", help="stop when no task is ready")
        parser.add_argument("--max-tasks", type=int, default=None, help="stop after this many tasks")
        parser.add_argument("--worker-id", default=None, help="name this worker (default: host:pid:random)")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(
            options["queues"],
            worker_id=options["worker_id"],
            schedule=not options["no_schedule"],
            burst=options["burst"],
            max_tasks=options["max_tasks"],
        )
        worker.handle_signals()
        done = worker.run()
        self.stdout.write(f"worker {worker.worker_id}: {done} task(s) run")
