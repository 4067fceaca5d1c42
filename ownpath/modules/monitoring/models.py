"""Monitoring data: the facts other modules' events leave, indicators defined as data, their aggregated
cells, and the standard-minimum checklist.

``Fact`` is monitoring's own journal, one row per countable thing that happened (a person served, a hire, a
helpline contact). It keeps the area columns and the person's statistical attributes (sex, age band,
citizenship) as they were, and the person only as an id; an erased person's id is replaced by a pseudonym,
so totals stay right without any link back. ``Cell`` holds the aggregated figures that every page, export
and the API read; ``hidden`` marks what disclosure control suppresses.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ownpath.core.models import Organisation, User


class Fact(models.Model):
    kind = models.CharField(max_length=40)
    occurred_on = models.DateField()
    day = models.IntegerField()  # days since 1970-01-01, for portable date arithmetic
    month = models.IntegerField()  # year * 12 + month - 1
    quarter = models.IntegerField()  # year * 4 + quarter - 1
    year = models.IntegerField()
    person_id = models.BigIntegerField(null=True)
    subject = models.CharField(max_length=60, blank=True)
    organisation_id = models.BigIntegerField(null=True)
    municipality_id = models.BigIntegerField(null=True)
    county_id = models.BigIntegerField(null=True)
    metropolis_id = models.BigIntegerField(null=True)
    sex = models.CharField(max_length=8, default="unknown")
    age_band = models.CharField(max_length=8, default="unknown")
    citizenship = models.CharField(max_length=8, default="unknown")
    category = models.CharField(max_length=60, default="")
    value = models.FloatField(null=True)
    source = models.CharField(max_length=100, unique=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "month"], name="fact_kind_month"),
            models.Index(fields=["kind", "person_id"], name="fact_kind_person"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_on}"


class Cohort(models.Model):
    """A person's first ``start`` fact and the first ``end`` fact on or after it (e.g. first served → first
    job), for the indicators that follow people over time."""

    person_id = models.BigIntegerField()
    start_kind = models.CharField(max_length=40)
    end_kind = models.CharField(max_length=40)
    start_day = models.IntegerField()
    end_day = models.IntegerField(null=True)
    month = models.IntegerField()
    quarter = models.IntegerField()
    year = models.IntegerField()
    organisation_id = models.BigIntegerField(null=True)
    municipality_id = models.BigIntegerField(null=True)
    county_id = models.BigIntegerField(null=True)
    metropolis_id = models.BigIntegerField(null=True)
    sex = models.CharField(max_length=8, default="unknown")
    age_band = models.CharField(max_length=8, default="unknown")
    citizenship = models.CharField(max_length=8, default="unknown")
    category = models.CharField(max_length=60, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_id", "start_kind", "end_kind"], name="cohort_unique"),
        ]
        indexes = [models.Index(fields=["start_kind", "end_kind", "month"], name="cohort_kinds_month")]

    def __str__(self) -> str:
        return f"{self.start_kind}→{self.end_kind} {self.person_id}"


class Indicator(models.Model):
    key = models.SlugField(unique=True)
    names = models.JSONField(_("name"), default=dict)
    descriptions = models.JSONField(_("description"), default=dict, blank=True)
    definition = models.JSONField(_("definition"))
    unit = models.CharField(_("unit"), max_length=12, default="count")  # count | share | days | levels
    position = models.PositiveSmallIntegerField(default=100)
    is_public = models.BooleanField(_("on the open-data page"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    suppression_stale = models.BooleanField(default=True)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.key

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or self.key


class Cell(models.Model):
    """One figure: an indicator for an area and a period, in total (``dimension`` "") or for one member of a
    disaggregation (``dimension`` "sex" and ``member`` "female")."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="cells")
    period = models.CharField(max_length=10)  # 2026-03, 2026-Q1, 2026
    period_kind = models.CharField(max_length=1)  # m | q | y
    area_id = models.BigIntegerField()  # an organisation; 0 is everything
    dimension = models.CharField(max_length=16, default="")
    member = models.CharField(max_length=60, default="")
    numerator = models.FloatField(default=0)
    denominator = models.FloatField(null=True)
    value = models.FloatField(null=True)  # medians; shares are numerator / denominator
    hidden = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "area_id", "dimension", "member"], name="cell_unique"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "area_id", "period_kind"], name="cell_area_kind")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} {self.area_id} {self.dimension}={self.member}"


class ChecklistStatus(models.TextChoices):
    MISSING = "missing", _("Not in place")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("In place")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ChecklistItem(models.Model):
    """An element of the standard minimum; ``figures`` are the numbers it is evidenced with."""

    key = models.SlugField(unique=True)
    position = models.PositiveSmallIntegerField(default=100)
    figures = models.JSONField(default=list, blank=True)  # figure keys, e.g. ["places", "participants", "hours"]
    for_municipalities = models.BooleanField(default=True)
    for_counties = models.BooleanField(default=True)
    counted_from = models.CharField(max_length=40, blank=True)  # an indicator key that fills a figure

    class Meta:
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.key


class ChecklistEntry(models.Model):
    area = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="checklist_entries")
    period = models.CharField(_("period"), max_length=10)
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="entries")
    status = models.CharField(
        _("status"), max_length=16, choices=ChecklistStatus.choices, default=ChecklistStatus.MISSING
    )
    responsible = models.ForeignKey(
        User, verbose_name=_("responsible"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    links = models.TextField(_("links"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "period", "item"], name="checklist_entry_unique")]

    def __str__(self) -> str:
        return f"{self.area} {self.period} {self.item}"

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Evidence(models.Model):
    entry = models.ForeignKey(ChecklistEntry, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="monitoring/evidence/%Y/")
    name = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return self.name


class DirtyBucket(models.Model):
    """A figure that a new fact changed, waiting for ``aggregate.refresh_dirty`` to recompute it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    period_kind = models.CharField(max_length=1)
    period_key = models.IntegerField()
    level = models.CharField(max_length=16)
    area_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_kind", "period_key", "level", "area_id"], name="dirty_bucket_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_kind}{self.period_key} {self.level}={self.area_id}"
