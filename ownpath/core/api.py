"""The JSON API of core: people, with the same permissions and audit as the web pages; and what every
module's endpoints share (``get_or_404``)."""

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from ownpath.core import access, selectors
from ownpath.core.choices import CEFRLevel, Channel, ResidenceStatus
from ownpath.core.concurrency import parse_if_match, unchanged_since
from ownpath.core.languages import LANGUAGE_CODES
from ownpath.core.models import Organisation, Person
from ownpath.core.schema_types import Phone, PlausibleDate
from ownpath.core.services import audit, gdpr
from ownpath.core.services import people as people_service

people_router = Router(tags=["people"])


def get_or_404(model: Any, pk: Any, message: str) -> Any:
    """The record with primary key ``pk``, or a 404 with ``message``; a malformed id (not a UUID, not a
    number) is a 404 too, not an error."""
    queryset = model if isinstance(model, QuerySet) else model.objects
    try:
        found = queryset.filter(pk=pk).first()
    except (ValueError, TypeError, DjangoValidationError):
        found = None
    if found is None:
        raise HttpError(404, message)
    return found


class LanguageSchema(Schema):
    language: str = Field(..., description="ISO 639 code", max_length=8)
    level: CEFRLevel


class PersonOut(Schema):
    id: int
    organisation_id: int
    given_name: str
    family_name: str
    given_name_native: str
    family_name_native: str
    native_script: str
    birth_date: date | None
    citizenships: list[str]
    preferred_language: str
    residence_status: str
    residence_expires: date | None
    languages: list[LanguageSchema]

    @staticmethod
    def resolve_citizenships(obj: Person) -> list[str]:
        return obj.citizenship_codes

    @staticmethod
    def resolve_languages(obj: Person) -> list[dict[str, str]]:
        return [{"language": lang.language, "level": lang.level} for lang in obj.languages.all()]


class PersonIn(Schema):
    organisation_id: int | None = Field(None, description="Defaults to the caller's first casework organisation")
    given_name: str = Field("", max_length=120)
    family_name: str = Field("", max_length=120)
    given_name_native: str = Field("", max_length=120)
    family_name_native: str = Field("", max_length=120)
    birth_date: PlausibleDate | None = None
    citizenships: list[str] = Field(default_factory=list, max_length=5)
    email: str = Field("", max_length=254)
    phone: Phone = ""
    city: str = Field("", max_length=120)
    preferred_language: str = Field("", max_length=8)
    residence_status: ResidenceStatus = ResidenceStatus.UNKNOWN
    residence_expires: PlausibleDate | None = None
    languages: list[LanguageSchema] = Field(default_factory=list, max_length=10)
    confirm_new: bool = Field(False, description="Create even though possible duplicates were found")


class PersonPatch(Schema):
    given_name: str | None = Field(None, max_length=120)
    family_name: str | None = Field(None, max_length=120)
    given_name_native: str | None = Field(None, max_length=120)
    family_name_native: str | None = Field(None, max_length=120)
    birth_date: PlausibleDate | None = None
    email: str | None = Field(None, max_length=254)
    phone: Phone | None = None
    city: str | None = Field(None, max_length=120)
    residence_status: ResidenceStatus | None = None
    residence_expires: PlausibleDate | None = None


class DuplicateOut(Schema):
    id: int
    name: str
    score: float


class DuplicatesOut(Schema):
    candidates: list[DuplicateOut]
    hidden_count: int = Field(..., description="Matches held by organisations the caller may not see")


class PeopleFilter(Schema):
    q: str = Field("", max_length=200)
    residence_status: str = ""
    citizenship: str = Field("", max_length=2)


def person_or_404(request: HttpRequest, person_id: int) -> Person:
    person = selectors.get_person_for(request.user, person_id)
    if person is None:
        raise HttpError(404, _("No such person, or not one you may see."))
    return person


