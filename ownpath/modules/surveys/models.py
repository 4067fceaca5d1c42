"""Questionnaires, their questions, collection links and responses.

A survey's texts are kept per language as ``{code: text}`` maps, as XLSForm holds them; a response keeps its
answers as one JSON object keyed by question name. An anonymous response holds no person, no address, no
device and no time of day (only the date); a linked one names the person and the consent that allows it.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ownpath.core.models import Consent, Organisation, Person, User


class Audience(models.TextChoices):
    MIGRANTS = "migrants", _("Migrants")
    EMPLOYERS = "employers", _("Employers")
    OTHER = "other", _("Other")


class Mode(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonymous")
    LINKED = "linked", _("Linked to a person, with consent")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class QuestionType(models.TextChoices):
    SELECT_ONE = "select_one", _("Single choice")
    SELECT_MULTIPLE = "select_multiple", _("Multiple choice")
    SCALE = "scale", _("Scale")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Number")
    DATE = "date", _("Date")
    TEXT = "text", _("Text")
    NOTE = "note", _("Note (no answer)")
    CALCULATE = "calculate", _("Calculation (hidden)")


CHOICE_TYPES = {QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE, QuestionType.SCALE}
ANSWERED_TYPES = set(QuestionType.values) - {QuestionType.NOTE, QuestionType.CALCULATE}


def pick(texts: dict[str, str], language: str, fallback: str = "") -> str:
    """The text in ``language``, else the default column, else the first there is."""
    if not texts:
        return fallback
    return (
        texts.get(language)
        or texts.get(language.split("-")[0])
        or texts.get("default")
        or next(iter(texts.values()), fallback)
    )


class Survey(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="surveys")
    form_id = models.SlugField(_("form id"), max_length=80)
    titles = models.JSONField(_("title"), default=dict)
    languages = models.JSONField(_("languages"), default=list)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices, default=Audience.OTHER)
    mode = models.CharField(_("answers"), max_length=16, choices=Mode.choices, default=Mode.ANONYMOUS)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    min_group_size = models.PositiveSmallIntegerField(
        _("minimum group size"),
        default=10,
        help_text=_("No result shows until this many people have answered."),
    )
    mirror = models.OneToOneField(
        "self", verbose_name=_("mirrored survey"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="mirrored_by",
    )  # fmt: skip
    template_key = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["organisation", "form_id"], name="survey_form_id_unique")]

    def __str__(self) -> str:
        return self.title("en")

    def title(self, language: str) -> str:
        return pick(self.titles, language, self.form_id)

    def language_for(self, wanted: str) -> str:
        """The survey language nearest to ``wanted``: itself, its base language, else the first."""
        for code in (wanted, wanted.split("-")[0]):
            if code in self.languages:
                return code
        return self.languages[0] if self.languages else "en"


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("name"), max_length=80)
    type = models.CharField(_("type"), max_length=16, choices=QuestionType.choices)
    labels = models.JSONField(_("label"), default=dict)
    hints = models.JSONField(_("hint"), default=dict, blank=True)
    list_name = models.CharField(_("choice list"), max_length=80, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)  # [{"name": ..., "labels": {...}}]
    group = models.CharField(_("page"), max_length=120, blank=True)
    relevant = models.TextField(_("shown when"), blank=True)
    constraint = models.TextField(_("constraint"), blank=True)
    constraint_messages = models.JSONField(_("constraint message"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    required_if = models.TextField(_("required when"), blank=True)
    calculation = models.TextField(_("calculation"), blank=True)
    mirror_key = models.CharField(
        _("mirror key"), max_length=80, blank=True,
        help_text=_("Questions with the same key in a mirrored pair of surveys are compared side by side."),
    )  # fmt: skip
    is_attribute = models.BooleanField(
        _("respondent attribute"), default=False, help_text=_("Offered for cross-tabulating the other questions.")
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "name"], name="question_name_unique")]

    def __str__(self) -> str:
        return self.name

    def label(self, language: str) -> str:
        return pick(self.labels, language, self.name)

    def choice_label(self, name: str, language: str) -> str:
        for choice in self.choices:
            if choice["name"] == name:
                return pick(choice.get("labels", {}), language, name)
        return name

    @property
    def has_choices(self) -> bool:
        return self.type in CHOICE_TYPES

    @property
    def answered(self) -> bool:
        return self.type in ANSWERED_TYPES


def _token() -> str:
    return secrets.token_urlsafe(18)


class Link(models.Model):
    """An anonymous collection link, shared with a group (a leaflet, a mailing, a QR code). A personal
    invitation is not a link but a response created ahead for one consenting person."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    token = models.CharField(max_length=40, unique=True, default=_token)
    label = models.CharField(_("label"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label or self.token


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    link = models.ForeignKey(Link, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resume_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=8, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    page = models.PositiveIntegerField(default=0)
    started_on = models.DateField(default=timezone.localdate)
    submitted_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["survey", "submitted_on"])]

    def __str__(self) -> str:
        return str(self.pk)

    @property
    def submitted(self) -> bool:
        return self.submitted_on is not None

    def value(self, name: str) -> Any:
        return self.answers.get(name)
