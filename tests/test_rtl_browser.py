"""Right to left in pictures: the server-drawn charts, measured in Chromium on a phone-sized screen.

Each chart is drawn by ``ownpath.core.charts`` in the language under test and shown in a page with the
site's stylesheet and that language's ``dir``; every text of the drawing must lie inside the SVG and must not
sit on a bar (the bug this guards against: a right-to-left page flipped the anchored labels out of the
picture, so Arabic charts lost their category labels)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from ownpath.core import charts

pytestmark = [pytest.mark.browser]

CSS = (Path(settings.BASE_DIR) / "ownpath" / "core" / "static" / "ownpath" / "ownpath.css").read_text()
LABELS = {
    "ar": ["المساعدة القانونية والعمل", "التغرينية والأمهرية", "دورات اللغة البولندية للمبتدئين", "أخرى"],
    "uk": ["Юридична допомога та праця", "Курси польської мови", "Інше"],
    "pl": ["Pomoc prawna i zatrudnienie", "Kursy języka polskiego", "Inne"],
}

MEASURE = """() => Array.from(document.querySelectorAll('svg.chart')).map(svg => {
  const box = svg.getBoundingClientRect();
  const bars = Array.from(svg.querySelectorAll('rect.chart-bar')).map(r => r.getBoundingClientRect());
  return Array.from(svg.querySelectorAll('text')).map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, cls: t.getAttribute('class') || '', left: r.left - box.left,
            right: box.right - r.right, top: r.top - box.top, bottom: box.bottom - r.bottom, width: r.width,
            onBar: bars.some(b => r.left < b.right - 0.5 && r.right > b.left + 0.5 &&
                                  r.top < b.bottom && r.bottom > b.top)};
  });
})"""


def _drawings(language: str) -> str:
    with translation.override(language):
        labels = LABELS[language]
        points = [charts.Point(label, value) for label, value in zip(labels, [120, 7, None, 64], strict=False)]
        bars = charts.bars("bars", points)
        periods = [charts.Point(f"2026-Q{n}", v) for n, v in zip(range(1, 5), [3, None, 9, 12], strict=True)]
        trend = charts.line("trend", [charts.Point(labels[0], 2), *periods, charts.Point(labels[-1], 5)])
        direction = "rtl" if translation.get_language_bidi() else "ltr"
    return (
        f'<!doctype html><html lang="{language}" dir="{direction}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><style>{CSS}</style></head>'
        f"<body><main>{bars}{trend}</main></body></html>"
    )


@pytest.mark.parametrize("language", ["ar", "uk", "pl"])
def test_every_chart_text_lies_inside_the_drawing_and_off_the_bars(page: object, language: str) -> None:
    page.set_content(_drawings(language))  # type: ignore[attr-defined]
    drawings = page.evaluate(MEASURE)  # type: ignore[attr-defined]
    assert len(drawings) == 2
    texts = [text for drawing in drawings for text in drawing]
    assert any(t["cls"] == "chart-label" and t["text"].startswith(LABELS[language][0][:10]) for t in texts)
    for text in texts:
        assert text["width"] > 0, text
        for side in ("left", "right", "top", "bottom"):
            assert text[side] >= -0.5, f"{language}: {text['text']!r} runs {-text[side]:.1f}px out on the {side}"
        assert not text["onBar"], f"{language}: {text['text']!r} is drawn over a bar"


def test_arabic_bars_grow_leftward_from_labels_on_the_right(page: object) -> None:
    page.set_content(_drawings("ar"))  # type: ignore[attr-defined]
    layout = page.evaluate(  # type: ignore[attr-defined]
        """() => { const svg = document.querySelector('svg.chart'), box = svg.getBoundingClientRect();
        const label = svg.querySelector('text.chart-label').getBoundingClientRect();
        const bar = svg.querySelector('rect.chart-bar').getBoundingClientRect();
        return {labelRight: box.right - label.right, barRight: box.right - bar.right, barLeft: bar.left - box.left,
                labelLeft: label.left - box.left}; }"""
    )
    assert layout["labelRight"] < 10, "the label sits at the right edge"
    assert layout["barRight"] > layout["labelRight"] and layout["barLeft"] < layout["labelLeft"], (
        "the bar starts left of the label and grows leftward"
    )
