"""Background tasks of core, run by the worker (``manage.py db_worker``)."""

from __future__ import annotations

from django.core.mail import send_mail
from django.tasks import task


@task()
def send_notification_email(notification_id: int) -> bool:
    from ownpath.core.models import Notification

    notification = Notification.objects.select_related("user").filter(pk=notification_id, emailed=False).first()
    if notification is None:
        return False
    send_mail(notification.title, notification.body or notification.title, None, [notification.user.email])
    Notification.objects.filter(pk=notification.pk).update(emailed=True)
    return True


@task()
def retention_report() -> int:
    """The scheduled half of the retention sweep: report what is due; deleting needs a person to apply it."""
    from ownpath.core.services.gdpr import build_retention_report

    return build_retention_report().pk
