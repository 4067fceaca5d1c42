"""Counselling data: intake, assessment, the individual path, sessions, referrals, recognition, outcomes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ownpath.core.fields import EncryptedTextField
from ownpath.core.models import Consent, Organisation, Person, PersonNote, PersonShare, Qualification, User
from ownpath.modules.counselling.choices import (
    ContactChannel,
    ContractType,
    FollowUpStatus,
    GoalStatus,
    LegalRequestStatus,
    OutcomeKind,
    RecognitionRoute,
    RecognitionState,
    ReferralStatus,
    SessionKind,
    SessionMode,
    StepKind,
    StepStatus,
    SuggestionStatus,
    WageBand,
)


def _dates_in_order(errors: dict[str, Any], start: Any, end: Any, end_field: str, message: Any) -> None:
    if start and end and end < start:
        errors[end_field] = message


class Intake(models.Model):
    """First contact: how the person came, and whether an interpreter was needed."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="intakes")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    contact_date = models.DateField(_("first contact"), default=timezone.localdate)
    came_via = models.CharField(_("came through"), max_length=20, choices=ContactChannel.choices)
    referred_by = models.CharField(_("referred or sent by"), max_length=200, blank=True)
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    interpreter_language = models.CharField(_("interpreting language"), max_length=8, blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["-contact_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_came_via_display()} {self.contact_date}"

    def clean(self) -> None:
        if self.contact_date and self.contact_date > timezone.localdate():
            raise ValidationError({"contact_date": _("The first contact cannot be in the future.")})
        if self.interpreter_used and not self.interpreter_language:
            raise ValidationError({"interpreter_language": _("Say which language was interpreted.")})


class Assessment(models.Model):
    """The needs assessment. Languages, qualifications, work history and legal status live on the core
    record; this adds the family situation, health (encrypted, health readers only), goals and wishes."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    assessed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    family_situation = models.TextField(_("family situation"), blank=True)
    single_parent = models.BooleanField(_("raises children alone"), default=False)
    childcare_needed = models.BooleanField(_("needs childcare to take up work or a course"), default=False)
    low_literacy = models.BooleanField(_("reads and writes with difficulty"), default=False)
    disability = models.BooleanField(_("has a disability or long-term health condition"), default=False)
    health_notes = EncryptedTextField(_("health and disability (sensitive)"), blank=True)
    needs_psychological_support = models.BooleanField(_("asks for psychological support"), default=False)
    needs_legal_advice = models.BooleanField(_("has a legal question"), default=False)
    wants_self_employment = models.BooleanField(_("wants to start a business"), default=False)
    goals = models.TextField(_("goals in the person's words"), blank=True)
    preferences = models.TextField(_("wishes: kind of work, hours, place"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"assessment {self.assessed_on}"

    def clean(self) -> None:
        if self.assessed_on and self.assessed_on > timezone.localdate():
            raise ValidationError({"assessed_on": _("The assessment date cannot be in the future.")})


class CaseProfile(models.Model):
    """What the caseload needs at a glance per person, kept up to date by the services."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="case_profile", primary_key=True)
    barriers = models.JSONField(default=list)
    barrier_count = models.PositiveSmallIntegerField(default=0, db_index=True)
    expiry_reminded_for = models.DateField(null=True, blank=True)  # the residence expiry last reminded of
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"case profile {self.person_id}"


class Goal(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=200)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Step(models.Model):
    """A step of the individual path, done by a responsible organisation and person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="path_steps")
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(_("kind"), max_length=24, choices=StepKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    description = models.TextField(_("what is agreed"), blank=True)
    responsible_organisation = models.ForeignKey(
        Organisation, verbose_name=_("responsible organisation"), on_delete=models.PROTECT, related_name="+"
    )
    responsible_user = models.ForeignKey(
        User, verbose_name=_("responsible person"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=StepStatus.choices, default=StepStatus.PLANNED)
    result = models.TextField(_("result"), blank=True)
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("path step")
        verbose_name_plural = _("path steps")
        ordering = ["planned_start", "pk"]
        indexes = [
            models.Index(fields=["person", "status", "planned_end"], name="step_person_status_end"),
            models.Index(fields=["responsible_organisation", "status"], name="step_org_status"),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def label(self) -> str:
        return self.title or str(self.get_kind_display())

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in (StepStatus.PLANNED, StepStatus.IN_PROGRESS)
            and self.planned_end is not None
            and self.planned_end < timezone.localdate()
        )

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _dates_in_order(
            errors, self.planned_start, self.planned_end, "planned_end", _("The step cannot end before it starts.")
        )
        _dates_in_order(
            errors, self.actual_start, self.actual_end, "actual_end", _("The step cannot end before it started.")
        )
        today = timezone.localdate()
        if self.actual_start and self.actual_start > today:
            errors["actual_start"] = _("The actual start cannot be in the future.")
        if self.actual_end and self.actual_end > today:
            errors["actual_end"] = _("The actual end cannot be in the future.")
        if self.status == StepStatus.DONE and not self.actual_end:
            errors["actual_end"] = _("Give the date the step was done.")
        if errors:
            raise ValidationError(errors)


class PathChange(models.Model):
    """One version of a goal or step: who changed what, from which value to which."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="path_changes")
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.CASCADE, related_name="changes")
    step = models.ForeignKey(Step, null=True, blank=True, on_delete=models.CASCADE, related_name="changes")
    version = models.PositiveIntegerField()
    changed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"v{self.version}"


class Suggestion(models.Model):
    """A path step the assessment proposes; the counsellor accepts or drops it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="step_suggestions")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="suggestions")
    kind = models.CharField(max_length=24, choices=StepKind.choices)
    reason = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    step = models.ForeignKey(Step, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.reason})"


class Session(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="counselling_sessions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices)
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    mode = models.CharField(_("held"), max_length=10, choices=SessionMode.choices, default=SessionMode.IN_PERSON)
    place = models.CharField(_("place"), max_length=200, blank=True)
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    interpreter_language = models.CharField(_("interpreting language"), max_length=8, blank=True)
    agreed_actions = models.TextField(_("agreed actions"), blank=True)
    step = models.ForeignKey(
        Step, verbose_name=_("path step"), null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    held_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "starts_at"], name="session_person_start"),
            models.Index(fields=["held_by", "starts_at"], name="session_held_by_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.duration_minutes is not None and not 5 <= self.duration_minutes <= 480:
            errors["duration_minutes"] = _("A session lasts between 5 minutes and 8 hours.")
        if self.interpreter_used and not self.interpreter_language:
            errors["interpreter_language"] = _("Say which language was interpreted.")
        if self.mode == SessionMode.IN_PERSON and not self.place:
            errors["place"] = _("Say where the session takes place.")
        if errors:
            raise ValidationError(errors)


class SessionNote(models.Model):
    """A note of a session. The text and its sensitivity live in core's encrypted ``PersonNote``."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="session_notes")
    note = models.OneToOneField(PersonNote, on_delete=models.CASCADE, related_name="session_link")

    def __str__(self) -> str:
        return f"note {self.note_id} of session {self.session_id}"


class Referral(models.Model):
    """A person sent to another organisation of the network, under their consent for that purpose."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey(
        Organisation, verbose_name=_("from"), on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_organisation = models.ForeignKey(
        Organisation, verbose_name=_("to"), on_delete=models.PROTECT, related_name="referrals_received"
    )
    step = models.ForeignKey(
        Step, verbose_name=_("path step"), null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    service = models.CharField(_("service asked for"), max_length=200)
    message = models.TextField(_("message to the receiver"), blank=True)
    scope = models.JSONField(default=list)
    consent = models.ForeignKey(Consent, null=True, on_delete=models.SET_NULL, related_name="+")
    share = models.ForeignKey(PersonShare, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    answer_by = models.DateField(_("answer expected by"))
    reason = models.TextField(_("reason for rejecting"), blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    sent_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["to_organisation", "status"], name="referral_to_status"),
            models.Index(fields=["from_organisation", "status"], name="referral_from_status"),
            models.Index(fields=["status", "answer_by"], name="referral_status_due"),
        ]

    def __str__(self) -> str:
        return self.service

    @property
    def is_overdue(self) -> bool:
        return self.status == ReferralStatus.SENT and self.answer_by < timezone.localdate()

    @property
    def edit_version(self) -> str:
        """The version an answer is made from (``core.concurrency``)."""
        from ownpath.core.concurrency import version_of

        return version_of(self, REFERRAL_FIELDS)


# What an answer or a cancellation is made from: a change of any of these makes it stale.
REFERRAL_FIELDS = ("status", "reason", "feedback", "service", "message", "answer_by", "to_organisation", "step")


class Recognition(models.Model):
    """Recognition of a foreign diploma: route, documents, institution, fees, status and deadlines."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="recognitions")
    step = models.OneToOneField(Step, null=True, blank=True, on_delete=models.SET_NULL, related_name="recognition")
    qualification = models.ForeignKey(
        Qualification,
        verbose_name=_("qualification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recognitions",
    )
    diploma = models.CharField(_("diploma"), max_length=200)
    country = CountryField(_("issued in"))
    route = models.CharField(_("route"), max_length=14, choices=RecognitionRoute.choices)
    institution = models.CharField(_("deciding institution"), max_length=200, blank=True)
    fee = models.DecimalField(_("fee"), max_digits=8, decimal_places=2, null=True, blank=True)
    fee_currency = models.CharField(_("currency"), max_length=3, default="PLN")
    documents = models.JSONField(_("documents ready"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RecognitionState.choices, default=RecognitionState.PREPARING
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    deadline = models.DateField(_("next deadline"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.TextField(_("decision and conditions"), blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["deadline"], name="recognition_deadline")]

    def __str__(self) -> str:
        return self.diploma

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.fee is not None and self.fee < 0:
            errors["fee"] = _("The fee cannot be negative.")
        _dates_in_order(
            errors, self.submitted_on, self.decided_on, "decided_on", _("The decision cannot come before submission.")
        )
        decided = (RecognitionState.RECOGNISED, RecognitionState.PARTIAL, RecognitionState.REFUSED)
        if self.status in decided and not self.decided_on:
            errors["decided_on"] = _("Give the date of the decision.")
        if self.status not in (RecognitionState.PREPARING, RecognitionState.WITHDRAWN) and not self.submitted_on:
            errors["submitted_on"] = _("Give the date the application was submitted.")
        if errors:
            raise ValidationError(errors)


class LegalRequest(models.Model):
    """A legal question routed to a legal adviser; question and answer are legal-group data, encrypted."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="legal_requests")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    question = EncryptedTextField(_("question"))
    urgent = models.BooleanField(_("urgent (a deadline within days)"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=LegalRequestStatus.choices, default=LegalRequestStatus.OPEN
    )
    requested_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_to = models.ForeignKey(
        User,
        verbose_name=_("legal adviser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="legal_requests_assigned",
    )
    answer = EncryptedTextField(_("answer"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("legal-advice request")
        verbose_name_plural = _("legal-advice requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"legal request {self.pk}"


class Outcome(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="outcomes")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("outcome"), max_length=16, choices=OutcomeKind.choices)
    employer = models.CharField(_("employer or provider"), max_length=200, blank=True)
    occupation = models.CharField(_("occupation or course"), max_length=200)
    contract_type = models.CharField(_("contract"), max_length=16, choices=ContractType.choices, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    wage_band = models.CharField(_("pay"), max_length=16, choices=WageBand.choices, default=WageBand.UNKNOWN)
    start = models.DateField(_("start"))
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-start", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.occupation}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.hours_per_week is not None and not 1 <= self.hours_per_week <= 60:
            errors["hours_per_week"] = _("Enter between 1 and 60 hours a week.")
        if self.kind == OutcomeKind.EMPLOYMENT:
            if not self.employer:
                errors["employer"] = _("Name the employer.")
            if not self.contract_type:
                errors["contract_type"] = _("Choose the kind of contract.")
        if self.start and self.start > timezone.localdate() + timedelta(days=366):
            errors["start"] = _("The start must be within a year from today.")
        if errors:
            raise ValidationError(errors)


class FollowUp(models.Model):
    """A check 3, 6 or 12 months after an outcome: is the person still in work or training?"""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField()
    due = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.DUE)
    note = models.TextField(_("note"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due"]
        constraints = [models.UniqueConstraint(fields=["outcome", "months"], name="follow_up_once")]
        indexes = [models.Index(fields=["status", "due"], name="follow_up_status_due")]

    def __str__(self) -> str:
        return f"{self.months}-month follow-up"
