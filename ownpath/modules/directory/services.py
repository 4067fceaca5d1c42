"""Writes of the directory: imports, edits with translation statuses, feedback, machine translation."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ownpath.core.choices import Role
from ownpath.core.concurrency import check_version, version_of
from ownpath.core.db import in_batches
from ownpath.core.models import Organisation, Translation, TranslationStatus
from ownpath.core.services import translations
from ownpath.core.services.notifications import notify_each, staff_of
from ownpath.modules.directory import hsds
from ownpath.modules.directory.models import TEXTS_MODULE as MODULE
from ownpath.modules.directory.models import (
    DirectoryOrganization,
    Feedback,
    ImportJob,
    Location,
    OpeningHours,
    PackageRow,
    SearchDocument,
    Service,
    ServiceAtLocation,
    ServicePlace,
    Taxonomy,
    TaxonomyTerm,
)

WEEKDAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


# --- Import --------------------------------------------------------------------------------------------


def _known(kind: str, ident: str) -> bool:
    model = {"organization": DirectoryOrganization, "service": Service, "location": Location}.get(kind)
    try:
        return model is not None and model._default_manager.filter(pk=uuid.UUID(ident)).exists()
    except ValueError:
        return False


# Records written per transaction: progress is committed after each chunk, so that the person who started
# the import sees it move, and no transaction holds SQLite's write lock for long.
IMPORT_CHUNK = 200


def import_batch(  # noqa: C901 (to split, issue 22)
    batch: hsds.Batch,
    *,
    owner: Organisation | None = None,
    source_language: str = "en",
    invalid_coordinates: str = "refuse",
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Check the whole batch, then write it (updating by id). Refused: nothing written.

    The records are written in chunks of ``IMPORT_CHUNK``, each in its own transaction, and ``progress`` is
    called after each chunk has been committed (outside any transaction, so others see it at once). Every
    write updates by id, so running the same batch again (after a worker died half-way) writes the same
    records again and completes the import; the services are projected for search once all are written."""
    problems = hsds.check(batch, known=_known, invalid_coordinates=invalid_coordinates)
    if problems:
        raise hsds.ImportRefused(problems)
    total = batch.size()
    terms = _unique(batch.taxonomy_terms)
    services: list[Service] = []

    def taxonomy(record: dict[str, Any]) -> None:
        record = _completed(Taxonomy, record)
        Taxonomy.objects.update_or_create(
            id=record["id"], defaults={"name": record["name"], "description": record["description"], "data": record}
        )

    def term(record: dict[str, Any]) -> None:
        record = _completed(TaxonomyTerm, record)
        detail = record.get("taxonomy_detail")
        if isinstance(detail, dict) and detail.get("id"):
            Taxonomy.objects.update_or_create(
                id=detail["id"],
                defaults={"name": detail.get("name", ""), "description": detail.get("description", ""), "data": detail},
            )
        TaxonomyTerm.objects.update_or_create(
            id=record["id"],
            defaults={
                "name": record["name"],
                "description": record["description"],
                "code": record.get("code") or "",
                # Kept whole: a parent or taxonomy not in the directory still goes out as it came in.
                "data": record,
            },
        )

    def organization(record: dict[str, Any]) -> None:
        record = _completed(DirectoryOrganization, record)
        defaults: dict[str, Any] = {
            "name": record["name"], "description": record["description"], "data": record, "updated_at": timezone.now()
        }  # fmt: skip
        org, created = DirectoryOrganization.objects.update_or_create(id=record["id"], defaults=defaults)
        if created:
            DirectoryOrganization.objects.filter(pk=org.pk).update(owner=owner, source_language=source_language)
        _set_originals("organization", org.id, record, source_language)

    def extra(table: str, row: dict[str, Any]) -> None:
        PackageRow.objects.update_or_create(
            table=table, row_id=str(row["id"]), defaults={"data": _completed_row(table, row)}
        )

    def service_at_location(record: dict[str, Any]) -> None:
        record = _completed(ServiceAtLocation, record)
        ServiceAtLocation.objects.update_or_create(
            id=record["id"],
            defaults={"service_id": record["service_id"], "location_id": record["location_id"], "data": record},
        )

    steps: list[Callable[[], Any]] = [
        *[lambda r=r: taxonomy(r) for r in _unique(batch.taxonomies)],
        *[lambda r=r: term(r) for r in terms],
        *[lambda r=r: organization(r) for r in _unique(batch.organizations)],
        *[lambda r=r: _save_location(r, source_language) for r in _unique(batch.locations)],
        *[lambda r=r: services.append(_save_service(r, source_language)) for r in _unique(batch.services)],
        *[lambda t=t, r=r: extra(t, r) for t, rows in batch.extra_rows.items() for r in rows],
        *[lambda r=r: service_at_location(r) for r in _unique(batch.service_at_locations)],
    ]
    done = 0
    for chunk in in_batches(steps, IMPORT_CHUNK):
        for step in chunk:
            step()
        done += len(chunk)
        if progress is not None and done < total:
            report = progress
            transaction.on_commit(partial(report, done, total))  # once this chunk is committed
    with transaction.atomic():
        # Parents and taxonomies of the terms, once all terms are there.
        known_terms = set(TaxonomyTerm.objects.values_list("id", flat=True))
        known_taxonomies = set(Taxonomy.objects.values_list("id", flat=True))
        for record in terms:
            parent = _uuid(record.get("parent_id"))
            taxonomy_id = _uuid(record.get("taxonomy_id") or (record.get("taxonomy_detail") or {}).get("id"))
            TaxonomyTerm.objects.filter(id=record["id"]).update(
                parent_id=parent if parent in known_terms else None,
                taxonomy_id=taxonomy_id if taxonomy_id in known_taxonomies else None,
            )
    # Services whose places, hours or languages may have changed: those in the file, and those at its
    # locations or service-at-locations.
    location_ids = [r["id"] for r in _unique(batch.locations)]
    sal_service_ids = [r["service_id"] for r in _unique(batch.service_at_locations)]
    affected = {s.pk: s for s in services}
    for other in Service.objects.filter(
        Q(service_at_locations__location_id__in=location_ids) | Q(pk__in=sal_service_ids)
    ).distinct():
        affected.setdefault(other.pk, other)
    for projected in in_batches(list(affected.values()), IMPORT_CHUNK):
        for service in projected:
            project_service(service)
    counts = {
        "organizations": len(_unique(batch.organizations)),
        "services": len(services),
        "locations": len(_unique(batch.locations)),
        "service_at_locations": len(_unique(batch.service_at_locations)),
        "taxonomy_terms": len(terms),
        "taxonomies": len(_unique(batch.taxonomies)),
    }
    if progress:
        progress(total, total)
    return counts


