"""XLIFF 2.0 (OASIS) export and import of directory texts, for translation agencies.

One ``<file>`` per record, one ``<unit>`` per text field (id ``<entity>.<field>``), ``<source>`` in the
record's original language and ``<target>`` in the requested one. Imported targets become human
translations; units whose source no longer matches the current original are reported and skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.utils.translation import gettext as _

from ownpath.core.models import Translation, TranslationStatus
from ownpath.modules.directory.models import TEXTS_MODULE

NS = "urn:oasis:names:tc:xliff:document:2.0"


def export(language: str, *, statuses: tuple[str, ...] = ("missing", "outdated"), source_language: str = "") -> bytes:
    """Texts in ``language`` with one of ``statuses``, with their originals, as an XLIFF 2.0 document."""
    originals = {
        (t.entity, str(t.entity_id), t.field): t
        for t in Translation.objects.of(TEXTS_MODULE)
        .filter(status=TranslationStatus.ORIGINAL)
        .exclude(language=language)
    }
    wanted = (
        Translation.objects.of(TEXTS_MODULE)
        .filter(language=language, status__in=statuses)
        .order_by("entity", "entity_id", "field")
    )
    source = source_language or next(iter({t.language for t in originals.values()}), "en")
    root = Element("xliff", {"xmlns": NS, "version": "2.0", "srcLang": source, "trgLang": language})
    files: dict[tuple[str, str], Element] = {}
    for translation in wanted:
        key = (translation.entity, str(translation.entity_id))
        original = originals.get((*key, translation.field))
        if original is None or (source_language and original.language != source_language):
            continue
        if key not in files:
            files[key] = SubElement(root, "file", {"id": f"{key[0]}-{key[1]}"})
        unit = SubElement(files[key], "unit", {"id": f"{key[0]}.{translation.field}"})
        notes = SubElement(unit, "notes")
        SubElement(notes, "note", {"category": "status"}).text = translation.status
        segment = SubElement(unit, "segment")
        SubElement(segment, "source").text = original.text
        if translation.text:
            SubElement(segment, "target").text = translation.text
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="utf-8")


@dataclass
class XliffResult:
    updated: int = 0
    problems: list[str] = field(default_factory=list)


def parse(raw: bytes) -> tuple[str, list[dict[str, Any]]]:
    """The target language and the units of an XLIFF 2.0 document; ValueError with a reason otherwise."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(raw)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise ValueError(_("Not a readable XLIFF file: %(reason)s") % {"reason": error}) from error
    if root.tag != f"{{{NS}}}xliff" or root.get("version") != "2.0":
        raise ValueError(_("Not an XLIFF 2.0 document."))
    language = root.get("trgLang") or ""
    if not language:
        raise ValueError(_("The document names no target language (trgLang)."))
    units = []
    for file_ in root.findall(f"{{{NS}}}file"):
        entity, _sep, entity_id = (file_.get("id") or "").partition("-")
        for unit in file_.findall(f"{{{NS}}}unit"):
            field_name = (unit.get("id") or "").partition(".")[2]
            segments = unit.findall(f"{{{NS}}}segment")
            source = "".join(
                "".join(s.find(f"{{{NS}}}source").itertext()) for s in segments if s.find(f"{{{NS}}}source") is not None
            )
            targets = [s.find(f"{{{NS}}}target") for s in segments]
            target = "".join("".join(t.itertext()) for t in targets if t is not None)
            units.append(
                {"entity": entity, "entity_id": entity_id, "field": field_name, "source": source, "target": target}
            )
    return language, units


def import_(actor: Any, raw: bytes) -> XliffResult:
    """Store the translated targets of an XLIFF 2.0 document as human translations."""
    from django.db import transaction

    from ownpath.modules.directory.services import set_translation

    language, units = parse(raw)
    result = XliffResult()
    with transaction.atomic():
        for unit in units:
            where = f"{unit['entity']}-{unit['entity_id']} {unit['field']}"
            original = (
                Translation.objects.of(TEXTS_MODULE)
                .filter(
                    entity=unit["entity"], entity_id=_uuid(unit["entity_id"]), field=unit["field"], status="original"
                )
                .first()
            )
            if original is None:
                result.problems.append(_("%(where)s: no such text.") % {"where": where})
                continue
            if original.text.strip() != unit["source"].strip():
                result.problems.append(
                    _("%(where)s: the original changed since the export; skipped.") % {"where": where}
                )
                continue
            if not unit["target"].strip():
                continue
            set_translation(
                actor, unit["entity"], original.entity_id, unit["field"], language, unit["target"], status="human"
            )
            result.updated += 1
    return result


def _uuid(value: str) -> Any:
    import uuid

    try:
        return uuid.UUID(value)
    except ValueError:
        return uuid.UUID(int=0)
