"""Reads of the helpline: who is on duty now, whether the line is open, knowledge-base suggestions,
earlier contacts of a caller, statistics with small counts suppressed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ownpath.core import access, disclosure
from ownpath.core.languages import language_name
from ownpath.core.models import Organisation, Translation
from ownpath.core.registry import registry
from ownpath.core.services import translations
from ownpath.modules.helpline.choices import WORKING_LEVELS, CallbackStatus, ChatStatus, ShiftRole
from ownpath.modules.helpline.models import (
    TEXTS_MODULE,
    Article,
    ArticleTerm,
    Callback,
    Chat,
    Closure,
    Contact,
    OpeningHours,
    OperatorProfile,
    OutOfHoursMessage,
    Shift,
    Topic,
)
from ownpath.modules.helpline.rules import HELPLINE_ROLES, SUPERVISOR_ROLES
from ownpath.modules.helpline.services import tokens

SUPPRESS_BELOW = 5
LEVEL_ORDER = {"native": 0, "C2": 1, "C1": 2, "B2": 3, "B1": 4, "A2": 5, "A1": 6, "none": 7}


def helplines_of(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=access.organisations_with_roles(user, HELPLINE_ROLES)).order_by("name")


def supervised_by(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=access.organisations_with_roles(user, SUPERVISOR_ROLES)).order_by("name")


def public_helplines() -> QuerySet[Organisation]:
    """Organisations that run a helpline (they have opening hours), for the portal's chat page."""
    return Organisation.objects.filter(helpline_hours__isnull=False).distinct().order_by("name")


# --- Opening hours ---------------------------------------------------------------------------------------


def is_open(organisation: Organisation, at: datetime | None = None) -> bool:
    local = timezone.localtime(at or timezone.now())
    day = local.date()
    if Closure.objects.filter(organisation=organisation, starts__lte=day, ends__gte=day).exists():
        return False
    return OpeningHours.objects.filter(
        organisation=organisation, weekday=day.weekday(), opens__lte=local.time(), closes__gt=local.time()
    ).exists()


def closure_today(organisation: Organisation) -> Closure | None:
    day = timezone.localdate()
    return Closure.objects.filter(organisation=organisation, starts__lte=day, ends__gte=day).first()


def next_opening(organisation: Organisation, at: datetime | None = None) -> datetime | None:
    """When the line opens next (within two weeks), in local time."""
    local = timezone.localtime(at or timezone.now())
    hours = list(OpeningHours.objects.filter(organisation=organisation))
    closures = list(Closure.objects.filter(organisation=organisation, ends__gte=local.date()))
    for offset in range(15):
        day = local.date() + timedelta(days=offset)
        if any(c.starts <= day <= c.ends for c in closures):
            continue
        for row in sorted((h for h in hours if h.weekday == day.weekday()), key=lambda h: h.opens):
            start = timezone.make_aware(datetime.combine(day, row.opens))
            if start > local:
                return start
    return None


def out_of_hours_message(organisation: Organisation, language: str) -> str:
    """The out-of-hours message in the caller's language, else English, else a general one."""
    messages = dict(
        OutOfHoursMessage.objects.filter(organisation=organisation, language__in=[language, "en"]).values_list(
            "language", "text"
        )
    )
    return messages.get(language) or messages.get("en") or _("The helpline is closed now. Please try again later.")


def weekly_hours(organisation: Organisation) -> list[OpeningHours]:
    return list(OpeningHours.objects.filter(organisation=organisation))


# --- Who is on duty -----------------------------------------------------------------------------------


@dataclass
class OnDuty:
    user: Any
    role: str
    role_label: str
    until: datetime
    languages: list[tuple[str, str]]
    level: str = ""  # in the language asked about
    busy: int = 0  # open contacts and active chats
    away: bool = False
    interprets: bool = False

    @property
    def free(self) -> bool:
        return not self.away and self.busy == 0


