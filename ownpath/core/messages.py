"""Texts the system writes for people, kept as a message id and parameters and put into words when read.

A notification, a chat's system message or an e-mail is stored as the English msgid of its text plus its
parameters (``"%(organisation)s sent you a CV"``, ``{"organisation": "Baltic Shipyard Services"}``), never
as the finished sentence, so every reader gets it in their own language, and again in a new one when they
switch. Parameters that are themselves words are typed, so they are put into words when read too:

* a date or a time (``datetime.date`` / ``datetime.datetime``): written by the reader's locale;
* a language or a country (:func:`language`, :func:`country`): its CLDR name in the reader's language;
* a translatable label (``gettext_lazy``, an enum's ``.label``): translated when read;
* plain text (a name, a comment): as it is.

:func:`encode` turns parameters into JSON for the database; :func:`render` puts a stored message into words
in the active language. A text without a message id (a person's own words) is shown as it was written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop, pgettext

Params = dict[str, Any]

# Django 6.1's empty choice ("- Select an option -") is not yet translated in Django's own catalogues for
# Polish, Ukrainian or Arabic; ours come first, so they carry it (kept here so that extraction keeps it).
DJANGO_TEXTS = (gettext_noop("- Select an option -"),)


def language(code: str) -> dict[str, str]:
    """A language parameter: written as the language's name in the reader's language."""
    return {"$language": code}


def country(code: str) -> dict[str, str]:
    """A country parameter: written as the country's name in the reader's language."""
    return {"$country": code}


def msgid(text: Any) -> tuple[str, str] | None:
    """(context, msgid) of a lazy translation (``gettext_lazy``/``pgettext_lazy``), None for anything else."""
    if not isinstance(text, Promise):
        return None
    args: tuple[Any, ...] = tuple(getattr(text, "_args", ()))
    if len(args) == 1 and isinstance(args[0], str):
        return "", args[0]
    if len(args) == 2 and all(isinstance(a, str) for a in args):
        return args[0], args[1]
    return None


def encode_value(value: Any) -> Any:
    if isinstance(value, Promise):
        ident = msgid(value)
        if ident is None:
            return str(value)
        context, text = ident
        return {"$msg": text, "ctx": context} if context else {"$msg": text}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int | float | str):
        return value
    if isinstance(value, Mapping) and len(value) in (1, 2) and any(str(k).startswith("$") for k in value):
        return dict(value)
    return str(value)


def encode(params: Mapping[str, Any]) -> Params:
    """Parameters as JSON for the database (see the module's docstring for the kinds)."""
    return {str(key): encode_value(value) for key, value in params.items()}


def decode_value(value: Any) -> Any:
    """A stored parameter in words, in the active language."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return number_format(value, force_grouping=False)
    if isinstance(value, float):
        return number_format(value, decimal_pos=1)
    if not isinstance(value, Mapping):
        return "" if value is None else value
    try:
        if "$msg" in value:
            return pgettext(value["ctx"], value["$msg"]) if value.get("ctx") else gettext(value["$msg"])
        if "$date" in value:
            return date_format(date.fromisoformat(value["$date"]), "SHORT_DATE_FORMAT")
        if "$datetime" in value:
            moment = datetime.fromisoformat(value["$datetime"])
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "SHORT_DATETIME_FORMAT")
        if "$language" in value:
            from ownpath.core.languages import language_name

            return language_name(str(value["$language"]))
        if "$country" in value:
            from ownpath.core.languages import country_name

            return country_name(str(value["$country"]))
    except (TypeError, ValueError):
        pass
    return str(value)


def render(message_id: str, params: Mapping[str, Any] | None = None, fallback: str = "") -> str:
    """The stored message in the active language; ``fallback`` (the text as first written) when there is no
    message id, or when a catalogue's translation does not fit the parameters."""
    if not message_id:
        return fallback
    text = gettext(message_id)
    values = {key: decode_value(value) for key, value in (params or {}).items()}
    try:
        return text % values
    except (KeyError, ValueError, TypeError):
        try:
            return message_id % values
        except (KeyError, ValueError, TypeError):
            return fallback or message_id


def split(text: Any) -> tuple[str, str]:
    """(message id, plain text) of a text handed to a notification: a lazy translation gives its msgid, a
    plain string (a reader's comment, say) is kept as it is."""
    ident = msgid(text)
    if ident is not None and not ident[0]:
        return ident[1], ""
    return "", str(text)


# Recognising texts written before messages were kept by id (used by the data migrations) -------------------

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MINUTE = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")


def _pattern(text: str) -> re.Pattern[str]:
    parts: list[str] = []
    seen: set[str] = set()
    position = 0
    for found in _PLACEHOLDER.finditer(text):
        parts.append(re.escape(text[position : found.start()]))
        name = found.group(1)
        if name is None:
            parts.append("%")
        elif name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>.+?)")
        position = found.end()
    parts.append(re.escape(text[position:]))
    return re.compile("".join(parts), re.DOTALL)


def _guess(value: str) -> Any:
    """A parameter read back out of a finished sentence: ISO dates and times become dates again."""
    if _ISO_DATE.fullmatch(value):
        return {"$date": value}
    if _ISO_MINUTE.fullmatch(value):
        return {"$datetime": value.replace(" ", "T")}
    return value


def recogniser(candidates: Iterable[str]) -> Callable[[str], tuple[str, Params] | None]:
    """A function that finds which of ``candidates`` (msgids) a finished sentence was written from, in
    English or any catalogue's language, and the parameters filled in; None when none fits.

    The catalogues are parsed on the first sentence only: a data migration over an empty table (every new
    database, every test database) then costs nothing."""
    candidates = list(candidates)
    patterns: list[tuple[int, str, re.Pattern[str]]] = []

    def build() -> None:
        import polib
        from django.conf import settings

        catalogues = [
            polib.pofile(str(path))
            for base in settings.LOCALE_PATHS
            for path in sorted(Path(base).glob("*/LC_MESSAGES/django.po"))
        ]
        for candidate in candidates:
            texts = {candidate}
            for catalogue in catalogues:
                entry = catalogue.find(candidate)
                if entry is not None and entry.msgstr and not entry.obsolete:
                    texts.add(entry.msgstr)
            for text in texts:
                literal = len(_PLACEHOLDER.sub("", text))
                patterns.append((literal, candidate, _pattern(text)))
        # The most specific first: "Appointment on %(date)s cancelled" before "Appointment on %(date)s".
        patterns.sort(key=lambda item: -item[0])

    def recognise(text: str) -> tuple[str, Params] | None:
        if not patterns:
            build()
        for _literal, candidate, pattern in patterns:
            found = pattern.fullmatch(text or "")
            if found:
                return candidate, {key: _guess(value) for key, value in found.groupdict().items()}
        return None

    return recognise
