"""Hand-overs between modules: a caller of one service passed to an organisation that takes them on.

The helpline creates a hand-over once the caller has agreed aloud (the words and who recorded them are
kept); the counselling module hears of it through ``core.handover_created``, opens a record for the
person and answers through :func:`answer_handover`; the sender hears the answer through
``core.handover_answered``. Neither module imports the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ownpath.core import access, events
from ownpath.core.choices import AuditAction, Channel, ConsentPurpose
from ownpath.core.languages import LANGUAGE_CODES
from ownpath.core.models import Handover, HandoverStatus, Organisation, Person
from ownpath.core.services import audit

CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")


def may_receive(user: Any, handover: Handover) -> bool:
    return bool(access.roles_at(user, handover.to_organisation_id) & access.CASEWORK_ROLES)


@transaction.atomic
def create_handover(
    actor: Any,
    *,
    source: str,
    source_ref: str,
    from_organisation: Organisation,
    to_organisation: Organisation | None,
    language: str,
    subject: str,
    summary: str,
    contact: Mapping[str, str],
    consent_given: bool,
    consent_statement: str,
    best_time: str = "",
    channel: Channel = Channel.UI,
) -> Handover:
    """Record a hand-over; refused (nothing saved) without the person's consent or a way to reach them."""
    errors: dict[str, Any] = {}
    if not consent_given:
        errors["consent"] = _("The person has not agreed to be handed over: ask and record their consent first.")
    if not consent_statement.strip():
        errors["consent_statement"] = _("Write down what the person agreed to.")
    if to_organisation is None:
        errors["to_organisation"] = _("Choose the organisation that takes the person on.")
    elif to_organisation.pk == from_organisation.pk:
        errors["to_organisation"] = _("Choose another organisation than your own.")
    if language not in LANGUAGE_CODES:
        errors["language"] = _("Unknown language code: %(code)s.") % {"code": language}
    if not subject.strip():
        errors["subject"] = _("Say what the person needs help with.")
    name = (contact.get("name") or "").strip()
    phone = (contact.get("phone") or "").strip()
    email = (contact.get("email") or "").strip()
    if not name:
        errors["contact_name"] = _("The receiving centre needs a name to open a record.")
    if not phone and not email:
        errors["contact_phone"] = _("Give a phone number or an e-mail address so the centre can reach the person.")
    if phone and not _looks_like_phone(phone):
        errors["contact_phone"] = _("Enter a phone number with digits only, spaces and an optional leading +.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = _("Enter a valid e-mail address.")
    if errors:
        raise ValidationError(errors)
    assert to_organisation is not None
    handover = Handover.objects.create(
        source=source,
        source_ref=source_ref,
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        language=language,
        subject=subject.strip()[:300],
        summary=summary.strip(),
        contact_name=name,
        contact_phone=phone,
        contact_email=email,
        best_time=best_time.strip()[:200],
        consent_statement=consent_statement.strip(),
        consent_given_at=timezone.now(),
        consent_recorded_by=actor,
    )
    audit.record(
        actor,
        AuditAction.CREATE,
        channel=channel,
        organisation_id=from_organisation.pk,
        obj=handover,
        purpose=ConsentPurpose.HELPLINE_HANDOVER,
        fields=[f for f, v in zip(CONTACT_FIELDS, (name, phone, email), strict=True) if v],
        detail={"to": to_organisation.pk, "source": source},
    )
    events.publish(
        events.HANDOVER_CREATED,
        handover_id=handover.pk,
        to_organisation_id=to_organisation.pk,
        source=source,
        source_ref=source_ref,
    )
    return handover


def _looks_like_phone(value: str) -> bool:
    digits = value.replace(" ", "").replace("-", "")
    return digits.lstrip("+").isdigit() and 6 <= len(digits.lstrip("+")) <= 15


def read_handover(actor: Any, handover: Handover, *, channel: Channel = Channel.UI) -> Handover:
    """The hand-over for someone of the receiving organisation; the read of contact details is audited."""
    if not may_receive(actor, handover):
        raise PermissionDenied(_("Only the receiving organisation sees this hand-over."))
    audit.record(
        actor,
        AuditAction.READ,
        channel=channel,
        organisation_id=handover.to_organisation_id,
        obj=handover,
        purpose=ConsentPurpose.HELPLINE_HANDOVER,
        fields=[f for f in CONTACT_FIELDS if getattr(handover, f)],
    )
    return handover


@transaction.atomic
def answer_handover(
    actor: Any,
    handover: Handover,
    *,
    accept: bool,
    person: Person | None = None,
    reason: str = "",
    channel: Channel = Channel.UI,
) -> Handover:
    """Accept (with the record opened for the person) or decline (with a reason); contact details are then
    cleared from the hand-over."""
    if not may_receive(actor, handover):
        raise PermissionDenied(_("Only the receiving organisation can answer this hand-over."))
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.status != HandoverStatus.OPEN:
        raise ValidationError(_("This hand-over has already been answered."))
    if accept and person is None:
        raise ValidationError(_("Open a record for the person to accept the hand-over."))
    if accept and person is not None and person.organisation_id != handover.to_organisation_id:
        raise ValidationError(_("The record must be held by the receiving organisation."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why the hand-over is declined.")})
    handover.status = HandoverStatus.ACCEPTED if accept else HandoverStatus.DECLINED
    handover.person = person if accept else None
    handover.reason = "" if accept else reason.strip()
    handover.answered_by = actor
    handover.answered_at = timezone.now()
    for name in CONTACT_FIELDS:
        setattr(handover, name, "")
    handover.save()
    audit.record(
        actor,
        AuditAction.UPDATE,
        channel=channel,
        organisation_id=handover.to_organisation_id,
        person=person if accept else None,
        obj=handover,
        fields=["status"],
        detail={"status": handover.status},
    )
    events.publish(
        events.HANDOVER_ANSWERED,
        handover_id=handover.pk,
        source=handover.source,
        source_ref=handover.source_ref,
        status=handover.status,
        person_id=person.pk if accept and person is not None else None,
    )
    return handover
