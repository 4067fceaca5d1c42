"""Text messages through one provider interface (``OWNPATH_SMS_PROVIDER``), for every module.

Providers: ``none`` (SMS refused), ``console`` (written to the log: development only), ``memory`` (kept
in :data:`MemorySms.outbox`, for tests) and ``http`` (a JSON POST ``{"to", "text"}`` to
``OWNPATH_SMS_URL`` with a bearer token: most SMS gateways accept it, or a small adapter in front of them).
A provider answers whether the message was handed over; it never raises to the person who caused it.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import ClassVar, Protocol

from django.conf import settings

logger = logging.getLogger(__name__)


class SmsProvider(Protocol):
    name: str

    def send(self, to: str, text: str) -> bool: ...


class NoSms:
    name = "none"

    def send(self, to: str, text: str) -> bool:
        return False


class ConsoleSms:
    name = "console"

    def send(self, to: str, text: str) -> bool:
        logger.warning("SMS to %s: %s", to, text)
        return True


class MemorySms:
    name = "memory"
    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, to: str, text: str) -> bool:
        MemorySms.outbox.append((to, text))
        return True


class HttpSms:
    name = "http"

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token

    def send(self, to: str, text: str) -> bool:
        request = urllib.request.Request(  # noqa: S310  (the deployment's own gateway)
            self.url,
            data=json.dumps({"to": to, "text": text}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return 200 <= response.status < 300
        except OSError as error:
            logger.warning("SMS gateway failed: %s", error)
            return False


def sms_provider() -> SmsProvider:
    if settings.OWNPATH_SMS_PROVIDER == "http":
        return HttpSms(settings.OWNPATH_SMS_URL, settings.OWNPATH_SMS_TOKEN)
    if settings.OWNPATH_SMS_PROVIDER == "console":
        return ConsoleSms()
    if settings.OWNPATH_SMS_PROVIDER == "memory":
        return MemorySms()
    return NoSms()


def send_sms(to: str, text: str) -> bool:
    return sms_provider().send(to, text)
