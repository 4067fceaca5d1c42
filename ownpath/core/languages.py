"""Languages a person may speak (ISO 639-1, or 639-3 where there is no two-letter code)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import global_settings, settings
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

# Names Django already translates, reused through Django's own catalogue.
_DJANGO_NAMES = dict(global_settings.LANGUAGES)
_COMMON = [
    "en",
    "pl",
    "uk",
    "ru",
    "ar",
    "be",
    "ka",
    "hy",
    "az",
    "tr",
    "fa",
    "ur",
    "hi",
    "bn",
    "ne",
    "vi",
    "es",
    "fr",
    "de",
    "pt",
    "ro",
    "it",
    "lt",
    "lv",
    "et",
    "fi",
    "sv",
    "cs",
    "sk",
    "hu",
    "bg",
    "sr",
    "hr",
    "bs",
    "sq",
    "uz",
    "tg",
    "kk",
    "ky",
    "tk",
    "ckb",
    "sw",
    "ta",
    "pa",
    "id",
    "th",
    "ko",
    "ja",
]
_OWN_NAMES = {
    "ti": _("Tigrinya"),
    "so": _("Somali"),
    "ps": _("Pashto"),
    "prs": _("Dari"),
    "am": _("Amharic"),
    "tl": _("Tagalog"),
    "kmr": _("Kurdish (Kurmanji)"),
    "zh": _("Chinese"),
}


def language_choices() -> list[tuple[str, str]]:
    """(code, name) pairs, names from CLDR in the current language, sorted by name."""
    pairs = [(code, _capitalised(language_name(code))) for code in [*_COMMON, *_OWN_NAMES]]
    return sorted(pairs, key=lambda pair: pair[1].casefold())


LANGUAGE_CODES = frozenset(_COMMON) | frozenset(_OWN_NAMES)
# Written right to left: Arabic, Persian and Dari, Hebrew, Urdu, Pashto, Sorani Kurdish.
RTL_LANGUAGES = frozenset({"ar", "fa", "prs", "he", "ur", "ps", "ckb"})
# The languages every migrant-facing page (and text shipped as data) is written in, in this order.
INTERFACE_LANGUAGES = ("en", "pl", "uk", "ru", "ar")


def in_interface_languages(en: str, pl: str, uk: str, ru: str, ar: str) -> dict[str, str]:
    """A text shipped as data in the five interface languages, as ``{code: text}``."""
    return dict(zip(INTERFACE_LANGUAGES, (en, pl, uk, ru, ar), strict=True))


@cache
def _cldr(language: str) -> Any:
    """Babel's CLDR data for an interface language (English when CLDR does not know it)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def _reader() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:] if name else name


def language_name(code: str) -> str:
    """The language's name from CLDR in the reader's language, as written inside a sentence ("ukraiński",
    "الأوكرانية"); never the bare code while CLDR or our own catalogue knows it."""
    if not code:
        return ""
    name = _cldr(_reader()).languages.get(code.replace("-", "_"))
    if name:
        return str(name)
    if code in _OWN_NAMES:
        return str(_OWN_NAMES[code])
    if code in _DJANGO_NAMES:
        return gettext(_DJANGO_NAMES[code])
    return code


def country_name(code: str) -> str:
    """The country's name from CLDR in the reader's language ("Ukraina", "أوكرانيا"); the code only when
    CLDR does not know it."""
    if not code:
        return ""
    return str(_cldr(_reader()).territories.get(code.upper(), code))