def _check_codes(payload: PersonIn) -> None:
    from django_countries import countries

    bad = [c for c in payload.citizenships if c.upper() not in dict(countries)]
    if bad:
        raise DjangoValidationError({"citizenships": _("Unknown country code: %(codes)s") % {"codes": ", ".join(bad)}})
    bad_languages = [lang.language for lang in payload.languages if lang.language not in LANGUAGE_CODES]
    if payload.preferred_language and payload.preferred_language not in LANGUAGE_CODES:
        bad_languages.append(payload.preferred_language)
    if bad_languages:
        raise DjangoValidationError(
            {"languages": _("Unknown language code: %(codes)s") % {"codes": ", ".join(bad_languages)}}
        )


@people_router.get("/", response=list[PersonOut], summary="People the caller may see")
@paginate(PageNumberPagination, page_size=50)
def list_people(request: HttpRequest, filters: Query[PeopleFilter]) -> Any:
    if not request.user.has_perm("core.list_people"):
        raise PermissionDenied
    people = selectors.search_people(
        request.user, query=filters.q, residence_status=filters.residence_status, citizenship=filters.citizenship
    ).prefetch_related("languages")
    return _AuditedPage(request, people)


class _AuditedPage:
    """Records the page of people the paginator actually returns as one audited list read."""

    def __init__(self, request: HttpRequest, queryset: Any) -> None:
        self.request, self.queryset = request, queryset

    def __getitem__(self, item: Any) -> Any:
        page = list(self.queryset[item])
        audit.record_list(self.request.user, page, channel=Channel.API)
        return page

    def count(self) -> int:
        return int(self.queryset.count())

    def __len__(self) -> int:
        return self.count()


@people_router.get("/duplicates", response=DuplicatesOut, summary="Search before create, across scripts")
def duplicates(
    request: HttpRequest, given_name: str = "", family_name: str = "", birth_date: date | None = None
) -> Any:
    if not request.user.has_perm("core.add_person"):
        raise PermissionDenied
    found = people_service.find_duplicates(request.user, f"{given_name} {family_name}"[:250], birth_date=birth_date)
    audit.record_list(request.user, [c.person for c in found.visible], channel=Channel.API, purpose="duplicate_check")
    return {
        "candidates": [{"id": c.person.pk, "name": c.person.display_name, "score": c.score} for c in found.visible],
        "hidden_count": found.hidden_count,
    }


def if_match(request: HttpRequest) -> str | None:
    """The version the client read (``If-Match``), or None when it sent none (``core.concurrency``)."""
    return parse_if_match(request.headers.get("If-Match"))


class PreconditionRequired(Exception):
    """A change to an existing record sent without ``If-Match``: 428 (RFC 6585), nothing written."""


def required_if_match(request: HttpRequest) -> str | None:
    """The version the client read, which a PATCH must send (``If-Match``; 428 without it). ``If-Match: *``
    is the client saying, deliberately, that it overwrites whatever is stored: None, nothing is compared
    (docs/concurrency.md)."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header:
        raise PreconditionRequired
    if header == "*":
        return None
    return parse_if_match(header) or ""


@contextmanager
def unchanged_since_read(
    request: HttpRequest, instance: Any, fields: Iterable[str], submitted: Mapping[str, Any] | None = None
) -> Iterator[Any]:
    """A PATCH's save: If-Match required (428), the row locked and compared with it (412 with the other
    save's values when stale), the service run inside the same transaction."""
    expected = required_if_match(request)
    if expected is None:
        with transaction.atomic():
            yield instance
        return
    with unchanged_since(instance, expected, fields, submitted=submitted) as stored:
        yield stored


def set_etag(response: HttpResponse, version: str) -> None:
    """Tell the client the version it has read, to send back in ``If-Match`` with a change."""
    response["ETag"] = f'"{version}"'


