"""Consent, and the one place that decides whether a person's data may go to another organisation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ownpath.core import events
from ownpath.core.choices import AuditAction, Channel, ConsentPurpose, DataScope
from ownpath.core.models import Consent, Organisation, Person, PersonShare
from ownpath.core.services import audit


def _forget(person: Person) -> None:
    from ownpath.core import access

    access.forget(person)


@dataclass(frozen=True)
class ShareDecision:
    allowed: bool
    reason: str
    consent: Consent | None = None

    def __bool__(self) -> bool:
        return self.allowed


def may_share(
    person: Person,
    from_organisation: Organisation,
    to_organisation: Organisation,
    purpose: str,
    scope: Iterable[str] = (DataScope.IDENTITY,),
) -> ShareDecision:
    """Whether ``person``'s data in ``scope`` may go from one organisation to another for ``purpose``.

    It may when the person gave a consent, still active, that names the sender, the recipient, the purpose
    and every part of the scope. The answer names the consent that allows it, or why not.
    """
    wanted = set(scope)
    if person.is_anonymised:
        return ShareDecision(False, _("The record has been erased."))
    if from_organisation.pk == to_organisation.pk:
        return ShareDecision(True, _("Same organisation."))
    now = timezone.now()
    consents = (
        Consent.objects.filter(
            person=person,
            organisation=from_organisation,
            recipients=to_organisation,
            purpose=purpose,
            given_at__lte=now,
            withdrawn_at__isnull=True,
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by("-given_at")
    )
    for consent in consents:
        if wanted <= set(consent.scope):
            return ShareDecision(
                True, _("Allowed by the consent given on %(date)s.") % {"date": consent.given_at.date()}, consent
            )
    if consents:
        return ShareDecision(False, _("The consent does not cover all the data asked for."))
    return ShareDecision(False, _("There is no active consent for this organisation and purpose."))


@transaction.atomic
def give_consent(
    actor: Any,
    person: Person,
    *,
    recipients: Iterable[Organisation],
    purpose: str,
    scope: Iterable[str],
    evidence: str,
    expires_at: Any = None,
    channel: Channel = Channel.UI,
) -> Consent:
    if not actor.has_perm("core.manage_consent", person):
        raise PermissionDenied(_("You cannot record consent for this person."))
    recipients = list(recipients)
    scope = sorted(set(scope))
    errors: dict[str, str] = {}
    if purpose not in ConsentPurpose.values:
        errors["purpose"] = _("Choose a purpose.")
    if not recipients:
        errors["recipients"] = _("Choose at least one organisation.")
    if not scope or not set(scope) <= set(DataScope.values):
        errors["scope"] = _("Choose what may be shared.")
    if not evidence.strip():
        errors["evidence"] = _("Say how the consent was given (signed form, spoken on a recorded call, ...).")
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry must be in the future.")
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        person=person,
        organisation=person.organisation,
        purpose=purpose,
        scope=scope,
        evidence=evidence.strip(),
        expires_at=expires_at,
        given_recorded_by=actor,
    )
    consent.recipients.set(recipients)
    audit.record(
        actor,
        AuditAction.CONSENT,
        channel=channel,
        person=person,
        obj=consent,
        purpose=purpose,
        detail={"given": True, "recipients": [o.pk for o in recipients], "scope": scope},
    )
    return consent


@transaction.atomic
def withdraw_consent(actor: Any, consent: Consent, *, evidence: str, channel: Channel = Channel.UI) -> Consent:
    """Record the withdrawal of ``consent``: by staff who manage the person's consents, or by the person
    themselves from their own account (``/portal/me/``)."""
    own = consent.person.account_id is not None and consent.person.account_id == getattr(actor, "pk", None)
    if not own and not actor.has_perm("core.manage_consent", consent.person):
        raise PermissionDenied(_("You cannot record consent for this person."))
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent has already been withdrawn."))
    if not evidence.strip():
        raise ValidationError({"evidence": _("Say how the withdrawal was made.")})
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_recorded_by = actor
    consent.withdrawal_evidence = evidence.strip()
    consent.save(update_fields=["withdrawn_at", "withdrawn_recorded_by", "withdrawal_evidence"])
    _forget(consent.person)
    audit.record(
        actor,
        AuditAction.CONSENT,
        channel=channel,
        person=consent.person,
        obj=consent,
        purpose=consent.purpose,
        detail={"withdrawn": True},
    )
    events.publish(
        events.CONSENT_WITHDRAWN, person_id=consent.person_id, consent_id=consent.pk, purpose=consent.purpose
    )
    return consent


def share_person(
    actor: Any,
    person: Person,
    to_organisation: Organisation,
    *,
    purpose: str,
    scope: Iterable[str] = (DataScope.IDENTITY,),
    channel: Channel = Channel.UI,
) -> PersonShare:
    """Let ``to_organisation`` see ``person``; refused unless ``may_share`` allows it."""
    if not actor.has_perm("core.change_person", person):
        raise PermissionDenied(_("You cannot share this record."))
    decision = may_share(person, person.organisation, to_organisation, purpose, scope)
    if not decision.allowed or decision.consent is None:
        audit.record(
            actor,
            AuditAction.DENIED,
            channel=channel,
            person=person,
            purpose=purpose,
            detail={"share_to": to_organisation.pk, "reason": decision.reason},
        )
        raise PermissionDenied(decision.reason)  # the refusal stays in the audit log: no transaction here
    with transaction.atomic():
        share, _created = PersonShare.objects.get_or_create(
            person=person, organisation=to_organisation, consent=decision.consent, defaults={"created_by": actor}
        )
        _forget(person)
        audit.record(
            actor,
            AuditAction.SHARE,
            channel=channel,
            person=person,
            obj=share,
            purpose=purpose,
            fields=list(scope),
            detail={"to": to_organisation.pk, "consent": decision.consent.pk},
        )
        events.publish(
            events.PERSON_SHARED,
            person_id=person.pk,
            organisation_id=to_organisation.pk,
            purpose=purpose,
            consent_id=decision.consent.pk,
        )
    return share


@transaction.atomic
def end_share(actor: Any, share: PersonShare, *, reason: str, channel: Channel = Channel.UI) -> None:
    """The receiving organisation no longer sees the person (it gave the case back, or the holder ended it)."""
    from ownpath.core import access

    receiver_roles = access.roles_at(actor, share.organisation_id)
    if not (receiver_roles & access.CASEWORK_ROLES or actor.has_perm("core.change_person", share.person)):
        raise PermissionDenied(_("You cannot end this sharing."))
    audit.record(
        actor,
        AuditAction.SHARE,
        channel=channel,
        person=share.person,
        obj=share,
        purpose=ConsentPurpose.REFERRAL,
        detail={"ended": True, "to": share.organisation_id, "reason": reason},
    )
    share.delete()
    _forget(share.person)
