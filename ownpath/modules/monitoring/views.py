"""Pages of the monitoring module: the dashboard, one indicator (trend, comparison, disaggregation), the
standard-minimum checklist, exports for funders and the public open-data page. Figures come from cells
only, with suppression applied by ``selectors.Figure``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ownpath.core import access
from ownpath.core.concurrency import form_unchanged, version_form
from ownpath.core.db import replica_reads
from ownpath.core.models import Organisation
from ownpath.core.tabular import SheetError, csv_response, xlsx_bytes, xlsx_response
from ownpath.core.views import refuse, require_perm
from ownpath.modules.monitoring import areas, checklist, forms, periods, selectors
from ownpath.modules.monitoring.labels import CHECKLIST_ITEMS, DIMENSIONS, FIGURES
from ownpath.modules.monitoring.models import ChecklistEntry, ChecklistItem, Evidence, Indicator
from ownpath.modules.monitoring.rules import VIEW_ROLES

TREND_LENGTH = {periods.MONTH: 12, periods.QUARTER: 8, periods.YEAR: 5}
KIND_NAMES = {
    periods.MONTH: pgettext_lazy("monitoring periods", "Months"),
    periods.QUARTER: pgettext_lazy("monitoring periods", "Quarters"),
    periods.YEAR: pgettext_lazy("monitoring periods", "Years"),
}


def _language() -> str:
    return get_language() or "en"


def _choice(request: HttpRequest, tree: areas.Tree) -> tuple[int, str, periods.Period]:
    """The area, period kind and period asked for; a wrong one is refused with a message, not an error."""
    kind = request.GET.get("kind", periods.QUARTER)
    if kind not in periods.KINDS:
        raise ValidationError(_("Choose a month, quarter or year."))
    raw_area = request.GET.get("area", "")
    if raw_area:
        try:
            area = int(raw_area)
        except ValueError:
            raise ValidationError(_("No such area.")) from None
        if area != areas.ALL and area not in tree.kind:
            raise ValidationError(_("No such area."))
    else:
        mine = access.organisations_with_roles(request.user, VIEW_ROLES) if request.user.is_authenticated else set()
        area = next((a for a in tree.areas() if a in mine), areas.ALL)
    text = request.GET.get("period", "")
    period = periods.parse(text) if text else periods.of(timezone.localdate(), kind)
    return area, period.kind, period


def _area_options(tree: areas.Tree) -> list[tuple[int, str]]:
    depth = {"metropolis_id": 0, "county_id": 1, "municipality_id": 2}
    return [(areas.ALL, str(_("All areas")))] + [
        (a, "\u2003" * depth[tree.level_of(a)] + tree.name[a]) for a in tree.areas()
    ]


def _context(request: HttpRequest) -> dict[str, Any]:
    tree = areas.tree()
    try:
        area, kind, period = _choice(request, tree)
    except (ValidationError, periods.PeriodError) as error:
        messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
        area, kind, period = areas.ALL, periods.QUARTER, periods.of(timezone.localdate(), periods.QUARTER)
    return {"tree": tree, "area": area, "kind": kind, "period": period, "area_name": selectors.area_label(tree, area),
            "area_options": _area_options(tree), "kinds": [(k, str(KIND_NAMES[k])) for k in periods.KINDS]}  # fmt: skip


@login_required
@replica_reads
def dashboard(request: HttpRequest) -> HttpResponse:
    require_perm(request, "monitoring.view")
    context = _context(request)
    language = _language()
    rows = []
    for indicator in Indicator.objects.filter(is_active=True):
        series = selectors.trend(indicator, context["area"], context["kind"], TREND_LENGTH[context["kind"]],
                                 context["period"].end)  # fmt: skip
        rows.append({"indicator": indicator, "name": indicator.name(language), "current": series[-1],
                     "previous": series[-2] if len(series) > 1 else None, "chart": selectors.trend_chart(indicator, language, series),
                     "provisional": selectors.provisional(indicator, series[-1].period)})  # fmt: skip
    context.update({"rows": rows, "can_rebuild": request.user.has_perm("monitoring.rebuild")})
    return render(request, "monitoring/dashboard.html", context)


@login_required
@replica_reads
def indicator_detail(request: HttpRequest, key: str) -> HttpResponse:
    require_perm(request, "monitoring.view")
    indicator = get_object_or_404(Indicator, key=key, is_active=True)
    context = _context(request)
    tree, area, period, language = context["tree"], context["area"], context["period"], _language()
    series = selectors.trend(indicator, area, context["kind"], TREND_LENGTH[context["kind"]], period.end)
    children = tree.children(area)
    compared = selectors.compare(indicator, children, str(period))
    labelled = [(tree.name[a], f) for a, f in zip(children, compared, strict=True)]
    breakdown = [
        (str(DIMENSIONS[d]), [(selectors.member_label(d, f.member), f) for f in figures], selectors.bar_chart(str(DIMENSIONS[d]), [(selectors.member_label(d, f.member), f) for f in figures]))
        for d, figures in selectors.breakdown(indicator, area, str(period)).items()
    ]  # fmt: skip
    context.update({
        "indicator": indicator, "name": indicator.name(language), "series": series,
        "trend_chart": selectors.trend_chart(indicator, language, series), "compared": labelled,
        "compare_chart": selectors.bar_chart(indicator.name(language), labelled) if labelled else None,
        "breakdown": breakdown, "provisional": selectors.provisional(indicator, str(period)),
    })  # fmt: skip
    return render(request, "monitoring/indicator.html", context)


@login_required
@require_POST
def rebuild(request: HttpRequest) -> HttpResponse:
    require_perm(request, "monitoring.rebuild")
    from ownpath.modules.monitoring.tasks import rebuild as rebuild_task

    rebuild_task.enqueue()
    messages.success(request, _("The indicators are being rebuilt from scratch."))
    return redirect("monitoring:dashboard")


# --- Exports ----------------------------------------------------------------------------------------------------


HEADER = [
    "indicator",
    "period",
    "area_id",
    "area",
    "dimension",
    "member",
    "numerator",
    "denominator",
    "value",
    "suppressed",
]


def _export(request: HttpRequest, fmt: str, indicators: list[Indicator], kind: str, area_ids: list[int] | None,
            name: str, dimensioned: bool = True) -> HttpResponse:  # fmt: skip
    tree = areas.tree()
    figures = [
        f.row() | {"area": selectors.area_label(tree, f.area_id)}
        for f in selectors.figures(indicators, kind, area_ids, dimensioned)
    ]
    if fmt == "json":
        body = {"generated": timezone.now().isoformat(), "period_kind": kind, "suppressed_below": 5, "figures": figures}
        return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    rows = [[f[h] for h in HEADER] for f in figures]
    if fmt == "csv":
        return csv_response(f"{name}.csv", HEADER, rows)
    return xlsx_response(f"{name}.xlsx", xlsx_bytes([(name, HEADER, rows)]))


def _export_choice(request: HttpRequest, public: bool) -> tuple[list[Indicator], str, list[int] | None]:
    kind = request.GET.get("kind", periods.YEAR)
    if kind not in periods.KINDS:
        raise Http404(_("Choose a month, quarter or year."))
    indicators = Indicator.objects.filter(is_active=True)
    if public:
        indicators = indicators.filter(is_public=True)
    key = request.GET.get("indicator", "")
    if key:
        indicators = indicators.filter(key=key)
    area_ids = None
    public_areas = [areas.ALL, *areas.tree().areas()] if public else []
    if request.GET.get("area"):
        try:
            area_ids = [int(request.GET["area"])]
        except ValueError:
            raise Http404(_("No such area.")) from None
        if public and area_ids[0] not in public_areas:  # the public sees areas, not single institutions
            raise Http404(_("No such area."))
    elif public:
        area_ids = public_areas
    return list(indicators), kind, area_ids


@login_required
@replica_reads
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    require_perm(request, "monitoring.view")
    indicators, kind, area_ids = _export_choice(request, public=False)
    return _export(request, fmt, indicators, kind, area_ids, "ownpath-indicators")


@replica_reads
def open_data(request: HttpRequest) -> HttpResponse:
    """Public: the public indicators per area and year (and quarter), suppressed, with downloads."""
    tree = areas.tree()
    language = _language()
    years = periods.last(periods.YEAR, 3, timezone.localdate())
    area_ids = tree.areas()
    labels = [str(y) for y in years]
    tables = []
    for indicator in Indicator.objects.filter(is_active=True, is_public=True):
        grid = selectors.grid(indicator, area_ids, labels)
        rows = [(tree.name[a], [grid[(a, label)] for label in labels]) for a in area_ids]
        tables.append((indicator.name(language), rows))
    return render(request, "monitoring/open_data.html", {"tables": tables, "years": [str(y) for y in years]})


@replica_reads
def open_data_file(request: HttpRequest, fmt: str) -> HttpResponse:
    indicators, kind, area_ids = _export_choice(request, public=True)
    return _export(request, fmt, indicators, kind, area_ids, "ownpath-open-data", dimensioned=False)


# --- Checklist ------------------------------------------------------------------------------------------------


def _checklist_period(request: HttpRequest) -> str:
    text = request.GET.get("period") or str(timezone.localdate().year)
    try:
        return str(periods.parse(text))
    except periods.PeriodError as error:
        messages.error(request, str(error))
        return str(timezone.localdate().year)


def _checklist_areas() -> list[Organisation]:
    tree = areas.tree()
    ids = [a for a in tree.areas() if tree.level_of(a) in ("county_id", "municipality_id")]
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
    return [found[i] for i in ids]


@login_required
@require_http_methods(["GET", "POST"])
def checklist_overview(request: HttpRequest) -> HttpResponse:
    require_perm(request, "monitoring.view")
    period = _checklist_period(request)
    problems: list[Any] = []
    upload = forms.UploadForm()
    if request.method == "POST":
        upload = forms.UploadForm(request.POST, request.FILES)
        if upload.is_valid():
            try:
                saved = checklist.import_workbook(request.user, upload.cleaned_data["file"].read(10 * 1024 * 1024 + 1))
            except SheetError as error:
                problems = error.problems
                messages.error(
                    request,
                    _("Nothing was saved: the workbook has %(count)s problem(s), listed below.")
                    % {"count": len(problems)},
                )
            else:
                messages.success(request, _("%(count)s checklist entries saved.") % {"count": saved})
                return redirect(request.get_full_path())
    items, rows = checklist.grid(period, _checklist_areas())
    return render(request, "monitoring/checklist.html", {
        "period": period, "items": [(i, CHECKLIST_ITEMS.get(i.key, i.key)) for i in items], "rows": rows,
        "upload": upload, "problems": problems,
    }, status=400 if problems else 200)  # fmt: skip


@login_required
def checklist_download(request: HttpRequest) -> HttpResponse:
    require_perm(request, "monitoring.view")
    period = _checklist_period(request)
    return xlsx_response(f"checklist-{period}.xlsx", checklist.export_workbook(period, _checklist_areas()))


ENTRY_FIELDS = ("status", "responsible", "figures", "links", "notes")


@login_required
@require_http_methods(["GET", "POST"])
def checklist_entry(request: HttpRequest, area_id: int, period: str, item_key: str) -> HttpResponse:
    require_perm(request, "monitoring.view")
    area = get_object_or_404(Organisation, pk=area_id)
    item = get_object_or_404(ChecklistItem, key=item_key)
    try:
        period = str(periods.parse(period))
    except periods.PeriodError as error:
        raise Http404(str(error)) from None
    if not checklist.applies(item, area):
        raise Http404(_("This item is not part of the standard minimum here."))
    entry = ChecklistEntry.objects.filter(area=area, period=period, item=item).first()
    can_edit = request.user.has_perm("monitoring.edit_checklist", area)
    form = forms.EntryForm(area, item, entry=entry)
    version_form(form, entry, ENTRY_FIELDS)
    if request.method == "POST":
        require_perm(request, "monitoring.edit_checklist", area)
        form = forms.EntryForm(area, item, request.POST, request.FILES)
        version_form(form, entry, ENTRY_FIELDS)
        if form.is_valid():
            files = [request.FILES["evidence"]] if request.FILES.get("evidence") else []
            try:
                with form_unchanged(form, entry, form.values()):
                    checklist.save_entry(request.user, area, period, item, form.values(), files=files)
            except ValidationError as error:
                refuse(request, error, form)
            else:
                messages.success(request, _("Saved."))
                return redirect("monitoring:checklist_entry", area.pk, period, item.key)
        else:
            messages.error(request, _("Nothing was saved: check the highlighted fields."))
    counted = None
    if item.counted_from:
        indicator = Indicator.objects.filter(key=item.counted_from).first()
        if indicator is not None:
            counted = selectors.compare(indicator, [area.pk], period)[0]
    return render(request, "monitoring/entry.html", {
        "area": area, "period": period, "item": item, "item_name": CHECKLIST_ITEMS.get(item.key, item.key),
        "entry": entry, "form": form, "can_edit": can_edit, "counted": counted,
        "figures": [(FIGURES.get(k, k), (entry.figures if entry else {}).get(k)) for k in item.figures],
    })  # fmt: skip


@login_required
def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    require_perm(request, "monitoring.view")
    evidence = get_object_or_404(Evidence, pk=evidence_id)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)
