"""The training API at /api/v1/training/: curricula, courses, sessions, enrolment, attendance, results,
completion, certificates and their public verification. Same permissions and audit as the pages (the
services check and record); a refused write answers 400 or 403 with the reason and saves nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from ownpath.core.api import get_or_404
from ownpath.core.choices import AuditAction, Channel
from ownpath.core.models import Organisation, User
from ownpath.core.rules import may
from ownpath.core.schema_types import PlausibleDate
from ownpath.core.services import audit
from ownpath.modules.training import badges, selectors, services
from ownpath.modules.training.models import Assessment, Course, CourseSession, Curriculum, CurriculumModule, Enrolment

router = Router(tags=["training"])
API = Channel.API


def _browse(request: HttpRequest) -> None:
    if not request.user.has_perm("training.browse"):
        raise HttpError(403, _("Only staff accounts can see training."))


def _course(request: HttpRequest, course_id: str, *, run: bool = False) -> Course:
    _browse(request)
    course: Course = get_or_404(Course, course_id, _("No such course."))
    if run and not request.user.has_perm("training.run_course", course):
        raise HttpError(403, _("Only trainers and administrators of the course's provider may do this."))
    return course


def _enrolment(request: HttpRequest, enrolment_id: str) -> Enrolment:
    enrolment: Enrolment = get_or_404(Enrolment, enrolment_id, _("No such enrolment, or not one you may see."))
    runs = request.user.has_perm("training.run_course", enrolment.course)
    if not (
        runs
        or enrolment.user_id == request.user.pk
        or may(request.user, "training.enrol_for", enrolment.organisation_id)
    ):
        raise HttpError(404, _("No such enrolment, or not one you may see."))
    return enrolment


class CurriculumOut(Schema):
    id: str
    key: str
    version: int
    status: str
    purpose: str
    title: str
    language: str
    missing_translations: int


class LessonOut(Schema):
    id: str
    order: int
    minutes: int
    texts: dict[str, str]
    materials: list[dict[str, str]]


class ModuleOut(Schema):
    id: str
    order: int
    texts: dict[str, str]
    lessons: list[LessonOut]


class TrainingAssessmentOut(Schema):
    id: str
    kind: str
    max_score: int
    pass_score: int
    texts: dict[str, str]


class CurriculumDetailOut(CurriculumOut):
    texts: dict[str, str]
    translation_status: dict[str, str]
    modules: list[ModuleOut]
    assessments: list[TrainingAssessmentOut]
    minutes: int


@router.get("/curricula", response=list[CurriculumOut], summary="Curricula, every version")
def curricula(request: HttpRequest, language: str = "") -> Any:
    _browse(request)
    language = language or get_language() or "en"
    return [
        {
            "id": str(c.pk),
            "key": c.key,
            "version": c.version,
            "status": c.status,
            "purpose": c.purpose,
            "title": title,
            "language": language,
            "missing_translations": missing,
        }
        for c, title, missing in selectors.curricula(language)
    ]


@router.get("/curricula/{curriculum_id}", response=CurriculumDetailOut, summary="A curriculum in a language")
def curriculum(request: HttpRequest, curriculum_id: str, language: str = "") -> Any:
    _browse(request)
    found: Curriculum = get_or_404(Curriculum, curriculum_id, _("No such curriculum."))
    language = language or get_language() or "en"
    view = selectors.curriculum_view(found, language)

    def texts(values: dict[str, selectors.Text]) -> dict[str, str]:
        return {k: t.text for k, t in values.items()}

    return {
        "id": str(found.pk),
        "key": found.key,
        "version": found.version,
        "status": found.status,
        "purpose": found.purpose,
        "title": view.texts.get("title", selectors.Text("", "", "", found.key, "")).text,
        "language": language,
        "missing_translations": selectors.missing_texts(found, language),
        "texts": texts(view.texts),
        "translation_status": {k: t.status for k, t in view.texts.items()},
        "minutes": view.minutes,
        "modules": [
            {
                "id": str(m.module.pk),
                "order": m.module.order,
                "texts": texts(m.texts),
                "lessons": [
                    {
                        "id": str(lv.lesson.pk),
                        "order": lv.lesson.order,
                        "minutes": lv.lesson.minutes,
                        "texts": texts(lv.texts),
                        "materials": [
                            {"title": x.title, "url": x.url or (x.file.url if x.file else "")} for x in lv.materials
                        ],
                    }
                    for lv in m.lessons
                ],
            }
            for m in view.modules
        ],
        "assessments": [
            {"id": str(a.pk), "kind": a.kind, "max_score": a.max_score, "pass_score": a.pass_score, "texts": texts(t)}
            for a, t in view.assessments
        ],
    }


class TranslationIn(Schema):
    entity: str = Field(..., pattern="^(curriculum|module|lesson|assessment)$")
    entity_id: str
    field: str = Field(..., max_length=40)
    language: str = Field(..., max_length=12)
    text: str = Field(..., max_length=20000)


@router.post("/curricula/{curriculum_id}/translations", response={201: dict}, summary="Translate one text")
def translate(request: HttpRequest, curriculum_id: str, payload: TranslationIn) -> Any:
    found: Curriculum = get_or_404(Curriculum, curriculum_id, _("No such curriculum."))
    if not selectors.holds_text(found, payload.entity, payload.entity_id, payload.field):
        raise HttpError(404, _("No such text in this curriculum."))
    row = services.translate(
        request.user, found, payload.entity, payload.entity_id, payload.field, payload.language, payload.text
    )
    return Status(201, {"language": row.language, "status": row.status})


@router.post("/curricula/{curriculum_id}/versions", response={201: CurriculumOut}, summary="Make a new version")
def new_version(request: HttpRequest, curriculum_id: str) -> Any:
    found: Curriculum = get_or_404(Curriculum, curriculum_id, _("No such curriculum."))
    copy = services.new_version(request.user, found)
    return Status(
        201,
        {
            "id": str(copy.pk),
            "key": copy.key,
            "version": copy.version,
            "status": copy.status,
            "purpose": copy.purpose,
            "title": services.texts_of("curriculum", copy.pk, copy.source_language).get("title", ""),
            "language": copy.source_language,
            "missing_translations": 0,
        },
    )


class CourseIn(Schema):
    curriculum_id: str
    organisation_id: int
    title: str = Field(..., max_length=200)
    starts_on: PlausibleDate
    ends_on: PlausibleDate
    capacity: int = 16
    language: str = "pl"
    place: str = Field("", max_length=200)
    min_attendance: int = 80
    require_assessments: bool = True


class CourseOut(Schema):
    id: str
    curriculum_id: str
    organisation_id: int
    title: str
    language: str
    starts_on: date
    ends_on: date
    capacity: int
    place: str
    status: str
    min_attendance: int
    require_assessments: bool


def _course_out(c: Course) -> dict[str, Any]:
    return {
        "id": str(c.pk),
        "curriculum_id": str(c.curriculum_id),
        "organisation_id": c.organisation_id,
        "title": c.title,
        "language": c.language,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "capacity": c.capacity,
        "place": c.place,
        "status": c.status,
        "min_attendance": c.min_attendance,
        "require_assessments": c.require_assessments,
    }


@router.get("/courses", response=list[CourseOut], summary="Courses (upcoming unless all=true)")
def courses(request: HttpRequest, all: bool = False) -> Any:
    _browse(request)
    return [_course_out(c) for c in selectors.courses(upcoming_only=not all)]


@router.post("/courses", response={201: CourseOut}, summary="Plan a course")
def plan_course(request: HttpRequest, payload: CourseIn) -> Any:
    _browse(request)
    organisation = get_or_404(Organisation, payload.organisation_id, _("No such organisation."))
    curriculum_found = get_or_404(Curriculum, payload.curriculum_id, _("No such curriculum."))
    course = services.plan_course(
        request.user,
        organisation,
        curriculum_found,
        title=payload.title,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        capacity=payload.capacity,
        language=payload.language,
        place=payload.place,
        min_attendance=payload.min_attendance,
        require_assessments=payload.require_assessments,
    )
    return Status(201, _course_out(course))


class TrainingSessionIn(Schema):
    starts_at: datetime
    ends_at: datetime
    place: str = Field("", max_length=200)
    online_url: str = Field("", max_length=200)
    trainer_id: int | None = None
    module_id: str | None = None


class TrainingSessionOut(Schema):
    id: str
    starts_at: datetime
    ends_at: datetime
    place: str
    online_url: str
    trainer_id: int | None
    module_id: str | None


def _session_out(s: CourseSession) -> dict[str, Any]:
    return {
        "id": str(s.pk),
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "place": s.place,
        "online_url": s.online_url,
        "trainer_id": s.trainer_id,
        "module_id": str(s.module_id) if s.module_id else None,
    }


class EnrolmentOut(Schema):
    id: str
    name: str
    email: str
    organisation_id: int | None
    status: str
    waiting_position: int | None
    certificate_code: str | None


def _enrolment_out(e: Enrolment) -> dict[str, Any]:
    certificate = getattr(e, "certificate", None)
    return {
        "id": str(e.pk),
        "name": e.name,
        "email": e.email,
        "organisation_id": e.organisation_id,
        "status": e.status,
        "waiting_position": services.waiting_position(e),
        "certificate_code": certificate.code if certificate else None,
    }


class CourseDetailOut(CourseOut):
    sessions: list[TrainingSessionOut]
    enrolments: list[EnrolmentOut]


@router.get("/courses/{course_id}", response=CourseDetailOut, summary="A course with sessions and trainees")
def course(request: HttpRequest, course_id: str) -> Any:
    found = _course(request, course_id)
    runs = request.user.has_perm("training.run_course", found)
    enrolments = [
        e
        for e in selectors.enrolments_of(found)
        if runs or e.user_id == request.user.pk or may(request.user, "training.enrol_for", e.organisation_id)
    ]
    if enrolments:
        audit.record(
            request.user,
            AuditAction.READ,
            channel=API,
            obj=found,
            organisation_id=found.organisation_id,
            fields=["enrolments"],
        )
    return {
        **_course_out(found),
        "sessions": [_session_out(s) for s in found.sessions.order_by("starts_at")],
        "enrolments": [_enrolment_out(e) for e in enrolments],
    }


@router.post("/courses/{course_id}/sessions", response={201: TrainingSessionOut}, summary="Add a session")
def add_session(request: HttpRequest, course_id: str, payload: TrainingSessionIn) -> Any:
    found = _course(request, course_id, run=True)
    trainer = get_or_404(User, payload.trainer_id, _("No such trainer.")) if payload.trainer_id else None
    module = get_or_404(CurriculumModule, payload.module_id, _("No such module.")) if payload.module_id else None
    session = services.add_session(
        request.user,
        found,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        place=payload.place,
        online_url=payload.online_url,
        trainer=trainer,
        module=module,
    )
    return Status(201, _session_out(session))


class EnrolIn(Schema):
    name: str = Field(..., max_length=200)
    email: str = Field(..., max_length=254)
    organisation_id: int | None = None
    position: str = Field("", max_length=120)
    language: str = Field("", max_length=12)


@router.post("/courses/{course_id}/enrolments", response={201: EnrolmentOut}, summary="Enrol (or wait-list) a trainee")
def enrol(request: HttpRequest, course_id: str, payload: EnrolIn) -> Any:
    found = _course(request, course_id)
    organisation = (
        get_or_404(Organisation, payload.organisation_id, _("No such organisation."))
        if payload.organisation_id
        else None
    )
    enrolment = services.enrol(
        request.user,
        found,
        name=payload.name,
        email=payload.email,
        organisation=organisation,
        position=payload.position,
        language=payload.language,
        user=User.objects.filter(email__iexact=payload.email.strip()).first(),
        channel=API,
    )
    return Status(201, _enrolment_out(enrolment))


@router.post(
    "/enrolments/{enrolment_id}/withdraw", response=EnrolmentOut, summary="Withdraw; the waiting list moves up"
)
def withdraw(request: HttpRequest, enrolment_id: str) -> Any:
    enrolment = _enrolment(request, enrolment_id)
    services.withdraw(request.user, enrolment, channel=API)
    enrolment.refresh_from_db()
    return _enrolment_out(enrolment)


class TrainingAttendanceIn(Schema):
    marks: dict[str, str] = Field(..., description="enrolment id → attendance status code")


@router.post("/sessions/{session_id}/attendance", response=dict, summary="Record a session's attendance")
def attendance(request: HttpRequest, session_id: str, payload: TrainingAttendanceIn) -> Any:
    session: CourseSession = get_or_404(CourseSession, session_id, _("No such session."))
    count = services.record_attendance(request.user, session, payload.marks, channel=API)
    return {"recorded": count}


class ResultIn(Schema):
    assessment_id: str
    score: int


class ProgressOut(Schema):
    status: str
    sessions: int
    attended: int
    excused: int
    attendance_percent: int
    results: dict[str, dict[str, Any] | None]
    missing: list[str]
    complete: bool


def _progress_out(enrolment: Enrolment) -> dict[str, Any]:
    state = services.progress(enrolment)
    return {
        "status": enrolment.status,
        "sessions": state.sessions,
        "attended": state.attended,
        "excused": state.excused,
        "attendance_percent": state.attendance_percent,
        "results": {str(k): ({"score": r.score, "passed": r.passed} if r else None) for k, r in state.results.items()},
        "missing": state.missing,
        "complete": state.complete,
    }


@router.get("/enrolments/{enrolment_id}", response=ProgressOut, summary="Where a trainee stands")
def enrolment(request: HttpRequest, enrolment_id: str) -> Any:
    found = _enrolment(request, enrolment_id)
    audit.record(
        request.user,
        AuditAction.READ,
        channel=API,
        obj=found,
        organisation_id=found.course.organisation_id,
        person=found.person,
    )
    return _progress_out(found)


@router.post("/enrolments/{enrolment_id}/results", response=ProgressOut, summary="Record an assessment result")
def result(request: HttpRequest, enrolment_id: str, payload: ResultIn) -> Any:
    found = _enrolment(request, enrolment_id)
    assessment = get_or_404(Assessment, payload.assessment_id, _("No such assessment."))
    services.record_result(request.user, found, assessment, payload.score, channel=API)
    return _progress_out(found)


@router.post("/enrolments/{enrolment_id}/complete", response=ProgressOut, summary="Record completion (rules checked)")
def complete(request: HttpRequest, enrolment_id: str) -> Any:
    found = _enrolment(request, enrolment_id)
    found = services.complete(request.user, found, channel=API)
    return _progress_out(found)


class CertificateOut(Schema):
    code: str
    holder: str
    curriculum: str
    course: str
    issuer: str
    hours: float
    starts_on: date
    ends_on: date
    issued_at: datetime
    valid: bool
    revoked_reason: str


def _certificate_out(c: Any) -> dict[str, Any]:
    return {
        "code": c.code,
        "holder": c.holder,
        "curriculum": c.curriculum_title,
        "course": c.course_title,
        "issuer": c.issuer,
        "hours": float(c.hours),
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "issued_at": c.issued_at,
        "valid": c.revoked_at is None,
        "revoked_reason": c.revoked_reason,
    }


class CertificateIn(Schema):
    language: str = ""


@router.post("/enrolments/{enrolment_id}/certificate", response={201: CertificateOut}, summary="Issue the certificate")
def issue(request: HttpRequest, enrolment_id: str, payload: CertificateIn) -> Any:
    found = _enrolment(request, enrolment_id)
    certificate = services.issue_certificate(request.user, found, language=payload.language, channel=API)
    return Status(201, _certificate_out(certificate))


@router.get("/enrolments/{enrolment_id}/badge", response=dict, summary="The Open Badges 2.0 assertion")
def badge(request: HttpRequest, enrolment_id: str) -> Any:
    found = _enrolment(request, enrolment_id)
    certificate = getattr(found, "certificate", None)
    if certificate is None:
        raise HttpError(404, _("No certificate has been issued for this enrolment."))
    return badges.assertion(certificate, request.build_absolute_uri("/"))


@router.get("/certificates/{code}", response=CertificateOut, auth=None, summary="Verify a certificate (public)")
def verify(request: HttpRequest, code: str) -> Any:
    certificate = services.find_certificate(code)
    if certificate is None:
        raise HttpError(404, _("No certificate has this code."))
    return _certificate_out(certificate)
