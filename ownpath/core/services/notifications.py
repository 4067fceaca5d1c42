"""Notifications in the app and by e-mail (sent by the task worker)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ownpath.core.models import Notification, User


def notify(user: User, title: str, *, body: str = "", url: str = "", email: bool = True) -> Notification:
    notification = Notification.objects.create(user=user, title=title, body=body, url=url)
    if email and user.email:
        from ownpath.core.tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.enqueue(notification.pk))
    return notification


def mark_read(user: User, notification_ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
