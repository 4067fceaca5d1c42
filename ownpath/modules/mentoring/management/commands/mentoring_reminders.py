from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ownpath.modules.mentoring import services


class Command(BaseCommand):
    help = "Remind mentors and coordinators of pairs whose meetings lapsed beyond the agreed frequency (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.send_reminders()
        self.stdout.write(f"Reminded {count} pair(s).")
