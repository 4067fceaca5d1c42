"""Writes of the training module: curricula and their versions, courses, sessions, enrolment with a
waiting list, attendance, results, completion (which publishes ``training.completed``) and certificates."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ownpath.core import events, uploads
from ownpath.core.choices import AuditAction, Channel
from ownpath.core.languages import INTERFACE_LANGUAGES, RTL_LANGUAGES
from ownpath.core.models import Organisation, Translation
from ownpath.core.rules import require
from ownpath.core.services import audit, translations
from ownpath.modules.training.choices import (
    ACTIVE_ENROLMENT,
    BUILTIN_ATTENDANCE,
    CourseStatus,
    CurriculumStatus,
    EnrolmentStatus,
)
from ownpath.modules.training.events import COMPLETED
from ownpath.modules.training.models import (
    TEXTS_MODULE,
    Assessment,
    AssessmentResult,
    Attendance,
    AttendanceStatus,
    Certificate,
    Course,
    CourseSession,
    Curriculum,
    CurriculumModule,
    Enrolment,
    Lesson,
    Material,
)
from ownpath.modules.training.rules import provides_at

CURRICULUM_FIELDS = ("title", "summary", "audience")
MODULE_FIELDS = ("title", "description")
LESSON_FIELDS = ("title", "objectives", "methods", "steps")
ASSESSMENT_FIELDS = ("title", "instructions")
LANGUAGES = INTERFACE_LANGUAGES
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


PROVIDERS_ONLY = gettext_lazy("Only trainers and administrators of the course's provider may do this.")


def _audit(actor: Any, action: str, obj: Any, organisation_id: int | None, **extra: Any) -> None:
    audit.record(
        actor,
        action,
        channel=extra.pop("channel", Channel.UI),
        person=extra.pop("person", None),
        obj=obj,
        organisation_id=organisation_id,
        **extra,
    )


# --- Curricula ---------------------------------------------------------------------------------------------


def texts_of(entity: str, entity_id: Any, language: str) -> dict[str, str]:
    return {k: v for k, (v, _s) in translations.texts(TEXTS_MODULE, entity, entity_id, language).items()}


def _set_texts(entity: str, entity_id: Any, values: Mapping[str, Any], language: str, actor: Any) -> None:
    translations.set_original(TEXTS_MODULE, entity, entity_id, values, language, languages=LANGUAGES, actor=actor)


@transaction.atomic
def create_curriculum(
    actor: Any,
    *,
    key: str,
    purpose: str,
    texts: Mapping[str, str],
    language: str = "en",
    organisation: Organisation | None = None,
    modules: Iterable[Mapping[str, Any]] = (),
    assessments: Iterable[Mapping[str, Any]] = (),
    status: str = CurriculumStatus.DRAFT,
) -> Curriculum:
    """A new curriculum (version 1) with its modules, lessons (with materials) and assessments, written in
    ``language``. ``modules`` holds dicts with title, description and lessons; lessons hold title,
    objectives, methods, steps, minutes and materials as (title, url) pairs."""
    if actor is not None and organisation is not None:
        require(actor, "training.provide_at", organisation.pk, PROVIDERS_ONLY)
    if not (texts.get("title") or "").strip():
        raise ValidationError({"title": _("A curriculum needs a title.")})
    if not translations.known_language(language):
        raise ValidationError({"language": _("Unknown language code: %(code)s.") % {"code": language}})
    if Curriculum.objects.filter(key=key).exists():
        raise ValidationError({"key": _("A curriculum with this key exists; make a new version of it instead.")})
    curriculum = Curriculum.objects.create(
        key=key, purpose=purpose, organisation=organisation, source_language=language, status=status
    )
    _set_texts("curriculum", curriculum.pk, {f: texts.get(f, "") for f in CURRICULUM_FIELDS}, language, actor)
    for m_order, values in enumerate(modules, start=1):
        module = CurriculumModule.objects.create(curriculum=curriculum, order=m_order)
        _set_texts("module", module.pk, {f: values.get(f, "") for f in MODULE_FIELDS}, language, actor)
        for l_order, lesson_values in enumerate(values.get("lessons", ()), start=1):
            lesson = Lesson.objects.create(module=module, order=l_order, minutes=int(lesson_values.get("minutes", 90)))
            _set_texts("lesson", lesson.pk, {f: lesson_values.get(f, "") for f in LESSON_FIELDS}, language, actor)
            for title, url in lesson_values.get("materials", ()):
                Material.objects.create(lesson=lesson, title=title, url=url, language=language)
    for a_order, values in enumerate(assessments, start=1):
        add_assessment(curriculum, values, language=language, actor=actor, order=a_order)
    return curriculum


def unique_key(title: str) -> str:
    from django.utils.text import slugify

    base = slugify(title)[:60] or "curriculum"
    key, n = base, 1
    while Curriculum.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def add_assessment(
    curriculum: Curriculum, values: Mapping[str, Any], *, language: str, actor: Any, order: int | None = None
) -> Assessment:
    if actor is not None:
        _require_draft(actor, curriculum)
    if not (values.get("title") or "").strip():
        raise ValidationError({"title": _("An assessment needs a title.")})
    max_score, pass_score = int(values.get("max_score", 100)), int(values.get("pass_score", 60))
    if not 0 < pass_score <= max_score:
        raise ValidationError(_("The pass mark must be above zero and at most the maximum score."))
    assessment = Assessment.objects.create(
        curriculum=curriculum,
        kind=values.get("kind", "quiz"),
        max_score=max_score,
        pass_score=pass_score,
        order=order or curriculum.assessments.count() + 1,
    )
    _set_texts("assessment", assessment.pk, {f: values.get(f, "") for f in ASSESSMENT_FIELDS}, language, actor)
    return assessment


def _require_draft(actor: Any, curriculum: Curriculum) -> None:
    if not actor.has_perm("training.edit_curriculum", curriculum):
        raise PermissionDenied(_("You may not edit this curriculum."))
    if curriculum.status != CurriculumStatus.DRAFT:
        raise ValidationError(_("A published curriculum is not edited; make a new version and edit that."))


@transaction.atomic
def add_module(actor: Any, curriculum: Curriculum, *, title: str, description: str = "") -> CurriculumModule:
    _require_draft(actor, curriculum)
    if not title.strip():
        raise ValidationError({"title": _("A module needs a title.")})
    module = CurriculumModule.objects.create(curriculum=curriculum, order=curriculum.modules.count() + 1)
    _set_texts(
        "module",
        module.pk,
        {"title": title.strip(), "description": description.strip()},
        curriculum.source_language,
        actor,
    )
    return module


@transaction.atomic
def add_lesson(
    actor: Any,
    module: CurriculumModule,
    *,
    title: str,
    minutes: int,
    objectives: str,
    methods: str = "",
    steps: str = "",
) -> Lesson:
    """A lesson scenario: what participants will be able to do, how, and step by step."""
    curriculum = module.curriculum
    _require_draft(actor, curriculum)
    errors = {}
    if not title.strip():
        errors["title"] = _("A lesson needs a title.")
    if not objectives.strip():
        errors["objectives"] = _("Write the lesson's objectives.")
    if not 5 <= minutes <= 600:
        errors["minutes"] = _("A lesson lasts from 5 to 600 minutes.")
    if errors:
        raise ValidationError(errors)
    lesson = Lesson.objects.create(module=module, order=module.lessons.count() + 1, minutes=minutes)
    _set_texts(
        "lesson",
        lesson.pk,
        {"title": title.strip(), "objectives": objectives.strip(), "methods": methods.strip(), "steps": steps.strip()},
        curriculum.source_language,
        actor,
    )
    return lesson


MATERIAL_TYPES = (uploads.PDF, uploads.DOCX, uploads.ODT, uploads.PNG, uploads.JPEG)


@transaction.atomic
def add_material(
    actor: Any, lesson: Lesson, *, title: str, url: str = "", file: Any = None, language: str = ""
) -> Material:
    """A material of a lesson: a link, or a file (PDF, Word, OpenDocument or an image, checked by content)."""
    curriculum = lesson.module.curriculum
    _require_draft(actor, curriculum)
    if not title.strip():
        raise ValidationError({"title": _("Give the material a title.")})
    if bool(url) == bool(file):
        raise ValidationError(_("Give either a link or a file."))
    if file is not None:
        uploads.validate_upload(file, MATERIAL_TYPES)
    return Material.objects.create(
        lesson=lesson,
        kind="file" if file is not None else "link",
        title=title.strip(),
        url=url,
        file=file or "",
        language=language or curriculum.source_language,
    )


def update_texts(actor: Any, curriculum: Curriculum, entity: str, entity_id: Any, values: Mapping[str, str]) -> None:
    """Edit the original texts of the curriculum or one of its parts (a published version is frozen:
    make a new version)."""
    if not actor.has_perm("training.edit_curriculum", curriculum):
        raise PermissionDenied(_("You may not edit this curriculum."))
    if curriculum.status != CurriculumStatus.DRAFT:
        raise ValidationError(_("A published curriculum is not edited; make a new version and edit that."))
    with transaction.atomic():
        _set_texts(entity, entity_id, values, curriculum.source_language, actor)
        curriculum.save(update_fields=["updated_at"])


def translate(
    actor: Any, curriculum: Curriculum, entity: str, entity_id: Any, field_name: str, language: str, text: str
) -> Translation:
    """A human translation of one text; allowed on published versions too (it does not change content)."""
    if not actor.has_perm("training.edit_curriculum", curriculum):
        raise PermissionDenied(_("You may not edit this curriculum."))
    return translations.set_translation(
        actor, TEXTS_MODULE, entity, entity_id, field_name, language, text, status="human"
    )


def publish(actor: Any, curriculum: Curriculum) -> Curriculum:
    if not actor.has_perm("training.edit_curriculum", curriculum):
        raise PermissionDenied(_("You may not edit this curriculum."))
    if not curriculum.modules.exists():
        raise ValidationError(_("A curriculum needs at least one module before it is published."))
    with transaction.atomic():
        curriculum.status = CurriculumStatus.PUBLISHED
        curriculum.save(update_fields=["status", "updated_at"])
    return curriculum


@transaction.atomic
def new_version(actor: Any, curriculum: Curriculum) -> Curriculum:
    """A draft copy (version + 1) of everything in the curriculum, texts and their translations included.
    Courses planned on the old version keep it."""
    if not actor.has_perm("training.edit_curriculum", curriculum):
        raise PermissionDenied(_("You may not edit this curriculum."))
    latest = Curriculum.objects.filter(key=curriculum.key).order_by("-version").first()
    assert latest is not None
    if latest.status == CurriculumStatus.DRAFT:
        raise ValidationError(_("Version %(version)s is still a draft; edit that one.") % {"version": latest.version})
    copy = Curriculum.objects.create(
        key=curriculum.key,
        version=latest.version + 1,
        organisation=curriculum.organisation,
        purpose=curriculum.purpose,
        source_language=curriculum.source_language,
        previous=curriculum,
    )
    ids: dict[tuple[str, Any], Any] = {("curriculum", curriculum.pk): copy.pk}
    modules = {}
    for module in curriculum.modules.all():
        new_module = CurriculumModule.objects.create(curriculum=copy, order=module.order)
        ids[("module", module.pk)] = new_module.pk
        modules[module.pk] = new_module
        for lesson in module.lessons.all():
            new_lesson = Lesson.objects.create(module=new_module, order=lesson.order, minutes=lesson.minutes)
            ids[("lesson", lesson.pk)] = new_lesson.pk
            for material in lesson.materials.all():
                Material.objects.create(
                    lesson=new_lesson,
                    kind=material.kind,
                    title=material.title,
                    url=material.url,
                    file=material.file,
                    language=material.language,
                )
    for assessment in curriculum.assessments.all():
        new_assessment = Assessment.objects.create(
            curriculum=copy,
            module=modules.get(assessment.module_id) if assessment.module_id else None,
            kind=assessment.kind,
            max_score=assessment.max_score,
            pass_score=assessment.pass_score,
            order=assessment.order,
        )
        ids[("assessment", assessment.pk)] = new_assessment.pk
    rows = Translation.objects.filter(module=TEXTS_MODULE, entity_id__in=[old for (_e, old) in ids])
    Translation.objects.bulk_create(
        [
            Translation(
                module=TEXTS_MODULE,
                entity=row.entity,
                entity_id=ids[(row.entity, row.entity_id)],
                field=row.field,
                language=row.language,
                text=row.text,
                status=row.status,
                updated_by=row.updated_by,
            )
            for row in rows
            if (row.entity, row.entity_id) in ids
        ]
    )
    return copy


def curriculum_hours(curriculum: Curriculum) -> Decimal:
    minutes = Lesson.objects.filter(module__curriculum=curriculum).aggregate(total=Sum("minutes"))["total"] or 0
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"))


def ensure_seed_curricula() -> int:
    """The shipped curricula (``seed.py``), created once; returns how many were created."""
    from ownpath.modules.training.seed import SEED_CURRICULA

    created = 0
    for data in SEED_CURRICULA:
        if Curriculum.objects.filter(key=data["key"]).exists():
            continue
        with transaction.atomic():
            curriculum = create_curriculum(
                None,
                key=data["key"],
                purpose=data["purpose"],
                texts={f: data.get(f, "") for f in CURRICULUM_FIELDS},
                modules=data["modules"],
                assessments=data["assessments"],
                status=CurriculumStatus.PUBLISHED,
            )
            for language, values in data.get("translations", {}).items():
                for name, text in values.items():
                    translations.set_translation(
                        None, TEXTS_MODULE, "curriculum", curriculum.pk, name, language, text, status="human"
                    )
        created += 1
    return created


@transaction.atomic
def add_attendance_status(actor: Any, *, label: str, counts_as_present: bool, excused: bool) -> AttendanceStatus:
    """A network-wide attendance status of the providers' own (e.g. "online, camera off")."""
    from django.utils.text import slugify

    if not actor.has_perm("training.provide"):
        raise PermissionDenied(_("Only trainers and administrators of a training provider may do this."))
    label = label.strip()
    code = slugify(label)[:32]
    if not label or not code:
        raise ValidationError({"label": _("Give the status a name.")})
    if counts_as_present and excused:
        raise ValidationError(_("A status counts as attended or as excused, not both."))
    if AttendanceStatus.objects.filter(code=code).exists():
        raise ValidationError({"label": _("This status exists already.")})
    order = (AttendanceStatus.objects.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    return AttendanceStatus.objects.create(
        code=code, label=label[:80], counts_as_present=counts_as_present, excused=excused, order=order
    )


def ensure_attendance_statuses() -> None:
    for order, (code, (label, present, excused)) in enumerate(BUILTIN_ATTENDANCE.items()):
        AttendanceStatus.objects.get_or_create(
            code=code,
            defaults={"label": str(label), "counts_as_present": present, "excused": excused, "order": order},
        )


# --- Courses and sessions --------------------------------------------------------------------------------


@transaction.atomic
def plan_course(
    actor: Any,
    organisation: Organisation,
    curriculum: Curriculum,
    *,
    title: str,
    starts_on: date,
    ends_on: date,
    capacity: int = 16,
    language: str = "pl",
    place: str = "",
    min_attendance: int = 80,
    require_assessments: bool = True,
) -> Course:
    require(actor, "training.provide_at", organisation.pk, PROVIDERS_ONLY)
    errors: dict[str, str] = {}
    if curriculum.status != CurriculumStatus.PUBLISHED:
        errors["curriculum"] = _("Courses run published curricula only.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The course cannot end before it starts.")
    if capacity < 1:
        errors["capacity"] = _("A course needs at least one place.")
    if not 0 <= min_attendance <= 100:
        errors["min_attendance"] = _("Attendance needed is a percentage from 0 to 100.")
    if not translations.known_language(language):
        errors["language"] = _("Unknown language code: %(code)s.") % {"code": language}
    if not title.strip():
        errors["title"] = _("A course needs a title.")
    if errors:
        raise ValidationError(errors)
    course = Course.objects.create(
        curriculum=curriculum,
        organisation=organisation,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        language=language,
        place=place,
        min_attendance=min_attendance,
        require_assessments=require_assessments,
        created_by=actor,
    )
    _audit(actor, AuditAction.CREATE, course, organisation.pk)
    return course


@transaction.atomic
def add_session(
    actor: Any,
    course: Course,
    *,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    online_url: str = "",
    trainer: Any = None,
    module: CurriculumModule | None = None,
) -> CourseSession:
    require(actor, "training.provide_at", course.organisation_id, PROVIDERS_ONLY)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A session must end after it starts.")})
    first, last = timezone.localdate(starts_at), timezone.localdate(ends_at)
    if first < course.starts_on or last > course.ends_on:
        raise ValidationError(
            {
                "starts_at": _("The session must fall within the course dates (%(start)s to %(end)s).")
                % {"start": course.starts_on, "end": course.ends_on}
            }
        )
    if module is not None and module.curriculum_id != course.curriculum_id:
        raise ValidationError({"module": _("This module belongs to another curriculum.")})
    if trainer is not None and not provides_at(trainer, course.organisation_id):
        raise ValidationError({"trainer": _("The trainer must work for the course's provider.")})
    session = CourseSession.objects.create(
        course=course,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place or course.place,
        online_url=online_url,
        trainer=trainer,
        module=module,
    )
    _audit(actor, AuditAction.CREATE, session, course.organisation_id)
    return session


def set_course_status(actor: Any, course: Course, status: str) -> Course:
    require(actor, "training.provide_at", course.organisation_id, PROVIDERS_ONLY)
    if status not in CourseStatus.values:
        raise ValidationError(_("Unknown status."))
    with transaction.atomic():
        course.status = status
        course.save(update_fields=["status"])
        _audit(actor, AuditAction.UPDATE, course, course.organisation_id, fields=["status"])
    return course


# --- Enrolment -----------------------------------------------------------------------------------------------


@transaction.atomic
def enrol(
    actor: Any,
    course: Course,
    *,
    name: str,
    email: str,
    organisation: Organisation | None = None,
    user: Any = None,
    position: str = "",
    language: str = "",
    channel: Channel = Channel.UI,
) -> Enrolment:
    """Put a trainee on the course, or on its waiting list when it is full.

    The provider's trainers enrol anyone; staff who enrol for their own organisation (a coordinator, a
    counsellor) enrol its people; anyone with an account may enrol themselves."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    is_self = user is not None and user.pk == getattr(actor, "pk", None)
    allowed = (
        actor.has_perm("training.provide_at", course.organisation_id)
        or (organisation is not None and actor.has_perm("training.enrol_for", organisation))
        or is_self
    )
    if not allowed:
        raise PermissionDenied(_("You may enrol people of your own organisation only."))
    if course.status not in (CourseStatus.OPEN, CourseStatus.PLANNED, CourseStatus.RUNNING):
        raise ValidationError(_("This course no longer takes enrolments."))
    name, email = name.strip(), email.strip().lower()
    errors = {}
    if not name:
        errors["name"] = _("Give the trainee's name.")
    if "@" not in email:
        errors["email"] = _("Give the trainee's e-mail address.")
    language = language or course.language
    if not translations.known_language(language):
        errors["language"] = _("Unknown language code: %(code)s.") % {"code": language}
    if errors:
        raise ValidationError(errors)
    if course.enrolments.filter(email=email).exclude(status=EnrolmentStatus.WITHDRAWN).exists():
        raise ValidationError({"email": _("%(email)s is already on this course.") % {"email": email}})
    taken = course.enrolments.filter(status__in=ACTIVE_ENROLMENT).count()
    status = EnrolmentStatus.ENROLLED if taken < course.capacity else EnrolmentStatus.WAITING
    try:
        enrolment = Enrolment.objects.create(
            course=course,
            user=user,
            name=name,
            email=email,
            organisation=organisation,
            position=position,
            language=language,
            status=status,
            enrolled_by=actor,
        )
    except IntegrityError as error:  # a concurrent enrolment of the same address
        raise ValidationError({"email": _("%(email)s is already on this course.") % {"email": email}}) from error
    _audit(actor, AuditAction.CREATE, enrolment, course.organisation_id, channel=channel, fields=["status"])
    return enrolment


@transaction.atomic
def withdraw(actor: Any, enrolment: Enrolment, *, channel: Channel = Channel.UI) -> Enrolment | None:
    """Withdraw a trainee; the first on the waiting list takes the place. Returns who moved up."""
    course = Course.objects.select_for_update().get(pk=enrolment.course_id)
    own = enrolment.user_id is not None and enrolment.user_id == getattr(actor, "pk", None)
    if not (
        own
        or actor.has_perm("training.provide_at", course.organisation_id)
        or actor.has_perm("training.enrol_for", enrolment.organisation_id)
    ):
        raise PermissionDenied(_("You may not change this enrolment."))
    if enrolment.status in (EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN):
        raise ValidationError(_("This enrolment can no longer be withdrawn."))
    had_place = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save(update_fields=["status"])
    _audit(actor, AuditAction.UPDATE, enrolment, course.organisation_id, channel=channel, fields=["status"])
    if not had_place:
        return None
    first = course.enrolments.filter(status=EnrolmentStatus.WAITING).order_by("created_at").first()
    if first is not None:
        first.status = EnrolmentStatus.ENROLLED
        first.save(update_fields=["status"])
        _audit(None, AuditAction.UPDATE, first, course.organisation_id, channel=Channel.SYSTEM, fields=["status"])
    return first


def waiting_position(enrolment: Enrolment) -> int | None:
    if enrolment.status != EnrolmentStatus.WAITING:
        return None
    return (
        Enrolment.objects.filter(
            course_id=enrolment.course_id, status=EnrolmentStatus.WAITING, created_at__lt=enrolment.created_at
        ).count()
        + 1
    )


# --- Attendance and results ----------------------------------------------------------------------------------


@transaction.atomic
def record_attendance(
    actor: Any, session: CourseSession, marks: Mapping[Any, str], *, channel: Channel = Channel.UI
) -> int:
    """Attendance for one session: enrolment id → status code. All or nothing: an unknown status, a
    trainee not on the course, or someone marked attending here while attending another session at the
    same time is refused and nothing is saved."""
    require(actor, "training.provide_at", session.course.organisation_id, PROVIDERS_ONLY)
    if session.starts_at > timezone.now():
        raise ValidationError(
            _("Attendance can be recorded once the session has started (%(start)s).")
            % {"start": formats.date_format(timezone.localtime(session.starts_at), "SHORT_DATETIME_FORMAT")}
        )
    statuses = {s.code: s for s in AttendanceStatus.objects.all()}
    enrolments = {
        str(e.pk): e for e in Enrolment.objects.filter(course_id=session.course_id, status__in=ACTIVE_ENROLMENT)
    }
    problems = []
    for enrolment_id, code in marks.items():
        enrolment = enrolments.get(str(enrolment_id))
        if enrolment is None:
            problems.append(_("%(id)s is not a trainee of this course.") % {"id": enrolment_id})
            continue
        status = statuses.get(code)
        if status is None:
            problems.append(_("Unknown attendance status: %(code)s.") % {"code": code})
            continue
        if status.counts_as_present:
            clash = (
                Attendance.objects.filter(
                    enrolment__email=enrolment.email,
                    status__counts_as_present=True,
                    session__starts_at__lt=session.ends_at,
                    session__ends_at__gt=session.starts_at,
                )
                .exclude(session=session)
                .select_related("session__course")
                .first()
            )
            if clash is not None:
                problems.append(
                    _("%(name)s is already recorded at %(course)s at the same time (%(start)s).")
                    % {
                        "name": enrolment.name,
                        "course": clash.session.course.title,
                        "start": timezone.localtime(clash.session.starts_at).strftime("%Y-%m-%d %H:%M"),
                    }
                )
    if problems:
        raise ValidationError(problems)
    for enrolment_id, code in marks.items():
        Attendance.objects.update_or_create(
            enrolment=enrolments[str(enrolment_id)],
            session=session,
            defaults={"status": statuses[code], "recorded_by": actor, "recorded_at": timezone.now()},
        )
    _audit(actor, AuditAction.UPDATE, session, session.course.organisation_id, channel=channel, fields=["attendance"])
    return len(marks)


@transaction.atomic
def record_result(
    actor: Any, enrolment: Enrolment, assessment: Assessment, score: int, *, channel: Channel = Channel.UI
) -> AssessmentResult:
    require(actor, "training.provide_at", enrolment.course.organisation_id, PROVIDERS_ONLY)
    if assessment.curriculum_id != enrolment.course.curriculum_id:
        raise ValidationError(_("This assessment belongs to another curriculum."))
    if not 0 <= score <= assessment.max_score:
        raise ValidationError({"score": _("The score must be from 0 to %(max)s.") % {"max": assessment.max_score}})
    result, _created = AssessmentResult.objects.update_or_create(
        enrolment=enrolment,
        assessment=assessment,
        defaults={
            "score": score,
            "passed": score >= assessment.pass_score,
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    _audit(actor, AuditAction.UPDATE, enrolment, enrolment.course.organisation_id, channel=channel, fields=["results"])
    return result


@dataclass
class Progress:
    """Where a trainee stands against the course's completion rules, in words."""

    sessions: int
    attended: int
    excused: int
    attendance_percent: int
    results: dict[Any, AssessmentResult | None] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


def progress(enrolment: Enrolment) -> Progress:
    course = enrolment.course
    sessions = dict(course.sessions.values_list("pk", "ends_at"))
    session_ids = list(sessions)
    marks = list(Attendance.objects.filter(enrolment=enrolment, session_id__in=session_ids).select_related("status"))
    attended = sum(1 for m in marks if m.status.counts_as_present)
    excused = sum(1 for m in marks if m.status.excused)
    countable = len(session_ids) - excused
    percent = round(100 * attended / countable) if countable > 0 else 0
    results = {r.assessment_id: r for r in enrolment.results.all()}
    out = Progress(len(session_ids), attended, excused, percent)
    for assessment in course.curriculum.assessments.all():
        out.results[assessment.pk] = results.get(assessment.pk)
    last_end = max(sessions.values(), default=None)
    if not session_ids:
        out.missing.append(_("The course has no sessions yet."))
    elif last_end is not None and last_end > timezone.now():
        out.missing.append(
            _("The course is not over yet: its last session ends on %(end)s.")
            % {"end": formats.date_format(timezone.localtime(last_end), "SHORT_DATETIME_FORMAT")}
        )
    elif percent < course.min_attendance:
        out.missing.append(
            _("Attended %(percent)s%% of sessions; %(needed)s%% needed.")
            % {"percent": percent, "needed": course.min_attendance}
        )
    if course.require_assessments:
        for assessment in course.curriculum.assessments.all():
            result = results.get(assessment.pk)
            title = texts_of("assessment", assessment.pk, enrolment.language).get("title", "")
            if result is None:
                out.missing.append(_("No result yet for “%(title)s”.") % {"title": title})
            elif not result.passed:
                out.missing.append(_("“%(title)s” not passed.") % {"title": title})
    return out


@transaction.atomic
def complete(actor: Any, enrolment: Enrolment, *, channel: Channel = Channel.UI) -> Enrolment:
    """Mark the enrolment completed when the course's rules are met (else say what is missing), and tell
    the other modules (``training.completed``): mentoring opens its gate, monitoring counts it."""
    require(actor, "training.provide_at", enrolment.course.organisation_id, PROVIDERS_ONLY)
    enrolment = Enrolment.objects.select_for_update().select_related("course__curriculum").get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.COMPLETED:
        return enrolment
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("Only an enrolled trainee can complete the course."))
    state = progress(enrolment)
    if not state.complete:
        raise ValidationError(state.missing)
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["status", "completed_at"])
    _audit(actor, AuditAction.UPDATE, enrolment, enrolment.course.organisation_id, channel=channel, fields=["status"])
    course = enrolment.course
    payload = {
        "enrolment_id": str(enrolment.pk),
        "curriculum_key": course.curriculum.key,
        "purpose": course.curriculum.purpose,
        "organisation_id": course.organisation_id,
        "trainee_organisation_id": enrolment.organisation_id,
        "user_id": enrolment.user_id,
        "person_id": enrolment.person_id,
        "completed_on": timezone.localdate(enrolment.completed_at).isoformat(),
    }
    events.publish(COMPLETED, **payload)
    return enrolment


