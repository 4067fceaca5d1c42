"""The foreign-language helpline: contacts, callbacks, operators and shifts, opening hours, the knowledge
base, and the web chat.

A caller is anonymous: a contact holds language, topics, what was given and the outcome, and recognises a
returning caller only by a keyed hash of their number or chat id (``caller_key``), never the number.
Notes and chat messages are encrypted at rest; the retention sweep scrubs what could identify a caller
after ``OWNPATH_HELPLINE_RETENTION_DAYS`` and keeps the rest for statistics.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ownpath.core.choices import CEFRLevel
from ownpath.core.fields import EncryptedTextField
from ownpath.core.models import Organisation
from ownpath.modules.helpline.choices import (
    BUILTIN_TOPICS,
    ArticleStatus,
    CallbackStatus,
    ChatStatus,
    ContactChannel,
    Outcome,
    Risk,
    ShiftRole,
    Urgency,
)

# Knowledge-base texts live in core.Translation under this module name (shared with the directory).
TEXTS_MODULE = "helpline"
User = settings.AUTH_USER_MODEL


class OperatorProfile(models.Model):
    """A helpline worker: the line they answer for, whether they interpret, whether they are away now."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="helpline_profile")
    organisation = models.ForeignKey(Organisation, verbose_name=_("helpline"), on_delete=models.CASCADE)
    is_interpreter = models.BooleanField(_("interprets"), default=False)
    away = models.BooleanField(_("away from the phone"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.user)


class OperatorLanguage(models.Model):
    profile = models.ForeignKey(OperatorProfile, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=8)
    level = models.CharField(_("level"), max_length=8, choices=CEFRLevel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "language"], name="operator_language_unique")]
        indexes = [models.Index(fields=["language"], name="operator_language_code")]

    def __str__(self) -> str:
        return f"{self.language} {self.level}"


class Shift(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="helpline_shifts")
    user = models.ForeignKey(User, verbose_name=_("who"), on_delete=models.CASCADE, related_name="helpline_shifts")
    role = models.CharField(_("as"), max_length=16, choices=ShiftRole.choices, default=ShiftRole.OPERATOR)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["organisation", "ends_at", "starts_at"], name="shift_window")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_order")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.starts_at:%Y-%m-%d %H:%M}"


class OpeningHours(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="helpline_hours")
    weekday = models.PositiveSmallIntegerField(_("day"))  # 0 = Monday
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        constraints = [models.CheckConstraint(condition=models.Q(closes__gt=models.F("opens")), name="hours_order")]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens}-{self.closes}"


class Closure(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="helpline_closures")
    starts = models.DateField(_("from"))
    ends = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts"]

    def __str__(self) -> str:
        return f"{self.starts}–{self.ends}"