def _unique(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per id; a later occurrence completes an earlier one (nested copies repeat objects)."""
    merged: dict[str, dict[str, Any]] = {}
    for record in records:
        key = str(record["id"]).lower()
        merged[key] = {**merged.get(key, {}), **record}
    return list(merged.values())


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _completed(model: Any, record: dict[str, Any]) -> dict[str, Any]:
    """The record as imported over what is stored: an import updates the fields it carries and never deletes
    what it was not given (a list form of a service, a lone services.csv). A field given as an empty list, or
    a table of the package with no row for the record, does empty it."""
    try:
        stored = model._default_manager.filter(pk=uuid.UUID(str(record["id"]))).values_list("data", flat=True).first()
    except ValueError:
        stored = None
    return {**stored, **record} if isinstance(stored, dict) else record


def _completed_row(table: str, row: dict[str, Any]) -> dict[str, Any]:
    stored = PackageRow.objects.filter(table=table, row_id=str(row["id"])).values_list("data", flat=True).first()
    return {**stored, **row} if isinstance(stored, dict) else row


def _save_location(record: dict[str, Any], source_language: str) -> Location:
    record = _completed(Location, record)
    address = next((a for a in record.get("addresses") or [] if isinstance(a, dict)), {})
    usable = hsds.coordinates_valid(record)
    location, _created = Location.objects.update_or_create(
        id=record["id"],
        defaults={
            "organization_id": _uuid(record.get("organization_id"))
            if _uuid(record.get("organization_id")) and _known("organization", str(record.get("organization_id")))
            else None,
            "name": record.get("name") or "",
            "latitude": record.get("latitude") if usable else None,
            "longitude": record.get("longitude") if usable else None,
            "postal_code": str(address.get("postal_code") or "").strip().upper()[:20],
            "city": str(address.get("city") or "")[:120],
            "data": record,
        },
    )
    _set_originals("location", location.id, record, source_language)
    return location


def _save_service(record: dict[str, Any], source_language: str) -> Service:
    record = _completed(Service, record)
    modified = parse_datetime(str(record.get("last_modified") or "")) or timezone.now()
    if timezone.is_naive(modified):
        modified = timezone.make_aware(modified, timezone.get_current_timezone())
    service, created = Service.objects.update_or_create(
        id=record["id"],
        defaults={
            "organization_id": record["organization_id"],
            "name": record["name"],
            "description": record.get("description") or "",
            "status": record["status"],
            "data": record,
            "last_modified": modified,
        },
    )
    if created:
        Service.objects.filter(pk=service.pk).update(source_language=source_language)
        service.source_language = source_language
    term_ids = set()
    for attribute in record.get("attributes") or []:
        if not isinstance(attribute, dict):
            continue
        term = _uuid(attribute.get("taxonomy_term_id") or (attribute.get("taxonomy_term") or {}).get("id"))
        if term:
            term_ids.add(term)
    service.terms.set(TaxonomyTerm.objects.filter(id__in=term_ids))
    _set_originals("service", service.id, record, service.source_language)
    return service


def _set_originals(entity: str, entity_id: Any, record: dict[str, Any], source_language: str) -> None:
    """The original text of each translatable field; other languages become outdated when it changed."""
    fields = {name: record.get(name) for name in hsds.TRANSLATABLE[entity]}
    translations.set_original(MODULE, entity, entity_id, fields, source_language, languages=languages())


def project_service(service: Service) -> None:
    """Refresh what search reads: languages spoken, cost, weekly hours, searchable text per language."""
    data = service.data
    sals = list(service.service_at_locations.select_related("location"))
    codes: set[str] = set()
    for holder in [data, *[s.location.data for s in sals]]:
        for language in holder.get("languages") or []:
            if isinstance(language, dict) and language.get("code"):
                codes.add(_language_code(str(language["code"])))
        for phone in holder.get("phones") or []:
            for language in (phone or {}).get("languages") or []:
                if isinstance(language, dict) and language.get("code"):
                    codes.add(_language_code(str(language["code"])))
    amounts = [c.get("amount") for c in data.get("cost_options") or [] if isinstance(c, dict)]
    is_free = None
    if amounts:
        is_free = all(isinstance(a, int | float) and a == 0 for a in amounts if a is not None)
    Service.objects.filter(pk=service.pk).update(language_codes=sorted(codes), is_free=is_free)
    ServicePlace.objects.filter(service=service).delete()
    ServicePlace.objects.bulk_create(
        ServicePlace(
            service=service, location=sal.location, latitude=sal.location.latitude, longitude=sal.location.longitude
        )
        for sal in sals
        if service.status == "active" and sal.location.latitude is not None and sal.location.longitude is not None
    )
    OpeningHours.objects.filter(service=service).delete()
    hours = []
    for schedule, location_id in [
        *[(s, None) for s in data.get("schedules") or []],
        *[(s, sal.location_id) for sal in sals for s in sal.data.get("schedules") or []],
        *[(s, sal.location_id) for sal in sals for s in sal.location.data.get("schedules") or []],
    ]:
        hours.extend(_weekly_hours(service, schedule, location_id))
    OpeningHours.objects.bulk_create(hours)
    refresh_search_documents(service)


_ISO_639_2 = {"eng": "en", "pol": "pl", "ukr": "uk", "rus": "ru", "ara": "ar", "urd": "ur", "ger": "de", "fra": "fr"}


def _language_code(code: str) -> str:
    code = code.strip().lower()
    return _ISO_639_2.get(code, code.split("-")[0])


def _weekly_hours(service: Service, schedule: Any, location_id: Any) -> list[OpeningHours]:
    if not isinstance(schedule, dict) or str(schedule.get("freq", "")).upper() != "WEEKLY":
        return []
    opens, closes = hsds.parse_time(schedule.get("opens_at")), hsds.parse_time(schedule.get("closes_at"))
    if opens is None or closes is None:
        return []
    days = [d.strip().upper()[-2:] for d in str(schedule.get("byday") or "").split(",") if d.strip()]
    valid_from = _date(schedule.get("valid_from"))
    valid_to = _date(schedule.get("valid_to"))
    return [
        OpeningHours(
            service=service,
            location_id=location_id,
            weekday=WEEKDAYS[day],
            opens=opens,
            closes=closes,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        for day in days
        if day in WEEKDAYS
    ]


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def refresh_search_documents(service: Service) -> None:
    rows = Translation.objects.of(MODULE, "service", service.id).values_list("field", "language", "text", "status")
    original = {f: t for f, _lang, t, status in rows if status == TranslationStatus.ORIGINAL}
    by_language: dict[str, dict[str, str]] = {}
    for field_name, language, text, status in rows:
        if status in (TranslationStatus.HUMAN, TranslationStatus.MACHINE, TranslationStatus.ORIGINAL) and text:
            by_language.setdefault(language, {})[field_name] = text
    terms = " ".join(service.terms.values_list("name", flat=True))
    organization = service.organization.name
    documents = []
    for language in languages():
        fields = {**original, **by_language.get(language, {})}
        # Lower-cased once here: SQLite's LIKE folds only ASCII, and PostgreSQL's tsvector folds anyway.
        text = " ".join([*fields.values(), terms, organization]).lower()
        documents.append(SearchDocument(service=service, language=language, text=text))
    SearchDocument.objects.filter(service=service).delete()
    SearchDocument.objects.bulk_create(documents)


# --- Import jobs (background, with progress) -----------------------------------------------------------


def start_import(
    actor: Any,
    filename: str,
    raw: bytes,
    *,
    owner: Organisation | None,
    language: str,
    kind: str = "",
    keep_invalid_coordinates: bool = False,
) -> ImportJob:
    if not actor.has_perm("directory.import"):
        raise PermissionDenied(_("You cannot import into the directory."))
    if kind and kind not in hsds.KINDS:
        raise ValidationError({"kind": _("Unknown kind of HSDS object.")})
    job = ImportJob.objects.create(
        created_by=actor,
        filename=filename[:255],
        payload=raw,
        kind=kind,
        keep_invalid_coordinates=keep_invalid_coordinates,
    )
    from ownpath.modules.directory.tasks import run_import

    owner_id = owner.pk if owner else None
    transaction.on_commit(lambda: run_import.enqueue(job.pk, owner_id, language))
    return job


def run_import_job(job_id: int, owner_id: int | None, language: str) -> ImportJob:
    """Run an import job; its progress is committed as it goes. A second run after a worker died half-way
    writes the same records again (by id) and completes the job. An unexpected error propagates, so that
    the task queue retries; when the task has failed for good, ``import_task_ended`` marks the job failed."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        return job  # a second run of the task (its worker died after the end): nothing left to do
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    owner = Organisation.objects.filter(pk=owner_id).first() if owner_id else None

    def progress(done: int, total: int) -> None:
        # Only forward: a chunk's report may arrive after the final one (when the import runs inside an
        # outer transaction, its on-commit reports wait for that transaction's end).
        ImportJob.objects.filter(pk=job.pk, processed__lte=done).update(processed=done, total=total)

    try:
        kind, content = hsds.files_from_upload(job.filename, bytes(job.payload))
        batch = (
            hsds.batch_from_json(content, job.kind or hsds.kind_from_filename(job.filename))
            if kind == "json"
            else hsds.batch_from_package(content)
        )
        ImportJob.objects.filter(pk=job.pk).update(total=batch.size())
        counts = import_batch(
            batch,
            owner=owner,
            source_language=language,
            progress=progress,
            invalid_coordinates="keep" if job.keep_invalid_coordinates else "refuse",
        )
    except hsds.ImportRefused as refused:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, errors=[p.as_dict() for p in refused.problems[:500]], payload=b""
        )
    else:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, summary=counts, payload=b"")
    return ImportJob.objects.get(pk=job.pk)