def mark_not_completed(actor: Any, enrolment: Enrolment) -> Enrolment:
    require(actor, "training.provide_at", enrolment.course.organisation_id, PROVIDERS_ONLY)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("Only an enrolled trainee can be marked as not completing."))
    with transaction.atomic():
        enrolment.status = EnrolmentStatus.NOT_COMPLETED
        enrolment.save(update_fields=["status"])
        _audit(actor, AuditAction.UPDATE, enrolment, enrolment.course.organisation_id, fields=["status"])
    return enrolment


# --- Certificates ----------------------------------------------------------------------------------------------


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else code.strip().upper()


@transaction.atomic
def issue_certificate(
    actor: Any, enrolment: Enrolment, *, language: str = "", channel: Channel = Channel.UI
) -> Certificate:
    """The certificate of a completed enrolment (issued once; issuing again returns it)."""
    require(actor, "training.provide_at", enrolment.course.organisation_id, PROVIDERS_ONLY)
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    enrolment = Enrolment.objects.select_related("course__organisation", "course__curriculum").get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.COMPLETED:
        raise ValidationError(_("A certificate is issued only for a completed course."))
    language = language or enrolment.language
    if not translations.known_language(language):
        raise ValidationError({"language": _("Unknown language code: %(code)s.") % {"code": language}})
    course = enrolment.course
    title = texts_of("curriculum", course.curriculum_id, language).get("title", course.curriculum.key)
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        code=new_code(),
        holder=enrolment.name,
        curriculum_title=title,
        course_title=course.title,
        issuer=course.organisation.name,
        hours=curriculum_hours(course.curriculum),
        starts_on=course.starts_on,
        ends_on=course.ends_on,
        language=language,
        badge_salt=secrets.token_hex(8),
        issued_by=actor,
    )
    _audit(actor, AuditAction.CREATE, certificate, course.organisation_id, channel=channel)
    return certificate


