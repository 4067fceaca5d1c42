"""Checks for uploaded files, shared by every module that accepts them (CVs, documents, evidence, imports).

The type is decided by the file's own bytes, not by its name or the browser's word; the size is capped;
documents that can carry active content (PDF JavaScript or launch actions, Office macros) are refused.
Archives (DOCX, XLSX, ODT, ZIP packages) are measured from their directory before anything is unpacked:
too many entries, too many bytes unpacked or an entry packed too tightly (a zip bomb) refuse the file.
JSON is parsed with a size and a nesting limit (``load_json``); text files are decoded as UTF-8 or UTF-16
with a byte-order mark, anything else is refused with the byte where it went wrong (``decode_text``).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF, DOCX, ODT, PNG, JPEG = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "image/png",
    "image/jpeg",
)
_PDF_ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/OpenAction", b"/AA", b"/EmbeddedFile", b"/RichMedia", b"/XFA")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Archives: at most this many entries, and no entry unpacking to more than RATIO times its packed size once
# it is over RATIO_FLOOR bytes (documents compress 5-20 times; a zip bomb a thousand times and more).
MAX_ENTRIES = 2000
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
# JSON: at most this deep (a JSON Resume is 4 levels deep, an HSDS service about 6).
MAX_JSON_DEPTH = 64


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def check_archive(data: bytes, max_unpacked: int | None = None, max_entries: int = MAX_ENTRIES) -> None:
    """Refuse (``ValidationError``) a ZIP container that unpacks to too much, has too many entries or an entry
    packed suspiciously tightly; judged from the central directory, before any entry is decompressed.
    (Python's ``zipfile`` never unpacks an entry beyond the size its directory declares.)"""
    limit = max_unpacked or settings.OWNPATH_MAX_UNPACKED_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise ValidationError(_("The file is damaged or not a readable archive."), code="bad_archive") from None
    if len(members) > max_entries:
        raise ValidationError(
            _("The archive holds %(count)s files; at most %(max)s are accepted.")
            % {"count": len(members), "max": max_entries},
            code="archive_entries",
        )
    total = 0
    for member in members:
        total += member.file_size
        if total > limit:
            raise ValidationError(
                _("The archive unpacks to more than %(mb)s MB and was refused.") % {"mb": _mb(limit)},
                code="archive_size",
            )
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise ValidationError(
                _('The archive is packed suspiciously tightly (a "zip bomb") and was refused.'), code="archive_ratio"
            )


def _json_depth_exceeds(text: str, max_depth: int) -> bool:
    if text.count("[") + text.count("{") <= max_depth:
        return False
    depth = 0
    for match in re.finditer(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', text):
        found = match.group()
        if found in "[{":
            depth += 1
            if depth > max_depth:
                return True
        elif found in "]}":
            depth -= 1
    return False


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load_json(raw: bytes | str, *, max_bytes: int, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON from an upload or a request body: at most ``max_bytes`` long and ``max_depth`` deep, UTF-8,
    no NaN or Infinity; anything else raises ``ValidationError`` with a message for the person."""
    if len(raw) > max_bytes:
        raise ValidationError(_("The file is too large: at most %(mb)s MB.") % {"mb": _mb(max_bytes)}, code="too_large")
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(
                _("The file is not UTF-8 text (byte %(byte)s): save it as UTF-8.") % {"byte": error.start},
                code="encoding",
            ) from None
    else:
        text = raw
    if _json_depth_exceeds(text, max_depth):
        raise ValidationError(
            _("The JSON is nested more than %(depth)s levels deep and was refused.") % {"depth": max_depth},
            code="json_depth",
        )
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        refused = ValidationError(
            _("Not valid JSON (line %(line)s, column %(column)s): %(reason)s")
            % {"line": error.lineno, "column": error.colno, "reason": error.msg},
            code="json_syntax",
        )
        refused.position = f"line {error.lineno}, column {error.colno}"  # type: ignore[attr-defined]
        raise refused from None
    except (ValueError, RecursionError):  # a number of thousands of digits, NaN, or deeper than Python goes
        raise ValidationError(_("Not valid JSON."), code="json_syntax") from None


def decode_text(raw: bytes) -> str:
    """Text of an uploaded CSV or other text file: UTF-8 (with or without a byte-order mark), or UTF-16 with a
    byte-order mark. Other encodings (Windows-1250, Latin-1...) are refused, naming the first bad byte:
    guessing would store mangled names."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is damaged UTF-16 text: save it as UTF-8."), code="encoding") from None
    if b"\x00" in raw[:4096]:
        raise ValidationError(_("This is not a text file."), code="not_text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The file is not UTF-8 text (byte %(byte)s): save it as UTF-8 (CSV UTF-8 in Excel).")
            % {"byte": error.start},
            code="encoding",
        ) from None


def sniff(head: bytes, data: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            check_archive(data)
        except ValidationError as error:
            if error.code == "bad_archive":
                return None  # not a readable ZIP: not a document of any accepted type
            raise
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
                if (
                    "mimetype" in names
                    and archive.getinfo("mimetype").file_size < 200
                    and archive.read("mimetype").strip() == ODT.encode()
                ):
                    return ODT
        except (zipfile.BadZipFile, ValueError, EOFError):
            return None
    return None


def _has_active_content(kind: str, data: bytes) -> bool:
    if kind == PDF:
        return any(marker in data for marker in _PDF_ACTIVE)
    if kind in (DOCX, ODT):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(
                name.lower().endswith(("vbaproject.bin", ".bin")) or name.lower().startswith(("basic/", "scripts/"))
                for name in archive.namelist()
            )
    return False


def validate_upload(file: IO[bytes], allowed: tuple[str, ...], max_bytes: int | None = None) -> str:
    """Return the file's real content type, or raise ValidationError with a message for the person."""
    limit = max_bytes or settings.OWNPATH_MAX_UPLOAD_BYTES
    data = file.read(limit + 1)
    file.seek(0)
    if len(data) > limit:
        raise ValidationError(_("The file is too large: at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    if not data:
        raise ValidationError(_("The file is empty."))
    kind = sniff(data[:8], data)
    if kind not in allowed:
        raise ValidationError(_("This type of file is not accepted here."))
    if _has_active_content(kind, data):
        raise ValidationError(
            _("The file contains scripts or macros and was refused. Save it without them and try again.")
        )
    return kind
