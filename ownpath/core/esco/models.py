"""ESCO concepts, their labels per language and the relations between them. Concept URIs are the keys: they
are the same in every language and version, so each language's files add labels to the same concepts."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConceptKind(models.TextChoices):
    OCCUPATION = "occupation", _("Occupation")
    SKILL = "skill", _("Skill")
    ISCO_GROUP = "isco_group", _("ISCO-08 group")
    SKILL_GROUP = "skill_group", _("Skill group")


class LabelKind(models.TextChoices):
    PREFERRED = "pref", _("Preferred label")
    ALTERNATIVE = "alt", _("Alternative label")
    HIDDEN = "hidden", _("Hidden label")


class RelationKind(models.TextChoices):
    ESSENTIAL = "essential", _("Essential skill of the occupation")
    OPTIONAL = "optional", _("Optional skill of the occupation")
    BROADER = "broader", _("Broader concept")
    RELATED_ESSENTIAL = "related_essential", _("Related skill (essential)")
    RELATED_OPTIONAL = "related_optional", _("Related skill (optional)")


class EscoConcept(models.Model):
    uri = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=16, choices=ConceptKind.choices, db_index=True)
    code = models.CharField(max_length=40, blank=True, db_index=True)
    skill_type = models.CharField(max_length=20, blank=True)  # "skill/competence" or "knowledge"
    reuse_level = models.CharField(max_length=24, blank=True)  # transversal, cross-sector, sector-specific, ...
    isco_group = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=20, blank=True)
    version = models.CharField(max_length=20, blank=True)
    # float16 vector of the preferred English label (multilingual-e5-small), written by ``esco embed``.
    embedding = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("ESCO concept")
        verbose_name_plural = _("ESCO concepts")

    def __str__(self) -> str:
        return self.uri

    @property
    def is_transversal(self) -> bool:
        return self.reuse_level == "transversal"


class EscoLabel(models.Model):
    concept = models.ForeignKey(EscoConcept, on_delete=models.CASCADE, related_name="labels")
    language = models.CharField(max_length=8)
    kind = models.CharField(max_length=8, choices=LabelKind.choices)
    text = models.CharField(max_length=500)
    normalised = models.CharField(max_length=500)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["concept", "language", "kind", "text"], name="core_esco_label_once")
        ]
        indexes = [models.Index(fields=["language", "normalised"], name="core_esco_label_lookup")]

    def __str__(self) -> str:
        return self.text


class EscoRelation(models.Model):
    source = models.ForeignKey(EscoConcept, on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(EscoConcept, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(max_length=20, choices=RelationKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target", "kind"], name="core_esco_relation_once")]
        indexes = [models.Index(fields=["target", "kind"], name="core_esco_relation_target")]


class EscoRelease(models.Model):
    """One load of a directory of ESCO files: what it added, for the record and for cache invalidation."""

    version = models.CharField(max_length=20)
    languages = models.JSONField(default=list)
    directory = models.CharField(max_length=500)
    counts = models.JSONField(default=dict)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-loaded_at"]
