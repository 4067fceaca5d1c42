"""Tables in and out. Downloads: CSV (UTF-8 with a byte-order mark, so spreadsheet programs read Cyrillic and
Arabic right) and XLSX (one sheet per table); values that a spreadsheet would run as a formula are defused.
Uploads: a workbook's problems are reported with their sheet, row and column (``Problem``, ``SheetError``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from ownpath.core.sensitivity import Lens, cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What a spreadsheet stores as the value of a formula it could not compute (LibreOffice writes Err:5xx).
EXCEL_ERRORS = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#CALC!", "#SPILL!")
) | {f"Err:{n}" for n in range(501, 540)}


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell (or row, or sheet) of an uploaded workbook."""

    sheet: str
    row: int
    column: str  # letter and header, e.g. "C (relevant)"
    message: str

    def __str__(self) -> str:
        if not self.sheet:
            return self.message
        if not self.row:
            return _("Sheet %(sheet)s: %(message)s") % {"sheet": self.sheet, "message": self.message}
        if not self.column:
            return _("Sheet %(sheet)s, row %(row)s: %(message)s") % {
                "sheet": self.sheet, "row": self.row, "message": self.message}  # fmt: skip
        return _("Sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s") % {
            "sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}  # fmt: skip


class SheetError(ValueError):
    """A workbook refused whole, with every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _safe(value: Any, lens: Lens | None = None) -> Any:
    value = cell(value, lens)
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, lens: Lens | None = None
) -> HttpResponse:
    """A CSV download. A cell wrapped in ``Sensitive`` is written only if ``lens`` reads its group."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_safe(h) for h in header])
    for row in rows:
        writer.writerow([_safe(v, lens) for v in row])
    return response


def xlsx_bytes(
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]], *, lens: Lens | None = None
) -> bytes:
    """A workbook. A cell wrapped in ``Sensitive`` is written only if ``lens`` reads its group."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append([_safe(h) for h in header])
        for row in rows:
            sheet.append([_safe(v, lens) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(filename: str, workbook: bytes) -> HttpResponse:
    """A workbook (from ``xlsx_bytes`` or any writer) as a download."""
    response = HttpResponse(workbook, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def cell_text(value: Any) -> str:
    """A cell as text: empty for nothing, whole numbers without ``.0``, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class Sheet:
    name: str
    headers: dict[str, int]  # lower-cased header → column number (1-based)
    rows: list[tuple[int, dict[str, str]]]  # (row number, header → text), empty rows left out

    def where(self, row: int, header: str) -> tuple[str, int, str]:
        """Sheet, row and column (letter and header, e.g. "F (relevant)") for a ``Problem``."""
        from openpyxl.utils import get_column_letter

        column = self.headers.get(header)
        label = f"{get_column_letter(column)} ({header})" if column else header
        return self.name, row, label


EMPTY_RUN = 1000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the legacy Excel 97-2003 ``.xls`` file


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet of the (already measured) workbook holds a formula element."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as sheet:
                    tail = b""
                    while chunk := sheet.read(1024 * 1024):
                        if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                            return True
                        tail = chunk[-3:]
    return False


def _worksheets(data: bytes) -> Iterator[tuple[str, Iterator[Sequence[Any]], Iterator[Sequence[Any]] | None]]:
    """(title, rows of values, rows of the formulas as written or None) of every sheet of an ``.xlsx`` or a
    legacy ``.xls`` workbook. An ``.xlsx`` is measured as an archive (zip bombs) before openpyxl unpacks it."""
    if data.startswith(OLE2_MAGIC):
        import xlrd

        book = xlrd.open_workbook(file_contents=data, on_demand=True)
        for xls_sheet in book.sheets():
            yield xls_sheet.name, (xls_sheet.row_values(n) for n in range(xls_sheet.nrows)), None
        return
    from django.core.exceptions import ValidationError
    from openpyxl import load_workbook

    from ownpath.core.uploads import XLSX, sniff

    try:
        kind = sniff(data[:8], data)
    except ValidationError as error:
        raise SheetError([Problem("", 0, "", " ".join(error.messages))]) from None
    if kind != XLSX:
        raise SheetError([Problem("", 0, "", _("The file is not an Excel workbook (.xlsx)."))])
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    # Formulas: the values the spreadsheet computed are read; a formula it stored without a value (a generated
    # file, a cycle) or with an error value is a problem of its cell, never evaluated here.
    formulas = load_workbook(io.BytesIO(data), read_only=True) if _has_formulas(data) else None
    try:
        for worksheet in workbook.worksheets:
            texts = formulas[worksheet.title].iter_rows(values_only=True) if formulas is not None else None
            yield worksheet.title, worksheet.iter_rows(values_only=True), texts
    finally:
        workbook.close()
        if formulas is not None:
            formulas.close()


def read_sheets(data: bytes, max_rows: int = 5000) -> dict[str, Sheet]:
    """Every sheet of an ``.xlsx`` (or legacy ``.xls``) workbook by lower-cased name, the first row as headers;
    ``SheetError`` when the file is not a workbook, is a hostile archive, has a formula whose value cannot be
    read, or a sheet has more than ``max_rows`` rows."""
    from openpyxl.utils import get_column_letter

    sheets = {}
    try:
        for title, rows, texts in _worksheets(data):
            first: Any = next(rows, ())
            if texts is not None:
                next(texts, ())
            headers = {cell_text(h).lower(): n for n, h in enumerate(first, start=1) if cell_text(h)}
            body: list[tuple[int, dict[str, str]]] = []
            for number, values in enumerate(rows, start=2):
                # Rows count when they hold something: spreadsheets often format thousands of empty ones, and
                # a run of EMPTY_RUN empty rows ends the sheet (nothing after it is read).
                if len(body) >= max_rows:
                    raise SheetError([Problem(title, number, "", _("The sheet has too many rows."))])
                cells = {h: cell_text(values[n - 1]) for h, n in headers.items() if n - 1 < len(values)}
                written: Any = next(texts, ()) if texts is not None else ()
                broken = [
                    h for h, n in headers.items()
                    if cells.get(h) in EXCEL_ERRORS
                    or (not cells.get(h) and n - 1 < len(written) and str(written[n - 1] or "").startswith("="))
                ]  # fmt: skip
                if broken:
                    raise SheetError([
                        Problem(title, number, f"{get_column_letter(headers[h])} ({h})", _(
                            "The cell holds a formula whose value cannot be read (%(error)s). Type the value "
                            "instead.") % {"error": cells.get(h) or str(written[headers[h] - 1])[:40]})
                        for h in broken
                    ])  # fmt: skip
                if any(cells.values()):
                    body.append((number, cells))
                elif number - (body[-1][0] if body else 1) > EMPTY_RUN:
                    break
            sheets[title.strip().lower()] = Sheet(title, headers, body)
    except SheetError:
        raise
    except Exception:
        raise SheetError([Problem("", 0, "", _("The file is not an Excel workbook (.xlsx)."))]) from None
    return sheets
