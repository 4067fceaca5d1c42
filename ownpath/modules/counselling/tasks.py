from __future__ import annotations

from django.tasks import task


@task()
def send_reminders() -> dict[str, int]:
    """The day's counselling reminders (scheduled daily). Idempotent: each reminder is recorded as sent and
    never sent again."""
    from ownpath.modules.counselling.services import send_reminders as send

    run = send()
    return {"referrals": run.referrals, "steps": run.steps, "follow_ups": run.follow_ups, "titles": run.expiring_titles}