def import_task_ended(job_id: Any, *, failed: bool, worker_lost: bool) -> None:
    """The import's task has ended (``task_finished``). If it failed for good (its worker died on each
    attempt, or an error no retry fixed), the job is marked failed with the reason, stored as a code and
    shown in the reader's language; the records written before are kept (see ``import_batch``)."""
    if not failed:
        return
    reason = ImportJob.FAILURE_WORKER_LOST if worker_lost else ImportJob.FAILURE_CRASHED
    ImportJob.objects.filter(pk=job_id, status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING]).update(
        status=ImportJob.Status.FAILED, errors=[{"code": reason, "record": "", "field": "", "message": ""}], payload=b""
    )


# --- Editing and translations --------------------------------------------------------------------------


def may_edit(actor: Any, service: Service) -> bool:
    return bool(actor.has_perm("directory.change_service", service))


EDITED_TEXTS = (
    "name",
    "description",
    "status",
    "application_process",
    "eligibility_description",
    "fees_description",
    "alert",
    "email",
    "url",
)


def service_version(service: Service) -> str:
    """The version an edit form carries (``core.concurrency``): the texts and facts an editor changes."""
    return version_of(service, ("name", "description", "status"), extra={k: service.data.get(k) for k in EDITED_TEXTS})


@transaction.atomic
def edit_service(
    actor: Any, service: Service, values: dict[str, Any], *, minor: bool = False, expected_version: str | None = None
) -> Service:
    """Change the original text and facts of a service. Unless ``minor``, translations become outdated. A
    change made from a version someone else has changed since is refused (``StaleEdit``)."""
    if not may_edit(actor, service):
        raise PermissionDenied(_("Only the organisation's staff and network administrators edit this service."))
    if expected_version is not None:
        locked = Service.objects.select_for_update().get(pk=service.pk)
        check_version(
            locked,
            expected_version,
            ("name", "description", "status"),
            submitted=values,
            extra={k: locked.data.get(k) for k in EDITED_TEXTS},
        )
        service = locked
    if values.get("status") and values["status"] not in ("active", "inactive", "defunct", "temporarily closed"):
        raise ValidationError({"status": _("Choose a status.")})
    if not (values.get("name") or service.name).strip():
        raise ValidationError({"name": _("A service needs a name.")})
    data = dict(service.data)
    for key, value in values.items():
        if key in EDITED_TEXTS:
            data[key] = value
    errors = list(hsds.validator("service").iter_errors(data))
    if errors:
        raise ValidationError(errors[0].message)
    data["last_modified"] = timezone.now().isoformat()
    service.data = data
    service.name = data["name"]
    service.description = data.get("description") or ""
    service.status = data.get("status", "active")
    service.last_modified = timezone.now()
    service.save()
    translations.set_original(
        MODULE,
        "service",
        service.id,
        {name: data.get(name) for name in hsds.TRANSLATABLE["service"]},
        service.source_language,
        languages=languages(),
        actor=actor,
        minor=minor,
    )
    project_service(service)
    return service


