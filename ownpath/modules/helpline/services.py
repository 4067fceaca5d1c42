"""Writes of the helpline. Every function checks the actor's permission, validates everything before it
writes (a refused call saves nothing) and audits what it did.
"""

from __future__ import annotations

import re
import secrets
import time
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ownpath.core import events, messages
from ownpath.core.choices import AuditAction, Channel
from ownpath.core.concurrency import version_of
from ownpath.core.crypto import keyed_hash
from ownpath.core.languages import LANGUAGE_CODES
from ownpath.core.models import Organisation, Translation, TranslationStatus, User
from ownpath.core.rules import require
from ownpath.core.services import audit, handovers, translations
from ownpath.core.services.notifications import notify_each, staff_of
from ownpath.modules.helpline import chathub
from ownpath.modules.helpline.choices import (
    CRISIS_CHECKLIST,
    CRISIS_RISKS,
    WORKING_LEVELS,
    ArticleStatus,
    CallbackStatus,
    ChatStatus,
    ContactChannel,
    Outcome,
    Risk,
    ShiftRole,
    Urgency,
)
from ownpath.modules.helpline.events import CONTACT_RECORDED
from ownpath.modules.helpline.models import (
    TEXTS_MODULE,
    Article,
    ArticleTerm,
    Callback,
    Chat,
    ChatMessage,
    Closure,
    Contact,
    OpeningHours,
    OperatorLanguage,
    OperatorProfile,
    OutOfHoursMessage,
    Shift,
    Topic,
)
from ownpath.modules.helpline.rules import SUPERVISOR_ROLES, works_at_helpline

STAFF_ONLY = gettext_lazy("Only the helpline's staff can do this.")
SUPERVISORS_ONLY = gettext_lazy("Only the helpline's supervisors can do this.")
MAX_MESSAGE = 2000
MAX_NOTES = 10000
# Seven or more digits, allowing spaces, dots, dashes and brackets between them: a phone number.
_PHONE_IN_TEXT = re.compile(r"(?:\+?\d[\s().-]{0,2}){7,}")


def _audit(
    actor: Any,
    action: str,
    obj: Any,
    *,
    channel: Channel | str = Channel.UI,
    fields: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
) -> None:
    """Audit a write or read of one helpline record, under the organisation that holds it."""
    audit.record(
        actor, action, channel=channel, obj=obj, organisation_id=obj.organisation_id, fields=fields, detail=detail
    )


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def known_language(code: str) -> bool:
    return code in LANGUAGE_CODES


def caller_key(number: str) -> str:
    """The keyed hash that recognises a returning caller: digits only, so spacing does not matter."""
    digits = re.sub(r"\D", "", number)
    return keyed_hash(f"phone:{digits}") if digits else ""


def chat_caller_key(client_id: str) -> str:
    return keyed_hash(f"chat:{client_id}") if client_id else ""


def _valid_number(number: str) -> bool:
    compact = re.sub(r"[\s().-]", "", number)
    return bool(re.fullmatch(r"\+?\d{6,15}", compact))


# --- Operators, shifts, opening hours ---------------------------------------------------------------------


@transaction.atomic
def set_operator_profile(
    actor: Any,
    user: User,
    organisation: Organisation,
    *,
    languages: Iterable[tuple[str, str]],
    is_interpreter: bool = False,
) -> OperatorProfile:
    """An operator's languages with levels, and whether they interpret; by themselves or a supervisor."""
    if actor.pk != user.pk:
        require(actor, "helpline.supervise_at", organisation.pk, SUPERVISORS_ONLY)
    if not works_at_helpline(user, organisation):
        raise PermissionDenied(STAFF_ONLY)
    pairs = [(code, level) for code, level in languages if code]
    unknown = [code for code, _level in pairs if not known_language(code)]
    if unknown:
        raise ValidationError({"languages": _("Unknown language code: %(code)s.") % {"code": unknown[0]}})
    profile, _created = OperatorProfile.objects.update_or_create(
        user=user,
        defaults={"organisation": organisation, "is_interpreter": is_interpreter, "updated_at": timezone.now()},
    )
    profile.languages.all().delete()
    OperatorLanguage.objects.bulk_create(
        [OperatorLanguage(profile=profile, language=code, level=level) for code, level in dict(pairs).items()]
    )
    _audit(actor, AuditAction.UPDATE, profile)
    return profile


def set_away(actor: Any, away: bool) -> OperatorProfile:
    profile = OperatorProfile.objects.filter(user=actor).first()
    if profile is None:
        raise ValidationError(_("Set your languages first."))
    profile.away = away
    profile.updated_at = timezone.now()
    profile.save(update_fields=["away", "updated_at"])
    return profile


