"""Core's own event handlers (registered by CoreConfig.event_handlers)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ownpath.core.choices import Role
from ownpath.core.models import Organisation
from ownpath.core.services.notifications import notify_each, staff_of


def tell_receivers_of_a_share(*, person_id: int, organisation_id: int, purpose: str, consent_id: int) -> None:
    """A record shared with an organisation: its administrators and counsellors hear of it, in their language."""
    organisation = Organisation.objects.get(pk=organisation_id)
    notify_each(
        staff_of(organisation.pk, [Role.ORG_ADMIN, Role.COUNSELLOR]),
        _("A record was shared with %(organisation)s"),
        body=_("Open it from the notification; the person's consent limits what you see."),
        url=reverse("core:person", args=[person_id]),
        organisation=organisation.name,
    )
