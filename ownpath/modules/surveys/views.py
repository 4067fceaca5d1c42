"""Pages of the surveys module. Staff pages build surveys and read results; the answering pages are public,
keep nothing about who or where the respondent is, and work without JavaScript."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ownpath.core import access
from ownpath.core import selectors as core_selectors
from ownpath.core.choices import AuditAction, Channel
from ownpath.core.concurrency import form_unchanged, refresh_version, version_form
from ownpath.core.models import Organisation, Person
from ownpath.core.services import audit
from ownpath.core.tabular import csv_response, xlsx_bytes, xlsx_response
from ownpath.core.views import person_or_404, refuse, require_perm
from ownpath.modules.surveys import collect, export, forms, results, services, xlsform
from ownpath.modules.surveys.models import Audience, Link, Mode, Question, Response, Status, Survey
from ownpath.modules.surveys.rules import RESULT_ROLES, SURVEY_ROLES

UI_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _survey(request: HttpRequest, survey_id: Any, permission: str = "surveys.edit_survey") -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("organisation", "mirror"), pk=survey_id)
    if not (request.user.has_perm(permission, survey) or request.user.has_perm("surveys.view_results", survey)):
        raise Http404(_("No such survey, or not one you may see."))
    require_perm(request, permission, survey)
    return survey


def _organisation(request: HttpRequest) -> Organisation:
    """The organisation a new survey belongs to: the one the user acts for, if they build surveys there."""
    organisation = core_selectors.acting_organisation(request.user, request.session, roles=SURVEY_ROLES)
    if organisation is None:
        raise PermissionDenied
    return organisation


# --- Staff: surveys and questions ----------------------------------------------------------------------------


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "surveys.browse")
    organisations = access.organisations_with_roles(request.user, RESULT_ROLES)
    sent = Count("responses", filter=Q(responses__submitted_on__isnull=False))
    surveys = (
        Survey.objects.filter(organisation_id__in=organisations).select_related("organisation").annotate(sent=sent)
    )
    language = get_language() or "en"
    rows = [(s, s.title(language), s.sent) for s in surveys]
    return render(request, "surveys/list.html", {"rows": rows, "can_build": request.user.has_perm("surveys.build")})


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "surveys.build")
    form = forms.SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        languages = form.language_list()
        try:
            survey = services.create_survey(
                request.user, _organisation(request), titles={languages[0] if languages else "en": form.cleaned_data["title"]},
                languages=languages, audience=form.cleaned_data["audience"], mode=form.cleaned_data["mode"],
                min_group_size=form.cleaned_data["min_group_size"],
            )  # fmt: skip
        except ValidationError as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("The survey is a draft: add its questions, then open it."))
            return redirect("surveys:survey", survey.pk)
    return render(request, "surveys/new.html", {"form": form, "import_form": forms.ImportForm()})


@login_required
@require_POST
def survey_import(request: HttpRequest) -> HttpResponse:
    require_perm(request, "surveys.build")
    form = forms.ImportForm(request.POST, request.FILES)
    problems: list[xlsform.Problem] = []
    if form.is_valid():
        try:
            survey = services.import_xlsform(
                request.user, _organisation(request), form.cleaned_data["file"].read(xlsform.MAX_BYTES + 1),
                audience=form.cleaned_data["audience"], mode=form.cleaned_data["mode"],
                min_group_size=form.cleaned_data["min_group_size"],
            )  # fmt: skip
        except xlsform.XLSFormError as error:
            problems = error.problems
            messages.error(request, _("Nothing was imported: the workbook has %(count)s problem(s), listed below.") % {
                "count": len(problems)})  # fmt: skip
        except ValidationError as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("Imported %(count)s questions. Check them, then open the survey.") % {
                "count": survey.questions.count()})  # fmt: skip
            return redirect("surveys:survey", survey.pk)
    return render(request, "surveys/new.html", {"form": forms.SurveyForm(), "import_form": form, "problems": problems},
                  status=400)  # fmt: skip


@login_required
@require_POST
def survey_template(request: HttpRequest) -> HttpResponse:
    require_perm(request, "surveys.build")
    try:
        first, _second = services.from_template(request.user, _organisation(request), request.POST.get("key", ""))
    except ValidationError as error:
        refuse(request, error)
        return redirect("surveys:list")
    messages.success(request, _("Two mirrored draft surveys were made from the template."))
    return redirect("surveys:survey", first.pk)


@login_required
@require_http_methods(["GET", "POST"])
def survey_detail(request: HttpRequest, survey_id: Any) -> HttpResponse:
    survey = _survey(request, survey_id, "surveys.view_results")
    can_edit = request.user.has_perm("surveys.edit_survey", survey)
    question_form = forms.QuestionForm(survey)
    link_form = forms.LinkForm()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action == "question":
                question_form = forms.QuestionForm(survey, request.POST)
                if not question_form.is_valid():
                    raise ValidationError(_("Check the highlighted fields."))
                services.save_question(request.user, survey, **question_form.values())
                messages.success(request, _("Question added."))
            elif action == "link":
                link_form = forms.LinkForm(request.POST)
                if link_form.is_valid():
                    services.create_link(request.user, survey, link_form.cleaned_data["label"])
                    messages.success(request, _("Link made: share it with the people you ask."))
            elif action == "deactivate":
                services.deactivate_link(
                    request.user, get_object_or_404(Link, pk=request.POST.get("link"), survey=survey)
                )
            elif action in ("open", "close", "draft"):
                target = {"open": Status.OPEN, "close": Status.CLOSED, "draft": Status.DRAFT}[action]
                services.set_status(request.user, survey, target)
                messages.success(request, _("Status: %(status)s.") % {"status": survey.get_status_display()})
            elif action == "pair":
                chosen = request.POST.get("other", "")
                other = Survey.objects.filter(pk=chosen, organisation=survey.organisation).first() if chosen else None
                services.pair(request.user, survey, other)
                messages.success(request, _("Saved."))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            refuse(request, error, question_form)
        else:
            return redirect("surveys:survey", survey.pk)
    language = get_language() or "en"
    questions = list(survey.questions.all())
    links = [
        (link, request.build_absolute_uri(reverse("surveys:start", args=[link.token]))) for link in survey.links.all()
    ]
    others = Survey.objects.filter(organisation=survey.organisation).exclude(pk=survey.pk)
    return render(request, "surveys/detail.html", {
        "survey": survey, "title": survey.title(language), "questions": [(q, q.label(language)) for q in questions],
        "can_edit": can_edit, "question_form": question_form, "link_form": link_form, "links": links,
        "others": others, "mirror": survey.mirror or getattr(survey, "mirrored_by", None),
        "answered": survey.responses.filter(submitted_on__isnull=False).count(),
        "editable": can_edit and not survey.responses.exists(),
    })  # fmt: skip


QUESTION_FIELDS = (
    "name", "type", "labels", "hints", "choices", "group", "required", "relevant", "constraint",
    "constraint_messages", "calculation", "mirror_key", "is_attribute",
)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, survey_id: Any, question_id: int) -> HttpResponse:
    survey = _survey(request, survey_id)
    question = get_object_or_404(Question, pk=question_id, survey=survey)
    form = forms.QuestionForm(survey, request.POST or None, question=question)
    version_form(form, question, QUESTION_FIELDS)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "delete":
                services.delete_question(request.user, question)
                messages.success(request, _("Question deleted."))
                return redirect("surveys:survey", survey.pk)
            if action in ("up", "down"):
                services.move_question(request.user, question, -1 if action == "up" else 1)
                return redirect("surveys:survey", survey.pk)
            if not form.is_valid():
                raise ValidationError(_("Check the highlighted fields."))
            values = form.values()
            with form_unchanged(form, question, values) as stored:
                services.save_question(request.user, survey, stored, **values)
        except ValidationError as error:
            refuse(request, error, form)
            refresh_version(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("surveys:survey", survey.pk)
    return render(request, "surveys/question.html", {"survey": survey, "question": question, "form": form})


@login_required
def survey_xlsform(request: HttpRequest, survey_id: Any) -> HttpResponse:
    survey = _survey(request, survey_id, "surveys.view_results")
    return xlsx_response(f"{survey.form_id}.xlsx", export.to_xlsform(survey))


# --- Staff: results ------------------------------------------------------------------------------------------


def _results(request: HttpRequest, survey: Survey) -> results.Results:
    language = get_language() or "en"
    result = results.results(survey, survey.language_for(language), by=request.GET.get("by", ""))
    audit.record(request.user, AuditAction.READ, channel=Channel.UI, obj=survey, object_type="surveys.results",
                 organisation_id=survey.organisation_id)  # fmt: skip
    return result


@login_required
def survey_results(request: HttpRequest, survey_id: Any) -> HttpResponse:
    survey = _survey(request, survey_id, "surveys.view_results")
    result = _results(request, survey)
    attributes = [
        (q.name, q.label(result.language))
        for q in survey.questions.all()
        if q.has_choices and q.type != "select_multiple"
    ]
    mirror = survey.mirror or getattr(survey, "mirrored_by", None)
    return render(request, "surveys/results.html", {
        "survey": survey, "title": survey.title(result.language), "result": result, "attributes": attributes,
        "by": request.GET.get("by", ""), "mirror": mirror,
    })  # fmt: skip


@login_required
def survey_results_export(request: HttpRequest, survey_id: Any, fmt: str) -> HttpResponse:
    survey = _survey(request, survey_id, "surveys.view_results")
    result = _results(request, survey)
    if not result.available:
        raise Http404(_("Not enough answers yet to show results."))
    header = [_("question"), _("question text"), _("answer"), _("answer text"), _("count"), _("share"), _("median")]
    cross_header = [_("by"), _("group"), _("group text"), _("question"), _("answer"), _("answer text"), _("count")]
    if fmt == "csv":
        return csv_response(f"{survey.form_id}-results.csv", header, results.table_rows(result))
    sheets = [(_("Results"), header, results.table_rows(result))]
    if result.crosstabs:
        sheets.append((_("Cross-tabulation"), cross_header, results.crosstab_rows(result)))
    return xlsx_response(f"{survey.form_id}-results.xlsx", xlsx_bytes(sheets))


@login_required
def survey_mirror(request: HttpRequest, survey_id: Any) -> HttpResponse:
    survey = _survey(request, survey_id, "surveys.view_results")
    other = survey.mirror or getattr(survey, "mirrored_by", None)
    if other is None or not request.user.has_perm("surveys.view_results", other):
        raise Http404(_("This survey has no mirrored survey you may see."))
    # Migrants on the left, employers on the right, whichever of the pair was opened.
    left, right = (other, survey) if other.audience == Audience.MIGRANTS else (survey, other)
    language = get_language() or "en"
    first, second = (results.results(s, s.language_for(language)) for s in (left, right))
    return render(request, "surveys/mirror.html", {
        "left": left, "right": right, "left_title": left.title(first.language), "right_title": right.title(second.language),
        "first": first, "second": second, "pairs": results.mirror(first, second),
    })  # fmt: skip


# --- Staff: a person's surveys (person page tab) -------------------------------------------------------------


def person_tab(request: HttpRequest, person: Person) -> dict[str, Any]:
    language = get_language() or "en"
    organisations = access.organisations_with_roles(request.user, SURVEY_ROLES)
    responses = Response.objects.filter(person=person).select_related("survey")
    return {
        "responses": [(r, r.survey.title(language)) for r in responses],
        "open_surveys": [
            (s, s.title(language))
            for s in Survey.objects.filter(organisation_id__in=organisations, mode=Mode.LINKED, status=Status.OPEN)
        ],
    }


@login_required
@require_POST
def invite(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    survey = get_object_or_404(Survey, pk=request.POST.get("survey") or None)
    require_perm(request, "surveys.edit_survey", survey)
    try:
        _response, key = services.invite(request.user, survey, person)
    except ValidationError as error:
        refuse(request, error)
    else:
        url = request.build_absolute_uri(reverse("surveys:answer", args=[key]))
        messages.success(
            request, _("Give this personal address to the person; it is shown only now: %(url)s") % {"url": url}
        )
    return redirect(reverse("core:person", args=[person.pk]) + "?tab=surveys")


# --- Public: answering ---------------------------------------------------------------------------------------


def _activate(language: str) -> None:
    translation.activate(language if language in UI_LANGUAGES else settings.LANGUAGE_CODE)


def _language_links(survey: Survey) -> list[tuple[str, str]]:
    from ownpath.core.languages import language_name

    return [(code, language_name(code)) for code in survey.languages]


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, token: str) -> HttpResponse:
    link = get_object_or_404(Link.objects.select_related("survey"), token=token)
    survey = link.survey
    language = survey.language_for(request.GET.get("lang") or request.POST.get("lang") or get_language() or "en")
    _activate(language)
    open_ = link.is_active and survey.status == Status.OPEN
    if request.method == "POST" and open_:
        try:
            _response, key = services.start_anonymous(link, language)
        except ValidationError:
            open_ = False
        else:
            return redirect("surveys:answer", key)
    return render(request, "surveys/start.html", {
        "survey": survey, "title": survey.title(language), "language": language, "open": open_,
        "languages": _language_links(survey), "link": link,
    }, status=200 if open_ else 410)  # fmt: skip


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, key: str) -> HttpResponse:
    response = services.find_response(key)
    if response is None:
        raise Http404(_("No survey answers at this address."))
    survey = response.survey
    wanted = request.GET.get("lang") or request.POST.get("lang")
    if wanted:
        services.set_language(response, survey.language_for(wanted))
    language = response.language or survey.language_for("en")
    _activate(language)
    if response.submitted or survey.status != Status.OPEN:
        return render(request, "surveys/done.html", {"survey": survey, "title": survey.title(language),
                                                     "submitted": response.submitted, "language": language})  # fmt: skip
    state = collect.State(survey, response.answers)
    result = collect.PageResult()
    posted = None
    if request.method == "POST":
        shown = set(request.POST.getlist("shown"))
        try:
            result = services.answer(response, int(request.POST.get("page", "-1")), request.POST, shown,
                                     request.POST.get("action", "next"))  # fmt: skip
        except (ValueError, ValidationError):
            return redirect("surveys:answer", key)
        if result.ok:
            return redirect("surveys:answer", key)
        posted = request.POST
        state = collect.State(survey, response.answers)
        collect.answer_page(state, state.pages[response.page], request.POST, set(), language)
    page = state.pages[response.page] if state.pages else None
    items = []
    if page is not None:
        for question in state.shown(page):
            value = state.answers.get(question.name) if posted is None else posted.getlist(question.name)
            items.append(_item(state, question, value, language, result.errors.get(question.name, "")))
    total = len(state.pages)
    return render(request, "surveys/answer.html", {
        "survey": survey, "title": survey.title(language), "language": language, "languages": _language_links(survey),
        "page": page, "items": items, "number": response.page + 1, "total": total, "key": key,
        "errors": result.errors, "appeared": result.appeared, "first": state.previous_page(response.page) is None,
        "last": state.next_page(response.page) is None, "linked": survey.mode == Mode.LINKED,
    }, status=400 if result.errors else 200)  # fmt: skip


def _item(state: collect.State, question: Question, value: Any, language: str, error: str) -> dict[str, Any]:
    chosen = [str(v) for v in value] if isinstance(value, list) else [] if value in (None, "") else [str(value)]
    return {
        "q": question,
        "label": state.display(question.label(language), language),
        "hint": state.display(question.hints.get(language, ""), language),
        "error": error,
        "chosen": chosen,
        "value": chosen[0] if chosen else "",
        "choices": [(c["name"], question.choice_label(c["name"], language)) for c in question.choices],
        "required": question.required,
    }
