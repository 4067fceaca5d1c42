from __future__ import annotations

from django.tasks import task


@task()
def send_reminders() -> dict[str, int]:
    """Appointment reminders (scheduled every five minutes). Idempotent: each reminder is claimed in the
    database before it is sent, so two runs never send it twice."""
    from ownpath.modules.booking.services import send_reminders as send

    run = send()
    return {"day": run.day, "hour": run.hour}
