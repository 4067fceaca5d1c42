"""Reads of the counselling module: the caseload, the supervisor's view, a person's path, with access applied.

Every function issues a fixed number of queries, whatever the number of clients: page rows are filled
with one grouped query per kind of fact, never one query per person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ownpath.core import access
from ownpath.core import selectors as core_selectors
from ownpath.core.choices import DataScope, Role, SensitiveGroup
from ownpath.core.models import Organisation, Person, PersonNote, User
from ownpath.core.registry import BusyTime
from ownpath.core.sensitivity import lens_for
from ownpath.modules.counselling.choices import (
    HEALTH_BARRIERS,
    OPEN_STEP_STATUSES,
    FollowUpStatus,
    LegalRequestStatus,
    OutcomeKind,
    ReferralStatus,
    SessionKind,
    SuggestionStatus,
)
from ownpath.modules.counselling.models import (
    Assessment,
    CaseProfile,
    FollowUp,
    Goal,
    Intake,
    LegalRequest,
    Outcome,
    Recognition,
    Referral,
    Session,
    SessionNote,
    Step,
    Suggestion,
)

EXPIRY_DAYS = 60


@dataclass
class BarrierView:
    """Barriers as the viewer may see them: named, plus how many are visible only to health professionals."""

    named: list[str] = field(default_factory=list)
    hidden: int = 0

    @property
    def count(self) -> int:
        return len(self.named) + self.hidden

    @property
    def several(self) -> bool:
        return self.count >= 2


def barrier_view(barriers: list[str], may_read_health: bool) -> BarrierView:
    shown = [b for b in barriers if may_read_health or b not in HEALTH_BARRIERS]
    return BarrierView(shown, len(barriers) - len(shown))


@dataclass
class CaseRow:
    person: Person
    overdue_steps: int = 0
    next_step: Step | None = None
    open_referrals: int = 0
    due_follow_ups: int = 0
    recognition_deadline: date | None = None
    barriers: BarrierView = field(default_factory=BarrierView)

    @property
    def expiring(self) -> bool:
        return self.person.residence_expires_soon(EXPIRY_DAYS)

    @property
    def needs_attention(self) -> bool:
        return (
            bool(self.overdue_steps or self.open_referrals or self.due_follow_ups or self.expiring)
            or self.recognition_deadline is not None
        )


@dataclass
class Caseload:
    page: Page  # type: ignore[type-arg]
    rows: list[CaseRow]
    total: int
    overdue_steps: int
    sessions_today: list[Session]
    referrals_waiting: int
    expiring_documents: int
    due_follow_ups: int
    several_barriers: int


def _my_clients(user: Any) -> QuerySet[Person]:
    orgs = access.organisations_with_roles(user, access.CASEWORK_ROLES)
    return Person.objects.filter(assigned_counsellor_id=user.pk, organisation_id__in=orgs, is_anonymised=False)


def _counted(queryset: QuerySet[Any]) -> Any:
    """COUNT(*) of ``queryset`` as a scalar subquery: several counts come back in one query."""
    counted = queryset.order_by().annotate(_one=Value(1)).values("_one").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def fill_rows(user: Any, people: list[Person]) -> list[CaseRow]:
    """Everything a caseload row shows for ``people``, in three queries however many rows there are: the
    counts per person in one, the next steps in one, the barriers in one."""
    today = timezone.localdate()
    ids = [p.pk for p in people]
    rows = {p.pk: CaseRow(p) for p in people}
    open_steps = Step.objects.filter(person_id__in=ids, status__in=OPEN_STEP_STATUSES)
    soon = today + timedelta(days=EXPIRY_DAYS)
    per_person = Person.objects.filter(pk__in=ids).annotate(
        row_overdue=_counted(
            Step.objects.filter(person_id=OuterRef("pk"), status__in=OPEN_STEP_STATUSES, planned_end__lt=today)
        ),
        row_referrals=_counted(Referral.objects.filter(person_id=OuterRef("pk"), status=ReferralStatus.SENT)),
        row_follow_ups=_counted(
            FollowUp.objects.filter(outcome__person_id=OuterRef("pk"), status=FollowUpStatus.DUE, due__lte=today)
        ),
        row_recognition=Subquery(
            Recognition.objects.filter(person_id=OuterRef("pk"), deadline__lte=soon, deadline__isnull=False)
            .order_by("deadline")
            .values("deadline")[:1]
        ),
    )
    for person_id, overdue, referrals, follow_ups, recognition in per_person.values_list(
        "pk", "row_overdue", "row_referrals", "row_follow_ups", "row_recognition"
    ):
        row = rows[person_id]
        row.overdue_steps, row.open_referrals, row.due_follow_ups = overdue, referrals, follow_ups
        row.recognition_deadline = recognition
    for step in (
        open_steps.filter(planned_end__gte=today).order_by("person_id", "planned_end").distinct("person_id")
        if _distinct_on()
        else _first_per_person(open_steps.filter(planned_end__gte=today).order_by("planned_end"))
    ):
        rows[step.person_id].next_step = step
    by_org = access.roles_by_organisation(user)
    health_readers = access.GROUP_READERS[SensitiveGroup.HEALTH]
    descriptor = Person.case_profile  # type: ignore[attr-defined]
    if people and all(descriptor.is_cached(p) for p in people):  # the caller selected them with the rows
        profiles = [(p.pk, p.case_profile.barriers) for p in people if getattr(p, "case_profile", None) is not None]
    else:
        profiles = list(CaseProfile.objects.filter(person_id__in=ids).values_list("person_id", "barriers"))
    for person_id, barriers in profiles:
        # Caseload rows are people held by the user's organisations: the roles there decide.
        may_read_health = bool(by_org.get(rows[person_id].person.organisation_id, set()) & health_readers)
        rows[person_id].barriers = barrier_view(barriers, may_read_health)
    return [rows[p.pk] for p in people]


def _distinct_on() -> bool:
    from django.db import connection

    return bool(connection.features.can_distinct_on_fields)


def _first_per_person(steps: QuerySet[Step]) -> list[Step]:
    seen: set[int] = set()
    first = []
    for step in steps:
        if step.person_id not in seen:
            seen.add(step.person_id)
            first.append(step)
    return first


def caseload(user: Any, *, page: Any = 1, attention_only: bool = False, several_barriers: bool = False) -> Caseload:
    """The counsellor's own clients, those needing something done first, and what is due today."""
    today = timezone.localdate()
    now = timezone.now()
    clients = _my_clients(user)
    soon = today + timedelta(days=EXPIRY_DAYS)
    overdue = Step.objects.filter(person_id=OuterRef("pk"), status__in=OPEN_STEP_STATUSES, planned_end__lt=today)
    listed = clients.annotate(has_overdue=Exists(overdue))
    if attention_only:
        listed = listed.filter(Q(has_overdue=True) | Q(residence_expires__lte=soon))
    if several_barriers:
        listed = listed.filter(case_profile__barrier_count__gte=2)
    listed = listed.order_by(
        "-has_overdue", F("residence_expires").asc(nulls_last=True), "family_name", "given_name", "pk"
    )
    orgs = access.organisations_with_roles(user, access.CASEWORK_ROLES)
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    # Every count of the page in one query (the list's own count too, which the paginator then reuses).
    counts = (
        User.objects.filter(pk=user.pk)
        .annotate(
            listed=_counted(listed),
            overdue_steps=_counted(
                Step.objects.filter(person__in=clients, status__in=OPEN_STEP_STATUSES, planned_end__lt=today)
            ),
            referrals_in=_counted(Referral.objects.filter(to_organisation_id__in=orgs, status=ReferralStatus.SENT)),
            referrals_out=_counted(Referral.objects.filter(sent_by_id=user.pk, status=ReferralStatus.SENT)),
            expiring=_counted(clients.filter(residence_expires__lte=soon)),
            recognitions=_counted(
                Recognition.objects.filter(person__in=clients, deadline__lte=soon, deadline__gte=today)
            ),
            due_follow_ups=_counted(
                FollowUp.objects.filter(outcome__person__in=clients, status=FollowUpStatus.DUE, due__lte=today)
            ),
            several_barriers=_counted(clients.filter(case_profile__barrier_count__gte=2)),
        )
        .values(
            "listed",
            "overdue_steps",
            "referrals_in",
            "referrals_out",
            "expiring",
            "recognitions",
            "due_follow_ups",
            "several_barriers",
        )
        .get()
    )
    paginator = Paginator(listed.select_related("case_profile"), 25)
    paginator.__dict__["count"] = counts["listed"]  # Paginator.count is a cached property: counted above
    current = paginator.get_page(page)
    rows = fill_rows(user, list(current.object_list))
    return Caseload(
        page=current,
        rows=rows,
        total=counts["listed"],
        overdue_steps=counts["overdue_steps"],
        sessions_today=list(
            Session.objects.filter(held_by_id=user.pk, starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
            .select_related("person")
            .order_by("starts_at")[:20]
        ),
        referrals_waiting=counts["referrals_in"] + counts["referrals_out"],
        expiring_documents=counts["expiring"] + counts["recognitions"],
        due_follow_ups=counts["due_follow_ups"],
        several_barriers=counts["several_barriers"],
    )


@dataclass
class CounsellorLine:
    user: User | None
    clients: int = 0
    several_barriers: int = 0
    overdue_steps: int = 0
    sessions_30_days: int = 0


@dataclass
class Supervision:
    organisation: Organisation
    lines: list[CounsellorLine]
    referrals_waiting: int
    referrals_overdue: int
    barrier_counts: dict[str, int]
    clients_by_barriers: dict[str, int]
    outcomes_by_barriers: dict[str, dict[str, int]]


def supervised_organisations(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=access.organisations_with_roles(user, {Role.ORG_ADMIN}))


def supervision(user: Any, organisation: Organisation) -> Supervision:
    """Per counsellor of a centre: clients, overdue steps, sessions; and barrier statistics without names."""
    today = timezone.localdate()
    people = Person.objects.filter(organisation=organisation, is_anonymised=False)
    lines: dict[int | None, CounsellorLine] = {}
    counsellors = User.objects.filter(
        memberships__organisation=organisation, memberships__role=Role.COUNSELLOR, memberships__is_active=True
    ).distinct()
    for counsellor in counsellors:
        lines[counsellor.pk] = CounsellorLine(counsellor)
    for row in people.values("assigned_counsellor_id").annotate(
        n=Count("pk"), several=Count("pk", filter=Q(case_profile__barrier_count__gte=2))
    ):
        line = lines.setdefault(row["assigned_counsellor_id"], CounsellorLine(None))
        line.clients, line.several_barriers = row["n"], row["several"]
    overdue = Step.objects.filter(person__in=people, status__in=OPEN_STEP_STATUSES, planned_end__lt=today)
    for counsellor_id, n in (
        overdue.values("person__assigned_counsellor_id")
        .annotate(n=Count("pk"))
        .values_list("person__assigned_counsellor_id", "n")
    ):
        lines.setdefault(counsellor_id, CounsellorLine(None)).overdue_steps = n
    recent = Session.objects.filter(organisation=organisation, starts_at__gte=timezone.now() - timedelta(days=30))
    for held_by_id, n in recent.values("held_by_id").annotate(n=Count("pk")).values_list("held_by_id", "n"):
        if held_by_id in lines:
            lines[held_by_id].sessions_30_days = n
    named = sorted((line for key, line in lines.items() if key is not None), key=lambda line: str(line.user))
    ordered = named + ([lines[None]] if None in lines else [])
    barrier_counts: dict[str, int] = defaultdict(int)
    by_number: dict[str, int] = {"0": 0, "1": 0, "2+": 0}
    for barriers, count in (
        CaseProfile.objects.filter(person__in=people).values_list("barriers").annotate(n=Count("pk"))
    ):
        for barrier in barriers:
            barrier_counts[barrier] += count
        by_number[_bucket(len(barriers))] += count
    by_number["0"] = people.count() - by_number["1"] - by_number["2+"]
    outcomes: dict[str, dict[str, int]] = {kind: {"0": 0, "1": 0, "2+": 0} for kind in OutcomeKind.values}
    for kind, barrier_count, n in (
        Outcome.objects.filter(person__in=people)
        .values("kind", "person__case_profile__barrier_count")
        .annotate(n=Count("person", distinct=True))
        .values_list("kind", "person__case_profile__barrier_count", "n")
    ):
        outcomes[kind][_bucket(barrier_count or 0)] += n
    waiting = Referral.objects.filter(to_organisation=organisation, status=ReferralStatus.SENT)
    return Supervision(
        organisation=organisation,
        lines=ordered,
        referrals_waiting=waiting.count(),
        referrals_overdue=waiting.filter(answer_by__lt=today).count(),
        barrier_counts=dict(barrier_counts),
        clients_by_barriers=by_number,
        outcomes_by_barriers=outcomes,
    )


def _bucket(count: int) -> str:
    return "2+" if count >= 2 else str(count)


def referrals_for(user: Any) -> tuple[QuerySet[Referral], QuerySet[Referral]]:
    """Referrals received by and sent from the user's organisations."""
    orgs = access.organisations_with_roles(user, access.CASEWORK_ROLES)
    base = Referral.objects.select_related("person", "from_organisation", "to_organisation", "step")
    return (
        base.filter(to_organisation_id__in=orgs).order_by("status", "answer_by", "-pk"),
        base.filter(from_organisation_id__in=orgs).order_by("-sent_at", "-pk"),
    )


def referrals_of_person(user: Any, person: Person) -> QuerySet[Referral]:
    """The holder sees every referral of the person; a receiver only those sent to it."""
    qs = Referral.objects.filter(person=person).select_related("from_organisation", "to_organisation", "step")
    if person.organisation_id in access.organisations_with_roles(user, access.CASEWORK_ROLES):
        return qs
    return qs.filter(to_organisation_id__in=access.organisations_with_roles(user, access.CASEWORK_ROLES))


def path_of(person: Person) -> dict[str, Any]:
    """Goals with their steps, and the steps without a goal, with each step's recognition."""
    steps = list(
        Step.objects.filter(person=person).select_related("responsible_organisation", "responsible_user", "recognition")
    )
    goals = list(Goal.objects.filter(person=person))
    by_goal: dict[int | None, list[Step]] = defaultdict(list)
    for step in steps:
        by_goal[step.goal_id].append(step)
    return {
        "goals": [(goal, by_goal.get(goal.pk, [])) for goal in goals],
        "loose_steps": by_goal.get(None, []),
        "steps": steps,
    }


def open_suggestions(person: Person) -> list[Suggestion]:
    return list(Suggestion.objects.filter(person=person, status=SuggestionStatus.OPEN))


def latest_assessment(person: Person) -> Assessment | None:
    return Assessment.objects.filter(person=person).order_by("-assessed_on", "-pk").first()


def intakes_of(person: Person) -> QuerySet[Intake]:
    return Intake.objects.filter(person=person).select_related("organisation")


def sessions_of(user: Any, person: Person) -> list[tuple[Session, list[PersonNote]]]:
    """Sessions with the notes the user may read (the group's profession, and always the author).

    Staff of the holder see every session. An organisation the record is shared with sees every session
    only if the consent covers the path, and otherwise its own; it reads only notes its own staff wrote.
    """
    own = access.organisations_with_roles(user, access.CASEWORK_ROLES)
    at_holder = person.organisation_id in own
    sessions_qs = Session.objects.filter(person=person)
    if not at_holder and DataScope.PATH not in access.scopes_for(user, person):
        sessions_qs = sessions_qs.filter(organisation_id__in=own)
    sessions = list(sessions_qs.select_related("organisation", "held_by", "step")[:100])
    lens = lens_for(user, person)
    links = SessionNote.objects.filter(session__in=sessions).select_related("note", "note__author")
    notes: dict[int, list[PersonNote]] = defaultdict(list)
    for link in links:
        note = link.note
        if lens.reads(note.group, author_id=note.author_id, organisation_id=note.organisation_id):
            notes[link.session_id].append(note)
    return [(s, notes.get(s.pk, [])) for s in sessions]


def legal_requests_for(user: Any, person: Person) -> list[LegalRequest]:
    """Legal requests of the person that the user may read (legal advisers of the organisation, the asker)."""
    requests = LegalRequest.objects.filter(person=person).select_related("assigned_to", "organisation")
    return [r for r in requests if user.has_perm("counselling.read_legal_request", r)]


def open_legal_requests(user: Any) -> QuerySet[LegalRequest]:
    return LegalRequest.objects.filter(assigned_to_id=user.pk, status=LegalRequestStatus.OPEN).select_related("person")


def outcomes_of(person: Person) -> list[Outcome]:
    return list(Outcome.objects.filter(person=person).prefetch_related("follow_ups"))


def own_path(user: Any) -> tuple[Person | None, dict[str, Any]]:
    """For a person signed in with their own account: their record and path (what the portal shows)."""
    person = core_selectors.own_record(user)
    if person is None:
        return None, {}
    return person, {
        **path_of(person),
        "sessions": list(
            Session.objects.filter(person=person, starts_at__gte=timezone.now()).order_by("starts_at")[:5]
        ),
        "outcomes": outcomes_of(person),
    }


def busy_times(user_ids: Collection[int], start: datetime, end: datetime) -> list[BusyTime]:
    """Sessions held by ``user_ids`` overlapping [start, end): busy time in the staff member's calendar."""
    from django.urls import reverse

    longest = timedelta(minutes=480)  # Session.clean caps a session at 8 hours
    rows = Session.objects.filter(
        held_by_id__in=list(user_ids), starts_at__lt=end, starts_at__gt=start - longest
    ).values_list("pk", "held_by_id", "person_id", "starts_at", "duration_minutes", "kind")
    kinds = dict(SessionKind.choices)
    found = []
    for pk, user_id, person_id, starts_at, minutes, kind in rows:
        ends_at = starts_at + timedelta(minutes=minutes or 60)
        if ends_at <= start:
            continue
        found.append(
            BusyTime(
                user_id=user_id,
                start=starts_at,
                end=ends_at,
                title=kinds.get(kind, kind),
                kind="counselling",
                url=reverse("core:person", args=[person_id]) + "?tab=sessions",
                uid=f"counselling-session-{pk}",
            )
        )
    return found


def steps_we_own(user: Any) -> list[Step]:
    """Open steps that the user's organisations carry out in plans held by other organisations (a
    multi-agency plan), for people the user may see."""
    from ownpath.core.selectors import people_for
    from ownpath.modules.counselling.rules import SESSION_ROLES

    orgs = access.organisations_with_roles(user, SESSION_ROLES)
    if not orgs:
        return []
    return list(
        Step.objects.filter(
            responsible_organisation_id__in=orgs,
            status__in=OPEN_STEP_STATUSES,
            person__in=people_for(user),
        )
        .exclude(person__organisation_id__in=orgs)
        .select_related("person", "person__organisation", "responsible_organisation")
        .order_by("planned_end", "pk")[:200]
    )


def step_history(step: Step) -> list[dict[str, Any]]:
    """The step's versions with each change worded: the field's label, and values as people read them
    (choice labels, names of organisations and people, dates by locale), never stored codes or ids."""
    from datetime import date as date_type

    from django.utils.formats import date_format
    from django.utils.text import capfirst

    fields = {f.name: f for f in Step._meta.concrete_fields}
    names: dict[tuple[Any, Any], str] = {}

    def shown(field: Any, value: Any) -> str:
        if value in (None, "", [], {}):
            return "—"
        if field is None:
            return str(value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if field.is_relation:
            key = (field.related_model, value)
            if key not in names:
                found = field.related_model.objects.filter(pk=value).first()
                names[key] = (
                    (found.get_full_name() or found.get_username())
                    if isinstance(found, User)
                    else (str(found) if found is not None else "—")
                )
            return names[key]
        if isinstance(value, str) and isinstance(field, models.DateField):
            try:
                return date_format(date_type.fromisoformat(value), "SHORT_DATE_FORMAT")
            except ValueError:
                return value
        if isinstance(value, list):
            return ", ".join(str(item.get("label", item)) if isinstance(item, dict) else str(item) for item in value)
        return str(value)

    history = []
    for change in step.changes.select_related("changed_by")[:50]:
        items = []
        for name, values in (change.changes or {}).items():
            if name == "created":
                items.append({"label": capfirst(_("created")), "created": True})
                continue
            field = fields.get(name)
            before, after = [*values, None, None][:2] if isinstance(values, list) else (None, values)
            items.append({
                "label": capfirst(field.verbose_name) if field is not None else name,
                "before": shown(field, before),
                "after": shown(field, after),
            })  # fmt: skip
        history.append({"version": change.version, "changed_at": change.changed_at, "changed_by": change.changed_by,
                        "items": items})  # fmt: skip
    return history
