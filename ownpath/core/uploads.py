"""Checks for uploaded files, shared by every module that accepts them (CVs, documents, evidence).

The type is decided by the file's own bytes, not by its name or the browser's word; the size is capped;
documents that can carry active content (PDF JavaScript or launch actions, Office macros) are refused.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO

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


def sniff(head: bytes, data: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return DOCX
                if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                    return ODT
        except zipfile.BadZipFile:
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