class OutOfHoursMessage(models.Model):
    """What callers read (and hear on the phone system) while the line is closed, per language."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="helpline_messages")
    language = models.CharField(_("language"), max_length=8)
    text = models.TextField(_("message"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "language"], name="out_of_hours_unique")]

    def __str__(self) -> str:
        return self.language


class Topic(models.Model):
    """A topic of the maintained taxonomy; built-in codes are shown translated, added ones by their name."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)  # blank: the built-in, translated label
    directory_need = models.CharField(_("services suggested for"), max_length=40, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        builtin = BUILTIN_TOPICS.get(self.code)
        return str(builtin[0]) if builtin else self.code


class Article(models.Model):
    """A knowledge-base article; title and body are translatable texts in core.Translation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="helpline_articles")
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="articles")
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    source_language = models.CharField(_("written in"), max_length=8)
    status = models.CharField(_("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return str(self.id)


class ArticleTerm(models.Model):
    """The suggestion index: each word of an article's text in one language (and its topics as
    ``#code``), weighted by where it occurs (title 3, keywords 2, body 1)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="terms")
    language = models.CharField(max_length=8)
    term = models.CharField(max_length=40)
    weight = models.PositiveSmallIntegerField(default=1)

    class Meta:
        # On PostgreSQL the pattern operator class serves both equality and prefix (LIKE 'wag%') lookups;
        # other databases ignore it and get a plain index, used there by a range lookup (see selectors).
        indexes = [
            models.Index(
                fields=["language", "term"],
                name="article_term_lookup",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.language}:{self.term}"


class Contact(models.Model):
    """One conversation with a caller, on any channel."""

    organisation = models.ForeignKey(Organisation, verbose_name=_("helpline"), on_delete=models.PROTECT)
    channel = models.CharField(_("channel"), max_length=12, choices=ContactChannel.choices)
    language = models.CharField(_("language"), max_length=8)
    started_at = models.DateTimeField(_("start"), default=timezone.now)
    ended_at = models.DateTimeField(_("end"), null=True, blank=True)
    operator = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="helpline_contacts")
    interpreter = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    interpreter_requested = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="contacts")
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.ROUTINE)
    risk = models.CharField(_("risk"), max_length=8, choices=Risk.choices, default=Risk.NONE)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    articles = models.ManyToManyField(Article, verbose_name=_("articles given"), blank=True, related_name="+")
    services = models.JSONField(_("services given"), default=list, blank=True)  # [{"id": ..., "name": ...}]
    information = models.TextField(_("information given"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    caller_key = models.CharField(max_length=64, blank=True, db_index=True)
    crisis_opened_at = models.DateTimeField(null=True, blank=True)
    crisis_checklist = models.JSONField(default=list, blank=True)
    handover_consent_at = models.DateTimeField(null=True, blank=True)
    handover_consent_statement = models.TextField(blank=True)
    handover_id = models.BigIntegerField(null=True, blank=True)
    handover_status = models.CharField(max_length=10, blank=True)
    details_erased_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("helpline contact")
        verbose_name_plural = _("helpline contacts")
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "started_at"], name="contact_org_start"),
            models.Index(fields=["operator", "ended_at"], name="contact_operator_open"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
                name="contact_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration_minutes(self) -> int | None:
        if self.ended_at is None:
            return None
        return round((self.ended_at - self.started_at).total_seconds() / 60)

    @property
    def in_crisis(self) -> bool:
        return self.crisis_opened_at is not None


class Callback(models.Model):
    """A caller asked to be called back at a time, in a language; assigned to an operator who speaks it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="helpline_callbacks")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="callbacks")
    language = models.CharField(_("language"), max_length=8)
    due_at = models.DateTimeField(_("call back at"))
    phone = EncryptedTextField(_("phone"), blank=True)
    caller_key = models.CharField(max_length=64, blank=True, db_index=True)
    topic = models.CharField(_("about"), max_length=200, blank=True)
    assigned_to = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=CallbackStatus.choices, default=CallbackStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    details_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["organisation", "status", "due_at"], name="callback_due")]

    def __str__(self) -> str:
        return f"{self.language} {self.due_at:%Y-%m-%d %H:%M}"


class Chat(models.Model):
    """A web chat opened from the portal without an account; the caller holds a secret link to it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="helpline_chats")
    language = models.CharField(_("language"), max_length=8)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=8, choices=ChatStatus.choices, default=ChatStatus.WAITING)
    operator = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    contact = models.OneToOneField(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="chat")
    caller_key = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "status"], name="chat_org_status")]

    def __str__(self) -> str:
        return f"chat {self.started_at:%Y-%m-%d %H:%M}"


class ChatMessage(models.Model):
    class Sender(models.TextChoices):
        CALLER = "caller", _("Caller")
        OPERATOR = "operator", _("Operator")
        INTERPRETER = "interpreter", _("Interpreter")
        SYSTEM = "system", _("System")

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=12, choices=Sender.choices)
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = EncryptedTextField()
    # A system message is kept as a message id + parameters and read in each reader's language
    # (ownpath.core.messages); ``text`` then holds it as first written, a fallback only.
    message_id = models.TextField(blank=True, default="")
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["chat", "id"], name="chat_message_after")]

    def __str__(self) -> str:
        return f"{self.sender} {self.created_at:%H:%M}"

    @property
    def shown(self) -> str:
        """The text in the active language (a system message), or as the person wrote it."""
        from ownpath.core.messages import render

        return render(self.message_id, self.params, self.text)
