from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Send the day's counselling reminders: overdue referrals (to both sides, once), overdue path steps "
        "due follow-ups and residence titles expiring within 60 days. The worker runs it daily (`manage.py jobs`); "
        "this runs it once by hand."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from ownpath.modules.counselling.services import send_reminders

        run = send_reminders()
        self.stdout.write(
            f"Reminders sent: {run.referrals} overdue referral(s), {run.steps} overdue step(s), "
            f"{run.follow_ups} due follow-up(s), {run.expiring_titles} expiring residence title(s)."
        )
