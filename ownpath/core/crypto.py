"""Encryption at rest for sensitive fields, with key rotation.

Keys come from ``OWNPATH_ENCRYPTION_KEYS`` (Fernet keys, newest first). Values are encrypted with the
first key and decrypted with any of them, so a new key can be put in front, the data re-encrypted with
``manage.py rotate_encryption_keys``, and the old key then dropped.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("OWNPATH_ENCRYPTION_KEYS is empty")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "OWNPATH_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes)"
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.OWNPATH_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "a sensitive value cannot be decrypted with any key in OWNPATH_ENCRYPTION_KEYS"
        ) from exc


def rotate(token: str) -> str:
    """Re-encrypt ``token`` with the newest key."""
    return fernet().rotate(token.encode()).decode()


def keyed_hash(value: str) -> str:
    """A keyed hash to recognise a value (a phone number, a chat id) without storing it."""
    return hmac.new(settings.OWNPATH_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
