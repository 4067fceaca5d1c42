from __future__ import annotations

from django import template
from django.utils.html import format_html

from ownpath.core.languages import language_name as _language_name
from ownpath.core.models import Person

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    return _language_name(code)


@register.filter
def person_name(person: Person) -> str:
    """The Latin name and, when it differs, the native one, each isolated for right-to-left pages."""
    latin = f"{person.given_name} {person.family_name}".strip()
    native = f"{person.given_name_native} {person.family_name_native}".strip()
    if native and native != latin:
        return format_html('<bdi>{}</bdi> (<bdi dir="auto">{}</bdi>)', latin, native)
    return format_html("<bdi>{}</bdi>", latin)


# For PDFs (WeasyPrint): a right-to-left document must not reorder what is read left to right. HTML's
# <bdi>/dir spans are split by WeasyPrint's inline layout (the "+" of a phone number ended up elsewhere), so
# these runs are isolated with Unicode's own controls: LRI … PDI.
LRI, PDI = "\u2066", "\u2069"
_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c"))


@register.filter
def ltr(value: object) -> str:
    """A phone number, a code, an e-mail or a number isolated left to right (empty stays empty)."""
    text = "" if value is None else str(value)
    return f"{LRI}{text}{PDI}" if text else ""


@register.filter
def doc_date(value: object, format_name: str = "SHORT_DATE_FORMAT") -> str:
    """A date in the document's locale, isolated left to right, so "03/12/2026" never turns into
    "2026/12/03" or swaps with the date next to it in an Arabic PDF."""
    from datetime import date, datetime

    from django.utils.formats import date_format

    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return ltr(value)
    if not isinstance(value, date | datetime):
        return ""
    return ltr(date_format(value, format_name).translate(_MARKS))
