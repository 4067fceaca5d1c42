"""Hostile files against every place that takes a file: a corpus made here (zip bombs, an archive of too many
entries, deep JSON, an XLSX formula cycle, CSV in Windows-1250 and UTF-16, a PDF with JavaScript, executables
renamed), each refused with a clear message in the user's language and nothing stored.

Entry points: the public CV drop-off (booking), training materials, monitoring evidence (the three through
``core.uploads.validate_upload``), the checklist and XLSForm imports (``core.tabular.read_sheets``), the HSDS
import (JSON, CSV, ZIP), the XLIFF import, the JSON Resume import and the JSON API's request bodies."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from ownpath.core import uploads
from ownpath.core.choices import Role
from ownpath.core.models import PersonLanguage, WorkExperience
from ownpath.core.tabular import SheetError, read_sheets
from tests.conftest import World, signed_in
from tests.factories import staff

MB = 1024 * 1024
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run in DOS mode"
)
PDF_JS = b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\nendobj\n%%EOF\n"
DEEP_JSON = b"[" * 200_000 + b"]" * 200_000  # 400 KB, under every size limit


def _bomb(members: dict[str, bytes], name: str, unpacked: int) -> bytes:
    """A ZIP holding ``members`` and one entry of ``unpacked`` zero bytes (deflated about a thousand times)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
        with archive.open(name, "w", force_zip64=True) as out:
            chunk = b"\x00" * MB
            for _ in range(unpacked // MB):
                out.write(chunk)
    return buffer.getvalue()


DOCX_PARTS = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


def _xlsx(rows: list[list[Any]], title: str = "survey") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_cached_errors(data: bytes) -> bytes:
    """Give every formula of the workbook the cached value a spreadsheet stores for a cycle (#VALUE!)."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                text = body.decode()
                text = re.sub(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v\s*/?>(</v>)?',
                              r'<c r="\1" t="e"\2><f>\3</f><v>#VALUE!</v>', text)  # fmt: skip
                body = text.encode()
            target.writestr(info, body)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def corpus() -> dict[str, bytes]:
    cycle = _xlsx([["type", "name", "label"], ["=B2", "=A2", "=A2&B2"]])
    return {
        "docx_bomb": _bomb(DOCX_PARTS, "word/media/image1.bin", 256 * MB),  # ~250 KB, 256 MB unpacked
        "xlsx_bomb": _bomb({"xl/workbook.xml": b"<workbook/>"}, "xl/sharedStrings.xml", 256 * MB),
        "zip_bomb": _bomb({}, "services.csv", 256 * MB),
        "many_entries": _many_entries(5000),
        "deep_json": DEEP_JSON,
        "formula_cycle": _with_cached_errors(cycle),
        "formula_cycle_uncached": cycle,
        "csv_1250": "id,name,description\nx,Łódź — Poradnia,Doradztwo\n".encode("cp1250"),
        "pdf_js": PDF_JS,
        "exe": EXE,
    }


def _many_entries(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for n in range(count):
            archive.writestr(f"word/media/{n}.txt", "")
    return buffer.getvalue()


# --- The shared checks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("docx_bomb", "more than 100 MB"),
        ("many_entries", "at most 2000"),
        ("exe", "not accepted"),
        ("pdf_js", "scripts or macros"),
        ("deep_json", "not accepted"),
        ("csv_1250", "not accepted"),
    ],
)
def test_validate_upload_refuses_each_hostile_file(corpus: dict[str, bytes], name: str, message: str) -> None:
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        uploads.validate_upload(io.BytesIO(corpus[name]), (uploads.PDF, uploads.DOCX, uploads.ODT))


def test_an_archive_is_judged_before_anything_is_unpacked(corpus: dict[str, bytes]) -> None:
    with translation.override("en"):
        with pytest.raises(ValidationError, match="more than 100 MB"):
            uploads.check_archive(corpus["docx_bomb"], max_unpacked=100 * MB)
        with pytest.raises(ValidationError, match="zip bomb"):  # under the total, but packed 1000 times
            uploads.check_archive(corpus["docx_bomb"], max_unpacked=1024 * MB)
        uploads.check_archive(_xlsx([["type", "name"], ["text", "a"]]))  # an ordinary workbook passes
    with translation.override("pl"), pytest.raises(ValidationError) as refused:
        uploads.check_archive(corpus["many_entries"])
    assert "5001" in refused.value.messages[0] and "archiwum" in refused.value.messages[0].lower()


def test_json_is_parsed_with_a_depth_and_a_size_limit() -> None:
    with translation.override("en"):
        with pytest.raises(ValidationError, match="nested more than 64"):
            uploads.load_json(DEEP_JSON, max_bytes=MB)
        with pytest.raises(ValidationError, match="too large"):
            uploads.load_json(b"[]" + b" " * MB, max_bytes=MB)
        with pytest.raises(ValidationError, match=r"[Nn]ot valid JSON"):
            uploads.load_json(b"[" + b"1" * 5000 + b"]", max_bytes=MB)  # more digits than Python converts
        with pytest.raises(ValidationError, match="Not valid JSON"):
            uploads.load_json(b'{"a": NaN}', max_bytes=MB)
    # Brackets inside strings are text, not depth.
    assert uploads.load_json(json.dumps({"a": "[" * 500, "b": [[1]]}).encode(), max_bytes=MB)["b"] == [[1]]
    assert uploads.load_json(json.dumps([[[[{"x": "é"}]]]]).encode("utf-8"), max_bytes=MB) == [[[[{"x": "é"}]]]]


def test_text_is_utf8_or_utf16_with_a_bom_and_anything_else_is_refused(corpus: dict[str, bytes]) -> None:
    text = "id,name\n1,Łódź — Львів — حلب\n"
    assert uploads.decode_text(text.encode("utf-8")) == text
    assert uploads.decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert uploads.decode_text(text.encode("utf-16")) == text  # with its byte-order mark
    with translation.override("en"):
        with pytest.raises(ValidationError, match=r"not UTF-8 text \(byte 22\)"):
            uploads.decode_text(corpus["csv_1250"])
        with pytest.raises(ValidationError, match="not a text file"):
            uploads.decode_text(EXE)


@pytest.mark.parametrize("name", ["xlsx_bomb", "exe", "docx_bomb", "formula_cycle", "csv_1250"])
def test_workbook_imports_refuse_hostile_files_with_a_problem_each(corpus: dict[str, bytes], name: str) -> None:
    with translation.override("en"), pytest.raises(SheetError) as refused:
        read_sheets(corpus[name])
    message = str(refused.value)
    assert message and "Traceback" not in message
    if name == "formula_cycle":
        assert "#VALUE!" in message and "row 2" in message and "A (type)" in message


# --- Every entry point -----------------------------------------------------------------------------------


def test_the_public_cv_drop_off_refuses_hostile_files_in_the_visitors_language(
    world: World, corpus: dict[str, bytes]
) -> None:
    from ownpath.modules.booking.models import CV
    from ownpath.modules.booking.services import cv_organisations

    organisation = cv_organisations()[0] if cv_organisations() else world.centre
    for name, filename in [("docx_bomb", "cv.docx"), ("many_entries", "cv.docx"), ("exe", "cv.pdf"),
                           ("exe", "cv.docx"), ("pdf_js", "cv.pdf")]:  # fmt: skip
        response = signed_in(world.users[Role.COUNSELLOR]).post(
            reverse("booking:cv_drop"),
            {"organisation": organisation.pk, "name": "Amal", "email": "amal@example.org", "language": "ar",
             "agree": "on", "file": SimpleUploadedFile(filename, corpus[name])},
            HTTP_ACCEPT_LANGUAGE="pl",
        )  # fmt: skip
        assert response.status_code == 400, (name, filename)
        page = response.content.decode()
        assert "Traceback" not in page and ("archiwum" in page.lower() or "plik" in page.lower()), (name, page[:300])
    assert not CV.objects.exists()


def test_checklist_and_xlsform_imports_store_nothing_from_hostile_workbooks(
    world: World, corpus: dict[str, bytes]
) -> None:
    from ownpath.modules.monitoring import checklist
    from ownpath.modules.monitoring.models import ChecklistEntry
    from ownpath.modules.surveys import services as surveys
    from ownpath.modules.surveys import xlsform
    from ownpath.modules.surveys.models import Survey

    coordinator = world.users[Role.MIGRATION_TEAM_COORDINATOR]
    for name in ("xlsx_bomb", "formula_cycle", "formula_cycle_uncached", "exe", "docx_bomb"):
        with translation.override("en"), pytest.raises(SheetError):
            checklist.import_workbook(coordinator, corpus[name])
        with translation.override("en"), pytest.raises(xlsform.XLSFormError):
            surveys.import_xlsform(coordinator, world.county, corpus[name])
    assert not ChecklistEntry.objects.exists() and not Survey.objects.exists()
    page = signed_in(coordinator).post(
        reverse("surveys:import"),
        {"file": SimpleUploadedFile("form.xlsx", corpus["xlsx_bomb"]), "audience": "other", "mode": "anonymous",
         "min_group_size": 10},
        HTTP_ACCEPT_LANGUAGE="uk",
    )  # fmt: skip
    assert page.status_code == 400 and "архів" in page.content.decode().lower()


@pytest.mark.parametrize(
    ("name", "filename", "expected"),
    [
        ("zip_bomb", "package.zip", "more than 200 MB"),
        ("many_entries", "package.zip", "at most 200"),
        ("deep_json", "services.json", "nested more than 64"),
        ("csv_1250", "services.csv", "not UTF-8 text (byte"),
        ("exe", "services.json", "not UTF-8 text"),
        ("exe", "package.zip", "Not a readable ZIP"),
    ],
)
def test_the_hsds_import_refuses_hostile_files_and_writes_nothing(
    world: World,
    corpus: dict[str, bytes],
    name: str,
    filename: str,
    expected: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from ownpath.modules.directory.models import ImportJob, Service

    admin = signed_in(staff(Role.NETWORK_ADMIN, world.county))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("directory:import"), {"file": SimpleUploadedFile(filename, corpus[name]), "language": "en"}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == "failed"
    assert any(expected in e["message"] for e in job.errors), job.errors
    assert not Service.objects.exists() and bytes(job.payload) == b""
    page = admin.get(reverse("directory:import_job", args=[job.pk])).content.decode()
    assert "Nothing was imported" in page


def test_a_utf16_csv_with_a_bom_is_read_as_text(world: World) -> None:
    from ownpath.modules.directory import hsds

    text = (
        "id,name,description,email,website\n" + "9c4e6f4a-1d1e-4c8a-9b7e-3f8a2c1d0e5f,Fundacja Łódź — Львів,Porady,,\n"
    )
    rows, problems = hsds.read_package({"organizations.csv": text.encode("utf-16")})
    assert rows["organizations.csv"][0]["name"] == "Fundacja Łódź — Львів", problems
    with translation.override("en"):
        _rows, problems = hsds.read_package({"organizations.csv": text.encode("cp1250", errors="replace")})
    assert problems and "UTF-8" in problems[0].message


def test_the_xliff_import_refuses_what_is_not_xliff(world: World) -> None:
    from ownpath.modules.directory import xliff

    admin = staff(Role.NETWORK_ADMIN, world.county)
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><x>&b;</x>'
    for data in (EXE, bomb, b"<" * 100_000):
        with pytest.raises(ValueError):
            xliff.import_(admin, data)


def test_the_json_resume_import_refuses_deep_json_with_a_message(world: World, corpus: dict[str, bytes]) -> None:
    counsellor = signed_in(world.users[Role.COUNSELLOR])
    before = (WorkExperience.objects.count(), PersonLanguage.objects.count())
    for data in (
        corpus["deep_json"],
        EXE,
        b'{"basics": {"name": "x"}, "work": [' + b"[" * 10_000 + b"]" * 10_000 + b"]}",
    ):
        response = counsellor.post(
            reverse("matching:profile_action", args=[world.person.pk]),
            {"action": "import", "resume": SimpleUploadedFile("resume.json", data)},
            HTTP_ACCEPT_LANGUAGE="en",
            follow=True,
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "nested more than 64" in page or "not UTF-8" in page, page[:500]
    assert (WorkExperience.objects.count(), PersonLanguage.objects.count()) == before


def test_api_bodies_are_parsed_with_the_same_limits(world: World) -> None:
    client = signed_in(world.users[Role.COUNSELLOR])
    response = client.post("/api/v1/people/", DEEP_JSON, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_the_document_uploads_of_training_and_monitoring_use_the_same_checks(corpus: dict[str, bytes]) -> None:
    """Training materials and monitoring evidence go through ``validate_upload`` with their own types."""
    from ownpath.modules.monitoring.checklist import EVIDENCE_TYPES
    from ownpath.modules.training.services import MATERIAL_TYPES

    for allowed in (MATERIAL_TYPES, EVIDENCE_TYPES):
        for name in ("docx_bomb", "many_entries", "exe", "pdf_js"):
            with pytest.raises(ValidationError):
                uploads.validate_upload(io.BytesIO(corpus[name]), allowed)
