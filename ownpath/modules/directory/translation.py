"""Machine translation providers. No model is ever downloaded: a deployment either has none, or points
ownpath at a LibreTranslate server it hosts itself (``OWNPATH_MT_PROVIDER=libretranslate``)."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings

logger = logging.getLogger(__name__)


class Provider(Protocol):
    name: str

    def translate(self, text: str, *, source: str, target: str) -> str | None: ...


class NoProvider:
    """No machine translation: texts stay missing until a person translates them."""

    name = "none"

    def translate(self, text: str, *, source: str, target: str) -> str | None:
        return None


class LibreTranslate:
    """The HTTP API of LibreTranslate: ``POST /translate`` with q, source, target, format, api_key."""

    name = "libretranslate"

    def __init__(self, url: str, api_key: str = "", timeout: float = 15.0) -> None:
        self.url = url.rstrip("/") + "/translate"
        self.api_key = api_key
        self.timeout = timeout

    def translate(self, text: str, *, source: str, target: str) -> str | None:
        if not text.strip():
            return ""
        body = {"q": text, "source": source, "target": target, "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        request = urllib.request.Request(  # noqa: S310  (the URL is the deployment's own setting)
            self.url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            logger.warning("LibreTranslate at %s failed: %s", self.url, error)
            return None
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        return translated if isinstance(translated, str) else None


def provider() -> Provider:
    if settings.OWNPATH_MT_PROVIDER == "libretranslate":
        return LibreTranslate(settings.OWNPATH_LIBRETRANSLATE_URL, settings.OWNPATH_LIBRETRANSLATE_API_KEY)
    return NoProvider()