@transaction.atomic
def set_translation(
    actor: Any, entity: str, entity_id: Any, field_name: str, language: str, text: str, *, status: str
) -> Translation:
    if language not in languages():
        raise ValidationError(_("Unknown language."))
    if entity == "service" and actor is not None:
        service = Service.objects.get(pk=entity_id)
        if not may_edit(actor, service):
            raise PermissionDenied(_("Only the organisation's staff and network administrators edit this service."))
    translation = translations.set_translation(
        actor, MODULE, entity, entity_id, field_name, language, text, status=status
    )
    if entity == "service":
        refresh_search_documents(Service.objects.get(pk=entity_id))
    return translation


def machine_translate(actor: Any, service: Service, language: str) -> int:
    """Fill missing and outdated fields of ``service`` in ``language`` with the configured provider."""
    from ownpath.modules.directory.translation import provider

    engine = provider()
    count = 0
    for translation in Translation.objects.of(MODULE, "service", service.id).filter(
        language=language,
        status__in=[TranslationStatus.MISSING, TranslationStatus.OUTDATED],
    ):
        original = Translation.objects.of(MODULE, "service", service.id).get(
            field=translation.field, status=TranslationStatus.ORIGINAL
        )
        text = engine.translate(original.text, source=original.language, target=language)
        if text:
            set_translation(actor, "service", service.id, translation.field, language, text, status="machine")
            count += 1
    return count


