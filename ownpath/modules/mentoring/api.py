"""The mentoring API at /api/v1/mentoring/: mentors and their readiness, mentees, match runs with explained
proposals, pairs, contracts (accepted by each party through their private token), meetings, fit checks,
closure and the report. Same permissions and audit as the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from ownpath.core import selectors as core_selectors
from ownpath.core.api import get_or_404
from ownpath.core.choices import AuditAction, Channel
from ownpath.core.models import Organisation, Person, User
from ownpath.core.rules import may
from ownpath.core.schema_types import Phone, PlausibleDate
from ownpath.core.services import audit
from ownpath.modules.mentoring import selectors, services
from ownpath.modules.mentoring.models import MatchRun, Mentor, Pair, Proposal
from ownpath.modules.mentoring.rules import COORDINATOR_ROLES

router = Router(tags=["mentoring"])
API = Channel.API


def _programme(request: HttpRequest, organisation_id: int | None) -> Organisation:
    organisation = core_selectors.acting_organisation(request.user, roles=COORDINATOR_ROLES, chosen=organisation_id)
    if organisation is None:
        raise HttpError(403, _("Only the programme's mentoring coordinators may do this."))
    return organisation


def _mine(request: HttpRequest, model: Any, pk: Any, message: str) -> Any:
    found = get_or_404(model, pk, message)
    if not request.user.has_perm("mentoring.coordinate_at", found.organisation_id):
        raise HttpError(404, message)
    return found


class Profile(Schema):
    gender: str = ""
    preferred_language: str = "pl"
    languages: list[list[str]] = Field(default_factory=list, description='[["uk", "native"], ["pl", "B1"]]')
    country_of_origin: str = Field("", max_length=2)
    lived_experience: list[str] = Field(default_factory=list)
    sector: str = ""
    municipality: str = Field("", max_length=120)
    latitude: float | None = None
    longitude: float | None = None
    availability: list[str] = Field(default_factory=list)


class MentorIn(Profile):
    organisation_id: int | None = None
    name: str = Field(..., max_length=200)
    email: str = Field(..., max_length=254)
    phone: Phone = ""
    kind: str = "peer"
    profession: str = Field("", max_length=120)
    capacity: int = 1
    wants_mentee_gender: str = ""


class MentorOut(Schema):
    id: str
    name: str
    kind: str
    status: str
    training_completed_on: date | None
    approved: bool
    matchable: bool
    capacity: int
    open_pairs: int


def _mentor_out(m: Mentor) -> dict[str, Any]:
    return {
        "id": str(m.pk),
        "name": m.name,
        "kind": m.kind,
        "status": m.status,
        "training_completed_on": m.training_completed_on,
        "approved": m.approved_at is not None,
        "matchable": m.matchable,
        "capacity": m.capacity,
        "open_pairs": m.pairs.filter(status__in=services.OPEN_PAIR).count(),
    }


@router.get("/mentors", response=list[MentorOut], summary="The programme's mentors and their readiness")
def mentors(request: HttpRequest, organisation_id: int | None = None) -> Any:
    programme = _programme(request, organisation_id)
    return [_mentor_out(m) for m in Mentor.objects.filter(organisation=programme)]


@router.post("/mentors", response={201: MentorOut}, summary="Add a mentor")
def add_mentor(request: HttpRequest, payload: MentorIn) -> Any:
    programme = _programme(request, payload.organisation_id)
    values = payload.dict(exclude={"organisation_id"})
    values["user"] = User.objects.filter(email__iexact=payload.email.strip()).first()
    return Status(201, _mentor_out(services.create_mentor(request.user, programme, values, channel=API)))


class TrainingIn(Schema):
    completed_on: PlausibleDate
    evidence: str = Field(..., max_length=300)


@router.post("/mentors/{mentor_id}/training", response=MentorOut, summary="Record the mentor path done elsewhere")
def training(request: HttpRequest, mentor_id: str, payload: TrainingIn) -> Any:
    mentor = _mine(request, Mentor, mentor_id, _("No such mentor, or not one you may see."))
    return _mentor_out(
        services.record_training(request.user, mentor, completed_on=payload.completed_on, evidence=payload.evidence)
    )


@router.post("/mentors/{mentor_id}/approve", response=MentorOut, summary="Approve (after the mentor path)")
def approve(request: HttpRequest, mentor_id: str) -> Any:
    mentor = _mine(request, Mentor, mentor_id, _("No such mentor, or not one you may see."))
    return _mentor_out(services.approve(request.user, mentor, channel=API))


class MenteeIn(Profile):
    organisation_id: int | None = None
    person_id: int
    wants_peer: bool = False
    wants_mentor_gender: str = ""
    goals_summary: str = Field("", max_length=2000)


class MenteeOut(Schema):
    id: str
    person_id: int
    status: str
    languages: list[list[str]]


@router.post("/mentees", response={201: MenteeOut}, summary="Register a mentee (needs the person's consent)")
def add_mentee(request: HttpRequest, payload: MenteeIn) -> Any:
    programme = _programme(request, payload.organisation_id)
    person = get_or_404(Person, payload.person_id, _("No such person, or not one you may see."))
    values = payload.dict(exclude={"organisation_id", "person_id"})
    if not values["languages"]:
        values.pop("languages")
    mentee = services.register_mentee(request.user, programme, person, values, channel=API)
    return Status(
        201, {"id": str(mentee.pk), "person_id": person.pk, "status": mentee.status, "languages": mentee.languages}
    )


class FactorOut(Schema):
    key: str
    label: str
    score: float
    weight: float
    because: str


class ProposalOut(Schema):
    id: int
    mentee_id: str
    person_id: int
    mentor_id: str
    score: float
    factors: list[FactorOut]
    adjusted: bool


class RunOut(Schema):
    id: str
    status: str
    mentees: int
    mentors: int
    seconds: float
    proposals: list[ProposalOut]


def _run_out(run: MatchRun) -> dict[str, Any]:
    proposals = list(run.proposals.select_related("mentee"))
    return {
        "id": str(run.pk),
        "status": run.status,
        "mentees": run.mentees,
        "mentors": run.mentors,
        "seconds": run.seconds,
        "proposals": [
            {
                "id": p.pk,
                "mentee_id": str(p.mentee_id),
                "person_id": p.mentee.person_id,
                "mentor_id": str(p.mentor_id),
                "score": p.score,
                "factors": p.factors,
                "adjusted": p.adjusted,
            }
            for p in proposals
        ],
    }


class RunIn(Schema):
    organisation_id: int | None = None


@router.post("/matches", response={201: RunOut}, summary="Match every waiting mentee (a draft)")
def run_match(request: HttpRequest, payload: RunIn) -> Any:
    programme = _programme(request, payload.organisation_id)
    return Status(201, _run_out(services.run_match(request.user, programme, channel=API)))


@router.get("/matches/{run_id}", response=RunOut, summary="A match with every pair explained")
def get_run(request: HttpRequest, run_id: str) -> Any:
    run = _mine(request, MatchRun, run_id, _("No such match."))
    audit.record(request.user, AuditAction.READ, channel=API, obj=run, organisation_id=run.organisation_id)
    return _run_out(run)


class AdjustIn(Schema):
    mentor_id: str


@router.post("/proposals/{proposal_id}/adjust", response=ProposalOut, summary="Give the mentee another mentor")
def adjust(request: HttpRequest, proposal_id: int, payload: AdjustIn) -> Any:
    proposal: Proposal = get_or_404(Proposal, proposal_id, _("No such proposal."))
    if not may(request.user, "mentoring.coordinate_at", proposal.run.organisation_id):
        raise HttpError(404, _("No such proposal."))
    mentor = get_or_404(Mentor, payload.mentor_id, _("No such mentor, or not one you may see."))
    p = services.adjust(request.user, proposal, mentor)
    return {
        "id": p.pk,
        "mentee_id": str(p.mentee_id),
        "person_id": p.mentee.person_id,
        "mentor_id": str(p.mentor_id),
        "score": p.score,
        "factors": p.factors,
        "adjusted": p.adjusted,
    }


@router.post("/matches/{run_id}/publish", response=list[str], summary="Publish: the proposals become pairs")
def publish(request: HttpRequest, run_id: str) -> Any:
    run = _mine(request, MatchRun, run_id, _("No such match."))
    return [str(p.pk) for p in services.publish(request.user, run, channel=API)]


def _pair(request: HttpRequest, pair_id: str) -> Pair:
    pair: Pair = get_or_404(Pair, pair_id, _("No such pair, or not one you may see."))
    if not request.user.has_perm("mentoring.view_pair", pair):
        raise HttpError(404, _("No such pair, or not one you may see."))
    return pair


class PairOut(Schema):
    id: str
    mentor_id: str
    mentee_id: str
    status: str
    started_on: date
    contract_version: int | None
    contract_status: str | None
    meetings: int
    outcome: str


def _pair_out(pair: Pair) -> dict[str, Any]:
    contract = pair.contracts.order_by("-version").first()
    return {
        "id": str(pair.pk),
        "mentor_id": str(pair.mentor_id),
        "mentee_id": str(pair.mentee_id),
        "status": pair.status,
        "started_on": pair.started_on,
        "contract_version": contract.version if contract else None,
        "contract_status": contract.status if contract else None,
        "meetings": pair.meetings.count(),
        "outcome": pair.outcome,
    }


@router.get("/pairs", response=list[PairOut], summary="Pairs I coordinate or mentor")
def pairs(request: HttpRequest) -> Any:
    return [_pair_out(p) for p in selectors.pairs_for(request.user)]


@router.get("/pairs/{pair_id}", response=PairOut, summary="A pair")
def get_pair(request: HttpRequest, pair_id: str) -> Any:
    pair = _pair(request, pair_id)
    audit.record(
        request.user,
        AuditAction.READ,
        channel=API,
        obj=pair,
        organisation_id=pair.organisation_id,
        person=pair.mentee.person,
    )
    return _pair_out(pair)


class ContractIn(Schema):
    goals: list[str]
    rules: str = Field(..., max_length=5000)
    weeks: int
    meet_every_days: int
    contact_forms: list[str]
    confidentiality: str = Field("", max_length=5000)
    language: str = "pl"
    translated: dict[str, dict[str, str]] = Field(
        default_factory=dict, description='{"uk": {"goal_1": "...", "rules": "..."}}'
    )


class ContractOut(Schema):
    id: str
    version: int
    status: str
    links: dict[str, str]


@router.post(
    "/pairs/{pair_id}/contracts", response={201: ContractOut}, summary="Propose a (new version of the) contract"
)
def write_contract(request: HttpRequest, pair_id: str, payload: ContractIn) -> Any:
    pair = _pair(request, pair_id)
    contract, tokens = services.write_contract(request.user, pair, channel=API, **payload.dict())
    from django.urls import reverse

    links = {
        party: request.build_absolute_uri(reverse("mentoring:contract", args=[token]))
        for party, token in tokens.items()
    }
    return Status(201, {"id": str(contract.pk), "version": contract.version, "status": contract.status, "links": links})


class AcceptIn(Schema):
    language: str = Field(..., max_length=12)


@router.post("/contracts/accept/{token}", response=ContractOut, auth=None, summary="A party accepts (private token)")
def accept(request: HttpRequest, token: str, payload: AcceptIn) -> Any:
    party = services.party_for_token(token)
    if party is None:
        raise HttpError(404, _("This link is not valid (any more). Ask your coordinator for a new one."))
    contract = services.accept(party, language=payload.language)
    return {"id": str(contract.pk), "version": contract.version, "status": contract.status, "links": {}}


class MeetingIn(Schema):
    held_on: PlausibleDate
    minutes: int
    form: str
    topics: str = Field("", max_length=5000)
    progress: dict[str, str] = Field(default_factory=dict, description="goal key → progress")


@router.post("/pairs/{pair_id}/meetings", response={201: PairOut}, summary="Log a meeting")
def meeting(request: HttpRequest, pair_id: str, payload: MeetingIn) -> Any:
    pair = _pair(request, pair_id)
    services.log_meeting(request.user, pair, channel=API, **payload.dict())
    return Status(201, _pair_out(pair))


class FitIn(Schema):
    party: str
    answer: str
    comment: str = Field("", max_length=500)


@router.post("/pairs/{pair_id}/fit", response=PairOut, summary="Record a fit check answer")
def fit(request: HttpRequest, pair_id: str, payload: FitIn) -> Any:
    pair = _pair(request, pair_id)
    services.record_fit(request.user, pair, payload.party, payload.answer, payload.comment)
    pair.refresh_from_db()
    return _pair_out(pair)


class CloseIn(Schema):
    outcome: str
    mentor_feedback: str = Field("", max_length=5000)
    mentee_feedback: str = Field("", max_length=5000)


@router.post("/pairs/{pair_id}/close", response=PairOut, summary="Close a pair with its outcome and feedback")
def close(request: HttpRequest, pair_id: str, payload: CloseIn) -> Any:
    pair = _pair(request, pair_id)
    return _pair_out(services.close(request.user, pair, channel=API, **payload.dict()))


@router.get("/report", response=dict, summary="Active pairs, meetings held vs agreed, goals, load, retention")
def report(
    request: HttpRequest, start: date | None = None, end: date | None = None, organisation_id: int | None = None
) -> Any:
    programme = _programme(request, organisation_id)
    end = end or timezone.localdate()
    start = start or end.replace(year=end.year - 1)
    if end < start:
        raise HttpError(422, _("The end is before the start."))
    r = selectors.report(programme.pk, start, end)
    return {
        "start": r.start.isoformat(),
        "end": r.end.isoformat(),
        "active_pairs": r.active_pairs,
        "contracting": r.contracting,
        "waiting_mentees": r.waiting_mentees,
        "meetings_held": r.meetings_held,
        "meetings_agreed": r.meetings_agreed,
        "goals": r.goals,
        "goals_achieved": r.goals_achieved,
        "retention_percent": r.retention_percent,
        "pairs_ended": r.ended,
        "outcomes": r.outcomes,
        "mentors": [{"id": str(m.pk), "name": m.name, "pairs": load, "capacity": m.capacity} for m, load in r.mentors],
    }
