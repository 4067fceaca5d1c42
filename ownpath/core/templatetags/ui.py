"""Design-system template tags: icons from the inline sprite (see docs/design.md)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ownpath.core.icons import ICONS

register = template.Library()


@register.simple_tag
def icon(name: str, label: str = "", size: str = "") -> SafeString:
    """An icon of the sprite; decorative (hidden from screen readers) unless it has a ``label``."""
    if name not in ICONS:
        raise template.TemplateSyntaxError(f"no icon {name!r} in the sprite; add it in scripts/build_icon_sprite.py")
    css = f"icon icon-{size}" if size else "icon"
    if label:
        return format_html(
            '<svg class="{}" role="img" aria-label="{}"><use href="#i-{}"></use></svg>', css, label, name
        )
    return format_html('<svg class="{}" aria-hidden="true" focusable="false"><use href="#i-{}"></use></svg>', css, name)