def coverage() -> dict[str, dict[str, int]]:
    """Per language, how many translatable texts of the directory are in each status."""
    return translations.coverage(MODULE, languages())


# --- Feedback ------------------------------------------------------------------------------------------


@transaction.atomic
def leave_feedback(
    service: Service, *, rating: int | None, comment: str, information_wrong: bool, language: str
) -> Feedback:
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose from 1 to 5 stars.")})
    if rating is None and not comment.strip() and not information_wrong:
        raise ValidationError(_("Give a rating, a comment, or say that the information is wrong."))
    feedback = Feedback.objects.create(
        service=service,
        rating=rating,
        comment=comment.strip()[:4000],
        information_wrong=information_wrong,
        language=language[:8],
    )
    owner = service.organization.owner_id
    if owner:
        from django.urls import reverse
        from django.utils.translation import gettext_lazy

        notify_each(
            staff_of(owner, [Role.ORG_ADMIN, Role.COUNSELLOR]),
            gettext_lazy("Someone says the information on %(service)s is wrong")
            if information_wrong
            else gettext_lazy("Feedback on %(service)s"),
            body=comment[:500],
            url=reverse("directory:service_edit", args=[service.pk]),
            service=service.name,
        )
    return feedback


def unique_ids(values: Iterable[Any]) -> list[str]:
    return sorted({str(v) for v in values})


