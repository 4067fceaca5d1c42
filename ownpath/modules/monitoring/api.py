"""The monitoring API at /api/v1/monitoring/: indicators, their values by area and period (suppressed as on
the pages) and the checklist's status, for monitoring roles."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from ownpath.core.models import Organisation
from ownpath.modules.monitoring import areas, periods, selectors
from ownpath.modules.monitoring.models import Cell, ChecklistEntry, Indicator

router = Router(tags=["monitoring"])


class IndicatorOut(Schema):
    key: str
    name: str
    names: dict[str, str]
    unit: str
    definition: dict[str, Any]
    is_public: bool


class ValueOut(Schema):
    indicator: str
    period: str
    area_id: int
    dimension: str
    member: str
    numerator: float | None
    denominator: float | None
    value: float | None
    suppressed: bool


class EntryOut(Schema):
    area_id: int
    area: str
    period: str
    item: str
    status: str
    responsible: str | None
    figures: dict[str, int]
    links: list[str]


def _view(request: HttpRequest) -> None:
    if not request.user.has_perm("monitoring.view"):
        raise HttpError(403, _("Only monitoring roles may read this."))


@router.get("/indicators", response=list[IndicatorOut], summary="The indicators and their definitions")
def indicator_list(request: HttpRequest) -> Any:
    _view(request)
    language = get_language() or "en"
    return [{"key": i.key, "name": i.name(language), "names": i.names, "unit": i.unit, "definition": i.definition,
             "is_public": i.is_public} for i in Indicator.objects.filter(is_active=True)]  # fmt: skip


@router.get("/values", response=list[ValueOut], summary="Values of one indicator for an area and period")
def values(request: HttpRequest, indicator: str, period: str, area: int = areas.ALL, dimension: str = "") -> Any:
    _view(request)
    found = Indicator.objects.filter(key=indicator, is_active=True).first()
    if found is None:
        raise HttpError(404, _("No such indicator."))
    try:
        label = str(periods.parse(period))
    except periods.PeriodError as error:
        raise ValidationError({"period": str(error)}) from None
    cells = Cell.objects.filter(indicator=found, period=label, area_id=area, dimension=dimension)
    figures = [selectors.figure(found, c, label, area, c.dimension, c.member) for c in cells]
    if not figures and not dimension:
        figures = [selectors.figure(found, None, label, area)]
    return [f.row() for f in figures]


@router.get("/checklist", response=list[EntryOut], summary="The standard-minimum checklist for a period")
def checklist_status(request: HttpRequest, period: str, area: int | None = None) -> Any:
    _view(request)
    try:
        label = str(periods.parse(period))
    except periods.PeriodError as error:
        raise ValidationError({"period": str(error)}) from None
    entries = ChecklistEntry.objects.filter(period=label).select_related("area", "item", "responsible")
    if area is not None:
        if not Organisation.objects.filter(pk=area).exists():
            raise HttpError(404, _("No such area."))
        entries = entries.filter(area_id=area)
    return [{"area_id": e.area_id, "area": e.area.name, "period": e.period, "item": e.item.key, "status": e.status,
             "responsible": e.responsible.get_full_name() if e.responsible else None, "figures": e.figures,
             "links": e.link_list()} for e in entries]  # fmt: skip
