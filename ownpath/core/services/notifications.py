"""Notifications in the app and by e-mail (sent by the task worker)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from ownpath.core.models import Membership, Notification, User
from ownpath.core.sensitivity import Lens, cell, lens_for


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


def staff_of(organisation_id: int, roles: Iterable[str]) -> list[User]:
    """The active users holding one of ``roles`` in the organisation, each once."""
    members = Membership.objects.filter(
        organisation_id=organisation_id, role__in=list(roles), is_active=True, user__is_active=True
    ).select_related("user")
    return list({m.user_id: m.user for m in members}.values())


def notify_each(
    users: Iterable[User], title: Any, *, body: Any = "", url: str = "", person: Any = None, **params: Any
) -> None:
    """Notify every user in their own language. Translatable texts (lazy gettext) are translated and then
    filled with ``params``; plain text (a reader's comment, say) is passed as it is.

    A text or parameter wrapped in ``Sensitive`` (a legal question, a health detail) reaches a user only if
    their lens on ``person`` reads its group (``core.sensitivity``), else it is left empty."""

    for user in users:
        lens = lens_for(user, person) if person is not None else None
        with translation.override(user.preferred_language or "en"):
            notify(user, _text(title, lens, params), body=_text(body, lens, params), url=url)


def _text(value: Any, lens: Lens | None, params: dict[str, Any]) -> str:
    value = cell(value, lens)
    if isinstance(value, Promise):
        return str(value) % {key: cell(param, lens) for key, param in params.items()}
    return str(value)
