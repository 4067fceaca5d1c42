"""Core's sections of a person's own space (``/portal/me/``): messages, notifications, consents, their data.

Each function gets the signed-in account's own record and returns the context of its section. Reads are
audited as the person's own (the actor is the person's account).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from ownpath.core.choices import Channel
from ownpath.core.models import Consent, Notification, Person, PersonMessage
from ownpath.core.services import audit, person_messages


def messages_section(request: HttpRequest, person: Person) -> dict[str, Any]:
    found = list(PersonMessage.objects.filter(person=person).select_related("organisation", "sender")[:20])
    if found:
        audit.record_read(request.user, person, channel=Channel.UI, fields=["messages"], purpose="own_access")
        person_messages.mark_read(person)
    return {"person_messages": found}


def notifications_section(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    found = list(Notification.objects.filter(user_id=request.user.pk or 0)[:10])
    return {"notifications": found} if found else None


def consents_section(request: HttpRequest, person: Person) -> dict[str, Any]:
    consents = list(Consent.objects.filter(person=person).select_related("organisation").prefetch_related("recipients"))
    if consents:
        audit.record_read(request.user, person, channel=Channel.UI, fields=["consents"], purpose="own_access")
    return {"consents": consents}


def data_section(request: HttpRequest, person: Person) -> dict[str, Any]:
    return {"person": person}


class PersonMessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message"), max_length=person_messages.MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


def staff_messages_tab(request: HttpRequest, person: Person) -> dict[str, Any]:
    """The person page's tab of messages to the person: what was sent, and a form when they have an account."""
    return {
        "sent_messages": list(PersonMessage.objects.filter(person=person).select_related("sender")[:50]),
        "message_form": PersonMessageForm() if person.account_id else None,
        "can_write": request.user.has_perm("core.add_note", person),
    }
