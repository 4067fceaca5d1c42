from __future__ import annotations

from django import template

from ownpath.core.languages import language_name as _language_name

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    return _language_name(code)
