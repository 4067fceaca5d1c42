"""People's own accounts without passwords: a one-time code by e-mail or SMS, then a claim that a
counsellor confirms before the account sees anything of the person's record."""

from __future__ import annotations

import contextlib
import re
import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ownpath.core import access
from ownpath.core.crypto import keyed_hash
from ownpath.core.models import Person, User
from ownpath.core.services import people as people_service
from ownpath.modules.portal.messaging import send_code
from ownpath.modules.portal.models import AccountClaim, LoginCode

CODE_MINUTES = 15
MAX_ATTEMPTS = 5
MAX_CODES_PER_HOUR = 5


def normalise(address: str) -> tuple[str, str]:
    """("email", address) or ("sms", +digits); ValidationError otherwise."""
    address = address.strip()
    if "@" in address:
        try:
            validate_email(address)
        except ValidationError as error:
            raise ValidationError({"address": _("Enter an e-mail address or a phone number.")}) from error
        return "email", address.lower()
    digits = re.sub(r"[\s().-]", "", address)
    if not re.fullmatch(r"\+?[0-9]{8,15}", digits):
        raise ValidationError({"address": _("Enter an e-mail address or a phone number.")})
    return "sms", digits if digits.startswith("+") else "+" + digits


def request_code(address: str) -> tuple[str, str]:
    """Send a one-time code; at most five an hour to one address. Returns the normalised address."""
    channel, normalised = normalise(address)
    recent = LoginCode.objects.filter(address=normalised, created_at__gte=timezone.now() - timedelta(hours=1))
    if recent.count() >= MAX_CODES_PER_HOUR:
        raise ValidationError(_("Too many codes were sent to this address. Try again in an hour."))
    code = f"{secrets.randbelow(10**6):06d}"
    LoginCode.objects.create(
        address=normalised,
        channel=channel,
        code_hash=keyed_hash(f"{normalised}:{code}"),
        expires_at=timezone.now() + timedelta(minutes=CODE_MINUTES),
    )
    text = _("Your ownpath code is %(code)s. It is valid for %(minutes)s minutes.") % {
        "code": code,
        "minutes": CODE_MINUTES,
    }
    if not send_code(channel, normalised, _("Your ownpath code"), text):
        raise ValidationError(_("The code could not be sent. Try an e-mail address instead."))
    return channel, normalised


def verify_code(address: str, code: str) -> User:
    """The account of ``address`` (created on first use) if ``code`` is its latest valid code.

    Not one transaction on purpose: a wrong attempt must stay counted when the refusal is raised.
    """
    channel, normalised = normalise(address)
    found = (
        LoginCode.objects.filter(address=normalised, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    wrong = ValidationError({"code": _("That code is wrong or has expired. Ask for a new one.")})
    if found is None or found.attempts >= MAX_ATTEMPTS:
        raise wrong
    if not secrets.compare_digest(found.code_hash, keyed_hash(f"{normalised}:{code.strip()}")):
        LoginCode.objects.filter(pk=found.pk).update(attempts=F("attempts") + 1)
        raise wrong
    if not LoginCode.objects.filter(pk=found.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise wrong  # used by a concurrent request
    if channel == "email":
        user = User.objects.filter(email__iexact=normalised).first()
        email, username = normalised, "p-" + keyed_hash(normalised)[:28]
    else:
        username = "sms-" + keyed_hash(normalised)[:26]
        user = User.objects.filter(username=username).first()
        email = f"{username}@sms.invalid"
    if user is None:
        user = User(username=username, email=email)
        user.set_unusable_password()
        user.save()
    if access.is_staff_account(user):
        # Staff sign in with password and second factor, never with a code.
        raise PermissionDenied(_("Staff accounts sign in with their password and second factor."))
    return user


@transaction.atomic
def claim(user: User, values: dict[str, Any]) -> AccountClaim:
    if hasattr(user, "person"):
        raise ValidationError(_("Your account is already linked to your record."))
    if AccountClaim.objects.filter(user=user, status=AccountClaim.Status.PENDING).exists():
        raise ValidationError(_("Your request is already waiting for a counsellor."))
    birth = values.get("birth_date")
    problem = people_service.birth_date_problem(birth)
    if problem:
        raise ValidationError({"birth_date": problem})
    return AccountClaim.objects.create(user=user, **values)


def claims_for(staff: Any) -> Any:
    orgs = access.organisations_with_roles(staff, access.EDITOR_ROLES)
    return AccountClaim.objects.filter(organisation_id__in=orgs, status=AccountClaim.Status.PENDING).select_related(
        "organisation", "user"
    )


@transaction.atomic
def decide(staff: Any, account_claim: AccountClaim, person: Person | None) -> AccountClaim:
    """Link the account to ``person`` (confirmed by the counsellor), or reject the claim (``None``)."""
    if account_claim.organisation_id not in access.organisations_with_roles(staff, access.EDITOR_ROLES):
        raise PermissionDenied(_("Only a counsellor of that organisation can confirm it."))
    if account_claim.status != AccountClaim.Status.PENDING:
        raise ValidationError(_("This request was already decided."))
    if person is not None:
        if person.organisation_id != account_claim.organisation_id:
            raise ValidationError(_("Choose a person held by that organisation."))
        people_service.link_account(staff, person, account_claim.user)
    account_claim.status = AccountClaim.Status.LINKED if person else AccountClaim.Status.REJECTED
    account_claim.person = person
    account_claim.decided_by = staff
    account_claim.decided_at = timezone.now()
    account_claim.save()
    return account_claim


def _claims_of(person: Person) -> Any:
    from django.db.models import Q

    mine = Q(person=person)
    if person.account_id:
        mine |= Q(user_id=person.account_id)
    return AccountClaim.objects.filter(mine)


def export_person(person: Person) -> dict[str, Any]:
    """The account requests the person made (GDPR export's portal section)."""
    return {
        "account_requests": [
            {
                "made_at": c.created_at.isoformat(),
                "organisation": c.organisation.name,
                "given_name": c.given_name,
                "family_name": c.family_name,
                "birth_date": c.birth_date.isoformat(),
                "message": c.message,
                "status": c.status,
                "decided_at": c.decided_at.isoformat() if c.decided_at else None,
            }
            for c in _claims_of(person).select_related("organisation").order_by("created_at")
        ]
    }


def erase_person_data(person: Person) -> None:
    """Inside core's erasure: the account requests (name, birth date) and any sign-in codes sent to them."""
    _claims_of(person).delete()
    addresses = {address for address in (person.email.strip().lower(), person.phone.strip()) if address}
    for address in list(addresses):
        with contextlib.suppress(ValidationError):
            addresses.add(normalise(address)[1])
    if person.account_id and person.account and person.account.email:
        addresses.add(person.account.email.lower())
    if addresses:
        LoginCode.objects.filter(address__in=addresses).delete()
