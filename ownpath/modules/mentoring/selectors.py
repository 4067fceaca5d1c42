"""Reads of the mentoring module: lists for the coordinator and the programme's report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ownpath.core import access
from ownpath.modules.mentoring.choices import GoalProgress, MenteeStatus, Outcome, PairStatus
from ownpath.modules.mentoring.models import Contract, Meeting, MeetingProgress, Mentee, Mentor, Pair
from ownpath.modules.mentoring.rules import COORDINATOR_ROLES
from ownpath.modules.mentoring.services import OPEN_PAIR, current_contract


def programmes_of(user: Any) -> set[int]:
    return access.organisations_with_roles(user, COORDINATOR_ROLES)


def mentors_of(organisation_ids: set[int]) -> QuerySet[Mentor]:
    return Mentor.objects.filter(organisation_id__in=organisation_ids).annotate(
        open_pairs=Count("pairs", filter=Q(pairs__status__in=OPEN_PAIR))
    )


def mentees_of(organisation_ids: set[int]) -> QuerySet[Mentee]:
    return Mentee.objects.filter(organisation_id__in=organisation_ids).select_related("person")


def pairs_for(user: Any) -> QuerySet[Pair]:
    """Pairs the user coordinates, and the pairs they mentor."""
    return Pair.objects.filter(Q(organisation_id__in=programmes_of(user)) | Q(mentor__user=user)).select_related(
        "mentor", "mentee__person"
    )


@dataclass
class Report:
    active_pairs: int
    contracting: int
    closed: int
    meetings_held: int
    meetings_agreed: int
    goals: int
    goals_achieved: int
    mentors: list[tuple[Mentor, int]]  # mentor, open pairs (load against capacity)
    retention_percent: int | None  # of pairs ended in the period: those that reached their contract's end or its goals
    ended: int
    outcomes: dict[str, int]
    waiting_mentees: int
    start: date
    end: date


def report(organisation_id: int, start: date, end: date) -> Report:
    """The programme over a period: active pairs, meetings held against what the contracts agreed,
    goals achieved, each mentor's load, and retention (pairs that lasted or achieved their goals, out of
    those that ended)."""
    pairs = list(Pair.objects.filter(organisation_id=organisation_id).select_related("mentor"))
    held = Meeting.objects.filter(pair__organisation_id=organisation_id, held_on__range=(start, end)).count()
    agreed = 0
    goal_keys: set[Any] = set()
    for pair in pairs:
        if pair.status not in (PairStatus.ACTIVE, PairStatus.CLOSED, PairStatus.REMATCH):
            continue
        contract = current_contract(pair) or pair.contracts.order_by("-version").first()
        if contract is None or pair.status == PairStatus.CONTRACTING:
            continue
        first = max(start, pair.started_on)
        last = min(end, pair.closed_on or end, timezone.localdate())
        if last >= first:
            agreed += ((last - first).days + 1) // contract.meet_every_days
        goal_keys |= {g.key for g in contract.goals.all()}
    achieved = set(
        MeetingProgress.objects.filter(
            meeting__pair__organisation_id=organisation_id, progress=GoalProgress.ACHIEVED, goal_key__in=goal_keys
        ).values_list("goal_key", flat=True)
    )
    ended = [p for p in pairs if p.closed_on and start <= p.closed_on <= end]
    kept = 0
    for pair in ended:
        last_version: Contract | None = pair.contracts.order_by("-version").first()
        lasted = last_version is not None and (pair.closed_on - pair.started_on) >= timedelta(weeks=last_version.weeks)  # type: ignore[operator]
        if lasted or pair.outcome in (Outcome.GOALS_ACHIEVED, Outcome.PARTLY):
            kept += 1
    outcomes: dict[str, int] = {}
    for pair in ended:
        outcomes[pair.outcome or "none"] = outcomes.get(pair.outcome or "none", 0) + 1
    load = mentors_of({organisation_id}).filter(status="active").order_by("-open_pairs", "name")  # type: ignore[misc]
    return Report(
        active_pairs=sum(1 for p in pairs if p.status == PairStatus.ACTIVE),
        contracting=sum(1 for p in pairs if p.status == PairStatus.CONTRACTING),
        closed=sum(1 for p in pairs if p.status in (PairStatus.CLOSED, PairStatus.REMATCH)),
        meetings_held=held,
        meetings_agreed=agreed,
        goals=len(goal_keys),
        goals_achieved=len(achieved),
        mentors=[(m, m.open_pairs) for m in load],  # type: ignore[attr-defined]
        retention_percent=round(100 * kept / len(ended)) if ended else None,
        ended=len(ended),
        outcomes=outcomes,
        waiting_mentees=Mentee.objects.filter(organisation_id=organisation_id, status=MenteeStatus.WAITING).count(),
        start=start,
        end=end,
    )


def registrable_people(programme: Any, limit: int = 500) -> list[Any]:
    """The people "Add a mentee" may offer: the programme's own records, and records shared with it whose
    holder has the person's active consent to mentoring with this programme covering the mentee's data
    (what :func:`services.register_mentee` accepts), so the form never offers a choice it would refuse."""
    from ownpath.core.choices import ConsentPurpose
    from ownpath.core.models import Consent, Person
    from ownpath.modules.mentoring.services import MENTEE_SCOPE

    now = timezone.now()
    shared = set(
        Person.objects.filter(
            shares__organisation=programme, shares__consent__withdrawn_at__isnull=True, is_anonymised=False
        ).values_list("pk", flat=True)
    )
    consents = (
        Consent.objects.filter(
            person_id__in=shared,
            recipients=programme,
            purpose=ConsentPurpose.MENTORING,
            given_at__lte=now,
            withdrawn_at__isnull=True,
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .values_list("person_id", "organisation_id", "person__organisation_id", "scope")
    )
    wanted = {str(scope) for scope in MENTEE_SCOPE}
    agreed = {pid for pid, org, holder, scope in consents if org == holder and wanted <= set(scope or ())}
    taken = set(Mentee.objects.filter(organisation=programme).values_list("person_id", flat=True))
    people = Person.objects.filter(is_anonymised=False).filter(Q(organisation=programme) | Q(pk__in=agreed))
    return [p for p in people.exclude(pk__in=taken).order_by("family_name", "given_name")[:limit]]
