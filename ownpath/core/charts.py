"""Charts drawn on the server as SVG: no JavaScript, readable on a cheap phone, printable.

Each chart is an image with a title and a text description (``role="img"``, ``<title>``, ``<desc>``); the
page puts the same figures in a data table next to it, which is what screen readers and exports use. A
suppressed value (None) is drawn as no bar / a gap in the line and written out as "suppressed", never as 0.
Bars and lines take the page's text direction from CSS; labels are escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_ids = count(1)
WIDTH = 320
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 120


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


def bars(title: str, points: Sequence[Point], maximum: float | None = None) -> SafeString:
    """Horizontal bars, one per point, the value written at the end of each bar."""
    height = max(1, len(points)) * (BAR_HEIGHT + GAP) + GAP
    top = maximum if maximum is not None else max((p.value or 0 for p in points), default=0)
    description = "; ".join(f"{p.label}: {_text(p)}" for p in points)
    _ident, parts = _open(title, description, height)
    span = WIDTH - LABEL_WIDTH - 48
    for index, point in enumerate(points):
        y = GAP + index * (BAR_HEIGHT + GAP)
        label = point.label if len(point.label) <= 18 else point.label[:17] + "…"
        parts.append(f'<text class="chart-label" x="0" y="{y + 15}" font-size="11">{escape(label)}</text>')
        length = 0.0 if not top or point.value is None else max(1.0, span * point.value / top)
        if point.value is not None:
            parts.append(
                f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}"/>'
            )
        parts.append(
            f'<text class="chart-value" x="{LABEL_WIDTH + length + 4:.1f}" y="{y + 15}" font-size="11">'
            f"{escape(_text(point))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)


def line(title: str, points: Sequence[Point]) -> SafeString:
    """A trend over periods; a suppressed value breaks the line and is marked on the axis."""
    height = 150
    top = max((p.value or 0 for p in points), default=0) or 1
    description = "; ".join(f"{p.label}: {_text(p)}" for p in points)
    _ident, parts = _open(title, description, height)
    left, right, base, plot = 30, WIDTH - 10, height - 30, height - 50
    step = (right - left) / max(1, len(points) - 1)
    segment: list[str] = []
    segments: list[list[str]] = [segment]
    for index, point in enumerate(points):
        x = left + index * step
        if point.value is None:
            parts.append(f'<text class="chart-gap" x="{x:.1f}" y="{base - 4}" font-size="10">×</text>')
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
        parts.append(f'<text x="{left}" y="{height - 12}" font-size="10">{escape(points[0].label)}</text>')
        parts.append(
            f'<text x="{right}" y="{height - 12}" font-size="10" text-anchor="end">{escape(points[-1].label)}</text>'
        )
    parts.append(f'<text x="0" y="{base - plot + 4}" font-size="10">{escape(_number(top))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
