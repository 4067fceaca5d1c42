"""Core's own event handlers (registered by CoreConfig.event_handlers)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ownpath.core.choices import Role
from ownpath.core.models import Membership, Organisation
from ownpath.core.services.notifications import notify


def tell_receivers_of_a_share(*, person_id: int, organisation_id: int, purpose: str, consent_id: int) -> None:
    """A record shared with an organisation: its administrators and counsellors hear of it, in their language."""
    organisation = Organisation.objects.get(pk=organisation_id)
    members = Membership.objects.filter(
        organisation=organisation, role__in=[Role.ORG_ADMIN, Role.COUNSELLOR], is_active=True
    ).select_related("user")
    for user in {m.user for m in members if m.user.is_active}:
        with translation.override(user.preferred_language or "en"):
            notify(
                user,
                _("A record was shared with %(organisation)s") % {"organisation": organisation.name},
                body=_("Open it from the notification; the person's consent limits what you see."),
                url=reverse("core:person", args=[person_id]),
            )