@people_router.get("/{int:person_id}", response=PersonOut, summary="One person (its version in ``ETag``)")
def get_person(request: HttpRequest, person_id: int, response: HttpResponse) -> Any:
    person = person_or_404(request, person_id)
    if not request.user.has_perm("core.view_person", person):
        raise PermissionDenied
    scopes = access.scopes_for(request.user, person)
    hidden = {f for scope, fields in _SCOPED_FIELDS.items() if scope not in scopes for f in fields}
    audit.record_read(
        request.user,
        person,
        channel=Channel.API,
        fields=[f for f in PersonOut.model_fields if f not in hidden],
    )
    set_etag(response, people_service.person_version(person))
    # A receiving organisation gets only what the consent covers; the rest is empty, not absent.
    return _Masked(person, hidden) if hidden else person


_SCOPED_FIELDS = {
    "identity": ("birth_date", "citizenships", "citizenship_codes"),
    "legal_status": ("residence_status", "residence_expires"),
    "languages": ("languages",),
}


class _NoRows:
    def all(self) -> list[Any]:
        return []


class _Masked:
    """A person as a receiving organisation may see it: fields outside the consent read as empty."""

    _EMPTY: dict[str, Any] = {
        "birth_date": None,
        "citizenships": [],
        "citizenship_codes": [],
        "residence_status": "",
        "residence_expires": None,
    }

    def __init__(self, person: Person, hidden: set[str]) -> None:
        self._person, self._hidden = person, hidden

    def __getattr__(self, name: str) -> Any:
        if name in self._hidden:
            return _NoRows() if name == "languages" else self._EMPTY.get(name)
        return getattr(self._person, name)


@people_router.post("/", response={201: PersonOut, 409: DuplicatesOut}, summary="Create a person")
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    if not request.user.has_perm("core.add_person"):
        raise PermissionDenied
    casework = access.organisations_with_roles(request.user, access.CASEWORK_ROLES)
    org_id = payload.organisation_id or (min(casework) if casework else None)
    if org_id not in casework:
        raise PermissionDenied
    _check_codes(payload)
    problem = people_service.birth_date_problem(payload.birth_date)
    if problem:
        raise DjangoValidationError({"birth_date": problem})
    values = payload.model_dump(exclude={"organisation_id", "languages", "confirm_new"})
    values["citizenships"] = [c.upper() for c in payload.citizenships]
    try:
        person = people_service.create_person(
            request.user,
            Organisation.objects.get(pk=org_id),
            values,
            languages=[(lang.language, lang.level) for lang in payload.languages],
            channel=Channel.API,
            confirm_new=payload.confirm_new,
        )
    except people_service.PossibleDuplicates as possible:
        found = possible.found
        audit.record_list(
            request.user, [c.person for c in found.visible], channel=Channel.API, purpose="duplicate_check"
        )
        return Status(
            409,
            {
                "candidates": [
                    {"id": c.person.pk, "name": c.person.display_name, "score": c.score} for c in found.visible
                ],
                "hidden_count": found.hidden_count,
            },
        )
    return Status(201, person)


@people_router.patch(
    "/{int:person_id}",
    response=PersonOut,
    summary="Change a person (send the ETag of your read in If-Match: a stale change is refused with 412)",
)
def patch_person(request: HttpRequest, person_id: int, payload: PersonPatch, response: HttpResponse) -> Any:
    person = person_or_404(request, person_id)
    if not request.user.has_perm("core.change_person", person):
        raise PermissionDenied(_("You cannot change this record."))  # before asking for If-Match
    changes = payload.model_dump(exclude_unset=True)
    person = people_service.update_person(
        request.user, person, changes, channel=Channel.API, expected_version=required_if_match(request)
    )
    set_etag(response, people_service.person_version(Person.objects.get(pk=person.pk)))  # as stored
    return person


@people_router.get("/{int:person_id}/export", summary="Everything held about a person (GDPR art. 15)")
def export_person(request: HttpRequest, person_id: int) -> Any:
    person = person_or_404(request, person_id)
    return gdpr.export_person_data(request.user, person, channel=Channel.API)