def on_duty(organisation_ids: Iterable[int], *, language: str = "", at: datetime | None = None) -> list[OnDuty]:
    """Everyone on shift now (or ``at``) with their languages; with ``language``, only those who speak it,
    free ones and better levels first. Answers "who can take a call in Tigrinya now?" in one query set."""
    at = at or timezone.now()
    shifts = list(
        Shift.objects.filter(organisation_id__in=list(organisation_ids), starts_at__lte=at, ends_at__gt=at)
        .select_related("user", "user__helpline_profile")
        .prefetch_related("user__helpline_profile__languages")
        .order_by("user_id", "ends_at")
    )
    user_ids = [s.user_id for s in shifts]
    busy = Counter(
        dict(
            Contact.objects.filter(operator_id__in=user_ids, ended_at__isnull=True)
            .values("operator_id")
            .annotate(n=Count("pk"))
            .values_list("operator_id", "n")
        )
    )
    busy.update(
        dict(
            Chat.objects.filter(operator_id__in=user_ids, status=ChatStatus.ACTIVE)
            .values("operator_id")
            .annotate(n=Count("pk"))
            .values_list("operator_id", "n")
        )
    )
    out: dict[tuple[int, str], OnDuty] = {}
    for shift in shifts:
        profile: OperatorProfile | None = getattr(shift.user, "helpline_profile", None)
        spoken = sorted(
            ((lang.language, lang.level) for lang in profile.languages.all()) if profile else [],
            key=lambda pair: LEVEL_ORDER.get(pair[1], 9),
        )
        level = dict(spoken).get(language, "") if language else ""
        if language and not level:
            continue
        out[(shift.user_id, shift.role)] = OnDuty(
            user=shift.user,
            role=shift.role,
            role_label=str(ShiftRole(shift.role).label),
            until=shift.ends_at,
            languages=spoken,
            level=level,
            busy=busy.get(shift.user_id, 0),
            away=bool(profile and profile.away),
            interprets=bool(profile and profile.is_interpreter) or shift.role == ShiftRole.INTERPRETER,
        )
    return sorted(
        out.values(),
        key=lambda d: (not d.free, level_rank(d.level) if language else 0, d.role != ShiftRole.OPERATOR, str(d.user)),
    )


def level_rank(level: str) -> int:
    return LEVEL_ORDER.get(level, 9)


def languages_on_duty(organisation_ids: Iterable[int]) -> list[tuple[str, str, int]]:
    """(code, name, free people) for every language someone on duty works in now."""
    free: Counter[str] = Counter()
    present: set[str] = set()
    for duty in on_duty(organisation_ids):
        for code, level in duty.languages:
            if level in WORKING_LEVELS:
                present.add(code)
                if duty.free:
                    free[code] += 1
    return sorted(((code, language_name(code), free[code]) for code in present), key=lambda row: row[1])


def interpreters_for(organisation_id: int, language: str) -> list[OnDuty]:
    return [d for d in on_duty([organisation_id], language=language) if d.interprets and d.user is not None]


# --- Knowledge base ---------------------------------------------------------------------------------------


@dataclass
class Suggestion:
    article: Article
    title: str
    snippet: str
    language: str  # the language of the text shown
    translated: bool  # False: shown in another language than the caller's
    machine: bool = False
    score: int = 0
    topics: list[str] = field(default_factory=list)


def _term_filter(words: list[str], prefix: str, topic_codes: Iterable[str]) -> Q:
    q = Q(term__in=[*words, *[f"#{code}"[:40] for code in topic_codes]])
    if prefix:
        if connection.vendor == "postgresql":
            q |= Q(term__startswith=prefix)  # served by the varchar_pattern_ops index
        else:
            q |= Q(term__gte=prefix, term__lt=prefix + "\U0010ffff")  # a range on the plain index
    return q


def _ranked(language: str, words: list[str], prefix: str, topic_codes: list[str], limit: int) -> list[tuple[Any, int]]:
    if not words and not prefix and not topic_codes:
        return []
    rows = (
        ArticleTerm.objects.filter(language=language)
        .filter(_term_filter(words, prefix, topic_codes))
        .values("article_id")
        .annotate(hits=Count("pk"), score=Sum("weight"))
        .order_by("-hits", "-score", "article_id")[:limit]
    )
    return [(row["article_id"], row["hits"] * 10 + row["score"]) for row in rows]


