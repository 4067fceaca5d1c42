from __future__ import annotations

from django.tasks import task


@task()
def send_reminders() -> int:
    """Reminders of pairs that stopped meeting (scheduled daily); a pair is reminded once per lapse."""
    from ownpath.modules.mentoring.services import send_reminders as send

    return send()
