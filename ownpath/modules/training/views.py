"""Pages of the training module. Thin: forms read input, services write, selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form as DjangoForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ownpath.core import access
from ownpath.core.choices import AuditAction, Channel
from ownpath.core.concurrency import form_unchanged, version_form
from ownpath.core.languages import language_name
from ownpath.core.models import Organisation, User
from ownpath.core.rules import may
from ownpath.core.services import audit
from ownpath.core.views import refuse, require_perm
from ownpath.modules.training import badges, forms, selectors, services
from ownpath.modules.training.choices import EnrolmentStatus
from ownpath.modules.training.models import (
    Assessment,
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
from ownpath.modules.training.rules import ENROLLING_ROLES, PROVIDER_ROLES


def _language(request: HttpRequest) -> str:
    return request.GET.get("lang") or get_language() or "en"


# --- Curricula ------------------------------------------------------------------------------------------------


@login_required
def curricula(request: HttpRequest) -> HttpResponse:
    require_perm(request, "training.browse")
    language = _language(request)
    return render(request, "training/curricula.html", {"rows": selectors.curricula(language), "language": language})


@login_required
@require_http_methods(["GET", "POST"])
def curriculum(request: HttpRequest, curriculum_id: str) -> HttpResponse:
    require_perm(request, "training.browse")
    found = get_object_or_404(Curriculum, pk=curriculum_id)
    language = _language(request)
    can_edit = request.user.has_perm("training.edit_curriculum", found)
    structure = _structure_forms(found)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action in structure:
                structure[action] = _structure_forms(found, request.POST, request.FILES)[action]
                if structure[action].is_valid():
                    _add_part(request.user, found, action, structure[action].cleaned_data)
                    messages.success(request, _("Added."))
                    return redirect("training:curriculum", found.pk)
                raise ValidationError(_("Check the highlighted fields."))
            if action == "publish":
                services.publish(request.user, found)
                messages.success(request, _("Published."))
            elif action == "new_version":
                copy = services.new_version(request.user, found)
                messages.success(
                    request, _("Version %(version)s is a draft: edit it, then publish.") % {"version": copy.version}
                )
                return redirect("training:curriculum", copy.pk)
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, *structure.values())
            if action not in structure:
                return redirect("training:curriculum", found.pk)
        else:
            return redirect("training:curriculum", found.pk)
    versions = Curriculum.objects.filter(key=found.key).order_by("-version")
    return render(
        request,
        "training/curriculum.html",
        {
            "view": selectors.curriculum_view(found, language),
            "language": language,
            "language_label": language_name(language),
            "can_edit": can_edit,
            "versions": versions,
            "languages": [(code, language_name(code)) for code in services.LANGUAGES],
            "courses": found.courses.select_related("organisation").order_by("-starts_on")[:20],
            "structure": structure if can_edit and found.status == "draft" else {},
        },
    )


def _structure_forms(curriculum: Curriculum, data: Any = None, files: Any = None) -> dict[str, Any]:
    view = selectors.curriculum_view(curriculum, curriculum.source_language)
    modules = [
        (str(m.module.pk), f"{m.module.order}. {m.texts['title'].text if 'title' in m.texts else ''}")
        for m in view.modules
    ]
    lessons = [
        (
            str(lv.lesson.pk),
            f"{m.module.order}.{lv.lesson.order} {lv.texts['title'].text if 'title' in lv.texts else ''}",
        )
        for m in view.modules
        for lv in m.lessons
    ]
    return {
        "add_module": forms.ModuleForm(data, prefix="module"),
        "add_lesson": forms.LessonForm(data, modules=modules, prefix="lesson"),
        "add_material": forms.MaterialForm(data, files, lessons=lessons, prefix="material"),
        "add_assessment": forms.AssessmentForm(data, prefix="assessment"),
    }


def _add_part(actor: Any, curriculum: Curriculum, action: str, data: dict[str, Any]) -> None:
    if action == "add_module":
        services.add_module(actor, curriculum, title=data["title"], description=data["description"])
    elif action == "add_lesson":
        module = get_object_or_404(CurriculumModule, pk=data["module"], curriculum=curriculum)
        services.add_lesson(actor, module, title=data["title"], minutes=data["minutes"], objectives=data["objectives"],
                            methods=data["methods"], steps=data["steps"])  # fmt: skip
    elif action == "add_material":
        lesson = get_object_or_404(Lesson, pk=data["lesson"], module__curriculum=curriculum)
        services.add_material(actor, lesson, title=data["title"], url=data["url"], file=data["file"])
    elif action == "add_assessment":
        services.add_assessment(curriculum, data, language=curriculum.source_language, actor=actor)


@login_required
@require_http_methods(["GET", "POST"])
def curriculum_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "training.provide")
    owners = Organisation.objects.filter(pk__in=access.organisations_with_roles(request.user, PROVIDER_ROLES))
    initial = {"language": get_language(), "organisation": owners.first() if owners.count() == 1 else None}
    form = forms.CurriculumForm(request.POST or None, organisations=owners, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = services.create_curriculum(
                request.user,
                key=services.unique_key(data["title"]),
                purpose=data["purpose"],
                texts={"title": data["title"], "summary": data["summary"], "audience": data["audience"]},
                language=data["language"],
                organisation=data["organisation"],
            )
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("A draft: add its modules, lessons and assessments, then publish."))
            return redirect("training:curriculum", found.pk)
    return render(request, "training/curriculum_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def curriculum_text(request: HttpRequest, curriculum_id: str, entity: str, entity_id: str, field: str) -> HttpResponse:
    """Edit one text: the original (drafts only) or its translation into ``?lang=``."""
    found = get_object_or_404(Curriculum, pk=curriculum_id)
    require_perm(request, "training.edit_curriculum", found)
    if not selectors.holds_text(found, entity, entity_id, field):
        raise Http404(_("No such text in this curriculum."))
    language = request.GET.get("lang") or found.source_language
    original = services.texts_of(entity, entity_id, found.source_language).get(field, "")
    current = (
        services.texts_of(entity, entity_id, language).get(field, "") if language != found.source_language else original
    )
    form = forms.TextForm(request.POST or None, initial={"text": current})
    version_form(
        form, found, ["status"], extra=lambda _c: services.texts_of(entity, entity_id, language).get(field, "")
    )
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            with form_unchanged(form, found, {}):
                if language == found.source_language:
                    services.update_texts(request.user, found, entity, entity_id, {field: text})
                else:
                    services.translate(request.user, found, entity, entity_id, field, language, text)
        except ValidationError as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("training:curriculum", args=[found.pk]) + f"?lang={language}")
    return render(
        request,
        "training/text_form.html",
        {
            "curriculum": found,
            "form": form,
            "original": original,
            "language": language,
            "language_label": language_name(language),
            "is_original": language == found.source_language,
        },
    )


# --- Courses ------------------------------------------------------------------------------------------------------


@login_required
def courses(request: HttpRequest) -> HttpResponse:
    require_perm(request, "training.browse")
    found = list(selectors.courses(upcoming_only=request.GET.get("all") != "1"))
    titles = selectors.curriculum_titles([c.curriculum for c in found], get_language() or "en")
    mine = list(services.users_enrolments(request.user))
    return render(
        request,
        "training/courses.html",
        {
            "rows": [(c, titles.get(c.curriculum_id, c.curriculum.key)) for c in found],
            "mine": mine,
            "can_plan": request.user.has_perm("training.provide"),
        },
    )


def _course_form(request: HttpRequest, data: Any = None) -> forms.CourseForm:
    curricula_qs = selectors.published_curricula()
    labels = selectors.curriculum_titles(list(curricula_qs), get_language() or "en")
    labels = {pk: f"{title} (v{c.version})" for c in curricula_qs for pk, title in labels.items() if pk == c.pk}
    providers = Organisation.objects.filter(pk__in=access.organisations_with_roles(request.user, PROVIDER_ROLES))
    return forms.CourseForm(
        data, curricula=curricula_qs, organisations=providers, labels=labels, initial={"language": get_language()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "training.provide")
    form = _course_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            course = services.plan_course(
                request.user,
                data["organisation"],
                data["curriculum"],
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                capacity=data["capacity"],
                language=data["language"],
                place=data["place"],
                min_attendance=data["min_attendance"],
                require_assessments=data["require_assessments"],
            )
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("Course planned. Add its sessions."))
            return redirect("training:course", course.pk)
    return render(request, "training/course_form.html", {"form": form})


def _course(request: HttpRequest, course_id: str) -> Course:
    return get_object_or_404(Course.objects.select_related("curriculum", "organisation"), pk=course_id)


def _session_form(course: Course, data: Any = None) -> forms.SessionForm:
    view = selectors.curriculum_view(course.curriculum, get_language() or "en")
    modules = [
        (str(m.module.pk), f"{m.module.order}. {m.texts['title'].text}") for m in view.modules if "title" in m.texts
    ]
    trainers = [
        (str(u.pk), u.get_full_name() or u.email)
        for u in User.objects.filter(
            memberships__organisation_id=course.organisation_id,
            memberships__role__in=PROVIDER_ROLES,
            memberships__is_active=True,
        ).distinct()
    ]
    return forms.SessionForm(data, modules=modules, trainers=trainers, prefix="session")


def _course_session(request: HttpRequest, found: Course, page: dict[str, Any]) -> HttpResponse | None:
    if not page["runs"]:
        raise PermissionDenied
    page["session_form"] = form = _session_form(found, request.POST)
    if not form.is_valid():
        return None
    data = form.cleaned_data
    services.add_session(
        request.user,
        found,
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        place=data["place"],
        online_url=data["online_url"],
        trainer=User.objects.filter(pk=data["trainer"]).first() if data["trainer"] else None,
        module=CurriculumModule.objects.filter(pk=data["module"]).first() if data["module"] else None,
    )
    messages.success(request, _("Session added."))
    return redirect("training:course", found.pk)


def _course_enrol(request: HttpRequest, found: Course, page: dict[str, Any]) -> HttpResponse | None:
    page["enrol_form"] = form = forms.EnrolForm(request.POST, organisations=page["enrollable"], prefix="enrol")
    if not form.is_valid():
        return None
    data = form.cleaned_data
    enrolment = services.enrol(
        request.user,
        found,
        name=data["name"],
        email=data["email"],
        organisation=data["organisation"],
        position=data["position"],
        language=data["language"],
        user=User.objects.filter(email__iexact=data["email"]).first(),
    )
    if enrolment.status == EnrolmentStatus.WAITING:
        messages.warning(request, _("The course is full: %(name)s is on the waiting list.") % {"name": enrolment.name})
    else:
        messages.success(request, _("%(name)s is enrolled.") % {"name": enrolment.name})
    return redirect("training:course", found.pk)


def _course_enrol_me(request: HttpRequest, found: Course, page: dict[str, Any]) -> HttpResponse | None:
    user: Any = request.user
    services.enrol(user, found, name=user.get_full_name() or user.email, email=user.email, user=user)
    messages.success(request, _("You are on the course (or its waiting list)."))
    return redirect("training:course", found.pk)


def _course_status(request: HttpRequest, found: Course, page: dict[str, Any]) -> HttpResponse | None:
    page["status_form"] = form = forms.StatusForm(request.POST, prefix="status")
    version_form(form, found, ["status"])
    if not form.is_valid():
        return None
    with form_unchanged(form, found) as stored:
        services.set_course_status(request.user, stored, form.cleaned_data["status"])
    messages.success(request, _("Saved."))
    return redirect("training:course", found.pk)


def _course_withdraw(request: HttpRequest, found: Course, page: dict[str, Any]) -> HttpResponse | None:
    enrolment = get_object_or_404(Enrolment, pk=request.POST.get("enrolment"), course=found)
    moved = services.withdraw(request.user, enrolment)
    messages.success(request, _("Withdrawn."))
    if moved is not None:
        messages.info(request, _("%(name)s moved up from the waiting list.") % {"name": moved.name})
    return redirect("training:course", found.pk)


# One handler per action a course's page posts (the form's ``action`` field).
COURSE_ACTIONS = {
    "session": _course_session,
    "enrol": _course_enrol,
    "enrol_me": _course_enrol_me,
    "status": _course_status,
    "withdraw": _course_withdraw,
}


@login_required
@require_http_methods(["GET", "POST"])
def course(request: HttpRequest, course_id: str) -> HttpResponse:
    require_perm(request, "training.browse")
    found = _course(request, course_id)
    runs = request.user.has_perm("training.run_course", found)
    enrollable = Organisation.objects.filter(pk__in=access.organisations_with_roles(request.user, ENROLLING_ROLES))
    if runs:
        enrollable = Organisation.objects.all()
    page: dict[str, Any] = {
        "runs": runs,
        "enrollable": enrollable,
        "session_form": _session_form(found),
        "enrol_form": forms.EnrolForm(organisations=enrollable, prefix="enrol", initial={"language": found.language}),
        "status_form": forms.StatusForm(initial={"status": found.status}, prefix="status"),
    }
    version_form(page["status_form"], found, ["status"])
    handler = COURSE_ACTIONS.get(request.POST.get("action", "")) if request.method == "POST" else None
    if handler is not None:
        try:
            done = handler(request, found, page)
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, page["session_form"], page["enrol_form"], page["status_form"])
        else:
            if done is not None:
                return done
    session_form, enrol_form, status_form = page["session_form"], page["enrol_form"], page["status_form"]
    enrolments = (
        selectors.enrolments_of(found)
        if runs
        else [
            e
            for e in selectors.enrolments_of(found)
            if may(request.user, "training.enrol_for", e.organisation_id) or e.user_id == request.user.pk
        ]
    )
    if runs:
        audit.record(
            request.user,
            AuditAction.READ,
            channel=Channel.UI,
            obj=found,
            organisation_id=found.organisation_id,
            fields=["enrolments"],
        )
    title = selectors.curriculum_titles([found.curriculum], get_language() or "en").get(found.curriculum_id, "")
    return render(
        request,
        "training/course.html",
        {
            "course": found,
            "curriculum_title": title,
            "runs": runs,
            "sessions": found.sessions.select_related("trainer", "module").order_by("starts_at"),
            "enrolments": enrolments,
            "session_form": session_form,
            "enrol_form": enrol_form,
            "status_form": status_form,
            "can_enrol": runs or enrollable.exists(),
            "already": found.enrolments.filter(email__iexact=getattr(request.user, "email", ""))
            .exclude(status=EnrolmentStatus.WITHDRAWN)
            .exists(),
        },
    )


def _marks_of(session: CourseSession) -> list[tuple[str, str]]:
    return sorted((str(a.enrolment_id), str(a.status_id)) for a in session.attendance.all())


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, session_id: str) -> HttpResponse:
    session = get_object_or_404(CourseSession.objects.select_related("course"), pk=session_id)
    require_perm(request, "training.run_course", session.course)
    enrolments = [
        e for e in selectors.enrolments_of(session.course) if e.status in ("enrolled", "completed", "not_completed")
    ]
    statuses = list(AttendanceStatus.objects.all())
    current = {a.enrolment_id: a.status_id for a in session.attendance.all()}
    marked = DjangoForm(request.POST or None)  # carries the version of the marks shown (core.concurrency)
    version_form(marked, session, [], extra=_marks_of)
    if request.method == "POST":
        marks = {e.pk: request.POST.get(f"mark-{e.pk}", "") for e in enrolments if request.POST.get(f"mark-{e.pk}")}
        try:
            if not marked.is_valid():
                raise ValidationError(list(marked.errors["version"]))
            with form_unchanged(marked, session, {}):
                services.record_attendance(request.user, session, marks)
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error)
            current.update({e.pk: request.POST.get(f"mark-{e.pk}", "") for e in enrolments})
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("training:course", session.course_id)
    return render(
        request,
        "training/attendance.html",
        {
            "session": session,
            "rows": [(e, current.get(e.pk, "")) for e in enrolments],
            "statuses": statuses,
            "marked": marked,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrolment(request: HttpRequest, enrolment_id: str) -> HttpResponse:
    found = get_object_or_404(
        Enrolment.objects.select_related("course__curriculum", "course__organisation"), pk=enrolment_id
    )
    runs = request.user.has_perm("training.run_course", found.course)
    if not (runs or found.user_id == request.user.pk or may(request.user, "training.enrol_for", found.organisation_id)):
        raise Http404(_("No such enrolment, or not one you may see."))
    view = selectors.curriculum_view(found.course.curriculum, get_language() or "en")
    choices = [(str(a.pk), t["title"].text if "title" in t else str(a.pk)) for a, t in view.assessments]
    result_form = forms.ResultForm(assessments=choices, prefix="result")
    revoke_form = forms.RevokeForm(prefix="revoke")
    if request.method == "POST":
        if not runs:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "result":
                result_form = forms.ResultForm(request.POST, assessments=choices, prefix="result")
                if result_form.is_valid():
                    assessment = get_object_or_404(Assessment, pk=result_form.cleaned_data["assessment"])
                    services.record_result(request.user, found, assessment, result_form.cleaned_data["score"])
                    messages.success(request, _("Result saved."))
                    return redirect("training:enrolment", found.pk)
            elif action == "complete":
                services.complete(request.user, found)
                messages.success(request, _("Completed."))
                return redirect("training:enrolment", found.pk)
            elif action == "not_completed":
                services.mark_not_completed(request.user, found)
                return redirect("training:enrolment", found.pk)
            elif action == "certificate":
                services.issue_certificate(request.user, found)
                messages.success(request, _("Certificate issued."))
                return redirect("training:enrolment", found.pk)
            elif action == "revoke":
                revoke_form = forms.RevokeForm(request.POST, prefix="revoke")
                if revoke_form.is_valid():
                    services.revoke_certificate(request.user, found.certificate, revoke_form.cleaned_data["reason"])
                    messages.success(request, _("Certificate revoked."))
                    return redirect("training:enrolment", found.pk)
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, result_form, revoke_form)
    audit.record(
        request.user,
        AuditAction.READ,
        channel=Channel.UI,
        obj=found,
        organisation_id=found.course.organisation_id,
        person=found.person,
    )
    state = services.progress(found)
    results = [(a, t, state.results.get(a.pk)) for a, t in view.assessments]
    return render(
        request,
        "training/enrolment.html",
        {
            "enrolment": found,
            "state": state,
            "results": results,
            "runs": runs,
            "result_form": result_form,
            "revoke_form": revoke_form,
            "certificate": Certificate.objects.filter(enrolment=found).first(),
            "waiting_position": services.waiting_position(found),
        },
    )


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, enrolment_id: str) -> HttpResponse:
    found = get_object_or_404(Enrolment.objects.select_related("course"), pk=enrolment_id)
    if not (request.user.has_perm("training.run_course", found.course) or found.user_id == request.user.pk):
        raise Http404
    certificate = get_object_or_404(Certificate, enrolment=found)
    pdf = services.certificate_pdf(
        certificate, request.build_absolute_uri(reverse("training:verified", args=[certificate.code]))
    )
    audit.record(
        request.user,
        AuditAction.EXPORT,
        channel=Channel.UI,
        obj=certificate,
        organisation_id=found.course.organisation_id,
        person=found.person,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.code}.pdf"'
    return response


# --- Public: verification and Open Badges ---------------------------------------------------------------------


@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    form = forms.VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("training:verified", services.normalise_code(form.cleaned_data["code"]))
    return render(request, "training/verify.html", {"form": form})


@require_GET
def verified(request: HttpRequest, code: str) -> HttpResponse:
    certificate = services.find_certificate(code)
    status = 200 if certificate is not None else 404
    return render(
        request,
        "training/verified.html",
        {"certificate": certificate, "code": code, "form": forms.VerifyForm(initial={"code": code})},
        status=status,
    )


@require_GET
def badge_assertion(request: HttpRequest, code: str) -> JsonResponse:
    certificate = services.find_certificate(code)
    if certificate is None:
        raise Http404
    return _ld(badges.assertion(certificate, request.build_absolute_uri("/")))


@require_GET
def badge_class(request: HttpRequest, curriculum_id: str) -> JsonResponse:
    curriculum = get_object_or_404(Curriculum, pk=curriculum_id)
    return _ld(badges.badge_class(curriculum, request.build_absolute_uri("/")))


@require_GET
def badge_criteria(request: HttpRequest, curriculum_id: str) -> HttpResponse:
    """What a holder of the badge did, public (the BadgeClass's ``criteria``), in the reader's language."""
    curriculum = get_object_or_404(Curriculum, pk=curriculum_id)
    language = get_language() or "en"
    texts = services.texts_of("curriculum", curriculum.pk, language)
    return render(request, "training/badge_criteria.html", {
        "curriculum": curriculum, "title": texts.get("title", curriculum.key), "summary": texts.get("summary", ""),
        "modules": badges.criteria_modules(curriculum, language),
        "issuer": curriculum.organisation.name if curriculum.organisation else "",
    })  # fmt: skip


@require_GET
def badge_issuer(request: HttpRequest, organisation_id: int) -> JsonResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    return _ld(badges.issuer(organisation, request.build_absolute_uri("/")))


@require_GET
def badge_image(request: HttpRequest, curriculum_id: str) -> HttpResponse:
    curriculum = get_object_or_404(Curriculum, pk=curriculum_id)
    return HttpResponse(badges.image_svg(curriculum), content_type="image/svg+xml")


def _ld(data: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/ld+json"
    response["Access-Control-Allow-Origin"] = "*"  # badge verifiers fetch these from other sites
    return response


@login_required
@require_POST
def export_badge(request: HttpRequest, enrolment_id: str) -> JsonResponse:
    found = get_object_or_404(Enrolment.objects.select_related("course"), pk=enrolment_id)
    if not (request.user.has_perm("training.run_course", found.course) or found.user_id == request.user.pk):
        raise Http404
    certificate = get_object_or_404(Certificate, enrolment=found)
    response = _ld(badges.assertion(certificate, request.build_absolute_uri("/")))
    response["Content-Disposition"] = f'attachment; filename="badge-{certificate.code}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def attendance_statuses(request: HttpRequest) -> HttpResponse:
    require_perm(request, "training.provide")
    form = forms.AttendanceStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_attendance_status(request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("Added."))
            return redirect("training:attendance_statuses")
    return render(
        request, "training/attendance_statuses.html", {"form": form, "statuses": AttendanceStatus.objects.all()}
    )


@login_required
@require_GET
def material_file(request: HttpRequest, material_id: int) -> FileResponse:
    """A lesson's file, read from the deployment's storage (local disk or object storage) by whichever app
    server answers; staff only, like the curriculum it belongs to."""
    require_perm(request, "training.browse")
    material = get_object_or_404(Material.objects.exclude(file=""), pk=material_id)
    return FileResponse(
        material.file.open("rb"), as_attachment=True, filename=(material.file.name or "").rsplit("/", 1)[-1]
    )
