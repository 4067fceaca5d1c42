"""Charts drawn on the server as SVG: no JavaScript, readable on a cheap phone, printable.

Each chart is an image with a title and a text description (``role="img"``, ``<title>``, ``<desc>``); the
page puts the same figures in a data table next to it, which is what screen readers and exports use. A
suppressed value (None) is drawn as no bar / a gap in the line and written out as "suppressed", never as 0.
Labels are escaped.

Right to left (Arabic, …) the drawing is mirrored: labels on the right, bars growing leftward from them,
time running from right to left. Every text carries its own ``direction`` and ``unicode-bidi`` and is anchored
so it stays inside the drawing whatever the page's direction (a page's ``dir="rtl"`` would otherwise flip an
anchored text out of the picture, which is how Arabic charts lost their labels).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

_ids = count(1)
WIDTH = 320
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 124


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None  # None: suppressed
    text: str = ""  # how the value is written (e.g. "42 %"); the number by default


def _text(point: Point) -> str:
    if point.value is None:
        return _("suppressed")
    return point.text or _number(point.value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _open(title: str, description: str, height: int) -> tuple[str, list[str]]:
    ident = f"chart{next(_ids)}"
    head = (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" focusable="false">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(description)}</desc>'
    )
    return ident, [head]


def _em(character: str) -> float:
    """A generous estimate of a character's width in ems (no font metrics on the server)."""
    if character in " .,:;'!|ilj()[]":
        return 0.35
    if "\u0600" <= character <= "\u06ff":  # Arabic letters are narrow
        return 0.5
    if character.isupper() or character in "mwMWшщжюфыШЩЖЮФЫ":
        return 0.85
    return 0.62


def _label(text: str, size: int = 11, room: float = LABEL_WIDTH - 8) -> str:
    """The label shortened with "…" until it fits ``room`` pixels at ``size``."""
    if sum(_em(c) for c in text) * size <= room:
        return text
    kept = ""
    for character in text:
        if (sum(_em(c) for c in kept) + _em(character) + 1) * size > room:
            break
        kept += character
    return kept.rstrip() + "…"


def _text_element(x: float, y: float, text: str, *, anchor_right: bool, css: str = "", size: int = 11) -> str:
    """A text whose end or start sits at ``x`` (``anchor_right``: its right edge), written in the language's
    direction and isolated from the page's, so it never runs out of the drawing."""
    rtl = get_language_bidi()
    direction = "rtl" if rtl else "ltr"
    # "start" is the right edge right to left, the left edge left to right.
    anchor = ("start" if rtl else "end") if anchor_right else ("end" if rtl else "start")
    klass = f' class="{css}"' if css else ""
    if rtl and text.isascii():  # a period or a number ("2026-Q1") keeps its own order inside Arabic
        text = f"\u2066{text}\u2069"
    return (
        f'<text{klass} x="{x:.1f}" y="{y}" font-size="{size}" direction="{direction}" unicode-bidi="embed" '
        f'text-anchor="{anchor}">{escape(text)}</text>'
    )


def bars(title: str, points: Sequence[Point], maximum: float | None = None) -> SafeString:
    """Horizontal bars, one per point, the value written at the end of each bar; mirrored right to left."""
    rtl = get_language_bidi()
    height = max(1, len(points)) * (BAR_HEIGHT + GAP) + GAP
    top = maximum if maximum is not None else max((p.value or 0 for p in points), default=0)
    description = "; ".join(f"{p.label}: {_text(p)}" for p in points)
    _ident, parts = _open(title, description, height)
    span = WIDTH - LABEL_WIDTH - 48
    for index, point in enumerate(points):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = 0.0 if not top or point.value is None else max(1.0, span * point.value / top)
        if rtl:
            parts.append(_text_element(WIDTH - 2, y + 15, _label(point.label), anchor_right=True, css="chart-label"))
            start = WIDTH - LABEL_WIDTH - length
            value_x, value_right = start - 4, True
        else:
            parts.append(_text_element(2, y + 15, _label(point.label), anchor_right=False, css="chart-label"))
            start = LABEL_WIDTH
            value_x, value_right = LABEL_WIDTH + length + 4, False
        if point.value is not None:
            parts.append(
                f'<rect class="chart-bar" x="{start:.1f}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}"/>'
            )
        parts.append(_text_element(value_x, y + 15, _text(point), anchor_right=value_right, css="chart-value"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)


def line(title: str, points: Sequence[Point]) -> SafeString:
    """A trend over periods; a suppressed value breaks the line and is marked on the axis. Right to left the
    periods run from right to left and the scale is written on the right."""
    rtl = get_language_bidi()
    height = 150
    top = max((p.value or 0 for p in points), default=0) or 1
    description = "; ".join(f"{p.label}: {_text(p)}" for p in points)
    _ident, parts = _open(title, description, height)
    left, right = (10, WIDTH - 30) if rtl else (30, WIDTH - 10)
    base, plot = height - 30, height - 50
    first, last = (right, left) if rtl else (left, right)
    step = (last - first) / max(1, len(points) - 1)
    segment: list[str] = []
    segments: list[list[str]] = [segment]
    for index, point in enumerate(points):
        x = first + index * step
        if point.value is None:
            parts.append(
                f'<text class="chart-gap" x="{x:.1f}" y="{base - 4}" font-size="10" text-anchor="middle">×</text>'
            )
            segment = []
            segments.append(segment)
            continue
        y = base - plot * point.value / top
        segment.append(f"{x:.1f},{y:.1f}")
        parts.append(f'<circle class="chart-dot" cx="{x:.1f}" cy="{y:.1f}" r="3"/>')
    for points_text in segments:
        if len(points_text) > 1:
            parts.append(f'<polyline class="chart-line" fill="none" points="{" ".join(points_text)}"/>')
    parts.append(f'<line class="chart-axis" x1="{left}" y1="{base}" x2="{right}" y2="{base}"/>')
    if points:
        # The first period under its point, the last under its own, each kept inside the drawing.
        half = (WIDTH - 40) / 2
        parts.append(_text_element(first, height - 12, _label(points[0].label, 10, half), anchor_right=rtl, size=10))
        parts.append(
            _text_element(last, height - 12, _label(points[-1].label, 10, half), anchor_right=not rtl, size=10)
        )
    scale_x = WIDTH - 2 if rtl else 2
    parts.append(_text_element(scale_x, base - plot + 4, _number(top), anchor_right=rtl, size=10))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