def suggest(
    language: str, text: str = "", topic_codes: Iterable[str] = (), *, limit: int = 5, fallback_language: str = ""
) -> list[Suggestion]:
    """Published articles for what the operator has typed so far (the last word may be unfinished) and the
    topics chosen, in the caller's language first; then, to fill up, in ``fallback_language``."""
    topic_codes = list(topic_codes)[:12]
    words = tokens(text)[:8]
    prefix = ""
    if words and text and not text[-1].isspace() and len(words[-1]) >= 3:
        prefix = words.pop()
    ranked = _ranked(language, words, prefix, topic_codes, limit)
    languages = dict.fromkeys(ranked and [a for a, _s in ranked], language)
    if len(ranked) < limit and fallback_language and fallback_language != language:
        for article_id, score in _ranked(fallback_language, words, prefix, topic_codes, limit):
            if article_id not in languages and len(ranked) < limit:
                ranked.append((article_id, score))
                languages[article_id] = fallback_language
    if not ranked:
        return []
    ids = [a for a, _s in ranked]
    articles = Article.objects.in_bulk(ids)
    rows: dict[Any, list[Translation]] = {}
    for row in Translation.objects.of(TEXTS_MODULE, "article").filter(entity_id__in=ids):
        rows.setdefault(row.entity_id, []).append(row)
    topics = {t.pk: t.label for t in Topic.objects.all()}
    topic_links: dict[Any, list[str]] = {}
    for article_id, topic_id in Article.topics.through.objects.filter(article_id__in=ids).values_list(
        "article_id", "topic_id"
    ):
        topic_links.setdefault(article_id, []).append(topics.get(topic_id, ""))
    out = []
    for article_id, score in ranked:
        article = articles.get(article_id)
        if article is None:
            continue
        shown = languages[article_id]
        texts = translations.resolve(rows.get(article_id, []), shown)
        title, status = texts.get("title", ("", "original"))
        body = texts.get("body", ("", ""))[0]
        out.append(
            Suggestion(
                article=article,
                title=title,
                snippet=_snippet(body),
                language=shown,
                translated=shown == language,
                machine=status == "machine",
                score=score,
                topics=topic_links.get(article_id, []),
            )
        )
    return out


def _snippet(body: str, length: int = 180) -> str:
    body = " ".join(body.split())
    return body if len(body) <= length else body[: length - 1].rsplit(" ", 1)[0] + "…"


def suggest_services(language: str, text: str, topics: Iterable[Topic], *, limit: int = 5) -> list[Any]:
    """Directory services for the topics (through their needs) and words, speaking the caller's language
    first; empty when the directory module is not enabled."""
    finder = registry.capability("directory.finder")
    if finder is None:
        return []
    found: dict[str, Any] = {}
    needs = [t.directory_need for t in topics if t.directory_need]
    queries: list[dict[str, Any]] = []
    for need in dict.fromkeys(needs):
        queries += [{"need_code": need, "speaks": language}, {"need_code": need}]
    if text.strip():
        queries += [{"q": text.strip()[:100], "speaks": language}, {"q": text.strip()[:100]}]
    for params in queries:
        if len(found) >= limit:
            break
        views, _total = finder.search(params, language, limit=limit)
        for view in views:
            found.setdefault(view.id, view)
    return list(found.values())[:limit]


def article_texts(article: Article, language: str) -> dict[str, tuple[str, str]]:
    return translations.texts(TEXTS_MODULE, "article", article.id, language)


def articles(*, language: str, text: str = "", status: str = "", limit: int = 50) -> list[tuple[Article, str, str]]:
    """(article, title in ``language`` or the original, status of that title) for the knowledge-base list."""
    found = Article.objects.order_by("-updated_at")
    if status:
        found = found.filter(status=status)
    if text.strip():
        words = tokens(text)
        if words:
            matching = ArticleTerm.objects.filter(_term_filter(words[:-1], words[-1], [])).values("article_id")
            found = found.filter(pk__in=matching)
    page = list(found[:limit])
    rows: dict[Any, list[Translation]] = {}
    for row in Translation.objects.of(TEXTS_MODULE, "article").filter(
        entity_id__in=[a.pk for a in page], field="title"
    ):
        rows.setdefault(row.entity_id, []).append(row)
    out = []
    for article in page:
        title, state = translations.resolve(rows.get(article.pk, []), language).get("title", ("", ""))
        out.append((article, title, state))
    return out


# --- Contacts ------------------------------------------------------------------------------------------


def contacts_for(user: Any) -> QuerySet[Contact]:
    return Contact.objects.filter(organisation_id__in=access.organisations_with_roles(user, HELPLINE_ROLES))


def earlier_contacts(contact: Contact, limit: int = 10) -> list[Contact]:
    """The same caller's earlier contacts with this helpline, recognised by the keyed hash only."""
    if not contact.caller_key:
        return []
    return list(
        Contact.objects.filter(organisation_id=contact.organisation_id, caller_key=contact.caller_key)
        .exclude(pk=contact.pk)
        .filter(started_at__lte=contact.started_at)
        .prefetch_related("topics")
        .order_by("-started_at")[:limit]
    )


