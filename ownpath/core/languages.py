"""Languages a person may speak (ISO 639-1, or 639-3 where there is no two-letter code)."""

from __future__ import annotations

from django.conf import global_settings
from django.utils.functional import lazy
from django.utils.translation import gettext
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

_lazy_gettext = lazy(gettext, str)


def language_choices() -> list[tuple[str, str]]:
    """(code, translated name) pairs, in the current language, sorted by name."""
    pairs = [(code, str(_lazy_gettext(_DJANGO_NAMES[code]))) for code in _COMMON]
    pairs += [(code, str(name)) for code, name in _OWN_NAMES.items()]
    return sorted(pairs, key=lambda pair: pair[1].casefold())


LANGUAGE_CODES = frozenset(_COMMON) | frozenset(_OWN_NAMES)
# Written right to left: Arabic, Persian and Dari, Hebrew, Urdu, Pashto, Sorani Kurdish.
RTL_LANGUAGES = frozenset({"ar", "fa", "prs", "he", "ur", "ps", "ckb"})
# The languages every migrant-facing page (and text shipped as data) is written in, in this order.
INTERFACE_LANGUAGES = ("en", "pl", "uk", "ru", "ar")


def in_interface_languages(en: str, pl: str, uk: str, ru: str, ar: str) -> dict[str, str]:
    """A text shipped as data in the five interface languages, as ``{code: text}``."""
    return dict(zip(INTERFACE_LANGUAGES, (en, pl, uk, ru, ar), strict=True))


def language_name(code: str) -> str:
    if code in _OWN_NAMES:
        return str(_OWN_NAMES[code])
    if code in _DJANGO_NAMES:
        return gettext(_DJANGO_NAMES[code])
    return code
