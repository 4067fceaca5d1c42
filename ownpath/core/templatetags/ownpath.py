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