@transaction.atomic
def add_shift(
    actor: Any, organisation: Organisation, user: User, *, role: str, starts_at: datetime, ends_at: datetime
) -> Shift:
    require(actor, "helpline.supervise_at", organisation.pk, SUPERVISORS_ONLY)
    errors: dict[str, Any] = {}
    if role not in ShiftRole.values:
        errors["role"] = _("Choose a role.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("A shift ends after it starts.")
    elif ends_at - starts_at > timedelta(hours=24):
        errors["ends_at"] = _("A shift lasts at most 24 hours.")
    if not works_at_helpline(user, organisation):
        errors["user"] = _("Only staff of the helpline can take a shift.")
    if (
        not errors
        and Shift.objects.filter(user=user, starts_at__lt=ends_at, ends_at__gt=starts_at).select_for_update().exists()
    ):
        errors["starts_at"] = _("This person already has a shift at that time.")
    if errors:
        raise ValidationError(errors)
    shift = Shift.objects.create(organisation=organisation, user=user, role=role, starts_at=starts_at, ends_at=ends_at)
    _audit(actor, AuditAction.CREATE, shift)
    return shift


def delete_shift(actor: Any, shift: Shift) -> None:
    require(actor, "helpline.supervise_at", shift.organisation_id, SUPERVISORS_ONLY)
    _audit(actor, AuditAction.DELETE, shift)
    shift.delete()


@transaction.atomic
def set_opening_hours(actor: Any, organisation: Organisation, rows: Iterable[tuple[int, Any, Any]]) -> int:
    """Replace the weekly hours: (weekday 0–6, opens, closes) rows."""
    require(actor, "helpline.supervise_at", organisation.pk, SUPERVISORS_ONLY)
    rows = list(rows)
    for weekday, opens, closes in rows:
        if not 0 <= int(weekday) <= 6:
            raise ValidationError({"weekday": _("Choose a day of the week.")})
        if closes <= opens:
            raise ValidationError({"closes": _("The line closes after it opens.")})
    OpeningHours.objects.filter(organisation=organisation).delete()
    OpeningHours.objects.bulk_create(
        [OpeningHours(organisation=organisation, weekday=w, opens=o, closes=c) for w, o, c in rows]
    )
    audit.record(
        actor, AuditAction.UPDATE, channel=Channel.UI, object_type="helpline.hours", organisation_id=organisation.pk
    )
    return len(rows)


def add_closure(actor: Any, organisation: Organisation, *, starts: Any, ends: Any, reason: str) -> Closure:
    require(actor, "helpline.supervise_at", organisation.pk, SUPERVISORS_ONLY)
    if ends < starts:
        raise ValidationError({"ends": _("A closure ends on or after the day it starts.")})
    closure = Closure.objects.create(organisation=organisation, starts=starts, ends=ends, reason=reason.strip()[:200])
    _audit(actor, AuditAction.CREATE, closure)
    return closure


def set_out_of_hours_message(
    actor: Any, organisation: Organisation, language: str, text: str
) -> OutOfHoursMessage | None:
    require(actor, "helpline.supervise_at", organisation.pk, SUPERVISORS_ONLY)
    if not known_language(language):
        raise ValidationError({"language": _("Unknown language code: %(code)s.") % {"code": language}})
    if not text.strip():
        OutOfHoursMessage.objects.filter(organisation=organisation, language=language).delete()
        return None
    message, _created = OutOfHoursMessage.objects.update_or_create(
        organisation=organisation, language=language, defaults={"text": text.strip()[:2000]}
    )
    return message


def ensure_topics() -> int:
    """Create the built-in topics that are missing (the data migration makes them; a flushed database
    or a new built-in code needs this)."""
    from ownpath.modules.helpline.choices import BUILTIN_TOPICS

    created = 0
    for order, (code, (_label, need)) in enumerate(BUILTIN_TOPICS.items()):
        _topic, made = Topic.objects.get_or_create(code=code, defaults={"directory_need": need, "order": order * 10})
        created += made
    return created


def add_topic(actor: Any, organisation_id: int, *, name: str, directory_need: str = "") -> Topic:
    require(actor, "helpline.supervise_at", organisation_id, SUPERVISORS_ONLY)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the topic a name.")})
    from django.utils.text import slugify

    code = slugify(name)[:40] or f"topic-{Topic.objects.count() + 1}"
    if Topic.objects.filter(code=code).exists():
        raise ValidationError({"name": _("There is already a topic with this name.")})
    return Topic.objects.create(code=code, name=name[:100], directory_need=directory_need[:40], order=200)


def set_topic_active(actor: Any, organisation_id: int, topic: Topic, active: bool) -> Topic:
    require(actor, "helpline.supervise_at", organisation_id, SUPERVISORS_ONLY)
    topic.active = active
    topic.save(update_fields=["active"])
    return topic


# --- Knowledge base ------------------------------------------------------------------------------------

_MARKS = re.compile(r"[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_WORD = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Words folded for search: NFKC, case-folded, combining marks (Arabic harakat, accents) removed."""
    folded = _MARKS.sub("", unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold()))
    folded = unicodedata.normalize("NFC", folded)
    return [word[:40] for word in _WORD.findall(folded) if len(word) >= 2 and not word.isdigit()]


@transaction.atomic
def save_article(
    actor: Any,
    organisation: Organisation,
    *,
    title: str,
    body: str,
    language: str,
    keywords: str = "",
    topics: Iterable[Topic] = (),
    status: str = ArticleStatus.DRAFT,
    article: Article | None = None,
    minor: bool = False,
) -> Article:
    """Create or change an article's original; unless ``minor``, its translations become outdated."""
    if not actor.has_perm("helpline.edit_articles_at", organisation):
        raise PermissionDenied(_("Only the helpline's operators and supervisors edit its knowledge base."))
    errors: dict[str, Any] = {}
    if not title.strip():
        errors["title"] = _("An article needs a title.")
    if not body.strip():
        errors["body"] = _("An article needs a text.")
    if not known_language(language):
        errors["language"] = _("Unknown language code: %(code)s.") % {"code": language}
    if status not in ArticleStatus.values:
        errors["status"] = _("Choose a status.")
    if article is not None and article.organisation_id != organisation.pk:
        raise PermissionDenied(_("This article belongs to another helpline."))
    if errors:
        raise ValidationError(errors)
    created = article is None
    if article is None:
        article = Article(organisation=organisation, source_language=language, created_by=actor)
    article.keywords = keywords.strip()[:300]
    article.status = status
    article.updated_at = timezone.now()
    article.save()
    article.topics.set(list(topics))
    translations.set_original(
        TEXTS_MODULE,
        "article",
        article.id,
        {"title": title.strip(), "body": body.strip()},
        article.source_language,
        languages=settings.OWNPATH_HELPLINE_LANGUAGES,
        actor=actor,
        minor=minor,
    )
    index_article(article)
    _audit(actor, AuditAction.CREATE if created else AuditAction.UPDATE, article)
    return article


@transaction.atomic
def translate_article(
    actor: Any, article: Article, language: str, *, title: str, body: str, status: str = "human"
) -> Article:
    if not actor.has_perm("helpline.edit_articles_at", article.organisation_id):
        raise PermissionDenied(_("Only the helpline's operators and supervisors edit its knowledge base."))
    if not known_language(language):
        raise ValidationError({"language": _("Unknown language code: %(code)s.") % {"code": language}})
    if language == translations.original_language(TEXTS_MODULE, "article", article.id):
        raise ValidationError({"language": _("This is the original language; edit the article instead.")})
    for field_name, text in (("title", title), ("body", body)):
        translations.set_translation(
            actor, TEXTS_MODULE, "article", article.id, field_name, language, text, status=status
        )
    article.updated_at = timezone.now()
    article.save(update_fields=["updated_at"])
    index_article(article)
    _audit(actor, AuditAction.UPDATE, article, detail={"translation": language})
    return article


def term_weights(title: str, body: str, keywords: str, topic_codes: Iterable[str]) -> dict[str, int]:
    """The index terms of one text: body words weigh 1, keywords 2, title words 3, topics (``#code``) 4."""
    weights: dict[str, int] = {}
    for word in tokens(body):
        weights[word] = max(weights.get(word, 0), 1)
    for word in tokens(keywords):
        weights[word] = max(weights.get(word, 0), 2)
    for word in tokens(title):
        weights[word] = 3
    for code in topic_codes:
        weights[f"#{code}"[:40]] = 4
    return weights


def index_article(article: Article) -> int:
    """Rebuild the suggestion index of one article: every language with readable text, plus its topics."""
    rows = (
        Translation.objects.of(TEXTS_MODULE, "article", article.id)
        .filter(status__in=translations.READABLE)
        .values_list("language", "field", "text")
    )
    by_language: dict[str, dict[str, str]] = {}
    for language, field_name, text in rows:
        by_language.setdefault(language, {})[field_name] = text
    topic_codes = list(article.topics.values_list("code", flat=True))
    terms: list[ArticleTerm] = []
    for language, fields in by_language.items():
        weights = term_weights(fields.get("title", ""), fields.get("body", ""), article.keywords, topic_codes)
        terms += [ArticleTerm(article=article, language=language, term=t, weight=w) for t, w in weights.items()]
    ArticleTerm.objects.filter(article=article).delete()
    ArticleTerm.objects.bulk_create(terms, batch_size=2000)
    return len(terms)


# --- Contacts ----------------------------------------------------------------------------------------------


def _clean_contact_values(values: Mapping[str, Any], contact: Contact) -> dict[str, Any]:  # noqa: C901 (to split, issue 22)
    """Validate the fields of a contact given in ``values``; ValidationError names every bad field."""
    errors: dict[str, Any] = {}
    cleaned: dict[str, Any] = {}
    simple = {
        "channel": ContactChannel.values,
        "urgency": Urgency.values,
        "risk": Risk.values,
        "outcome": ["", *Outcome.values],
    }
    for name, allowed in simple.items():
        if name in values:
            if values[name] not in allowed:
                errors[name] = _("Choose one of the listed values.")
            else:
                cleaned[name] = values[name]
    if "language" in values:
        if not known_language(values["language"] or ""):
            errors["language"] = _("Unknown language code: %(code)s.") % {"code": values["language"]}
        else:
            cleaned["language"] = values["language"]
    for name in ("started_at", "ended_at"):
        if name in values:
            cleaned[name] = values[name]
    started = cleaned.get("started_at", contact.started_at)
    ended = cleaned.get("ended_at", contact.ended_at)
    if started is None:
        errors["started_at"] = _("Give the start of the contact.")
    elif started > timezone.now() + timedelta(minutes=5):
        errors["started_at"] = _("A contact cannot start in the future.")
    if ended is not None and started is not None and ended < started:
        errors["ended_at"] = _("The contact cannot end before it starts.")
    if ended is not None and ended > timezone.now() + timedelta(minutes=5):
        errors["ended_at"] = _("A contact cannot end in the future.")
    for name, limit in (("notes", MAX_NOTES), ("information", MAX_NOTES)):
        if name in values:
            text = (values[name] or "").strip()
            if len(text) > limit:
                errors[name] = _("At most %(count)s characters.") % {"count": limit}
            elif _PHONE_IN_TEXT.search(text):
                errors[name] = _(
                    "Do not write phone numbers here: the helpline keeps callers anonymous. "
                    "Use the callback form, which stores the number encrypted and deletes it later."
                )
            else:
                cleaned[name] = text
    if "topics" in values:
        topics = list(values["topics"])
        if any(not isinstance(t, Topic) for t in topics):
            errors["topics"] = _("Choose topics from the list.")
        cleaned["topics"] = topics
    if "articles" in values:
        cleaned["articles"] = list(values["articles"])
    if "services" in values:
        cleaned["services"] = [
            {"id": str(s.get("id", ""))[:40], "name": str(s.get("name", ""))[:200]}
            for s in values["services"]
            if isinstance(s, dict) and s.get("id")
        ][:20]
    if errors:
        raise ValidationError(errors)
    return cleaned


CONTACT_FIELDS = (
    "channel", "language", "started_at", "ended_at", "topics", "urgency", "risk", "outcome",
    "information", "notes", "articles", "services",
)  # fmt: skip


def contact_version(contact: Contact) -> str:
    """The version the edit form or ``If-Match`` carries (``core.concurrency``)."""
    return version_of(contact, CONTACT_FIELDS)


@transaction.atomic
def save_contact(
    actor: Any,
    organisation: Organisation,
    values: Mapping[str, Any],
    *,
    contact: Contact | None = None,
    caller_number: str = "",
    channel: Channel = Channel.UI,
) -> Contact:
    """Log a new contact or change one: validated as a whole, then written; crisis opens the protocol."""
    require(actor, "helpline.work_at", organisation.pk, STAFF_ONLY)
    created = contact is None
    if contact is None:
        contact = Contact(organisation=organisation, operator=actor, created_by=actor, started_at=timezone.now())
        if "channel" not in values or "language" not in values:
            raise ValidationError({"channel": _("Say on which channel and in which language the contact is.")})
    elif contact.organisation_id != organisation.pk:
        raise PermissionDenied(_("This contact belongs to another helpline."))
    if caller_number and not _valid_number(caller_number):
        raise ValidationError(
            {"caller_number": _("Enter a phone number with digits only, spaces and an optional leading +.")}
        )
    cleaned = _clean_contact_values(values, contact)
    m2m = {name: cleaned.pop(name) for name in ("topics", "articles") if name in cleaned}
    for name, value in cleaned.items():
        setattr(contact, name, value)
    if caller_number:
        contact.caller_key = caller_key(caller_number)
    contact.save()
    for name, value in m2m.items():
        getattr(contact, name).set(value)
    _audit(
        actor,
        AuditAction.CREATE if created else AuditAction.UPDATE,
        contact,
        channel=channel,
        fields=sorted(set(cleaned) | set(m2m)),
    )
    if contact.risk in CRISIS_RISKS and contact.crisis_opened_at is None:
        _open_crisis(actor, contact)
    if contact.ended_at is not None and (created or "ended_at" in values):
        events.publish(
            CONTACT_RECORDED,
            contact_id=contact.pk,
            organisation_id=organisation.pk,
            channel=contact.channel,
            language=contact.language,
            topics=list(contact.topics.values_list("code", flat=True)),
            outcome=contact.outcome,
        )
    return contact


def _open_crisis(actor: Any, contact: Contact) -> None:
    """The crisis protocol: the checklist opens on the contact and the supervisors and the psychologists on
    duty are notified at once."""
    contact.crisis_opened_at = timezone.now()
    contact.save(update_fields=["crisis_opened_at"])
    now = timezone.now()
    on_duty = Shift.objects.filter(
        organisation_id=contact.organisation_id,
        starts_at__lte=now,
        ends_at__gt=now,
        role__in=[ShiftRole.SUPERVISOR, ShiftRole.PSYCHOLOGIST],
    ).select_related("user")
    users = {u.pk: u for u in staff_of(contact.organisation_id, SUPERVISOR_ROLES)}
    users.update({s.user_id: s.user for s in on_duty if s.user.is_active})
    users.pop(getattr(actor, "pk", 0), None)
    notify_each(
        users.values(),
        gettext_lazy("Crisis on a helpline contact"),
        body=gettext_lazy("An operator marked a contact as %(risk)s. Please support them now."),
        url=reverse("helpline:contact", args=[contact.pk]),
        risk=Risk(contact.risk).label,
    )
    _audit(actor, AuditAction.UPDATE, contact, fields=["crisis"], detail={"risk": contact.risk})


@transaction.atomic
def tick_crisis(actor: Any, contact: Contact, done: Iterable[str]) -> Contact:
    require(actor, "helpline.work_at", contact.organisation_id, STAFF_ONLY)
    if contact.crisis_opened_at is None:
        raise ValidationError(_("This contact is not marked as a crisis."))
    done = [item for item in done if item in CRISIS_CHECKLIST]
    contact.crisis_checklist = [
        {"item": item, "at": timezone.now().isoformat(), "by": actor.pk} for item in CRISIS_CHECKLIST if item in done
    ]
    contact.save(update_fields=["crisis_checklist"])
    _audit(actor, AuditAction.UPDATE, contact, fields=["crisis_checklist"])
    return contact


def read_contact(actor: Any, contact: Contact, *, channel: Channel = Channel.UI) -> Contact:
    """A contact for its helpline's staff; every read is audited."""
    require(actor, "helpline.work_at", contact.organisation_id, STAFF_ONLY)
    _audit(actor, AuditAction.READ, contact, channel=channel, fields=["notes", "caller"])
    return contact


@transaction.atomic
def hand_over(
    actor: Any,
    contact: Contact,
    *,
    to_organisation: Organisation | None,
    consent_given: bool,
    consent_statement: str,
    name: str,
    phone: str = "",
    email: str = "",
    best_time: str = "",
    summary: str = "",
    channel: Channel = Channel.UI,
) -> Contact:
    """With the caller's spoken consent, hand them over to a counselling centre (core hand-over)."""
    require(actor, "helpline.work_at", contact.organisation_id, STAFF_ONLY)
    if contact.handover_id is not None:
        raise ValidationError(_("This contact has already been handed over."))
    if _PHONE_IN_TEXT.search(summary or ""):
        raise ValidationError({"summary": _("Put the phone number in its own field, not in the summary.")})
    subject = ", ".join(t.label for t in contact.topics.all()) or _("Helpline contact")
    handover = handovers.create_handover(
        actor,
        source="helpline",
        source_ref=str(contact.pk),
        from_organisation=contact.organisation,
        to_organisation=to_organisation,
        language=contact.language,
        subject=subject,
        summary=summary,
        contact={"name": name, "phone": phone, "email": email},
        consent_given=consent_given,
        consent_statement=consent_statement,
        best_time=best_time,
        channel=channel,
    )
    contact.handover_id = handover.pk
    contact.handover_status = handover.status
    contact.handover_consent_at = handover.consent_given_at
    contact.handover_consent_statement = handover.consent_statement
    contact.outcome = Outcome.HANDED_OVER
    contact.save(
        update_fields=["handover_id", "handover_status", "handover_consent_at", "handover_consent_statement", "outcome"]
    )
    return contact


def handover_answered(
    *, handover_id: int, source: str, source_ref: str, status: str, person_id: int | None = None
) -> None:
    """core.handover_answered: the receiving centre accepted or declined one of our hand-overs."""
    if source != "helpline":
        return
    Contact.objects.filter(pk=int(source_ref) if source_ref.isdigit() else 0, handover_id=handover_id).update(
        handover_status=status
    )


# --- Interpreters and callbacks ----------------------------------------------------------------------------


def request_interpreter(actor: Any, contact: Contact, interpreter: User) -> Contact:
    require(actor, "helpline.work_at", contact.organisation_id, STAFF_ONLY)
    profile = OperatorProfile.objects.filter(user=interpreter, is_interpreter=True).first()
    if profile is None or not profile.languages.filter(language=contact.language).exists():
        raise ValidationError({"interpreter": _("This person does not interpret the caller's language.")})
    contact.interpreter_requested = interpreter
    contact.save(update_fields=["interpreter_requested"])
    notify_each(
        [interpreter],
        gettext_lazy("You are asked to interpret on a helpline contact"),
        body=gettext_lazy("Language: %(language)s. Open the contact to join."),
        url=reverse("helpline:contact", args=[contact.pk]),
        language=messages.language(contact.language),
    )
    _audit(actor, AuditAction.UPDATE, contact, fields=["interpreter_requested"])
    return contact


def join_as_interpreter(actor: Any, contact: Contact) -> Contact:
    if contact.interpreter_requested_id != actor.pk:
        raise PermissionDenied(_("Only the interpreter who was asked can join."))
    contact.interpreter = actor
    contact.save(update_fields=["interpreter"])
    chat = getattr(contact, "chat", None)
    if chat is not None and chat.status != ChatStatus.CLOSED:
        _post(chat, ChatMessage.Sender.SYSTEM, gettext_lazy("An interpreter joined the conversation."))
    _audit(actor, AuditAction.UPDATE, contact, fields=["interpreter"])
    return contact


def _speakers_at(organisation_id: int, language: str, at: datetime) -> QuerySet[Shift]:
    return Shift.objects.filter(
        organisation_id=organisation_id,
        starts_at__lte=at,
        ends_at__gt=at,
        role=ShiftRole.OPERATOR,
        user__helpline_profile__languages__language=language,
        user__helpline_profile__languages__level__in=list(WORKING_LEVELS),
    )


@transaction.atomic
def request_callback(
    actor: Any,
    organisation: Organisation,
    *,
    language: str,
    due_at: datetime | None,
    phone: str,
    topic: str = "",
    contact: Contact | None = None,
    channel: Channel = Channel.UI,
) -> Callback:
    """A callback at a time, in a language; assigned to the least-loaded operator on shift who speaks it.

    ``actor`` is None when a caller asks for it themselves (out of hours, from the portal)."""
    if actor is not None:
        require(actor, "helpline.work_at", organisation.pk, STAFF_ONLY)
    errors: dict[str, Any] = {}
    if not known_language(language):
        errors["language"] = _("Unknown language code: %(code)s.") % {"code": language}
    if not _valid_number(phone):
        errors["phone"] = _("Enter a phone number with digits only, spaces and an optional leading +.")
    now = timezone.now()
    if due_at is None:
        errors["due_at"] = _("Say when to call back.")
    elif due_at < now - timedelta(minutes=5):
        errors["due_at"] = _("The time to call back cannot be in the past.")
    elif due_at > now + timedelta(days=30):
        errors["due_at"] = _("Choose a time within the next 30 days.")
    if _PHONE_IN_TEXT.search(topic):
        errors["topic"] = _("Put the phone number in its own field, not in the topic.")
    if errors:
        raise ValidationError(errors)
    assert due_at is not None
    candidates = list(_speakers_at(organisation.pk, language, due_at).values_list("user_id", flat=True).distinct())
    assignee = None
    if candidates:
        load = dict(
            Callback.objects.filter(assigned_to_id__in=candidates, status=CallbackStatus.OPEN)
            .values("assigned_to_id")
            .annotate(n=Count("pk"))
            .values_list("assigned_to_id", "n")
        )
        assignee = User.objects.get(pk=min(candidates, key=lambda pk: (load.get(pk, 0), pk)))
    callback = Callback.objects.create(
        organisation=organisation,
        contact=contact,
        language=language,
        due_at=due_at,
        phone=phone.strip(),
        caller_key=caller_key(phone),
        topic=topic.strip()[:200],
        assigned_to=assignee,
    )
    if contact is not None and not contact.outcome:
        contact.outcome = Outcome.CALLBACK
        contact.save(update_fields=["outcome"])
    _audit(actor, AuditAction.CREATE, callback, channel=channel, fields=["phone"])
    recipients = [assignee] if assignee else staff_of(organisation.pk, SUPERVISOR_ROLES)
    notify_each(
        recipients,
        gettext_lazy("Callback requested")
        if assignee
        else gettext_lazy("A callback needs an operator who speaks %(language)s"),
        body=gettext_lazy("Call back at %(time)s."),
        url=reverse("helpline:callbacks"),
        language=messages.language(language),
        time=due_at,
    )
    return callback


@transaction.atomic
def close_callback(actor: Any, callback: Callback, status: str) -> Callback:
    require(actor, "helpline.work_at", callback.organisation_id, STAFF_ONLY)
    if status not in (CallbackStatus.DONE, CallbackStatus.UNREACHABLE, CallbackStatus.CANCELLED):
        raise ValidationError({"status": _("Choose what happened.")})
    callback = Callback.objects.select_for_update().get(pk=callback.pk)
    if callback.status != CallbackStatus.OPEN:
        raise ValidationError(_("This callback is already closed."))
    callback.status = status
    callback.done_at = timezone.now()
    callback.done_by = actor
    callback.save(update_fields=["status", "done_at", "done_by"])
    _audit(actor, AuditAction.UPDATE, callback, fields=["status"])
    return callback


def read_callback_phone(actor: Any, callback: Callback) -> str:
    require(actor, "helpline.work_at", callback.organisation_id, STAFF_ONLY)
    _audit(actor, AuditAction.READ, callback, fields=["phone"])
    return callback.phone


# --- Web chat ----------------------------------------------------------------------------------------------


def _post(chat: Chat, sender: str, text: Any, author: Any = None, **params: Any) -> ChatMessage:
    """Keep a message; the long polls waiting on its chat (or its operator) wake when it is committed. A
    system message (``gettext_lazy`` text) is kept as its message id + ``params`` and each side reads it in
    their own language; a person's message is kept as written."""
    message_id, plain = messages.split(text)
    stored = messages.encode(params) if message_id else {}
    if message_id:
        plain = messages.render(message_id, stored)
    message = ChatMessage.objects.create(
        chat=chat, sender=sender, author=author, text=plain, message_id=message_id, params=stored
    )
    keys = chathub.keys_for(chat.pk, chat.operator_id)
    chathub.hub.announce(chat.pk, chat.operator_id)
    transaction.on_commit(lambda: chathub.hub.publish(keys, message.pk))
    return message


def token_hash(token: str) -> str:
    return keyed_hash(f"chat-token:{token}")


@transaction.atomic
def open_chat(organisation: Organisation, *, language: str, client_id: str = "") -> tuple[Chat, str]:
    """A caller opens a chat without an account; the returned token is their only key to it."""
    from ownpath.modules.helpline import selectors

    if not known_language(language):
        raise ValidationError({"language": _("Unknown language code: %(code)s.") % {"code": language}})
    if not selectors.is_open(organisation):
        raise ValidationError(selectors.out_of_hours_message(organisation, language))
    token = secrets.token_urlsafe(24)
    chat = Chat.objects.create(
        organisation=organisation,
        language=language,
        token_hash=token_hash(token),
        caller_key=chat_caller_key(client_id),
    )
    _post(
        chat,
        ChatMessage.Sender.SYSTEM,
        gettext_lazy("You are in the queue. An operator who speaks your language will answer."),
    )
    speakers = {s.user for s in _speakers_at(organisation.pk, language, timezone.now()).select_related("user")}
    notify_each(
        speakers,
        gettext_lazy("A web chat in %(language)s is waiting"),
        url=reverse("helpline:chats"),
        language=messages.language(language),
    )
    return chat, token


def chat_for_token(token: str) -> Chat | None:
    if not token or len(token) > 100:
        return None
    return Chat.objects.filter(token_hash=token_hash(token)).first()


def send_message(chat: Chat, text: str, *, sender: str, author: Any = None) -> ChatMessage:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a message first.")})
    if len(text) > MAX_MESSAGE:
        raise ValidationError({"text": _("At most %(count)s characters.") % {"count": MAX_MESSAGE}})
    chat.refresh_from_db(fields=["status", "operator", "contact"])
    if chat.status == ChatStatus.CLOSED:
        raise ValidationError(_("This chat has ended."))
    if sender != ChatMessage.Sender.CALLER:
        allowed = {chat.operator_id}
        if chat.contact_id:
            allowed.add(Contact.objects.filter(pk=chat.contact_id).values_list("interpreter_id", flat=True).first())
        if getattr(author, "pk", None) not in allowed:
            raise PermissionDenied(_("Only the operator of this chat can write in it."))
    with transaction.atomic():
        return _post(chat, sender, text, author)


@transaction.atomic
def pick_up_chat(actor: Any, chat: Chat) -> Chat:
    """An operator takes a waiting chat; it becomes a web-chat contact that keeps its messages."""
    require(actor, "helpline.work_at", chat.organisation_id, STAFF_ONLY)
    chat = Chat.objects.select_for_update().get(pk=chat.pk)
    if chat.status != ChatStatus.WAITING:
        raise ValidationError(_("Another operator has already taken this chat."))
    contact = Contact.objects.create(
        organisation_id=chat.organisation_id,
        channel=ContactChannel.WEB_CHAT,
        language=chat.language,
        started_at=chat.started_at,
        operator=actor,
        created_by=actor,
        caller_key=chat.caller_key,
    )
    chat.status = ChatStatus.ACTIVE
    chat.operator = actor
    chat.contact = contact
    chat.save(update_fields=["status", "operator", "contact"])
    _post(
        chat,
        ChatMessage.Sender.SYSTEM,
        gettext_lazy("%(name)s joined the chat."),
        name=actor.first_name or gettext_lazy("An operator"),
    )
    _audit(actor, AuditAction.CREATE, contact, detail={"chat": str(chat.pk)})
    return chat


@transaction.atomic
def close_chat(actor: Any, chat: Chat) -> Chat:
    """Either side ends the chat (``actor`` None for the caller); the contact gets its end time."""
    if actor is not None and chat.operator_id != actor.pk:
        require(actor, "helpline.work_at", chat.organisation_id, STAFF_ONLY)
    chat = Chat.objects.select_for_update().get(pk=chat.pk)
    if chat.status == ChatStatus.CLOSED:
        return chat
    chat.status = ChatStatus.CLOSED
    chat.ended_at = timezone.now()
    chat.save(update_fields=["status", "ended_at"])
    _post(chat, ChatMessage.Sender.SYSTEM, gettext_lazy("The chat has ended."))
    if chat.contact_id:
        Contact.objects.filter(pk=chat.contact_id, ended_at__isnull=True).update(ended_at=chat.ended_at)
    return chat


def wait_for_messages(
    after: int, timeout: float, *, chat: Chat | None = None, operator: Any = None
) -> list[ChatMessage]:
    """Messages after id ``after`` in ``chat``, or in every active chat ``operator`` holds, waiting up to
    ``timeout`` seconds for one. The poll sleeps without a database connection and is woken only by a
    message for it (see ``chathub``), so hundreds of open chats cost no queries while they are quiet."""
    if chat is not None:
        where, keys = Q(chat_id=chat.pk), [f"chat:{chat.pk}"]
    elif operator is not None:
        where, keys = Q(chat__operator=operator, chat__status=ChatStatus.ACTIVE), [f"operator:{operator.pk}"]
    else:
        raise ValueError("wait_for_messages needs a chat or an operator")
    deadline = time.monotonic() + max(0.0, timeout)
    chathub.hub.ensure_watching()
    with chathub.hub.subscription(keys) as woken:
        while True:
            woken.clear()
            found = list(ChatMessage.objects.filter(where, pk__gt=after).select_related("chat").order_by("pk")[:200])
            remaining = deadline - time.monotonic()
            if found or remaining <= 0:
                return found
            if not connection.in_atomic_block:
                connection.close()
            if not woken.wait(remaining):
                return []


# --- Retention -----------------------------------------------------------------------------------------


def scrub_contacts(due: QuerySet[Contact]) -> int:
    """Retention: remove what could identify the caller, keep language, topics, channel, times, outcome."""
    ids = list(due.values_list("pk", flat=True))
    with transaction.atomic():
        ChatMessage.objects.filter(chat__contact_id__in=ids).delete()
        Chat.objects.filter(contact_id__in=ids).update(caller_key="")
        count = Contact.objects.filter(pk__in=ids).update(
            notes="",
            information="",
            caller_key="",
            handover_consent_statement="",
            details_erased_at=timezone.now(),
        )
    return count


def scrub_callbacks(due: QuerySet[Callback]) -> int:
    return due.update(phone="", caller_key="", topic="", details_erased_at=timezone.now())


def translation_status(article: Article) -> dict[str, str]:
    """Each knowledge-base language and the status of the article's title in it."""
    rows = dict(
        Translation.objects.of(TEXTS_MODULE, "article", article.id)
        .filter(field="title")
        .values_list("language", "status")
    )
    return {language: rows.get(language, TranslationStatus.MISSING) for language in settings.OWNPATH_HELPLINE_LANGUAGES}
