"""The standard minimum: one entry per area, period and item, with status, figures, evidence and the person
responsible; read and written on screen or as a workbook (one row per entry), refused whole with the sheet,
row and column of every problem."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ownpath.core.choices import AuditAction, Channel, OrganisationKind
from ownpath.core.models import Membership, Organisation, User
from ownpath.core.services import audit
from ownpath.core.tabular import Problem, SheetError, read_sheets, xlsx_bytes
from ownpath.core.uploads import DOCX, JPEG, ODT, PDF, PNG, validate_upload
from ownpath.modules.monitoring import periods
from ownpath.modules.monitoring.models import ChecklistEntry, ChecklistItem, ChecklistStatus, Evidence
from ownpath.modules.monitoring.rules import EDIT_ROLES, edits_area

CHECKLIST_KINDS = (OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY)
EVIDENCE_TYPES = (PDF, DOCX, ODT, PNG, JPEG)
MAX_FIGURE = 10**7
SHEET = "checklist"
COLUMNS = ["area", "period", "item", "status", "responsible", "links", "notes"]


def applies(item: ChecklistItem, area: Organisation) -> bool:
    return (area.kind == OrganisationKind.MUNICIPALITY and item.for_municipalities) or (
        area.kind == OrganisationKind.COUNTY and item.for_counties
    )


def responsible_people(area: Organisation) -> list[User]:
    chain = [area.pk, *(a.pk for a in area.ancestors())]
    ids = Membership.objects.filter(organisation_id__in=chain, is_active=True, role__in=EDIT_ROLES).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name"))


def _check(item: ChecklistItem, area: Organisation, values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if area.kind not in CHECKLIST_KINDS:
        errors["area"] = _("The checklist is kept for municipalities and counties.")
    elif not applies(item, area):
        errors["item"] = _("This item is not part of the standard minimum for a %(kind)s.") % {
            "kind": area.get_kind_display().lower()}  # fmt: skip
    if values.get("status") not in ChecklistStatus.values:
        errors["status"] = _("Choose a status.")
    responsible = values.get("responsible")
    if responsible is not None and responsible.pk not in {u.pk for u in responsible_people(area)}:
        errors["responsible"] = _("The responsible person must coordinate or administer this area or one above it.")
    for key, figure in (values.get("figures") or {}).items():
        if key not in item.figures:
            errors[key] = _("This item has no figure %(figure)s.") % {"figure": key}
        elif not isinstance(figure, int) or isinstance(figure, bool) or not 0 <= figure <= MAX_FIGURE:
            errors[key] = _("Enter a whole number from 0 to 10,000,000.")
    return errors


@transaction.atomic
def save_entry(
    actor: Any,
    area: Organisation,
    period: str,
    item: ChecklistItem,
    values: dict[str, Any],
    *,
    files: list[Any] = (),  # type: ignore[assignment]
    channel: Channel = Channel.UI,
) -> ChecklistEntry:
    if not edits_area(actor, area):
        raise PermissionDenied(_("Only coordinators and administrators of this area may change its checklist."))
    try:
        period = str(periods.parse(period))
    except periods.PeriodError as error:
        raise ValidationError({"period": str(error)}) from None
    errors = _check(item, area, values)
    if errors:
        raise ValidationError(errors)
    for upload in files:
        validate_upload(upload, EVIDENCE_TYPES, max_bytes=10 * 1024 * 1024)
    entry, _created = ChecklistEntry.objects.get_or_create(area=area, period=period, item=item)
    entry.status = values["status"]
    entry.responsible = values.get("responsible")
    entry.figures = {k: v for k, v in (values.get("figures") or {}).items() if v is not None}
    entry.links = "\n".join(line.strip() for line in str(values.get("links", "")).splitlines() if line.strip())
    entry.notes = str(values.get("notes", "")).strip()
    entry.updated_at, entry.updated_by = timezone.now(), actor
    entry.save()
    for upload in files:
        Evidence.objects.create(entry=entry, file=upload, name=str(upload.name)[:200], uploaded_by=actor)
    audit.record(actor, AuditAction.UPDATE, channel=channel, obj=entry, organisation_id=area.pk, fields=["checklist"])
    return entry


def grid(period: str, areas_: list[Organisation]) -> tuple[list[ChecklistItem], list[tuple[Organisation, list[Any]]]]:
    """Items, and per area the entry (or None, or "n/a") of each item: the metropolis at a glance."""
    items = list(ChecklistItem.objects.all())
    entries = {(e.area_id, e.item_id): e for e in ChecklistEntry.objects.filter(period=period, area__in=areas_)}
    rows = []
    for area in areas_:
        rows.append((area, [entries.get((area.pk, i.pk)) if applies(i, area) else "n/a" for i in items]))
    return items, rows


# --- Workbook -----------------------------------------------------------------------------------------------


def figure_keys() -> list[str]:
    return list(dict.fromkeys(key for item in ChecklistItem.objects.all() for key in item.figures))


def export_workbook(period: str, areas_: list[Organisation]) -> bytes:
    keys = figure_keys()
    rows = []
    for entry in ChecklistEntry.objects.filter(period=period, area__in=areas_).select_related(
        "area", "item", "responsible"
    ):
        rows.append([entry.area.slug, entry.period, entry.item.key, entry.status,
                     entry.responsible.email if entry.responsible else "", entry.links, entry.notes,
                     *[entry.figures.get(k, "") for k in keys]])  # fmt: skip
    return xlsx_bytes([(SHEET, COLUMNS + keys, rows)])


def import_workbook(actor: Any, data: bytes, *, channel: Channel = Channel.UI) -> int:  # noqa: C901 (to split, issue 22)
    """Every row of the ``checklist`` sheet saved, or ``SheetError`` naming each problem and nothing saved."""
    sheet = read_sheets(data, max_rows=50_000).get(SHEET)
    if sheet is None:
        raise SheetError([Problem(SHEET, 0, "", _("The workbook needs a sheet named checklist."))])
    headers = sheet.headers
    missing = [c for c in ("area", "period", "item", "status") if c not in headers]
    if missing:
        raise SheetError(
            [Problem(sheet.name, 1, "", _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})]
        )
    where = sheet.where

    items = {i.key: i for i in ChecklistItem.objects.all()}
    figures = set(figure_keys())
    problems: list[Problem] = []
    planned: list[tuple[Organisation, str, ChecklistItem, dict[str, Any]]] = []
    for number, row in sheet.rows:
        cells = {h: row.get(h, "") for h in headers}
        before = len(problems)
        area = Organisation.objects.filter(slug=cells["area"]).first()
        if area is None:
            problems.append(Problem(*where(number, "area"), _("No area %(area)s.") % {"area": cells["area"]}))
        elif not edits_area(actor, area):
            problems.append(
                Problem(*where(number, "area"), _("You may not change the checklist of %(area)s.") % {"area": area})
            )
        try:
            period = str(periods.parse(cells["period"]))
        except periods.PeriodError as error:
            problems.append(Problem(*where(number, "period"), str(error)))
            period = ""
        item = items.get(cells["item"])
        if item is None:
            problems.append(Problem(*where(number, "item"), _("No checklist item %(item)s.") % {"item": cells["item"]}))
        values: dict[str, Any] = {"status": cells["status"], "links": cells.get("links", ""), "notes": cells.get("notes", ""),
                                  "figures": {}}  # fmt: skip
        email = cells.get("responsible", "")
        if email:
            values["responsible"] = User.objects.filter(email__iexact=email).first()
            if values["responsible"] is None:
                problems.append(
                    Problem(
                        *where(number, "responsible"), _("No account with the e-mail %(email)s.") % {"email": email}
                    )
                )
                values.pop("responsible")
        for key in figures & set(headers):
            if cells.get(key, "") == "":
                continue
            try:
                values["figures"][key] = int(cells[key])
            except ValueError:
                problems.append(Problem(*where(number, key), _("Enter a whole number from 0 to 10,000,000.")))
        if len(problems) == before and area is not None and item is not None:
            for field, message in _check(item, area, values).items():
                header = field if field in headers else "item"
                problems.append(Problem(*where(number, header), message))
        if len(problems) == before and area is not None and item is not None:
            planned.append((area, period, item, values))
    if problems:
        raise SheetError(problems)
    with transaction.atomic():
        for area, period, item, values in planned:
            save_entry(actor, area, period, item, values, channel=channel)
    return len(planned)
