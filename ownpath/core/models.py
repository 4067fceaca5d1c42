"""Core data: organisations and the network, staff and roles, people, consent, audit, notifications."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ownpath.core.choices import (
    AREA_PARENT_KINDS,
    NEED_SENSITIVE_GROUP,
    AuditAction,
    CEFRLevel,
    Channel,
    ConsentPurpose,
    ISCEDLevel,
    NeedKind,
    OrganisationKind,
    RecognitionStatus,
    ResidenceStatus,
    Role,
    SensitiveGroup,
    Sex,
)
from ownpath.core.fields import EncryptedTextField
from ownpath.core.validators import validate_phone, validate_plausible_date, validate_residence_expiry


class Network(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    networks = models.ManyToManyField(Network, verbose_name=_("networks"), blank=True, related_name="members")
    city = models.CharField(_("city"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_phone])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        allowed = AREA_PARENT_KINDS.get(self.kind)
        if allowed is not None and self.parent is not None and self.parent.kind not in allowed:
            raise ValidationError({"parent": _("This kind of area cannot be part of the chosen organisation.")})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("An organisation cannot be part of itself.")})
            ancestor = ancestor.parent

    def ancestors(self) -> list[Organisation]:
        chain: list[Organisation] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def subtree_ids(self) -> set[int]:
        ids = {self.pk}
        frontier = [self.pk]
        while frontier:
            frontier = list(Organisation.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.update(frontier)
        return ids


class User(AbstractUser):
    """A staff account. Migrants' own accounts come with the portal module."""

    email = models.EmailField(_("e-mail"), unique=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="en")
    is_demo = models.BooleanField(_("demo account"), default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["username"]
    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Membership(models.Model):
    """A user works for an organisation in one role; one person may hold several memberships."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    since = models.DateField(_("since"), default=date.today)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.organisation}"


class Person(models.Model):
    """A client: a migrant, refugee or repatriate whom an organisation of the network serves."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("held by"), on_delete=models.PROTECT, related_name="people"
    )
    given_name_native = models.CharField(_("given name (native script)"), max_length=120, blank=True)
    family_name_native = models.CharField(_("family name (native script)"), max_length=120, blank=True)
    given_name = models.CharField(_("given name (Latin)"), max_length=120)
    family_name = models.CharField(_("family name (Latin)"), max_length=120)
    native_script = models.CharField(_("script"), max_length=4, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True, validators=[validate_plausible_date])
    sex = models.CharField(
        _("sex"), max_length=8, choices=Sex.choices, blank=True, help_text=_("For disaggregated statistics only.")
    )
    citizenships = CountryField(_("citizenships"), multiple=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_phone])
    city = models.CharField(_("city"), max_length=120, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)
    residence_status = models.CharField(
        _("residence status"), max_length=32, choices=ResidenceStatus.choices, default=ResidenceStatus.UNKNOWN
    )
    residence_document = models.CharField(_("residence document"), max_length=200, blank=True)
    residence_expires = models.DateField(
        _("residence title expires"), null=True, blank=True, validators=[validate_residence_expiry]
    )
    education_level = models.PositiveSmallIntegerField(
        _("highest education (ISCED)"), choices=ISCEDLevel.choices, null=True, blank=True
    )
    household_adults = models.PositiveSmallIntegerField(_("adults in household"), null=True, blank=True)
    household_children = models.PositiveSmallIntegerField(_("children in household"), null=True, blank=True)
    youngest_child_birth_year = models.PositiveSmallIntegerField(_("youngest child born in"), null=True, blank=True)
    assigned_counsellor = models.ForeignKey(
        User,
        verbose_name=_("assigned counsellor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_people",
    )
    account = models.OneToOneField(
        User,
        verbose_name=_("own account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text=_("The person's own sign-in, with which they see their path in their language."),
    )
    legal_hold_reason = models.CharField(
        _("legal hold"),
        max_length=300,
        blank=True,
        help_text=_("While set, the record cannot be erased (for example during court proceedings)."),
    )
    is_anonymised = models.BooleanField(_("anonymised"), default=False)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["family_name", "given_name", "pk"]
        indexes = [
            models.Index(fields=["organisation", "family_name", "given_name"]),
            models.Index(fields=["residence_expires"]),
            models.Index(fields=["birth_date"]),
            models.Index(fields=["last_activity_at"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        latin = f"{self.given_name} {self.family_name}".strip()
        native = f"{self.given_name_native} {self.family_name_native}".strip()
        return f"{latin} ({native})" if native and native != latin else latin

    @property
    def citizenship_codes(self) -> list[str]:
        """ISO 3166 alpha-2 codes (django-countries gives Country objects, which the stubs do not know)."""
        return [country.code for country in self.citizenships]  # type: ignore[attr-defined]

    def residence_expires_soon(self, days: int = 60) -> bool:
        if self.residence_expires is None:
            return False
        return (self.residence_expires - timezone.localdate()).days <= days


class PersonNameKey(models.Model):
    """Phonetic keys of a person's names (see ``ownpath.core.names``), for duplicate search."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=40)  # ownpath.core.names.KEY_LENGTH

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="person_name_key_unique")]
        # Key first: candidates are counted per person straight from the index.
        indexes = [models.Index(fields=["key", "person"], name="person_name_key_lookup")]

    def __str__(self) -> str:
        return self.key


class PersonLanguage(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=8)
    level = models.CharField(_("level"), max_length=8, choices=CEFRLevel.choices)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [models.UniqueConstraint(fields=["person", "language"], name="person_language_unique")]

    def __str__(self) -> str:
        return f"{self.language}: {self.level}"


class Qualification(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="qualifications")
    title = models.CharField(_("qualification"), max_length=200)
    country = CountryField(_("country"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    isced_level = models.PositiveSmallIntegerField(_("ISCED level"), choices=ISCEDLevel.choices, null=True, blank=True)
    recognition = models.CharField(
        _("recognition"), max_length=20, choices=RecognitionStatus.choices, default=RecognitionStatus.NOT_STARTED
    )

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.year is not None and not 1900 <= self.year <= timezone.localdate().year:
            raise ValidationError({"year": _("Enter a year between 1900 and this year.")})


class WorkExperience(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="work_history")
    job_title = models.CharField(_("job title"), max_length=200)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    start = models.DateField(_("from"), null=True, blank=True, validators=[validate_plausible_date])
    end = models.DateField(_("until"), null=True, blank=True, validators=[validate_plausible_date])

    class Meta:
        verbose_name = _("work experience")
        verbose_name_plural = _("work history")
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.job_title

    def clean(self) -> None:
        errors = {}
        if self.start and self.start > timezone.localdate():
            errors["start"] = _("The start cannot be in the future.")
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end cannot be before the start.")
        if errors:
            raise ValidationError(errors)


class Need(models.Model):
    """A need such as childcare or disability. Health and disability details are encrypted and restricted."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("kind"), max_length=20, choices=NeedKind.choices)
    details = EncryptedTextField(_("details"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def sensitive_group(self) -> str:
        return NEED_SENSITIVE_GROUP.get(self.kind, SensitiveGroup.GENERAL)  # type: ignore[call-overload]


class PersonNote(models.Model):
    """A note about a person; its group decides who may read it, and its text is encrypted at rest."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("sensitivity"), max_length=20, choices=SensitiveGroup.choices)
    body = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_group_display()} note {self.pk}"


class Consent(models.Model):
    """A person's consent that ``organisation`` shares parts (``scope``) of their data for ``purpose``."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("shared by"), on_delete=models.PROTECT, related_name="consents_given_to"
    )
    recipients = models.ManyToManyField(Organisation, verbose_name=_("shared with"), related_name="consents_received")
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    scope = models.JSONField(_("scope"), default=list)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    given_recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    evidence = models.CharField(_("evidence"), max_length=300)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    withdrawal_evidence = models.CharField(_("withdrawal evidence"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_at:%Y-%m-%d})"

    def is_active(self, at: Any = None) -> bool:
        at = at or timezone.now()
        if self.withdrawn_at is not None and self.withdrawn_at <= at:
            return False
        return not (self.expires_at is not None and self.expires_at <= at)


class PersonShare(models.Model):
    """An organisation other than the holder may see a person, under a consent, until it is withdrawn."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="shared_people")
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="shares")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation", "consent"], name="person_share_unique")
        ]

    def __str__(self) -> str:
        return f"person {self.person_id} → organisation {self.organisation_id}"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")


class AuditEvent(models.Model):
    """One read or write of personal data. Append-only: rows are never changed or deleted.

    People are referred to by id, not by foreign key, so that the trail outlives an erasure.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, db_index=True)
    actor_label = models.CharField(max_length=254, blank=True)
    organisation_id = models.BigIntegerField(null=True, db_index=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    person_id = models.BigIntegerField(null=True, db_index=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60, blank=True)
    purpose = models.CharField(max_length=60, blank=True)
    fields = models.JSONField(default=list, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")


class AuditSealQuerySet(models.QuerySet["AuditSeal"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")


class AuditSeal(models.Model):
    """The hash chain over the audit log: one seal per audit event, in the order they were sealed.

    ``hash`` is an HMAC (``OWNPATH_AUDIT_KEY``) of the previous seal's hash and the event's content, so
    changing, deleting or inserting an event (or a seal) breaks the chain from that point on; ``manage.py
    audit verify`` walks it. Events are sealed shortly after they are committed (``ownpath.core.services.
    audit.seal``), by one sealer at a time, so events written by many workers at once still form one chain
    and no request waits for another's transaction. Append-only like the log itself.
    """

    position = models.BigIntegerField(primary_key=True)
    event_id = models.BigIntegerField(unique=True)
    event_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(default=timezone.now)

    objects = AuditSealQuerySet.as_manager()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"seal {self.position} of audit event {self.event_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")


class Notification(models.Model):
    """A notice to a user, kept as message ids + parameters (``ownpath.core.messages``) and put into words in
    the reader's language when shown or e-mailed. ``title``/``body`` keep the text as first written: the
    whole text when it is a person's own words (no id), otherwise a fallback only."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    title_id = models.TextField(blank=True)
    body_id = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        """The title in the active language."""
        from ownpath.core.messages import render

        return render(self.title_id, self.params, self.title)

    @property
    def text(self) -> str:
        """The body in the active language."""
        from ownpath.core.messages import render

        return render(self.body_id, self.params, self.body)


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str, expires_at: Any = None) -> tuple[ApiToken, str]:
        key = "op_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[:8], key_hash=cls.hash(key), expires_at=expires_at)
        return token, key


class PersonMessage(models.Model):
    """A message from staff to a person with an account, read in their own space (``/portal/me/``).

    The text is what the staff member wrote (a person's words, not a system text), kept as written.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "created_at"], name="person_message_recent")]

    def __str__(self) -> str:
        return f"message {self.pk}"


class CalendarFeed(models.Model):
    """A staff member's private iCalendar feed address. Only a hash of its key is stored; deleting revokes it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class RetentionReport(models.Model):
    """What a retention sweep found due for deletion; applying it deletes what is still due."""

    created_at = models.DateTimeField(default=timezone.now)
    findings = models.JSONField(default=dict)
    applied_at = models.DateTimeField(null=True, blank=True)
    deleted = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"retention report {self.created_at:%Y-%m-%d}"


class TranslationStatus(models.TextChoices):
    ORIGINAL = "original", _("Original")
    HUMAN = "human", _("Human translation")
    MACHINE = "machine", _("Machine translation")
    OUTDATED = "outdated", _("Outdated")
    MISSING = "missing", _("Missing")


class TranslationQuerySet(models.QuerySet["Translation"]):
    def of(self, module: str, entity: str | None = None, entity_id: Any = None) -> TranslationQuerySet:
        found = self.filter(module=module)
        if entity is not None:
            found = found.filter(entity=entity)
        if entity_id is not None:
            found = found.filter(entity_id=entity_id)
        return found


class Translation(models.Model):
    """One text field of one record of a module, in one language, with an explicit status.

    Shared by every module with translatable content (the directory's services, the helpline's knowledge
    base, …) so that coverage, XLIFF exchange and "outdated when the original changes" work the same way
    everywhere. ``module`` is the owning app's label and ``entity`` a record kind inside it.
    """

    module = models.CharField(max_length=40)
    entity = models.CharField(max_length=20)
    entity_id = models.UUIDField()
    field = models.CharField(max_length=40)
    language = models.CharField(max_length=8)
    text = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=TranslationStatus.choices)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = TranslationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["module", "entity", "entity_id", "field", "language"], name="core_translation_unique"
            )
        ]
        indexes = [
            models.Index(fields=["module", "language", "status"], name="core_translation_lang_status"),
            models.Index(fields=["module", "entity", "entity_id"], name="core_translation_record"),
        ]

    def __str__(self) -> str:
        return f"{self.module}.{self.entity}/{self.entity_id}/{self.field}/{self.language}"


class HandoverStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Handover(models.Model):
    """Someone handed over from one service (the helpline) to an organisation, with their recorded consent.

    It lives in core so that the module handing over and the one taking over never import each other:
    the sender creates it through ``core.services.handovers``, the receiver is told by the
    ``core.handover_created`` event and answers through the same service. The caller's contact details
    are encrypted, and cleared once the receiver has answered (they then live in the receiver's record).
    """

    source = models.CharField(_("from"), max_length=40)  # the sending module's label
    source_ref = models.CharField(max_length=60, blank=True)  # its record (e.g. the helpline contact)
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="handovers_sent")
    to_organisation = models.ForeignKey(
        Organisation, verbose_name=_("to"), on_delete=models.PROTECT, related_name="handovers_received"
    )
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=300)
    summary = EncryptedTextField(_("summary"), blank=True)
    contact_name = EncryptedTextField(_("name"), blank=True)
    contact_phone = EncryptedTextField(_("phone"), blank=True, validators=[validate_phone])
    contact_email = EncryptedTextField(_("e-mail"), blank=True)
    best_time = models.CharField(_("best time to call"), max_length=200, blank=True)
    consent_statement = models.TextField(_("what the person agreed to"))
    consent_given_at = models.DateTimeField(_("consent given"))
    consent_recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["to_organisation", "status"], name="handover_to_status")]

    def __str__(self) -> str:
        return self.subject


from ownpath.core.esco.models import EscoConcept, EscoLabel, EscoRelation, EscoRelease  # noqa: E402,F401  (models of core)
from ownpath.core.queue.models import QueuedTask, TaskWorker  # noqa: E402,F401  (models of core)
