"""Candidate profiles (ESCO skills and occupations, availability, place), the compact index rows the matcher
reads, the log of changes that keeps every process's index current, and proposals to employers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ownpath.core.models import Consent, EscoConcept, Organisation, Person
from ownpath.modules.matching.choices import Evidence, HoursWanted, Method, ProposalStatus


class CandidateProfile(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="candidate_profile")
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=3000)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    hours = models.CharField(_("hours"), max_length=10, choices=HoursWanted.choices, default=HoursWanted.ANY)
    max_commute_km = models.PositiveSmallIntegerField(_("will travel up to (km)"), default=30)
    willing_to_relocate = models.BooleanField(_("willing to move for work"), default=False)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    has_karta_polaka = models.BooleanField(_("holds a Karta Polaka"), default=False)
    full_time_student = models.BooleanField(_("full-time student in the country"), default=False)
    visa_purpose = models.CharField(_("national visa purpose code"), max_length=2, blank=True)
    unmapped_skills = models.JSONField(_("skills not found in ESCO"), default=list, blank=True)
    is_active = models.BooleanField(_("looking for work"), default=True)
    # The last imported CV as it came (JSON Resume, also what a Europass CV is read into), the core rows
    # made from it and their values then: the export gives back the document, with staff's changes.
    resume = models.JSONField(_("imported CV"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


class CandidateSkill(models.Model):
    profile = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(EscoConcept, on_delete=models.PROTECT, related_name="+")
    evidence = models.CharField(_("evidence"), max_length=12, choices=Evidence.choices, default=Evidence.SELF)
    source_text = models.CharField(_("as written"), max_length=200, blank=True)
    method = models.CharField(_("found by"), max_length=10, choices=Method.choices, default=Method.PICKED)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)  # 0–1 when mapped from text

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "skill"], name="matching_skill_once")]
        indexes = [models.Index(fields=["skill"], name="matching_skill_lookup")]


class CandidateOccupation(models.Model):
    profile = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="occupations")
    occupation = models.ForeignKey(EscoConcept, on_delete=models.PROTECT, related_name="+")
    years = models.DecimalField(_("years"), max_digits=4, decimal_places=1, default=0)
    source_text = models.CharField(_("as written"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "occupation"], name="matching_occupation_once")]


class CandidateVector(models.Model):
    """What the matcher needs of one candidate, packed (written by ``index.vector_for``): the index loads a
    million of these in seconds instead of joining skill tables."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="+")
    organisation_id = models.BigIntegerField(db_index=True)
    active = models.BooleanField(default=True)
    skills = models.BinaryField()  # int32 concept ids
    weights = models.BinaryField()  # float16 evidence weights
    occupations = models.BinaryField()  # int32 concept ids
    years = models.BinaryField()  # float16
    languages = models.CharField(max_length=200, blank=True)  # "pl:3,uk:7" (level 1 = A1 … 6 = C2, 7 = native)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    max_km = models.PositiveSmallIntegerField(default=30)
    relocate = models.BooleanField(default=False)
    hours = models.CharField(max_length=10, default="any")
    available_from = models.DateField(null=True)


class IndexChange(models.Model):
    """A candidate or a vacancy changed; each process's index applies the changes after the last it saw."""

    kind = models.CharField(max_length=10)  # candidate | vacancy
    object_id = models.BigIntegerField()
    at = models.DateTimeField(default=timezone.now)


class Proposal(models.Model):
    vacancy_id = models.BigIntegerField(db_index=True)
    employer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.SHORTLISTED)
    code = models.CharField(max_length=12)  # the pseudonym the employer sees before consent
    score = models.FloatField(default=0)
    explanation = models.JSONField(default=dict)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    proposed_at = models.DateTimeField(null=True, blank=True)
    invited_slot = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["vacancy_id", "person"], name="matching_proposal_once")]
