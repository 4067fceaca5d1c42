"""Messages from staff to a person with their own account, read in the person's own space."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ownpath.core.choices import AuditAction, Channel
from ownpath.core.models import Person, PersonMessage
from ownpath.core.services import audit, notifications

MAX_LENGTH = 2000


@transaction.atomic
def send(actor: Any, person: Person, body: str, *, channel: Channel = Channel.UI) -> PersonMessage:
    """Write to ``person``; they read it in ``/portal/me/`` and get a notification (in their language)."""
    if not actor.has_perm("core.add_note", person):
        raise PermissionDenied(_("You cannot write to this person."))
    if person.account_id is None:
        raise ValidationError(_("This person has no account of their own yet, so they could not read a message."))
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the message.")})
    if len(body) > MAX_LENGTH:
        raise ValidationError({"body": _("Say it in 2000 characters or fewer.")})
    message = PersonMessage.objects.create(person=person, sender=actor, organisation=person.organisation, body=body)
    audit.record(actor, AuditAction.CREATE, channel=channel, person=person, obj=message, fields=["messages"])
    try:  # the person's own space is the portal's; without the portal the notification has no link
        url = reverse("portal:me") + "#messages"
    except NoReverseMatch:
        url = ""
    notifications.notify_each(
        [person.account],  # type: ignore[list-item]
        gettext_lazy("A new message from %(organisation)s"),
        url=url,
        organisation=person.organisation.name,
    )
    return message


def mark_read(person: Person) -> int:
    return PersonMessage.objects.filter(person=person, read_at__isnull=True).update(read_at=timezone.now())
