"""Translatable texts of any module, with a status per language (``core.Translation``).

A module stores the original of each translatable field with :func:`set_original`; the languages it wants
get a ``missing`` row, and translations that existed become ``outdated`` when the original changes (unless
the change is marked minor). :func:`set_translation` stores a human or machine translation; :func:`texts`
reads a record in a reader's language, falling back to the original and saying so; :func:`coverage`
counts what is missing. The module checks its own permissions before calling these.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ownpath.core.languages import LANGUAGE_CODES
from ownpath.core.models import Translation, TranslationStatus

READABLE = (TranslationStatus.ORIGINAL, TranslationStatus.HUMAN, TranslationStatus.MACHINE)


def known_language(code: str) -> bool:
    from django.conf import settings

    return code in LANGUAGE_CODES or code in {c for c, _n in settings.LANGUAGES}


def set_original(
    module: str,
    entity: str,
    entity_id: Any,
    fields: Mapping[str, Any],
    source_language: str,
    *,
    languages: Iterable[str],
    actor: Any = None,
    minor: bool = False,
) -> bool:
    """Store the original of each field given (strings only); return whether any original changed.

    A changed original makes the human and machine translations of that field ``outdated`` unless
    ``minor``; every language of ``languages`` that has no row yet gets a ``missing`` one.
    """
    changed = False
    wanted = list(dict.fromkeys(languages))
    rows = Translation.objects.of(module, entity, entity_id)
    for field_name, text in fields.items():
        if not isinstance(text, str):
            continue
        original = rows.filter(field=field_name, status=TranslationStatus.ORIGINAL).first()
        if original is not None and original.text == text:
            continue
        changed = True
        if original is None:
            # The original language may already hold a translation row (e.g. "missing"): take it over.
            Translation.objects.update_or_create(
                module=module,
                entity=entity,
                entity_id=entity_id,
                field=field_name,
                language=source_language,
                defaults={
                    "text": text,
                    "status": TranslationStatus.ORIGINAL,
                    "updated_at": timezone.now(),
                    "updated_by": actor,
                },
            )
        else:
            original.text = text
            original.updated_at = timezone.now()
            original.updated_by = actor
            original.save(update_fields=["text", "updated_at", "updated_by"])
            if not minor:
                rows.filter(field=field_name, status__in=[TranslationStatus.HUMAN, TranslationStatus.MACHINE]).update(
                    status=TranslationStatus.OUTDATED
                )
        present = set(rows.filter(field=field_name).values_list("language", flat=True))
        Translation.objects.bulk_create(
            [
                Translation(
                    module=module,
                    entity=entity,
                    entity_id=entity_id,
                    field=field_name,
                    language=language,
                    status=TranslationStatus.MISSING,
                )
                for language in wanted
                if language not in present
            ]
        )
    return changed


@transaction.atomic
def set_translation(
    actor: Any, module: str, entity: str, entity_id: Any, field_name: str, language: str, text: str, *, status: str
) -> Translation:
    """Store a human or machine translation of one field; an empty text makes it ``missing`` again."""
    if status not in (TranslationStatus.HUMAN, TranslationStatus.MACHINE):
        raise ValidationError(_("A translation is human or machine."))
    if not known_language(language):
        raise ValidationError(_("Unknown language."))
    rows = Translation.objects.of(module, entity, entity_id)
    if not rows.filter(field=field_name, status=TranslationStatus.ORIGINAL).exists():
        raise ValidationError(_("No such text to translate."))
    translation = rows.select_for_update().filter(field=field_name, language=language).first()
    if translation is None:
        translation = Translation(
            module=module, entity=entity, entity_id=entity_id, field=field_name, language=language
        )
    if translation.status == TranslationStatus.ORIGINAL:
        raise ValidationError(_("This is the original text; edit the record instead."))
    translation.text = text.strip()
    translation.status = status if translation.text else TranslationStatus.MISSING
    translation.updated_at = timezone.now()
    translation.updated_by = actor
    translation.save()
    return translation


def texts(module: str, entity: str, entity_id: Any, language: str) -> dict[str, tuple[str, str]]:
    """Each field as (text, status) in ``language``; ``original_fallback`` when the original is shown instead."""
    rows = list(Translation.objects.of(module, entity, entity_id))
    return resolve(rows, language)


def resolve(rows: Iterable[Translation], language: str) -> dict[str, tuple[str, str]]:
    """:func:`texts` over rows already read (of one record)."""
    rows = list(rows)
    original = {t.field: t for t in rows if t.status == TranslationStatus.ORIGINAL}
    wanted = {t.field: t for t in rows if t.language == language}
    out = {}
    for name, source in original.items():
        mine = wanted.get(name)
        if mine is not None and mine.text and mine.status in READABLE:
            out[name] = (mine.text, mine.status)
        else:
            out[name] = (source.text, "original_fallback" if source.language != language else "original")
    return out


def original_language(module: str, entity: str, entity_id: Any) -> str:
    found = Translation.objects.of(module, entity, entity_id).filter(status=TranslationStatus.ORIGINAL).first()
    return found.language if found else "en"


def coverage(module: str, languages: Iterable[str]) -> dict[str, dict[str, int]]:
    """Per language, how many translatable texts of ``module`` are in each status."""
    report: dict[str, dict[str, int]] = {lang: dict.fromkeys(TranslationStatus.values, 0) for lang in languages}
    counts = (
        Translation.objects.of(module)
        .values("language", "status")
        .annotate(n=Count("pk"))
        .values_list("language", "status", "n")
    )
    for language, status, count in counts:
        report.setdefault(language, dict.fromkeys(TranslationStatus.values, 0))[status] = count
    return report