@transaction.atomic
def edit_facts(actor: Any, service: Service, values: dict[str, Any]) -> Service:
    """Languages spoken, cost, weekly hours and the address of a service, written into its HSDS record."""
    if not may_edit(actor, service):
        raise PermissionDenied(_("Only the organisation's staff and network administrators edit this service."))
    errors: dict[str, str] = {}
    fee = values.get("fee")
    if fee is not None and fee < 0:
        errors["fee"] = _("The fee cannot be negative.")
    opens, closes, days = values.get("opens"), values.get("closes"), values.get("days") or []
    if days and (opens is None or closes is None or closes <= opens):
        errors["closes"] = _("Give opening and closing times, closing after opening.")
    lat, lon = values.get("latitude"), values.get("longitude")
    if (lat is None) != (lon is None):
        errors["longitude"] = _("Give both latitude and longitude, or neither.")
    if lat is not None and not -90 <= lat <= 90:
        errors["latitude"] = _("Latitude is between −90 and 90 degrees.")
    if lon is not None and not -180 <= lon <= 180:
        errors["longitude"] = _("Longitude is between −180 and 180 degrees.")
    if errors:
        raise ValidationError(errors)
    data = dict(service.data)
    data["languages"] = [{"id": str(uuid.uuid4()), "code": code} for code in values.get("languages") or []]
    if fee is not None:
        data["cost_options"] = [
            {"id": str(uuid.uuid4()), "amount": float(fee), "currency": values.get("currency") or "PLN"}
        ]
    if days and opens is not None and closes is not None:
        data["schedules"] = [
            {
                "id": str(uuid.uuid4()),
                "freq": "WEEKLY",
                "byday": ",".join(days),
                "opens_at": opens.strftime("%H:%M:%S"),
                "closes_at": closes.strftime("%H:%M:%S"),
            }
        ]
    data["last_modified"] = timezone.now().isoformat()
    service.data = data
    service.last_modified = timezone.now()
    service.save()
    if values.get("address_1") or lat is not None:
        sal = service.service_at_locations.select_related("location").first()
        location = sal.location if sal else Location.objects.create(organization=service.organization, data={})
        record = dict(location.data) or {"id": str(location.id), "location_type": "physical"}
        record.update({"id": str(location.id), "latitude": lat, "longitude": lon})
        if values.get("address_1"):
            address = {
                "id": str(uuid.uuid5(location.id, "address")),
                "address_1": values["address_1"],
                "city": values.get("city") or "",
                "state_province": values.get("state_province") or "",
                "postal_code": values.get("postal_code") or "",
                "country": values.get("country") or "PL",
                "address_type": "physical",
            }
            record["addresses"] = [address]
        problems = list(hsds.validator("location").iter_errors(record))
        if problems:
            raise ValidationError(problems[0].message)
        _save_location(record, service.source_language)
        if sal is None:
            ServiceAtLocation.objects.create(service=service, location_id=location.id, data={"id": str(uuid.uuid4())})
    project_service(service)
    return service
