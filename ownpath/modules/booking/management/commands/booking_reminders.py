"""Send the day-before and hour-before reminders of appointments. The worker runs it every five minutes (`manage.py jobs`); this runs it once by hand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ownpath.modules.booking.services import send_reminders


class Command(BaseCommand):
    help = "Remind clients of their appointments a day and an hour before, by e-mail and SMS, in their language."

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_reminders()
        self.stdout.write(f"Reminders sent: {run.day} a day before, {run.hour} an hour before.")
