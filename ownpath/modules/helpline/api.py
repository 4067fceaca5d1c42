"""The helpline API at /api/v1/helpline/: contacts, suggestions, hand-over, callbacks, who is on duty,
statistics, and the web chat.

Staff endpoints need a session or a token and check the same permissions as the pages; every read and
write is audited by the services. Opening a chat and writing in it need no account (the chat's secret
token is the key), like the portal's chat page.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from ownpath.core import selectors as core_selectors
from ownpath.core.api import set_etag, unchanged_since_read
from ownpath.core.choices import AuditAction, Channel
from ownpath.core.models import Organisation
from ownpath.core.rules import may
from ownpath.core.schema_types import Phone
from ownpath.core.services import audit
from ownpath.modules.helpline import selectors, services
from ownpath.modules.helpline.models import Article, Callback, Chat, ChatMessage, Contact, Topic
from ownpath.modules.helpline.rules import HELPLINE_ROLES

router = Router(tags=["helpline"])
API = Channel.API


def _staff(request: HttpRequest) -> Any:
    if not request.user.has_perm("helpline.work"):
        raise HttpError(403, _("Only the helpline's staff can do this."))
    return request.user


def _helpline(request: HttpRequest, organisation_id: int | None) -> Organisation:
    organisation = core_selectors.acting_organisation(request.user, roles=HELPLINE_ROLES, chosen=organisation_id)
    if organisation is None and organisation_id is not None:
        raise HttpError(403, _("You do not work for this helpline."))
    if organisation is None:
        raise HttpError(403, _("Only the helpline's staff can do this."))
    return organisation


def _contact(request: HttpRequest, contact_id: int) -> Contact:
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None or not request.user.has_perm("helpline.view_contact", contact):
        raise HttpError(404, _("No such contact, or not one you may see."))
    return contact


class ContactOut(Schema):
    id: int
    organisation_id: int
    channel: str
    language: str
    started_at: datetime
    ended_at: datetime | None
    duration_minutes: int | None
    operator_id: int | None
    interpreter_id: int | None
    topics: list[str]
    urgency: str
    risk: str
    outcome: str
    information: str
    notes: str
    articles: list[str]
    services: list[dict[str, str]]
    returning_caller: bool
    earlier_contacts: int
    crisis_checklist: list[str]
    handover_id: int | None
    handover_status: str

    @staticmethod
    def resolve_topics(obj: Contact) -> list[str]:
        return [t.code for t in obj.topics.all()]

    @staticmethod
    def resolve_articles(obj: Contact) -> list[str]:
        return [str(a) for a in obj.articles.values_list("pk", flat=True)]

    @staticmethod
    def resolve_returning_caller(obj: Contact) -> bool:
        return bool(selectors.earlier_contacts(obj, limit=1))

    @staticmethod
    def resolve_earlier_contacts(obj: Contact) -> int:
        return len(selectors.earlier_contacts(obj, limit=50))

    @staticmethod
    def resolve_crisis_checklist(obj: Contact) -> list[str]:
        return [item["item"] for item in obj.crisis_checklist]


class ContactBriefOut(Schema):
    id: int
    channel: str
    language: str
    started_at: datetime
    ended_at: datetime | None
    topics: list[str]
    urgency: str
    risk: str
    outcome: str

    @staticmethod
    def resolve_topics(obj: Contact) -> list[str]:
        return [t.code for t in obj.topics.all()]


class ContactIn(Schema):
    organisation_id: int | None = None
    channel: str = Field(..., max_length=12)
    language: str = Field(..., max_length=8)
    started_at: datetime | None = None
    ended_at: datetime | None = None
    caller_number: str = Field("", max_length=40, description="Hashed with a key, never stored")
    topics: list[str] = Field(default_factory=list, max_length=12)
    urgency: str = Field("routine", max_length=8)
    risk: str = Field("none", max_length=8)
    outcome: str = Field("", max_length=16)
    information: str = Field("", max_length=10000)
    notes: str = Field("", max_length=10000)
    articles: list[str] = Field(default_factory=list, max_length=20)
    services: list[dict[str, str]] = Field(default_factory=list, max_length=20)


class ContactPatch(Schema):
    channel: str | None = Field(None, max_length=12)
    language: str | None = Field(None, max_length=8)
    started_at: datetime | None = None
    ended_at: datetime | None = None
    topics: list[str] | None = Field(None, max_length=12)
    urgency: str | None = Field(None, max_length=8)
    risk: str | None = Field(None, max_length=8)
    outcome: str | None = Field(None, max_length=16)
    information: str | None = Field(None, max_length=10000)
    notes: str | None = Field(None, max_length=10000)
    articles: list[str] | None = Field(None, max_length=20)
    services: list[dict[str, str]] | None = Field(None, max_length=20)


def _values(payload: Schema, *, partial: bool) -> dict[str, Any]:
    data = payload.dict(exclude_unset=partial)
    data.pop("organisation_id", None)
    data.pop("caller_number", None)
    if not partial and data.get("started_at") is None:
        data["started_at"] = timezone.now()
    if "topics" in data and data["topics"] is not None:
        codes = list(data["topics"])
        found = {t.code: t for t in Topic.objects.filter(code__in=codes, active=True)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise HttpError(422, _("Unknown topic: %(code)s.") % {"code": unknown[0]})
        data["topics"] = [found[c] for c in codes]
    if "articles" in data and data["articles"] is not None:
        if not all(services.is_uuid(a) for a in data["articles"]):
            raise HttpError(422, _("Unknown article."))
        data["articles"] = list(Article.objects.filter(pk__in=data["articles"]))
    return {k: v for k, v in data.items() if v is not None or k == "ended_at"}


@router.get("/contacts", response=list[ContactBriefOut], summary="Recent contacts of my helplines")
def list_contacts(
    request: HttpRequest, language: str = "", limit: int = Query(50, ge=1, le=500), since: date | None = None
) -> Any:
    _staff(request)
    found = selectors.contacts_for(request.user).prefetch_related("topics")
    if language:
        found = found.filter(language=language)
    if since:
        found = found.filter(started_at__date__gte=since)
    page = list(found[:limit])
    audit.record(
        request.user,
        AuditAction.LIST,
        channel=API,
        object_type="helpline.contact",
        detail={"contact_ids": [c.pk for c in page]},
    )
    return page


@router.post("/contacts", response={201: ContactOut}, summary="Log a contact")
def create_contact(request: HttpRequest, payload: ContactIn) -> Any:
    _staff(request)
    helpline = _helpline(request, payload.organisation_id)
    contact = services.save_contact(
        request.user, helpline, _values(payload, partial=False), caller_number=payload.caller_number, channel=API
    )
    return Status(201, contact)


@router.get(
    "/contacts/{contact_id}", response=ContactOut, summary="One contact (the read is audited; its version in ETag)"
)
def get_contact(request: HttpRequest, contact_id: int, response: HttpResponse) -> Any:
    contact = services.read_contact(request.user, _contact(request, contact_id), channel=API)
    set_etag(response, services.contact_version(contact))
    return contact


@router.patch(
    "/contacts/{contact_id}",
    response=ContactOut,
    summary="Change a contact (If-Match: the ETag of your read; 412 when stale, 428 without it)",
)
def patch_contact(request: HttpRequest, contact_id: int, payload: ContactPatch, response: HttpResponse) -> Any:
    contact = _contact(request, contact_id)
    values = _values(payload, partial=True)
    with unchanged_since_read(request, contact, services.CONTACT_FIELDS, values) as stored:
        saved = services.save_contact(request.user, stored.organisation, values, contact=stored, channel=API)
    set_etag(response, services.contact_version(Contact.objects.get(pk=saved.pk)))  # as stored
    return saved


class CrisisIn(Schema):
    done: list[str] = Field(default_factory=list, max_length=10)


@router.post("/contacts/{contact_id}/crisis", response=ContactOut, summary="Tick the crisis checklist")
def crisis(request: HttpRequest, contact_id: int, payload: CrisisIn) -> Any:
    return services.tick_crisis(request.user, _contact(request, contact_id), payload.done)


class HandoverIn(Schema):
    to_organisation_id: int
    consent_given: bool = False
    consent_statement: str = Field("", max_length=2000)
    name: str = Field("", max_length=200)
    phone: Phone = ""
    email: str = Field("", max_length=254)
    best_time: str = Field("", max_length=200)
    summary: str = Field("", max_length=5000)


@router.post("/contacts/{contact_id}/handover", response=ContactOut, summary="Hand the caller over, with consent")
def handover(request: HttpRequest, contact_id: int, payload: HandoverIn) -> Any:
    contact = _contact(request, contact_id)
    to = Organisation.objects.filter(pk=payload.to_organisation_id).first()
    return services.hand_over(
        request.user,
        contact,
        to_organisation=to,
        consent_given=payload.consent_given,
        consent_statement=payload.consent_statement,
        name=payload.name,
        phone=payload.phone,
        email=payload.email,
        best_time=payload.best_time,
        summary=payload.summary,
        channel=API,
    )


class ArticleOut(Schema):
    id: str
    title: str
    snippet: str
    language: str
    translated: bool
    machine: bool
    topics: list[str]


class ServiceOut(Schema):
    id: str
    name: str
    organization: str
    speaks: list[str]


class SuggestionsOut(Schema):
    articles: list[ArticleOut]
    services: list[ServiceOut]


@router.get("/suggest", response=SuggestionsOut, summary="Articles and directory services for what is typed")
def suggest(
    request: HttpRequest,
    language: str = Query(..., max_length=8),
    q: str = Query("", max_length=200),
    topics: list[str] = Query([]),  # noqa: B008  (django-ninja reads a repeated query parameter this way)
) -> Any:
    _staff(request)
    if not services.known_language(language):
        raise HttpError(422, _("Unknown language code: %(code)s.") % {"code": language})
    chosen = list(Topic.objects.filter(code__in=topics[:12]))
    found = selectors.suggest(language, q, [t.code for t in chosen], fallback_language="en")
    return {
        "articles": [
            {
                "id": str(s.article.pk),
                "title": s.title,
                "snippet": s.snippet,
                "language": s.language,
                "translated": s.translated,
                "machine": s.machine,
                "topics": s.topics,
            }
            for s in found
        ],
        "services": [
            {"id": v.id, "name": v.name.value, "organization": v.organization, "speaks": v.speaks}
            for v in selectors.suggest_services(language, q, chosen)
        ],
    }


class OnDutyOut(Schema):
    user_id: int
    name: str
    role: str
    until: datetime
    languages: list[dict[str, str]]
    level: str
    free: bool
    busy: int
    interprets: bool


@router.get("/on-duty", response=list[OnDutyOut], summary="Who is on shift now (and speaks a language)")
def on_duty(request: HttpRequest, language: str = Query("", max_length=8)) -> Any:
    _staff(request)
    ids = [o.pk for o in selectors.helplines_of(request.user)]
    return [
        {
            "user_id": d.user.pk,
            "name": d.user.get_full_name() or str(d.user),
            "role": d.role,
            "until": d.until,
            "languages": [{"language": c, "level": lvl} for c, lvl in d.languages],
            "level": d.level,
            "free": d.free,
            "busy": d.busy,
            "interprets": d.interprets,
        }
        for d in selectors.on_duty(ids, language=language)
    ]


class CallbackOut(Schema):
    id: int
    language: str
    due_at: datetime
    topic: str
    status: str
    assigned_to_id: int | None
    contact_id: int | None


class CallbackIn(Schema):
    organisation_id: int | None = None
    language: str = Field(..., max_length=8)
    due_at: datetime
    phone: Phone
    topic: str = Field("", max_length=200)
    contact_id: int | None = None


class CallbackClose(Schema):
    status: str = Field(..., max_length=12)


@router.get("/callbacks", response=list[CallbackOut], summary="Open callbacks of my helplines")
def list_callbacks(request: HttpRequest) -> Any:
    _staff(request)
    return list(selectors.callbacks_for(request.user)[:500])


@router.post("/callbacks", response={201: CallbackOut}, summary="Arrange a callback")
def create_callback(request: HttpRequest, payload: CallbackIn) -> Any:
    _staff(request)
    contact = _contact(request, payload.contact_id) if payload.contact_id else None
    helpline = contact.organisation if contact else _helpline(request, payload.organisation_id)
    callback = services.request_callback(
        request.user,
        helpline,
        language=payload.language,
        due_at=payload.due_at,
        phone=payload.phone,
        topic=payload.topic,
        contact=contact,
        channel=API,
    )
    return Status(201, callback)


@router.post("/callbacks/{callback_id}/close", response=CallbackOut, summary="Record how a callback went")
def close_callback(request: HttpRequest, callback_id: int, payload: CallbackClose) -> Any:
    _staff(request)
    callback = get_object_or_404(Callback, pk=callback_id)
    if not may(request.user, "helpline.work_at", callback.organisation_id):
        raise HttpError(404, _("No such callback."))
    return services.close_callback(request.user, callback, payload.status)


class TableOut(Schema):
    key: str
    title: str
    rows: list[tuple[str, int | None]]
    total: int | None


class StatsOut(Schema):
    start: date
    end: date
    total: int | None = Field(None, description="null: fewer than 5, suppressed")
    unanswered_callbacks: int | None
    tables: list[TableOut]


@router.get("/stats", response=StatsOut, summary="Statistics (counts under 5 suppressed as null)")
def stats(request: HttpRequest, start: date | None = None, end: date | None = None) -> Any:
    if not request.user.has_perm("helpline.supervise"):
        raise HttpError(403, _("Only the helpline's supervisors can do this."))
    end = end or timezone.localdate()
    start = start or end - timedelta(days=29)
    if end < start or (end - start).days > 366:
        raise HttpError(422, _("Ask for at most a year, ending after the start."))
    ids = [o.pk for o in selectors.supervised_by(request.user)]
    return selectors.statistics(ids, start, end)


# --- Web chat (no account) ------------------------------------------------------------------------------


class ChatOpenIn(Schema):
    language: str = Field(..., max_length=8)
    organisation_id: int | None = None
    client_id: str = Field("", max_length=64, description="A random id the client keeps, to be recognised later")


class ChatOpenOut(Schema):
    token: str
    status: str


class MessageIn(Schema):
    text: str = Field(..., max_length=2000)


class MessageOut(Schema):
    id: int
    sender: str
    text: str
    created_at: datetime


class MessagesOut(Schema):
    status: str
    messages: list[MessageOut]


@router.post("/chats", response={201: ChatOpenOut}, auth=None, summary="Open a web chat (no account)")
def open_chat(request: HttpRequest, payload: ChatOpenIn) -> Any:
    helplines = selectors.public_helplines()
    helpline = helplines.filter(pk=payload.organisation_id).first() if payload.organisation_id else helplines.first()
    if helpline is None:
        raise HttpError(404, _("No helpline takes chats at the moment."))
    chat, token = services.open_chat(helpline, language=payload.language, client_id=payload.client_id)
    return Status(201, {"token": token, "status": chat.status})


def _chat(token: str) -> Any:
    chat = services.chat_for_token(token)
    if chat is None:
        raise HttpError(404, _("This chat does not exist or has been deleted."))
    return chat


@router.post("/chats/{token}/messages", response={201: MessageOut}, auth=None, summary="Write as the caller")
def caller_message(request: HttpRequest, token: str, payload: MessageIn) -> Any:
    chat = _chat(token)
    return Status(201, services.send_message(chat, payload.text, sender=ChatMessage.Sender.CALLER))


@router.get(
    "/chats/{token}/messages",
    response=MessagesOut,
    auth=None,
    summary="Messages after an id, waiting up to `wait` seconds for one (long poll)",
)
def caller_messages(request: HttpRequest, token: str, after: int = 0, wait: float = Query(0, ge=0, le=30)) -> Any:
    chat = _chat(token)
    found = services.wait_for_messages(after, wait, chat=chat)
    chat.refresh_from_db(fields=["status"])
    return {"status": chat.status, "messages": found}


class OperatorMessagesOut(Schema):
    messages: list[dict[str, Any]]


@router.get(
    "/operator/messages",
    response=OperatorMessagesOut,
    summary="New messages in every chat I hold, waiting up to `wait` seconds (long poll)",
)
def operator_messages(request: HttpRequest, after: int = 0, wait: float = Query(0, ge=0, le=30)) -> Any:
    _staff(request)
    found = services.wait_for_messages(after, wait, operator=request.user)
    return {
        "messages": [
            {"id": m.pk, "chat_id": str(m.chat_id), "sender": m.sender, "text": m.shown, "created_at": m.created_at}
            for m in found
        ]
    }


class OperatorMessageIn(Schema):
    text: str = Field(..., max_length=2000)


@router.post("/operator/chats/{chat_id}/messages", response={201: MessageOut}, summary="Write as the operator")
def operator_message(request: HttpRequest, chat_id: str, payload: OperatorMessageIn) -> Any:
    _staff(request)
    chat = Chat.objects.filter(pk=chat_id).first() if services.is_uuid(chat_id) else None
    if chat is None or not may(request.user, "helpline.work_at", chat.organisation_id):
        raise HttpError(404, _("No such chat."))
    return Status(
        201, services.send_message(chat, payload.text, sender=ChatMessage.Sender.OPERATOR, author=request.user)
    )


@router.post("/operator/chats/{chat_id}/pick", response={200: dict}, summary="Take a waiting chat")
def pick(request: HttpRequest, chat_id: str) -> Any:
    _staff(request)
    chat = Chat.objects.filter(pk=chat_id).first() if services.is_uuid(chat_id) else None
    if chat is None or not may(request.user, "helpline.work_at", chat.organisation_id):
        raise HttpError(404, _("No such chat."))
    chat = services.pick_up_chat(request.user, chat)
    return {"chat_id": str(chat.pk), "contact_id": chat.contact_id}
