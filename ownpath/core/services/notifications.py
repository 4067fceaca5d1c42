"""Notifications in the app and by e-mail (sent by the task worker)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from ownpath.core import messages
from ownpath.core.models import Membership, Notification, User
from ownpath.core.sensitivity import cell, lens_for


def notify(
    user: User,
    title: Any,
    *,
    body: Any = "",
    url: str = "",
    email: bool = True,
    params: dict[str, Any] | None = None,
) -> Notification:
    """Keep a notification for ``user``. A translatable title/body (``gettext_lazy``) is stored as its message
    id with ``params`` and put into words in the reader's language when read; plain text (a reader's own
    comment, say) is kept as it is."""
    title_id, title_text = messages.split(title)
    body_id, body_text = messages.split(body) if body else ("", "")
    stored = messages.encode(params or {})
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        # The text as first written, in the user's language: the fallback if a message id ever goes away.
        title_text = title_text or messages.render(title_id, stored)
        body_text = body_text or messages.render(body_id, stored)
    notification = Notification.objects.create(
        user=user,
        title=title_text[:200],
        body=body_text,
        title_id=title_id,
        body_id=body_id,
        params=stored if (title_id or body_id) else {},
        url=url,
    )
    if email and user.email:
        from ownpath.core.tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.enqueue(notification.pk))
    return notification


def mark_read(user: User, notification_ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    from ownpath.core import access

    access.forget_user(user)  # the header's count of unread notices
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
    """Notify every user; each reads it in their own language (see :func:`notify`). ``params`` fill the
    translatable texts: dates, :func:`ownpath.core.messages.language` codes and lazy labels are put into
    words for each reader.

    A text or parameter wrapped in ``Sensitive`` (a legal question, a health detail) reaches a user only if
    their lens on ``person`` reads its group (``core.sensitivity``), else it is left empty."""
    for user in users:
        lens = lens_for(user, person) if person is not None else None
        notify(
            user,
            cell(title, lens),
            body=cell(body, lens),
            url=url,
            params={key: cell(value, lens) for key, value in params.items()},
        )
