"""The counselling API at /api/v1/counselling/: the same services, permissions and audit as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from ownpath.core import access
from ownpath.core import selectors as core_selectors
from ownpath.core.api import if_match, required_if_match, set_etag, unchanged_since_read
from ownpath.core.choices import AuditAction, Channel, DataScope, SensitiveGroup
from ownpath.core.models import Organisation, Person, User
from ownpath.core.schema_types import PlausibleDate
from ownpath.core.services import audit
from ownpath.modules.counselling import selectors, services
from ownpath.modules.counselling.choices import (
    ContactChannel,
    ContractType,
    FollowUpStatus,
    OutcomeKind,
    RecognitionDocument,
    RecognitionRoute,
    RecognitionState,
    SessionKind,
    SessionMode,
    StepKind,
    StepStatus,
    WageBand,
)
from ownpath.modules.counselling.models import (
    CaseProfile,
    FollowUp,
    Goal,
    LegalRequest,
    Recognition,
    Referral,
    Step,
    Suggestion,
)

router = Router(tags=["counselling"])
API = Channel.API


def _person(request: HttpRequest, person_id: int, permission: str = "counselling.view_path") -> Person:
    person = core_selectors.get_person_for(request.user, person_id)
    if person is None:
        raise HttpError(404, _("No such person, or not one you may see."))
    if not request.user.has_perm(permission, person):
        raise PermissionDenied
    return person


def _organisation(request: HttpRequest, organisation_id: int | None) -> Organisation:
    """The organisation the caller acts for: the one named, else their first casework organisation."""
    organisation = core_selectors.acting_organisation(request.user, roles=access.CASEWORK_ROLES, chosen=organisation_id)
    if organisation is None:
        raise PermissionDenied(_("You do not work for this organisation."))
    return organisation


def _org_or_404(organisation_id: int | None, field: str) -> Organisation | None:
    if organisation_id is None:
        return None
    found = Organisation.objects.filter(pk=organisation_id).first()
    if found is None:
        raise ValidationError({field: _("No such organisation.")})
    return found


# --- Schemas -------------------------------------------------------------------------------------------


class IntakeIn(Schema):
    organisation_id: int | None = None
    contact_date: PlausibleDate | None = None
    came_via: ContactChannel
    referred_by: str = Field("", max_length=200)
    interpreter_used: bool = False
    interpreter_language: str = Field("", max_length=8)


class AssessmentIn(Schema):
    organisation_id: int | None = None
    assessed_on: PlausibleDate | None = None
    family_situation: str = Field("", max_length=4000)
    single_parent: bool = False
    childcare_needed: bool = False
    low_literacy: bool = False
    disability: bool = False
    health_notes: str = Field("", max_length=8000, description="Only counsellors and psychologists may send it")
    needs_psychological_support: bool = False
    needs_legal_advice: bool = False
    wants_self_employment: bool = False
    goals: str = Field("", max_length=4000)
    preferences: str = Field("", max_length=4000)


class SuggestionOut(Schema):
    id: int
    kind: str
    reason: str
    status: str


class AssessmentOut(Schema):
    id: int
    assessed_on: date
    barriers: list[str]
    suggestions: list[SuggestionOut]


class DecisionIn(Schema):
    accept: bool


class GoalIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    target_date: PlausibleDate | None = None


class GoalOut(Schema):
    id: int
    title: str
    target_date: date | None
    status: str
    version: int


class StepIn(Schema):
    kind: StepKind
    title: str = Field("", max_length=200)
    goal_id: int | None = None
    description: str = Field("", max_length=4000)
    responsible_organisation_id: int | None = Field(None, description="Defaults to the holder of the record")
    responsible_user_id: int | None = None
    planned_start: PlausibleDate | None = None
    planned_end: PlausibleDate | None = None


class StepPatch(Schema):
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=4000)
    responsible_user_id: int | None = None
    planned_start: PlausibleDate | None = None
    planned_end: PlausibleDate | None = None
    actual_start: PlausibleDate | None = None
    actual_end: PlausibleDate | None = None
    status: StepStatus | None = None
    result: str | None = Field(None, max_length=4000)
    checklist_done: list[str] | None = Field(None, description="Keys of the checklist items that are done")


class ChecklistItem(Schema):
    key: str
    done: bool


class StepOut(Schema):
    id: int
    kind: str
    title: str
    goal_id: int | None
    responsible_organisation_id: int
    responsible_user_id: int | None
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    status: str
    result: str
    checklist: list[ChecklistItem]
    version: int
    overdue: bool
    etag: str = Field(..., description="Send it in If-Match with a change; a stale change is refused with 412")

    @staticmethod
    def resolve_overdue(obj: Step) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_etag(obj: Step) -> str:
        return services.step_version(obj)


class ChangeOut(Schema):
    version: int
    changed_at: datetime
    changed_by: str | None
    changes: dict[str, Any]

    @staticmethod
    def resolve_changed_by(obj: Any) -> str | None:
        return obj.changed_by.email if obj.changed_by else None


class PathOut(Schema):
    goals: list[GoalOut]
    steps: list[StepOut]
    suggestions: list[SuggestionOut]


class SessionIn(Schema):
    organisation_id: int | None = None
    kind: SessionKind
    starts_at: datetime
    duration_minutes: int = Field(60, ge=1, le=1440)
    mode: SessionMode = SessionMode.IN_PERSON
    place: str = Field("", max_length=200)
    interpreter_used: bool = False
    interpreter_language: str = Field("", max_length=8)
    agreed_actions: str = Field("", max_length=4000)
    step_id: int | None = None
    note: str = Field("", max_length=20000)
    note_group: SensitiveGroup = SensitiveGroup.GENERAL


class NoteOut(Schema):
    id: int
    group: str
    body: str
    author: str | None = None
    created_at: datetime


class SessionOut(Schema):
    id: int
    organisation_id: int
    kind: str
    starts_at: datetime
    duration_minutes: int
    mode: str
    place: str
    interpreter_used: bool
    interpreter_language: str
    agreed_actions: str
    step_id: int | None
    notes: list[NoteOut] = []


class ReferralIn(Schema):
    to_organisation_id: int
    service: str = Field(..., max_length=200)
    scope: list[DataScope] = Field(default_factory=lambda: [DataScope.IDENTITY])
    message: str = Field("", max_length=4000)
    step_id: int | None = None
    answer_by: PlausibleDate | None = None


class ReferralOut(Schema):
    id: int
    person_id: int
    from_organisation_id: int
    to_organisation_id: int
    step_id: int | None
    service: str
    message: str
    scope: list[str]
    status: str
    answer_by: date
    reason: str
    feedback: str
    sent_at: datetime
    overdue: bool
    etag: str = Field(..., description="Send it in If-Match with an answer; a stale answer is refused with 412")

    @staticmethod
    def resolve_overdue(obj: Referral) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_etag(obj: Referral) -> str:
        return services.referral_version(obj)


class ReferralsOut(Schema):
    received: list[ReferralOut]
    sent: list[ReferralOut]


class TextIn(Schema):
    text: str = Field("", max_length=4000)


class RecognitionIn(Schema):
    qualification_id: int | None = None
    step_id: int | None = None
    diploma: str = Field(..., max_length=200)
    country: str = Field(..., min_length=2, max_length=2)
    route: RecognitionRoute
    institution: str = Field("", max_length=200)
    fee: Decimal | None = Field(None, max_digits=8, decimal_places=2)
    fee_currency: str = Field("PLN", min_length=3, max_length=3)
    documents: list[RecognitionDocument] = Field(default_factory=list)
    status: RecognitionState = RecognitionState.PREPARING
    submitted_on: PlausibleDate | None = None
    deadline: PlausibleDate | None = None
    decided_on: PlausibleDate | None = None
    decision: str = Field("", max_length=4000)


class RecognitionPatch(Schema):
    institution: str | None = Field(None, max_length=200)
    fee: Decimal | None = Field(None, max_digits=8, decimal_places=2)
    documents: list[RecognitionDocument] | None = None
    status: RecognitionState | None = None
    submitted_on: PlausibleDate | None = None
    deadline: PlausibleDate | None = None
    decided_on: PlausibleDate | None = None
    decision: str | None = Field(None, max_length=4000)


class RecognitionOut(Schema):
    id: int
    qualification_id: int | None
    step_id: int | None
    diploma: str
    country: str
    route: str
    institution: str
    fee: Decimal | None
    fee_currency: str
    documents: list[str]
    status: str
    submitted_on: date | None
    deadline: date | None
    decided_on: date | None
    decision: str
    etag: str = Field(..., description="Send it in If-Match with a change; a stale change is refused with 412")

    @staticmethod
    def resolve_country(obj: Recognition) -> str:
        return str(obj.country)

    @staticmethod
    def resolve_etag(obj: Recognition) -> str:
        return services.recognition_version(obj)


class LegalIn(Schema):
    organisation_id: int | None = None
    question: str = Field(..., max_length=8000)
    urgent: bool = False


class LegalOut(Schema):
    id: int
    person_id: int
    organisation_id: int
    urgent: bool
    status: str
    assigned_to: str | None
    created_at: datetime

    @staticmethod
    def resolve_assigned_to(obj: LegalRequest) -> str | None:
        return obj.assigned_to.email if obj.assigned_to else None


class LegalDetailOut(LegalOut):
    question: str
    answer: str


class LegalAnswerIn(Schema):
    answer: str = Field(..., max_length=8000)
    close: bool = False


class OutcomeIn(Schema):
    organisation_id: int | None = None
    kind: OutcomeKind
    employer: str = Field("", max_length=200)
    occupation: str = Field(..., max_length=200)
    contract_type: ContractType | None = None
    hours_per_week: int | None = Field(None, ge=0, le=168)
    wage_band: WageBand = WageBand.UNKNOWN
    start: PlausibleDate


class FollowUpOut(Schema):
    id: int
    months: int
    due: date
    status: str
    note: str


class OutcomeOut(Schema):
    id: int
    kind: str
    employer: str
    occupation: str
    contract_type: str
    hours_per_week: int | None
    wage_band: str
    start: date
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_follow_ups(obj: Any) -> list[Any]:
        return list(obj.follow_ups.all())


class FollowUpIn(Schema):
    status: FollowUpStatus
    note: str = Field("", max_length=4000)


class CaseRowOut(Schema):
    person_id: int
    name: str
    overdue_steps: int
    next_step: str | None
    next_step_due: date | None
    open_referrals: int
    due_follow_ups: int
    residence_expires: date | None
    recognition_deadline: date | None
    barriers: list[str]
    barriers_hidden: int


class CaseloadOut(Schema):
    total: int
    page: int
    pages: int
    overdue_steps: int
    sessions_today: int
    referrals_waiting: int
    expiring_documents: int
    due_follow_ups: int
    several_barriers: int
    rows: list[CaseRowOut]


# --- Caseload ------------------------------------------------------------------------------------------


@router.get("/caseload", response=CaseloadOut, summary="My clients and what needs doing")
def get_caseload(request: HttpRequest, page: int = 1, attention: bool = False, several_barriers: bool = False) -> Any:
    if not request.user.has_perm("counselling.view_caseload"):
        raise PermissionDenied
    load = selectors.caseload(request.user, page=page, attention_only=attention, several_barriers=several_barriers)
    audit.record_list(request.user, [row.person for row in load.rows], channel=API, purpose="caseload")
    return {
        "total": load.total,
        "page": load.page.number,
        "pages": load.page.paginator.num_pages,
        "overdue_steps": load.overdue_steps,
        "sessions_today": len(load.sessions_today),
        "referrals_waiting": load.referrals_waiting,
        "expiring_documents": load.expiring_documents,
        "due_follow_ups": load.due_follow_ups,
        "several_barriers": load.several_barriers,
        "rows": [
            {
                "person_id": row.person.pk,
                "name": row.person.display_name,
                "overdue_steps": row.overdue_steps,
                "next_step": row.next_step.label if row.next_step else None,
                "next_step_due": row.next_step.planned_end if row.next_step else None,
                "open_referrals": row.open_referrals,
                "due_follow_ups": row.due_follow_ups,
                "residence_expires": row.person.residence_expires,
                "recognition_deadline": row.recognition_deadline,
                "barriers": row.barriers.named,
                "barriers_hidden": row.barriers.hidden,
            }
            for row in load.rows
        ],
    }


# --- Intake, assessment, path --------------------------------------------------------------------------


@router.post("/people/{int:person_id}/intakes", response={201: dict}, summary="Record the first contact")
def create_intake(request: HttpRequest, person_id: int, payload: IntakeIn) -> Any:
    person = _person(request, person_id, "counselling.change_path")
    values = payload.model_dump(exclude={"organisation_id"}, exclude_none=True)
    intake = services.record_intake(
        request.user, person, _organisation(request, payload.organisation_id), values, channel=API
    )
    return Status(201, {"id": intake.pk})


@router.post("/people/{int:person_id}/assessments", response={201: AssessmentOut}, summary="Assess needs")
def create_assessment(request: HttpRequest, person_id: int, payload: AssessmentIn) -> Any:
    person = _person(request, person_id, "counselling.change_path")
    values = payload.model_dump(exclude={"organisation_id"}, exclude_none=True)
    assessment = services.record_assessment(
        request.user, person, _organisation(request, payload.organisation_id), values, channel=API
    )
    profile = CaseProfile.objects.get(person=person)  # refreshed by record_assessment
    return Status(
        201,
        {
            "id": assessment.pk,
            "assessed_on": assessment.assessed_on,
            "barriers": profile.barriers,
            "suggestions": list(assessment.suggestions.all()),
        },
    )


@router.post("/suggestions/{int:suggestion_id}/decision", response={200: StepOut | None}, summary="Accept or drop")
def decide_suggestion(request: HttpRequest, suggestion_id: int, payload: DecisionIn) -> Any:
    suggestion = get_object_or_404(Suggestion, pk=suggestion_id)
    person = _person(request, suggestion.person_id, "counselling.change_path")
    return services.decide_suggestion(
        request.user, suggestion, accept=payload.accept, organisation=person.organisation, channel=API
    )


@router.get("/people/{int:person_id}/path", response=PathOut, summary="Goals, steps and open suggestions")
def get_path(request: HttpRequest, person_id: int) -> Any:
    person = _person(request, person_id)
    path = selectors.path_of(person)
    audit.record_read(request.user, person, channel=API, fields=["path"])
    return {
        "goals": [goal for goal, _steps in path["goals"]],
        "steps": path["steps"],
        "suggestions": selectors.open_suggestions(person),
    }


@router.post("/people/{int:person_id}/goals", response={201: GoalOut}, summary="Add a goal")
def create_goal(request: HttpRequest, person_id: int, payload: GoalIn) -> Any:
    person = _person(request, person_id, "counselling.change_path")
    return Status(201, services.add_goal(request.user, person, payload.model_dump(), channel=API))


@router.post("/people/{int:person_id}/steps", response={201: StepOut}, summary="Add a path step")
def create_step(request: HttpRequest, person_id: int, payload: StepIn) -> Any:
    person = _person(request, person_id, "counselling.change_path")
    values: dict[str, Any] = payload.model_dump(
        exclude={"goal_id", "responsible_organisation_id", "responsible_user_id"}
    )
    values["responsible_organisation"] = (
        _org_or_404(payload.responsible_organisation_id, "responsible_organisation_id") or person.organisation
    )
    if payload.goal_id is not None:
        values["goal"] = Goal.objects.filter(pk=payload.goal_id, person=person).first()
        if values["goal"] is None:
            raise ValidationError({"goal_id": _("The goal belongs to another person.")})
    if payload.responsible_user_id is not None:
        values["responsible_user"] = get_object_or_404(User, pk=payload.responsible_user_id)
    return Status(201, services.add_step(request.user, person, values, channel=API))


@router.patch(
    "/steps/{int:step_id}",
    response=StepOut,
    summary="Change a step (a new version is kept; send the ETag in If-Match: a stale change is refused with 412)",
)
def patch_step(request: HttpRequest, step_id: int, payload: StepPatch, response: HttpResponse) -> Any:
    step = get_object_or_404(Step, pk=step_id)
    _person(request, step.person_id, "core.view_person")
    if not request.user.has_perm("counselling.update_step", step):
        raise PermissionDenied
    values = payload.model_dump(exclude_unset=True, exclude={"responsible_user_id", "checklist_done"})
    if "responsible_user_id" in payload.model_fields_set:
        uid = payload.responsible_user_id
        values["responsible_user"] = get_object_or_404(User, pk=uid) if uid is not None else None
    if payload.checklist_done is not None:
        known = {item["key"] for item in step.checklist}
        if set(payload.checklist_done) - known:
            raise ValidationError({"checklist_done": _("Unknown checklist item.")})
        values["checklist"] = [{"key": k, "done": k in payload.checklist_done} for k in sorted(known)]
    step = services.update_step(request.user, step, values, channel=API, expected_version=required_if_match(request))
    set_etag(response, services.step_version(step))
    return step


@router.get("/steps/{int:step_id}/history", response=list[ChangeOut], summary="Every version of a step")
def step_history(request: HttpRequest, step_id: int) -> Any:
    step = get_object_or_404(Step, pk=step_id)
    person = _person(request, step.person_id, "core.view_person")
    if not request.user.has_perm("counselling.update_step", step) and not request.user.has_perm(
        "counselling.view_path", person
    ):
        raise PermissionDenied
    audit.record_read(request.user, person, channel=API, fields=["path_step_history"])
    return list(step.changes.select_related("changed_by"))


# --- Sessions ------------------------------------------------------------------------------------------


@router.get("/people/{int:person_id}/sessions", response=list[SessionOut], summary="Sessions and readable notes")
def list_sessions(request: HttpRequest, person_id: int) -> Any:
    person = _person(request, person_id, "counselling.view_sessions")
    sessions = selectors.sessions_of(request.user, person)
    notes = [note for _s, ns in sessions for note in ns]
    audit.record(
        request.user,
        AuditAction.READ,
        channel=API,
        person=person,
        purpose="casework",
        fields=["sessions", *sorted({f"note:{n.group}" for n in notes})],
        detail={"note_ids": [n.pk for n in notes]},
    )
    out = []
    for session, session_notes in sessions:
        data = SessionOut.from_orm(session).model_dump()
        data["notes"] = [
            {
                "id": n.pk,
                "group": n.group,
                "body": n.body,
                "author": n.author.email if n.author else None,
                "created_at": n.created_at,
            }
            for n in session_notes
        ]
        out.append(data)
    return out


@router.post("/people/{int:person_id}/sessions", response={201: SessionOut}, summary="Record a session")
def create_session(request: HttpRequest, person_id: int, payload: SessionIn) -> Any:
    person = _person(request, person_id, "counselling.hold_session")
    values: dict[str, Any] = payload.model_dump(exclude={"organisation_id", "note", "note_group", "step_id"})
    if payload.step_id is not None:
        values["step"] = get_object_or_404(Step, pk=payload.step_id)
    if payload.note_group != SensitiveGroup.GENERAL and not access.can_read_group(
        request.user, person, payload.note_group
    ):
        raise PermissionDenied(_("Your role cannot write notes of this sensitivity."))
    session = services.record_session(
        request.user,
        person,
        _organisation(request, payload.organisation_id),
        values,
        note_group=payload.note_group,
        note=payload.note,
        channel=API,
    )
    return Status(201, session)


# --- Referrals -----------------------------------------------------------------------------------------


@router.get("/referrals", response=ReferralsOut, summary="Referrals received and sent by my organisations")
def list_referrals(request: HttpRequest) -> Any:
    if not request.user.has_perm("counselling.view_caseload"):
        raise PermissionDenied
    received, sent = selectors.referrals_for(request.user)
    received_list, sent_list = list(received[:200]), list(sent[:200])
    audit.record_list(request.user, [r.person for r in received_list + sent_list], channel=API, purpose="referrals")
    return {"received": received_list, "sent": sent_list}


@router.post("/people/{int:person_id}/referrals", response={201: ReferralOut}, summary="Refer, with consent")
def create_referral(request: HttpRequest, person_id: int, payload: ReferralIn) -> Any:
    person = _person(request, person_id, "counselling.send_referral")
    to = _org_or_404(payload.to_organisation_id, "to_organisation_id")
    step = Step.objects.filter(pk=payload.step_id).first() if payload.step_id else None
    referral = services.send_referral(
        request.user,
        person,
        to,  # type: ignore[arg-type]
        service=payload.service,
        scope=[str(s) for s in payload.scope],
        message=payload.message,
        step=step,
        answer_by=payload.answer_by,
        channel=API,
    )
    return Status(201, referral)


def _referral(request: HttpRequest, referral_id: int) -> Referral:
    referral = get_object_or_404(Referral.objects.select_related("person"), pk=referral_id)
    if not (
        request.user.has_perm("counselling.answer_referral", referral)
        or request.user.has_perm("counselling.cancel_referral", referral)
    ):
        raise HttpError(404, _("Not found."))
    return referral


@router.post("/referrals/{int:referral_id}/accept", response=ReferralOut, summary="Accept (receiver)")
def accept_referral(request: HttpRequest, referral_id: int) -> Any:
    referral = _referral(request, referral_id)
    return services.answer_referral(
        request.user, referral, accept=True, channel=API, expected_version=if_match(request)
    )


@router.post("/referrals/{int:referral_id}/reject", response=ReferralOut, summary="Reject with a reason (receiver)")
def reject_referral(request: HttpRequest, referral_id: int, payload: TextIn) -> Any:
    referral = _referral(request, referral_id)
    return services.answer_referral(
        request.user, referral, accept=False, reason=payload.text, channel=API, expected_version=if_match(request)
    )


@router.post("/referrals/{int:referral_id}/complete", response=ReferralOut, summary="Complete with feedback")
def complete_referral(request: HttpRequest, referral_id: int, payload: TextIn) -> Any:
    referral = _referral(request, referral_id)
    return services.complete_referral(
        request.user, referral, feedback=payload.text, channel=API, expected_version=if_match(request)
    )


@router.post("/referrals/{int:referral_id}/cancel", response=ReferralOut, summary="Cancel (sender)")
def cancel_referral(request: HttpRequest, referral_id: int, payload: TextIn) -> Any:
    referral = _referral(request, referral_id)
    return services.cancel_referral(
        request.user, referral, reason=payload.text, channel=API, expected_version=if_match(request)
    )


# --- Recognition, legal help ---------------------------------------------------------------------------


@router.get("/people/{int:person_id}/recognitions", response=list[RecognitionOut], summary="Recognitions")
def list_recognitions(request: HttpRequest, person_id: int) -> Any:
    person = _person(request, person_id)
    audit.record_read(request.user, person, channel=API, fields=["recognition"])
    return list(Recognition.objects.filter(person=person))


@router.post("/people/{int:person_id}/recognitions", response={201: RecognitionOut}, summary="Start a recognition")
def create_recognition(request: HttpRequest, person_id: int, payload: RecognitionIn) -> Any:
    person = _person(request, person_id, "counselling.change_path")
    values: dict[str, Any] = payload.model_dump(exclude={"qualification_id", "step_id"})
    values["country"] = payload.country.upper()
    values["documents"] = [str(d) for d in payload.documents]
    if payload.qualification_id is not None:
        values["qualification"] = get_object_or_404(person.qualifications.all(), pk=payload.qualification_id)
    step = get_object_or_404(Step, pk=payload.step_id, person=person) if payload.step_id else None
    return Status(201, services.add_recognition(request.user, person, values, step=step, channel=API))


@router.patch(
    "/recognitions/{int:recognition_id}",
    response=RecognitionOut,
    summary="Change a recognition (If-Match: the etag of your read; 412 when stale, 428 without it)",
)
def patch_recognition(
    request: HttpRequest, recognition_id: int, payload: RecognitionPatch, response: HttpResponse
) -> Any:
    recognition = get_object_or_404(Recognition, pk=recognition_id)
    _person(request, recognition.person_id, "counselling.change_path")
    values = payload.model_dump(exclude_unset=True)
    if "documents" in values:
        values["documents"] = [str(d) for d in values["documents"] or []]
    with unchanged_since_read(request, recognition, services.RECOGNITION_FIELDS, values) as stored:
        saved = services.update_recognition(request.user, stored, values, channel=API)
    set_etag(response, services.recognition_version(Recognition.objects.get(pk=saved.pk)))  # as stored
    return saved


@router.post("/people/{int:person_id}/legal-requests", response={201: LegalOut}, summary="Ask a legal adviser")
def create_legal_request(request: HttpRequest, person_id: int, payload: LegalIn) -> Any:
    person = _person(request, person_id, "counselling.ask_legal")
    organisation = _organisation(request, payload.organisation_id)
    legal = services.request_legal_advice(
        request.user, person, organisation, payload.question, urgent=payload.urgent, channel=API
    )
    return Status(201, legal)


@router.get("/legal-requests/{int:request_id}", response=LegalDetailOut, summary="A legal request (audited)")
def get_legal_request(request: HttpRequest, request_id: int) -> Any:
    legal = get_object_or_404(LegalRequest.objects.select_related("assigned_to"), pk=request_id)
    person = _person(request, legal.person_id, "core.view_person")
    if not request.user.has_perm("counselling.read_legal_request", legal):
        audit.record(request.user, AuditAction.DENIED, channel=API, person=person, obj=legal, fields=["legal_request"])
        raise PermissionDenied
    audit.record_read(request.user, person, channel=API, fields=["legal_request:question", "legal_request:answer"])
    return legal


@router.post("/legal-requests/{int:request_id}/answer", response=LegalDetailOut, summary="Answer (legal adviser)")
def answer_legal_request(request: HttpRequest, request_id: int, payload: LegalAnswerIn) -> Any:
    legal = get_object_or_404(LegalRequest, pk=request_id)
    _person(request, legal.person_id, "core.view_person")
    return services.answer_legal_request(request.user, legal, payload.answer, close=payload.close, channel=API)


# --- Outcomes ------------------------------------------------------------------------------------------


@router.get("/people/{int:person_id}/outcomes", response=list[OutcomeOut], summary="Outcomes and follow-ups")
def list_outcomes(request: HttpRequest, person_id: int) -> Any:
    person = _person(request, person_id)
    audit.record_read(request.user, person, channel=API, fields=["outcomes"])
    return selectors.outcomes_of(person)


@router.post("/people/{int:person_id}/outcomes", response={201: OutcomeOut}, summary="Record an outcome")
def create_outcome(request: HttpRequest, person_id: int, payload: OutcomeIn) -> Any:
    person = _person(request, person_id, "counselling.change_path")
    values = payload.model_dump(exclude={"organisation_id"})
    values["contract_type"] = values["contract_type"] or ""
    organisation = _organisation(request, payload.organisation_id)
    return Status(201, services.record_outcome(request.user, person, organisation, values, channel=API))


@router.post("/follow-ups/{int:follow_up_id}", response=FollowUpOut, summary="Record a follow-up")
def record_follow_up(request: HttpRequest, follow_up_id: int, payload: FollowUpIn) -> Any:
    follow_up = get_object_or_404(FollowUp.objects.select_related("outcome"), pk=follow_up_id)
    _person(request, follow_up.outcome.person_id, "counselling.change_path")
    return services.record_follow_up(request.user, follow_up, payload.status, payload.note, channel=API)
