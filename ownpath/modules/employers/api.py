"""The employers API at /api/v1/employers/: open jobs as schema.org JobPosting (public), and vacancies
with their ESCO skills for the employer's contacts and network staff (create, change status)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from ownpath.core.api import get_or_404, if_match, set_etag
from ownpath.core.choices import OrganisationKind
from ownpath.core.models import Organisation
from ownpath.core.schema_types import PlausibleDate
from ownpath.modules.employers import jsonld, selectors, services
from ownpath.modules.employers.models import EmployerLocation, Vacancy

router = Router(tags=["employers"])


@router.get("/jobs", auth=None, summary="Open jobs as schema.org JobPosting")
def jobs(request: HttpRequest, q: str = "", city: str = "") -> list[dict[str, Any]]:
    return [jsonld.job_posting(v) for v in selectors.search_jobs(q[:100], city[:100])[:200]]


@router.get("/jobs/{vacancy_id}", auth=None, summary="One open job as schema.org JobPosting")
def job(request: HttpRequest, vacancy_id: str) -> dict[str, Any]:
    vacancy = get_or_404(selectors.open_vacancies(), vacancy_id, _("No such open job."))
    return jsonld.job_posting(vacancy)


class LanguageIn(Schema):
    language: str
    level: str
    required: bool = True


class VacancyIn(Schema):
    location_id: int
    title: str
    description: str
    language: str
    occupation: str  # ESCO occupation URI
    essential_skills: list[str]  # ESCO skill URIs
    optional_skills: list[str] = []
    languages: list[LanguageIn] = []
    contract_type: str
    hours: str = "full_time"
    hours_per_week: int | None = None
    wage_min: Decimal | None = None
    wage_max: Decimal | None = None
    currency: str = "PLN"
    wage_unit: str = "MONTH"
    starts_on: PlausibleDate | None = None
    duration_months: int | None = None
    valid_through: PlausibleDate
    places: int = 1
    handles_work_permit: bool = False


class VacancyOut(Schema):
    id: int
    status: str
    title: str
    employer_id: int
    etag: str = Field("", description="Send it in If-Match with a change; a stale change is refused with 412")


@router.post("/employers/{employer_id}/vacancies", response={201: VacancyOut}, summary="Create a vacancy (a draft)")
def create_vacancy(request: HttpRequest, employer_id: str, payload: VacancyIn) -> Any:
    employer = get_or_404(
        Organisation.objects.filter(kind=OrganisationKind.EMPLOYER), employer_id, _("No such employer.")
    )
    if not services.manages_employer(request.user, employer.pk):
        raise HttpError(404, _("No such employer."))
    values = payload.dict(exclude={"essential_skills", "optional_skills", "languages", "location_id"})
    values["location"] = EmployerLocation.objects.filter(pk=payload.location_id, employer=employer).first()
    data = services.VacancyInput(values, payload.essential_skills, payload.optional_skills,
                                 [(lang.language, lang.level, lang.required) for lang in payload.languages])  # fmt: skip
    vacancy = services.save_vacancy(request.user, employer, data)
    return 201, VacancyOut(
        id=vacancy.pk,
        status=vacancy.status,
        title=vacancy.title,
        employer_id=employer.pk,
        etag=services.vacancy_version(vacancy),
    )


class StatusIn(Schema):
    status: str


@router.post(
    "/vacancies/{vacancy_id}/status",
    response=VacancyOut,
    summary="Publish, close or mark a vacancy filled (send the ETag in If-Match: a stale change is refused with 412)",
)
def vacancy_status(request: HttpRequest, vacancy_id: str, payload: StatusIn, response: HttpResponse) -> Any:
    vacancy = get_or_404(Vacancy, vacancy_id, _("No such vacancy."))
    if not services.manages_employer(request.user, vacancy.employer_id):
        raise HttpError(404, _("No such vacancy."))
    try:
        vacancy = services.set_vacancy_status(request.user, vacancy, payload.status, expected_version=if_match(request))
    except PermissionDenied as error:
        raise HttpError(403, str(error) or _("Not allowed.")) from error
    except ValidationError:
        raise
    set_etag(response, services.vacancy_version(vacancy))
    return VacancyOut(
        id=vacancy.pk,
        status=vacancy.status,
        title=vacancy.title,
        employer_id=vacancy.employer_id,
        etag=services.vacancy_version(vacancy),
    )
