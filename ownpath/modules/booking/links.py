"""Signed links that let a person without an account change their booking or take an offered slot.

A link carries the booking's UID (or the waiting-list entry's id) and the moment it stops working, and is
signed with the site's secret: it cannot be guessed or altered. A booking's link works until the booking
starts; an offer's link until the offered slot starts or a day has passed, whichever comes first.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

MANAGE_SALT = "ownpath.booking.manage"
OFFER_SALT = "ownpath.booking.offer"
OFFER_HOURS = 24


class LinkError(Exception):
    """The link is broken or has expired; the message says so in the reader's language."""


def _make(salt: str, key: str, expires: datetime) -> str:
    return signing.dumps({"k": key, "x": int(expires.timestamp())}, salt=salt, compress=False)


def _read(salt: str, token: str) -> str:
    try:
        data: Any = signing.loads(token, salt=salt, max_age=timedelta(days=400))
    except signing.SignatureExpired as error:
        raise LinkError(_("This link has expired.")) from error
    except signing.BadSignature as error:
        raise LinkError(_("This link is not valid. Check that you copied all of it.")) from error
    if not isinstance(data, dict) or "k" not in data or "x" not in data:
        raise LinkError(_("This link is not valid. Check that you copied all of it."))
    if timezone.now().timestamp() > data["x"]:
        raise LinkError(_("This link has expired."))
    return str(data["k"])


def manage_token(booking: Any) -> str:
    return _make(MANAGE_SALT, str(booking.uid), booking.starts_at)


def read_manage_token(token: str) -> str:
    """The booking UID the link is for, or :class:`LinkError`."""
    return _read(MANAGE_SALT, token)


def offer_token(entry: Any) -> str:
    expires = min(entry.offered_start, entry.offered_at + timedelta(hours=OFFER_HOURS))
    return _make(OFFER_SALT, f"{entry.pk}:{int(entry.offered_start.timestamp())}", expires)


def read_offer_token(token: str) -> tuple[int, datetime]:
    entry_id, start = _read(OFFER_SALT, token).split(":")
    return int(entry_id), datetime.fromtimestamp(int(start), UTC)
