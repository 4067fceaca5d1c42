"""How one-time codes reach people: e-mail, or an SMS provider (``OWNPATH_SMS_PROVIDER``).

Providers: ``none`` (SMS refused), ``console`` (written to the log: development only) and ``http`` (a JSON
POST ``{"to", "text"}`` to ``OWNPATH_SMS_URL`` with a bearer token: most SMS gateways accept it).
"""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail

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
    return NoSms()


def send_code(channel: str, address: str, subject: str, text: str) -> bool:
    if channel == "email":
        return send_mail(subject, text, None, [address]) == 1
    return sms_provider().send(address, text)
