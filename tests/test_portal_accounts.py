"""People's own accounts: a one-time code instead of a password, and a counsellor's confirmation before
the account sees anything of the record."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from ownpath.core.choices import Role
from ownpath.core.models import AuditEvent, User
from ownpath.modules.portal import accounts
from ownpath.modules.portal.models import AccountClaim, LoginCode
from tests.conftest import World, signed_in


def sign_in_with_code(client: Client, address: str) -> None:
    client.post(reverse("portal:account"), {"address": address})
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    response = client.post(reverse("portal:verify"), {"code": code})
    assert response.status_code == 302, response.content


def test_a_person_signs_in_with_a_code_and_is_linked_only_after_a_counsellor_confirms(world: World) -> None:
    client = Client()
    client.cookies["django_language"] = "uk"
    sign_in_with_code(client, "Olena.K@example.org")
    user = User.objects.get(email="olena.k@example.org")
    assert not user.has_usable_password()
    assert client.get(reverse("counselling:my_path")).status_code == 403, "nothing of the record before the link"
    page = client.get(reverse("portal:account"))
    assert page.status_code == 200
    response = client.post(
        reverse("portal:account"),
        {
            "organisation": world.centre.pk,
            "given_name": "Oleksandr",
            "family_name": "Shevchenko",
            "birth_date": "1988-04-12",
        },
    )
    assert response.status_code == 302
    claim = AccountClaim.objects.get()
    counsellor = signed_in(world.users[Role.COUNSELLOR])
    listing = counsellor.get(reverse("portal:claims")).content.decode()
    assert "Шевченко" in listing, "the counsellor is offered the matching record"
    assert (
        signed_in(world.users["ngo_counsellor"]).get(reverse("portal:claims")).content.decode().count("Shevchenko") == 0
    )
    refused = signed_in(world.users["ngo_counsellor"]).post(
        reverse("portal:claim_decide", args=[claim.pk]), {"person": world.person.pk}
    )
    assert refused.status_code == 404
    counsellor.post(reverse("portal:claim_decide", args=[claim.pk]), {"person": world.person.pk})
    world.person.refresh_from_db()
    assert world.person.account == user
    assert AuditEvent.objects.filter(person_id=world.person.pk, fields=["account"]).exists()
    assert client.get(reverse("counselling:my_path")).status_code == 200


@override_settings(LANGUAGE_CODE="en")
def test_wrong_codes_expire_the_attempt_and_codes_are_rate_limited(db: None) -> None:
    from django.utils import translation

    translation.activate("en")
    accounts.request_code("someone@example.org")
    for _ in range(accounts.MAX_ATTEMPTS):
        with pytest.raises(Exception):  # noqa: B017
            accounts.verify_code("someone@example.org", "000000" if "000000" else "")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    with pytest.raises(Exception):  # noqa: B017  (five wrong tries spend the code, even the right one)
        accounts.verify_code("someone@example.org", code)
    for _ in range(accounts.MAX_CODES_PER_HOUR - 1):
        accounts.request_code("someone@example.org")
    with pytest.raises(Exception, match="Too many"):
        accounts.request_code("someone@example.org")
    assert LoginCode.objects.filter(address="someone@example.org").count() == accounts.MAX_CODES_PER_HOUR
    assert all(code not in c.code_hash for c in LoginCode.objects.all()), "only a keyed hash is stored"


@pytest.mark.parametrize("address", ["not an address", "12", "+48 abc", "a@b"])
def test_bad_addresses_are_refused(db: None, address: str) -> None:
    response = Client().post(reverse("portal:account"), {"address": address})
    assert response.status_code == 400 and "error-summary" in response.content.decode()
    assert not LoginCode.objects.exists()


def test_codes_by_sms_through_the_provider_interface(db: None, caplog: pytest.LogCaptureFixture) -> None:
    from django.utils import translation

    translation.activate("en")
    with override_settings(OWNPATH_SMS_PROVIDER="none"), pytest.raises(Exception, match="could not be sent"):
        accounts.request_code("+48 600 100 200")
    with override_settings(OWNPATH_SMS_PROVIDER="console"):
        accounts.request_code("+48 600 100 200")
    code = re.search(r"\b(\d{6})\b", caplog.text).group(1)  # type: ignore[union-attr]
    user = accounts.verify_code("+48600100200", code)
    assert user.email.endswith("@sms.invalid") and "+48600100200" not in user.username


def test_staff_cannot_sign_in_with_a_code(world: World) -> None:
    from django.utils import translation

    translation.activate("en")
    accounts.request_code(world.users[Role.COUNSELLOR].email)
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    with pytest.raises(Exception, match="Staff"):
        accounts.verify_code(world.users[Role.COUNSELLOR].email, code)