def callbacks_for(user: Any, *, status: str = CallbackStatus.OPEN) -> QuerySet[Callback]:
    found = Callback.objects.filter(organisation_id__in=access.organisations_with_roles(user, HELPLINE_ROLES))
    return found.filter(status=status) if status else found


def waiting_chats(user: Any) -> QuerySet[Chat]:
    return Chat.objects.filter(
        organisation_id__in=access.organisations_with_roles(user, HELPLINE_ROLES), status=ChatStatus.WAITING
    ).order_by("started_at")


def my_chats(user: Any) -> QuerySet[Chat]:
    return Chat.objects.filter(operator=user, status=ChatStatus.ACTIVE).order_by("started_at")


# --- Statistics --------------------------------------------------------------------------------------------


@dataclass
class Table:
    key: str
    title: str
    rows: list[tuple[str, int | None]]  # None: suppressed
    total: int | None


def suppress(counts: list[tuple[str, int]], total: int) -> tuple[list[tuple[str, int | None]], int | None]:
    """Counts from 1 to 4 are hidden, and so are the complements that would let them be worked out from
    the total (``core.disclosure``); the total too when it is small or would give a hidden count away."""
    values: dict[Hashable, float] = {index: n for index, (_label, n) in enumerate(counts)}
    values["total"] = total
    hidden = disclosure.suppress(values, [disclosure.Relation("total", list(range(len(counts))))], SUPPRESS_BELOW)
    rows = [(label, None if i in hidden else n) for i, (label, n) in enumerate(counts)]
    return rows, (None if "total" in hidden else total)


def statistics(organisation_ids: Iterable[int], start: date, end: date) -> dict[str, Any]:
    """Contacts by language, topic, channel, hour and outcome, and unanswered callbacks, between ``start``
    and ``end`` (inclusive), with small counts suppressed."""
    ids = list(organisation_ids)
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    contacts = Contact.objects.filter(organisation_id__in=ids, started_at__gte=since, started_at__lt=until)
    total = contacts.count()

    def table(key: str, title: str, counts: list[tuple[str, int]]) -> Table:
        rows, shown_total = suppress(counts, total)
        return Table(key, title, rows, shown_total)

    by = {
        name: dict(contacts.values(name).annotate(n=Count("pk")).values_list(name, "n"))
        for name in ("language", "channel", "outcome")
    }
    from ownpath.modules.helpline.choices import ContactChannel, Outcome

    topic_counts = dict(
        Contact.topics.through.objects.filter(contact__in=contacts)
        .values("topic_id")
        .annotate(n=Count("pk"))
        .values_list("topic_id", "n")  # type: ignore[misc]
    )
    topics = {t.pk: t.label for t in Topic.objects.filter(pk__in=topic_counts)}
    hours: Counter[int] = Counter(timezone.localtime(at).hour for at in contacts.values_list("started_at", flat=True))
    unanswered = Callback.objects.filter(
        organisation_id__in=ids, status=CallbackStatus.OPEN, due_at__lt=timezone.now(), due_at__gte=since
    ).count()
    tables = [
        table(
            "language",
            _("Contacts by language"),
            sorted(((language_name(c), n) for c, n in by["language"].items()), key=lambda r: -r[1]),
        ),
        table(
            "topic",
            _("Contacts by topic"),
            sorted(((topics[t], n) for t, n in topic_counts.items()), key=lambda r: -r[1]),
        ),
        table(
            "channel",
            _("Contacts by channel"),
            [(str(label), by["channel"].get(v, 0)) for v, label in ContactChannel.choices],
        ),
        table("hour", _("Contacts by hour of the day"), [(f"{h:02d}:00", hours.get(h, 0)) for h in range(24)]),
        table(
            "outcome",
            _("Contacts by outcome"),
            [(str(label), by["outcome"].get(v, 0)) for v, label in Outcome.choices]
            + ([(_("Not recorded"), by["outcome"][""])] if by["outcome"].get("") else []),
        ),
    ]
    return {
        "total": None if 0 < total < SUPPRESS_BELOW else total,
        "tables": tables,
        "unanswered_callbacks": None if 0 < unanswered < SUPPRESS_BELOW else unanswered,
        "start": start,
        "end": end,
    }


def retention_days() -> int:
    return int(settings.OWNPATH_HELPLINE_RETENTION_DAYS)