@transaction.atomic
def revoke_certificate(actor: Any, certificate: Certificate, reason: str) -> Certificate:
    require(actor, "training.provide_at", certificate.enrolment.course.organisation_id, PROVIDERS_ONLY)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason.strip()[:300]
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    _audit(actor, AuditAction.UPDATE, certificate, certificate.enrolment.course.organisation_id, fields=["revoked_at"])
    return certificate


def find_certificate(code: str) -> Certificate | None:
    return Certificate.objects.filter(code=normalise_code(code)).first()


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    from django.template.loader import render_to_string
    from django.utils import translation
    from django.utils.formats import number_format
    from weasyprint import HTML

    with translation.override(certificate.language):
        html = render_to_string(
            "training/certificate_pdf.html",
            {
                "certificate": certificate,
                "verify_url": verify_url,
                "rtl": certificate.language in RTL_LANGUAGES,
                # The plural form is chosen by a whole number; the hours are written as the locale writes them.
                "hours_count": int(certificate.hours),
                "hours": number_format(
                    int(certificate.hours) if certificate.hours == int(certificate.hours) else certificate.hours,
                    use_l10n=True,
                ),
            },
        )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def erase_person_data(person: Any) -> None:
    Enrolment.objects.filter(person=person).delete()


def export_person(person: Any) -> list[dict[str, Any]]:
    return [
        {
            "course": e.course.title,
            "status": e.status,
            "enrolled": e.created_at.isoformat(),
            "completed": e.completed_at.isoformat() if e.completed_at else None,
        }
        for e in Enrolment.objects.filter(person=person).select_related("course")
    ]


class Completions:
    """Offered to other modules as the ``training.completions`` capability: when someone completed a
    course of a purpose (e.g. the mentor path), by account or e-mail address."""

    def completed_on(self, purpose: str, *, user_id: int | None = None, email: str = "") -> date | None:
        who = Q(user_id=user_id) if user_id else Q(pk__in=[])
        if email.strip():
            who |= Q(email__iexact=email.strip())
        found = (
            Enrolment.objects.filter(who, status=EnrolmentStatus.COMPLETED, course__curriculum__purpose=purpose)
            .order_by("completed_at")
            .values_list("completed_at", flat=True)
            .first()
        )
        return timezone.localdate(found) if found else None

    def courses_url(self) -> str:
        from django.urls import reverse

        return reverse("training:courses")


completions = Completions()


def users_enrolments(user: Any) -> Any:
    return Enrolment.objects.filter(Q(user=user) | Q(email__iexact=getattr(user, "email", "") or "-")).select_related(
        "course"
    )
