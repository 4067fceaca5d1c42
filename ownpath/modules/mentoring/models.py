"""Mentors and peer mentors, mentees (people shared with the programme under consent), match runs with
explained proposals, pairs, versioned contracts accepted by each party, meetings with progress per goal,
fit checks, reviews and closure."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ownpath.core.models import Organisation, Person
from ownpath.modules.mentoring.choices import (
    ContactForm,
    ContractStatus,
    Fit,
    Gender,
    GoalProgress,
    MenteeStatus,
    MentorKind,
    MentorStatus,
    Outcome,
    PairStatus,
    Party,
    RunStatus,
)

TEXTS_MODULE = "mentoring"


class Mentor(models.Model):
    """A mentor or peer mentor of a programme. Matchable only when active, approved by a coordinator and
    with the mentor path completed (``training_completed_on``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="mentors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentor_profiles"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=MentorKind.choices, default=MentorKind.PEER)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=12, default="pl")
    languages = models.JSONField(_("languages"), default=list, help_text=_("[language, CEFR level] pairs"))
    country_of_origin = models.CharField(_("country of origin"), max_length=2, blank=True)
    lived_experience = models.JSONField(_("lived experience"), default=list)
    profession = models.CharField(_("profession"), max_length=120, blank=True)
    sector = models.CharField(_("sector"), max_length=2, blank=True)
    municipality = models.CharField(_("municipality"), max_length=120, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    availability = models.JSONField(_("availability"), default=list)
    capacity = models.PositiveIntegerField(_("mentees at a time"), default=1)
    wants_mentee_gender = models.CharField(
        _("prefers mentees who are"), max_length=8, choices=Gender.choices, blank=True
    )
    status = models.CharField(_("status"), max_length=12, choices=MentorStatus.choices, default=MentorStatus.APPLICANT)
    training_completed_on = models.DateField(_("mentor path completed"), null=True, blank=True)
    training_evidence = models.CharField(_("training evidence"), max_length=300, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "email"], name="mentoring_mentor_once")]

    def __str__(self) -> str:
        return self.name

    @property
    def matchable(self) -> bool:
        return bool(self.status == MentorStatus.ACTIVE and self.approved_at and self.training_completed_on)


class Mentee(models.Model):
    """A person the programme may see (its own record, or one shared under a consent for mentoring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="mentees"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentee_profiles")
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=12, default="uk")
    languages = models.JSONField(_("languages"), default=list, help_text=_("[language, CEFR level] pairs"))
    country_of_origin = models.CharField(_("country of origin"), max_length=2, blank=True)
    lived_experience = models.JSONField(_("lived experience"), default=list)
    sector = models.CharField(_("sector sought"), max_length=2, blank=True)
    municipality = models.CharField(_("municipality"), max_length=120, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    availability = models.JSONField(_("availability"), default=list)
    wants_peer = models.BooleanField(_("would like a peer mentor"), default=False)
    wants_mentor_gender = models.CharField(
        _("would like a mentor who is"), max_length=8, choices=Gender.choices, blank=True
    )
    goals_summary = models.TextField(_("what they would like to achieve"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MenteeStatus.choices, default=MenteeStatus.WAITING)
    consent_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mentee")
        verbose_name_plural = _("mentees")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["organisation", "person"], name="mentoring_mentee_once")]

    def __str__(self) -> str:
        return str(self.person)


class MatchRun(models.Model):
    """A global match over the programme's waiting mentees and free mentors; published, it creates pairs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="match_runs")
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.DRAFT)
    mentees = models.PositiveIntegerField(default=0)
    mentors = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.created_at:%Y-%m-%d %H:%M}"


class Proposal(models.Model):
    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="proposals")
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="proposals")
    score = models.FloatField()
    factors = models.JSONField(default=list)  # [{"key", "label", "score", "weight", "because"}]
    adjusted = models.BooleanField(default=False)

    class Meta:
        ordering = ["-score"]
        constraints = [models.UniqueConstraint(fields=["run", "mentee"], name="mentoring_proposal_once")]

    def __str__(self) -> str:
        return f"{self.mentee} – {self.mentor}"


class Pair(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="mentoring_pairs")
    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="pairs")
    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="pairs")
    status = models.CharField(max_length=12, choices=PairStatus.choices, default=PairStatus.CONTRACTING)
    score = models.FloatField(null=True, blank=True)
    factors = models.JSONField(default=list)
    started_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    mentor_feedback = models.TextField(_("mentor's feedback"), blank=True)
    mentee_feedback = models.TextField(_("mentee's feedback"), blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=["contracting", "active"]),
                name="mentoring_one_open_pair_per_mentee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor} – {self.mentee}"


class Contract(models.Model):
    """One version of a pair's contract (seed 003): goals, rules, duration, meeting frequency, forms of
    contact, confidentiality. Free texts are written in ``language`` and can be translated (core
    translations, entity ``contract``); standard wording comes in every interface language."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="contracts")
    version = models.PositiveIntegerField(default=1)
    language = models.CharField(_("written in"), max_length=12, default="pl")
    weeks = models.PositiveIntegerField(_("duration (weeks)"))
    meet_every_days = models.PositiveIntegerField(_("meet every (days)"))
    contact_forms = models.JSONField(_("forms of contact"), default=list)
    status = models.CharField(max_length=12, choices=ContractStatus.choices, default=ContractStatus.PROPOSED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pair", "-version"]
        constraints = [models.UniqueConstraint(fields=["pair", "version"], name="mentoring_contract_version")]

    def __str__(self) -> str:
        return f"{self.pair} v{self.version}"


class ContractGoal(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveIntegerField(default=1)
    key = models.UUIDField(default=uuid.uuid4, help_text="Stays the same when a goal is carried into a new version.")

    class Meta:
        ordering = ["contract", "order"]

    def __str__(self) -> str:
        return f"{self.contract} goal {self.order}"


class ContractParty(models.Model):
    """A party's private link to read and accept one contract version, and their acceptance."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="parties")
    party = models.CharField(max_length=8, choices=Party.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=12, default="en")
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_language = models.CharField(max_length=12, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contract", "party"], name="mentoring_contract_party")]

    def __str__(self) -> str:
        return f"{self.contract} {self.party}"


class Meeting(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("duration (minutes)"))
    form = models.CharField(_("form"), max_length=12, choices=ContactForm.choices)
    topics = models.TextField(_("topics"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pair", "-held_on"]

    def __str__(self) -> str:
        return f"{self.pair} {self.held_on}"


class MeetingProgress(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="progress")
    goal_key = models.UUIDField()
    progress = models.CharField(max_length=12, choices=GoalProgress.choices)

    def __str__(self) -> str:
        return f"{self.meeting} {self.progress}"


class FitCheck(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="fit_checks")
    party = models.CharField(max_length=8, choices=Party.choices)
    answer = models.CharField(max_length=8, choices=Fit.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pair", "party"], name="mentoring_fit_once")]

    def __str__(self) -> str:
        return f"{self.pair} {self.party} {self.answer}"


class Review(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="reviews")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pair", "due_on"]

    def __str__(self) -> str:
        return f"{self.pair} review {self.due_on}"
