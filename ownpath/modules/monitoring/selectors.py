"""Reads of monitoring's figures for pages, exports and the API. Every figure goes through ``Figure``, which
shows a hidden cell as suppressed and never as a number."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ownpath.core import charts
from ownpath.modules.monitoring import areas, periods
from ownpath.modules.monitoring.labels import DIMENSIONS, MEMBERS
from ownpath.modules.monitoring.models import Cell, Indicator


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    period: str
    area_id: int
    dimension: str
    member: str
    numerator: float | None
    denominator: float | None
    value: float | None

    @property
    def number(self) -> float | None:
        """The figure to chart: a count, a percentage, a number of days; None when suppressed or empty."""
        unit = self.indicator.unit
        if self.numerator is None:
            return None
        if unit == "share":
            if not self.denominator:
                return None
            return round(100 * self.numerator / self.denominator, 1)
        if unit == "days":
            return self.value
        return self.numerator

    @property
    def text(self) -> str:
        if self.numerator is None:
            return _("suppressed")
        number = self.number
        if number is None:
            return "–"
        if self.indicator.unit == "share":
            return f"{number:.1f} %"
        if self.indicator.unit == "days":
            return _("%(days)s days") % {"days": f"{number:.0f}"}
        return f"{number:.0f}" if float(number).is_integer() else f"{number:.1f}"

    def row(self) -> dict[str, Any]:
        return {"indicator": self.indicator.key, "period": self.period, "area_id": self.area_id,
                "dimension": self.dimension, "member": self.member, "numerator": self.numerator,
                "denominator": self.denominator, "value": self.number, "suppressed": self.numerator is None}  # fmt: skip


def figure(
    indicator: Indicator, cell: Cell | None, period: str, area: int, dimension: str = "", member: str = ""
) -> Figure:
    if cell is None:  # no fact at all: a true zero
        share = indicator.unit == "share" or indicator.unit == "days"
        return Figure(indicator, period, area, dimension, member, 0.0, 0.0 if share else None, None)
    if cell.hidden:
        return Figure(indicator, period, area, dimension, member, None, None, None)
    return Figure(indicator, period, area, dimension, member, cell.numerator, cell.denominator, cell.value)


def member_label(dimension: str, member: str) -> str:
    if member in MEMBERS:
        return str(MEMBERS[member])
    if dimension == "citizenship" and len(member) == 2:
        from django_countries import countries

        return str(countries.name(member)) or member
    return member or str(DIMENSIONS[""])


def trend(indicator: Indicator, area: int, kind: str, count: int, until: Any = None) -> list[Figure]:
    wanted = periods.last(kind, count, until or timezone.localdate())
    labels = [str(p) for p in wanted]
    cells = {
        c.period: c for c in Cell.objects.filter(indicator=indicator, area_id=area, period__in=labels, dimension="")
    }
    return [figure(indicator, cells.get(label), label, area) for label in labels]


def compare(indicator: Indicator, area_ids: list[int], period: str) -> list[Figure]:
    cells = {
        c.area_id: c
        for c in Cell.objects.filter(indicator=indicator, area_id__in=area_ids, period=period, dimension="")
    }
    return [figure(indicator, cells.get(a), period, a) for a in area_ids]


def grid(indicator: Indicator, area_ids: list[int], labels: list[str]) -> dict[tuple[int, str], Figure]:
    """Totals of ``indicator`` for each area and period label, in one query."""
    cells = {
        (c.area_id, c.period): c
        for c in Cell.objects.filter(indicator=indicator, area_id__in=area_ids, period__in=labels, dimension="")
    }
    return {(a, label): figure(indicator, cells.get((a, label)), label, a) for a in area_ids for label in labels}


def breakdown(indicator: Indicator, area: int, period: str) -> dict[str, list[Figure]]:
    from ownpath.modules.monitoring.aggregate import dimensions

    found: dict[str, list[Figure]] = {d: [] for d in dimensions(indicator.definition)}
    for cell in (
        Cell.objects.filter(indicator=indicator, area_id=area, period=period)
        .exclude(dimension="")
        .order_by("dimension", "member")
    ):
        if cell.dimension in found:
            found[cell.dimension].append(figure(indicator, cell, period, area, cell.dimension, cell.member))
    return found


def figures(indicators: Iterable[Indicator], kind: str, area_ids: Iterable[int] | None = None,
            dimensioned: bool = True) -> Iterable[Figure]:  # fmt: skip
    """Every figure of ``indicators`` for periods of ``kind`` (and the areas given), for exports."""
    for indicator in indicators:
        cells = Cell.objects.filter(indicator=indicator, period_kind=kind).order_by(
            "period", "area_id", "dimension", "member"
        )
        if area_ids is not None:
            cells = cells.filter(area_id__in=list(area_ids))
        if not dimensioned:
            cells = cells.filter(dimension="")
        for cell in cells.iterator(chunk_size=5000):
            yield figure(indicator, cell, cell.period, cell.area_id, cell.dimension, cell.member)


def provisional(indicator: Indicator, period: str) -> bool:
    """A cohort whose window has not passed yet: its share can still grow."""
    within = indicator.definition.get("within_days")
    if indicator.definition.get("type", "").startswith("cohort"):
        days = within if within is not None else 365
        return periods.parse(period).end + timedelta(days=days) > timezone.localdate()
    return False


def trend_chart(indicator: Indicator, language: str, series: list[Figure]) -> Any:
    return charts.line(
        indicator.name(language),
        [charts.Point(f.period, f.number if f.numerator is not None else None, f.text) for f in series],
    )


def bar_chart(title: str, labelled: list[tuple[str, Figure]]) -> Any:
    return charts.bars(
        title, [charts.Point(label, f.number if f.numerator is not None else None, f.text) for label, f in labelled]
    )


def area_label(tree: areas.Tree, area: int) -> str:
    return str(_("All areas")) if area == areas.ALL else tree.name.get(area, str(area))
