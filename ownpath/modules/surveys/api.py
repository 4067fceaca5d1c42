"""The surveys API at /api/v1/surveys/: surveys, their questions and their results, with the permissions and
suppression of the pages. Results are aggregates only; no single answer leaves through the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from ownpath.core import access
from ownpath.core.api import get_or_404
from ownpath.core.choices import AuditAction, Channel
from ownpath.core.services import audit
from ownpath.modules.surveys import results
from ownpath.modules.surveys.models import Survey
from ownpath.modules.surveys.rules import RESULT_ROLES

router = Router(tags=["surveys"])


class SurveyOut(Schema):
    id: str
    form_id: str
    title: str
    organisation_id: int
    audience: str
    mode: str
    status: str
    languages: list[str]
    min_group_size: int
    mirror_id: str | None


class QuestionOut(Schema):
    name: str
    type: str
    labels: dict[str, str]
    choices: list[dict[str, Any]]
    group: str
    relevant: str
    constraint: str
    required: bool
    mirror_key: str


class RowOut(Schema):
    choice: str
    label: str
    count: float | None
    share: float | None


class QuestionResultOut(Schema):
    name: str
    label: str
    kind: str
    answered: float | None
    median: float | None
    rows: list[RowOut]


class ResultsOut(Schema):
    survey_id: str
    language: str
    available: bool
    respondents: int | None
    questions: list[QuestionResultOut]


def _out(survey: Survey, language: str) -> dict[str, Any]:
    mirror = survey.mirror or getattr(survey, "mirrored_by", None)
    return {
        "id": str(survey.pk), "form_id": survey.form_id, "title": survey.title(language),
        "organisation_id": survey.organisation_id, "audience": survey.audience, "mode": survey.mode,
        "status": survey.status, "languages": survey.languages, "min_group_size": survey.min_group_size,
        "mirror_id": str(mirror.pk) if mirror else None,
    }  # fmt: skip


def _survey(request: HttpRequest, survey_id: str) -> Survey:
    survey: Survey = get_or_404(Survey, survey_id, _("No such survey, or not one you may see."))
    if not request.user.has_perm("surveys.view_results", survey):
        raise HttpError(404, _("No such survey, or not one you may see."))
    return survey


@router.get("/", response=list[SurveyOut], summary="Surveys of the organisations you work for")
def survey_list(request: HttpRequest) -> Any:
    if not request.user.has_perm("surveys.browse"):
        raise HttpError(403, _("Only coordinators, counsellors, administrators and auditors see surveys."))
    organisations = access.organisations_with_roles(request.user, RESULT_ROLES)
    language = get_language() or "en"
    return [
        _out(s, language) for s in Survey.objects.filter(organisation_id__in=organisations).select_related("mirror")
    ]


@router.get("/{survey_id}", response=SurveyOut, summary="One survey")
def survey_detail(request: HttpRequest, survey_id: str) -> Any:
    return _out(_survey(request, survey_id), get_language() or "en")


@router.get("/{survey_id}/questions", response=list[QuestionOut], summary="The questions, in every language")
def questions(request: HttpRequest, survey_id: str) -> Any:
    return list(_survey(request, survey_id).questions.all())


@router.get("/{survey_id}/results", response=ResultsOut, summary="Results per question, small counts suppressed")
def survey_results(request: HttpRequest, survey_id: str, language: str = "") -> Any:
    survey = _survey(request, survey_id)
    found = results.results(survey, survey.language_for(language or get_language() or "en"))
    audit.record(request.user, AuditAction.READ, channel=Channel.API, obj=survey, object_type="surveys.results",
                 organisation_id=survey.organisation_id)  # fmt: skip
    return {
        "survey_id": str(survey.pk), "language": found.language, "available": found.available,
        "respondents": found.respondents if found.available else None,
        "questions": [
            {"name": q.name, "label": q.label, "kind": q.kind, "answered": q.answered, "median": q.median,
             "rows": [{"choice": r.key, "label": r.label, "count": r.count, "share": r.share} for r in q.rows]}
            for q in found.questions
        ],
    }  # fmt: skip
