"""Background tasks of core, run by the worker (``manage.py worker``); each body may run twice safely."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation


@task(key="notification-email:{0}")  # type: ignore[call-overload]  # ownpath.core.queue.backend.Task
def send_notification_email(notification_id: int) -> bool:
    """Idempotent: the notification is marked e-mailed in the transaction that sends it, so a second run
    finds nothing to send; a failed send rolls the mark back and the retry sends it."""
    from ownpath.core.models import Notification

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("user").filter(pk=notification_id, emailed=False)
        ).first()
        if notification is None:
            return False
        Notification.objects.filter(pk=notification.pk).update(emailed=True)
        # Put into words in the recipient's language at the moment of sending.
        with translation.override(notification.user.preferred_language or settings.LANGUAGE_CODE):
            subject, body = notification.heading, notification.text
        send_mail(subject, body or subject, None, [notification.user.email])
    return True


@task()
def retention_report() -> int:
    """The scheduled half of the retention sweep: report what is due; deleting needs a person to apply it.
    Scheduled once a day; a second run only adds a second report of the same findings."""
    from ownpath.core.services.gdpr import build_retention_report

    return build_retention_report().pk


@task()
def prune_tasks(days: int = 30) -> int:
    """Delete the records of tasks that succeeded more than ``days`` ago (failed ones stay for a person)."""
    from ownpath.core.queue.models import QueuedTask

    cutoff = timezone.now() - timedelta(days=days)
    return QueuedTask.objects.filter(status="SUCCESSFUL", finished_at__lt=cutoff).delete()[0]


@task()
def audit_partitions() -> list[str]:
    """Keep the monthly partitions of every partitioned table (the audit log, monitoring's facts) three
    months ahead (PostgreSQL; scheduled daily); a second run creates nothing."""
    from ownpath.core.partitions import ensure_all_monthly_partitions

    return ensure_all_monthly_partitions()


@task()
def audit_seal() -> int:
    """Seal the audit events committed since the last run into the hash chain (scheduled every five minutes);
    returns how many. Concurrent runs wait for each other; a second run seals nothing new."""
    from ownpath.core.services.audit import seal

    return seal()
