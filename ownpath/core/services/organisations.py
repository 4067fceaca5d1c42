"""Writes to the network: organisations, and who works for them in which role."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ownpath.core.choices import AuditAction, Channel, Role
from ownpath.core.models import Membership, Organisation, User
from ownpath.core.services import audit


@transaction.atomic
def save_organisation(actor: Any, organisation: Organisation, networks: Any = None) -> Organisation:
    """Create or change an organisation (network administrators); the hierarchy is validated."""
    if not actor.has_perm("core.manage_network"):
        raise PermissionDenied(_("Only network administrators can change organisations."))
    created = organisation.pk is None
    organisation.full_clean()
    organisation.save()
    if networks is not None:
        organisation.networks.set(networks)
    audit.record(
        actor,
        AuditAction.CREATE if created else AuditAction.UPDATE,
        channel=Channel.UI,
        obj=organisation,
        organisation_id=organisation.pk,
    )
    return organisation


@transaction.atomic
def add_member(
    actor: Any, organisation: Organisation, *, email: str, role: str, first_name: str = "", last_name: str = ""
) -> Membership:
    """Give a person a role in ``organisation``, creating their staff account when they have none.

    A new account has no usable password: its owner sets one through "forgot your password" and must
    then set up the second factor before anything else.
    """
    if not actor.has_perm("core.manage_members", organisation):
        raise PermissionDenied(_("You cannot manage the staff of this organisation."))
    if role == Role.NETWORK_ADMIN and not actor.has_perm("core.manage_network"):
        raise PermissionDenied(_("Only network administrators can appoint network administrators."))
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        if not (first_name.strip() and last_name.strip()):
            raise ValidationError(_("This e-mail has no account yet: give the person's first and last name."))
        user = User(email=email, username=email, first_name=first_name.strip(), last_name=last_name.strip())
        user.set_unusable_password()
        user.full_clean()
        user.save()
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if not created and membership.is_active:
        raise ValidationError(_("%(user)s already has this role here.") % {"user": user})
    membership.is_active = True
    membership.save()
    audit.record(
        actor,
        AuditAction.CREATE,
        channel=Channel.UI,
        obj=membership,
        organisation_id=organisation.pk,
        detail={"user": user.pk, "role": role},
    )
    return membership


@transaction.atomic
def end_membership(actor: Any, membership: Membership) -> Membership:
    if not actor.has_perm("core.manage_members", membership.organisation):
        raise PermissionDenied(_("You cannot manage the staff of this organisation."))
    if membership.user_id == actor.pk and membership.role == Role.ORG_ADMIN:
        raise ValidationError(_("You cannot remove your own administrator role."))
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit.record(
        actor,
        AuditAction.UPDATE,
        channel=Channel.UI,
        obj=membership,
        organisation_id=membership.organisation_id,
        detail={"ended": True},
    )
    return membership
