"""The services directory, stored as Open Referral HSDS 3.0 records.

Each record keeps its whole HSDS object in ``data`` (so that everything an import brought, including
properties ownpath does not use, goes out again unchanged) and projects into columns what search needs:
names, status, coordinates, languages, cost, taxonomy terms, weekly opening hours and the searchable text
in each language. Ids are the HSDS UUIDs, so a re-import updates by id.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ownpath.core.models import Organisation, User

# The directory's translatable texts live in core.Translation under this module name.
TEXTS_MODULE = "directory"


class Taxonomy(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    taxonomy = models.ForeignKey(Taxonomy, null=True, blank=True, on_delete=models.SET_NULL, related_name="terms")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    code = models.CharField(_("code"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DirectoryOrganization(models.Model):
    """An organization of the directory. ``owner`` is the ownpath organisation whose staff edit it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    owner = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="directory_entries"
    )
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"))
    source_language = models.CharField(max_length=8, default="en")
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("directory organization")
        verbose_name_plural = _("directory organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    organization = models.ForeignKey(
        DirectoryOrganization, null=True, blank=True, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=300, blank=True)
    # Usable WGS84 coordinates; imported values outside the ranges are kept in ``data`` only.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    postal_code = models.CharField(max_length=20, blank=True, db_index=True)
    city = models.CharField(max_length=120, blank=True)
    source_language = models.CharField(max_length=8, default="en")
    data = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"], name="location_coordinates")]

    def __str__(self) -> str:
        return self.name or str(self.id)


class Service(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    organization = models.ForeignKey(DirectoryOrganization, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, default="active", db_index=True)
    language_codes = models.JSONField(default=list)  # ISO 639 codes of the languages spoken
    is_free = models.BooleanField(null=True)  # None: not known
    terms = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="services")
    locations = models.ManyToManyField(Location, through="ServiceAtLocation", related_name="services")
    source_language = models.CharField(max_length=8, default="en")
    data = models.JSONField(default=dict)
    last_modified = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        indexes = [models.Index(fields=["-last_modified", "id"], name="service_recent")]

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


class ServicePlace(models.Model):
    """Where an active service can be found, with its coordinates: the table distance searches read."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="places")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude", "service"], name="service_place_coordinates")]

    def __str__(self) -> str:
        return f"{self.service_id} at {self.latitude},{self.longitude}"


class OpeningHours(models.Model):
    """Weekly hours projected from the HSDS schedules (freq WEEKLY, byday, opens_at, closes_at)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="opening_hours")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField()  # 0 = Monday
    opens = models.TimeField()
    closes = models.TimeField()
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["weekday", "opens", "closes"], name="opening_hours_lookup")]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens}-{self.closes}"


class Closure(models.Model):
    """A holiday or other closure of a service (ownpath's addition; HSDS 3.0 has no such object)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="closures")
    starts = models.DateField(_("closed from"))
    ends = models.DateField(_("closed until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts"]

    def __str__(self) -> str:
        return f"{self.starts}–{self.ends}"


class SearchDocument(models.Model):
    """The searchable text of a service in one language (its translations, else the original)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="search_documents")
    language = models.CharField(max_length=8)
    text = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "language"], name="search_document_unique")]

    def __str__(self) -> str:
        return f"{self.service_id}/{self.language}"


class PackageRow(models.Model):
    """A row of a tabular package that no directory record holds (change metadata, table descriptions,
    attributes linked to something outside the directory), kept so that the package goes out whole."""

    table = models.CharField(max_length=60)
    row_id = models.CharField(max_length=100)
    data = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["table", "row_id"], name="package_row_unique")]

    def __str__(self) -> str:
        return f"{self.table} {self.row_id}"


class Feedback(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    information_wrong = models.BooleanField(_("the information is wrong"), default=False)
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"feedback {self.pk}"


class ImportJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused")

    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255)
    kind = models.CharField(max_length=24, blank=True)  # what the JSON file holds; empty: from its name
    keep_invalid_coordinates = models.BooleanField(default=False)  # import them, left off maps
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    summary = models.JSONField(default=dict)
    payload = models.BinaryField(editable=False)  # the uploaded file, removed once the job is done

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else (100 if self.status == "done" else 0)

    # Why a job failed other than for problems in the file (``errors`` holds ``{"code": ...}``).
    FAILURE_WORKER_LOST = "worker_lost"
    FAILURE_CRASHED = "crashed"

    @property
    def failure(self) -> str:
        """The reason, in the reader's language, when the import stopped without a problem in the file."""
        code = next((e.get("code") for e in self.errors if isinstance(e, dict) and e.get("code")), "")
        if code == self.FAILURE_WORKER_LOST:
            return _(
                "The import stopped: the background worker running it stopped responding, on every attempt. "
                "%(done)s of %(total)s records were saved; import the file again to complete it."
            ) % {"done": self.processed, "total": self.total}
        if code:
            return _(
                "The import stopped because of an error on the server, on every attempt. %(done)s of %(total)s "
                "records were saved; import the file again, and tell your administrator if it happens again."
            ) % {"done": self.processed, "total": self.total}
        return ""

    @property
    def problems(self) -> list[dict[str, Any]]:
        """Problems found in the file (nothing was imported)."""
        return [e for e in self.errors if isinstance(e, dict) and not e.get("code")]

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "total": self.total, "processed": self.processed, "errors": self.errors}
