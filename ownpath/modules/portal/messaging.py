"""How one-time codes reach people: e-mail, or a text message through core's SMS provider."""

from __future__ import annotations

from django.core.mail import send_mail

from ownpath.core.services.sms import send_sms


def send_code(channel: str, address: str, subject: str, text: str) -> bool:
    if channel == "email":
        return send_mail(subject, text, None, [address]) == 1
    return send_sms(address, text)
