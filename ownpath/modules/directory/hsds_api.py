"""The Open Referral HSDS 3.0 API at /hsds/: public, read-only, paginated with the specification's Page.

Responses are plain HSDS objects (see ``hsds.py``); the test suite validates every endpoint against the
specification's compiled schemas.
"""

import json
import uuid
from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from ownpath.api import DOCS_CSP
from ownpath.modules.directory import hsds, selectors
from ownpath.modules.directory.models import (
    DirectoryOrganization,
    Location,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

api = NinjaAPI(
    title="ownpath — Open Referral HSDS 3.0",
    version="3.0",
    description="The services directory in the Human Services Data Specification 3.0 (openreferral.org).",
    urls_namespace="hsds",
    docs_url="/docs",
    docs_decorator=csp_override(DOCS_CSP),
    openapi_url="/openapi.json",
)
MAX_PER_PAGE = 200


def _error(request: HttpRequest, status: int, code: str, message: str, details: Any = None) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details or []}}, status=status
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "query"), "message": e.get("msg", "")}
        for e in exc.errors
    ]
    return _error(request, 422, "invalid", _("The request has invalid values."), details)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "not_found" if exc.status_code == 404 else "error", str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found."))


def _uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as error:
        raise Http404 from error


def _paginate(
    request: HttpRequest, queryset: QuerySet[Any], page: int, per_page: int, render: Any, fmt: str = "json"
) -> Any:
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise HttpError(422, _("page must be 1 or more, per_page between 1 and %(max)s.") % {"max": MAX_PER_PAGE})
    if fmt == "ndjson":

        def lines() -> Iterator[str]:
            for item in queryset.iterator(chunk_size=500):
                yield json.dumps(render(item), ensure_ascii=False) + "\n"

        return StreamingHttpResponse(lines(), content_type="application/x-ndjson")
    if fmt != "json":
        raise HttpError(422, _("format is json or ndjson."))
    total = queryset.count()
    items = list(queryset[(page - 1) * per_page : page * per_page])
    return hsds.page([render(item) for item in items], total, page, per_page)


def _modified_after(value: str | None) -> Any:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise HttpError(422, _("modified_after must be a date and time (ISO 8601)."))
    return parsed


def _text(queryset: QuerySet[Any], search: str | None, *fields: str) -> QuerySet[Any]:
    for word in (search or "").split()[:8]:
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def _services(
    search: str | None,
    taxonomy_term_id: str | None,
    taxonomy_id: str | None,
    organization_id: str | None,
    modified_after: str | None,
) -> QuerySet[Service]:
    services = Service.objects.select_related("organization").order_by("name", "pk")
    services = _text(services, search, "name", "description", "organization__name")
    if taxonomy_term_id:
        services = services.filter(terms__id=_filter_uuid("taxonomy_term_id", taxonomy_term_id)).distinct()
    if taxonomy_id:
        services = services.filter(terms__taxonomy_id=_filter_uuid("taxonomy_id", taxonomy_id)).distinct()
    if organization_id:
        services = services.filter(organization_id=_filter_uuid("organization_id", organization_id))
    after = _modified_after(modified_after)
    if after is not None:
        services = services.filter(last_modified__gte=after)
    return services


def _filter_uuid(name: str, value: str) -> uuid.UUID:
    """A filter's id, or 422: a malformed filter is an error, not an empty page."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise HttpError(422, _("%(name)s must be a UUID.") % {"name": name}) from None


@api.get("/", summary="About this API", tags=["hsds"])
def about(request: HttpRequest) -> dict[str, str]:
    return {
        "version": hsds.VERSION,
        "profile": request.build_absolute_uri(reverse("hsds_profile")),
        "openapi_url": request.build_absolute_uri(reverse("hsds:openapi-json")),
    }


@api.get("/services", summary="Services (Page)", tags=["hsds"])
def services(
    request: HttpRequest,
    search: str | None = None,
    page: int = 1,
    per_page: int = 50,
    format: str = "json",
    taxonomy_term_id: str | None = None,
    taxonomy_id: str | None = None,
    organization_id: str | None = None,
    modified_after: str | None = None,
    minimal: bool = False,
    full: bool = False,
) -> Any:
    queryset = _services(search, taxonomy_term_id, taxonomy_id, organization_id, modified_after)
    if minimal:
        return _paginate(
            request,
            queryset,
            page,
            per_page,
            lambda s: {
                "id": str(s.id),
                "name": s.name,
                "status": s.status,
                "last_modified": s.last_modified.isoformat(),
            },
            format,
        )
    if full:
        queryset = queryset.prefetch_related("service_at_locations__location")
    return _paginate(request, queryset, page, per_page, hsds.service_out if full else hsds.service_list_item, format)


@api.get("/services/{id}", summary="A service, fully nested", tags=["hsds"])
def service(request: HttpRequest, id: str) -> Any:
    found = Service.objects.select_related("organization").filter(pk=_uuid_or_404(id)).first()
    if found is None:
        raise Http404
    return hsds.service_out(found)


@api.get("/organizations", summary="Organizations (Page)", tags=["hsds"])
def organizations(
    request: HttpRequest,
    search: str | None = None,
    full_service: bool = False,
    full: bool = False,
    page: int = 1,
    per_page: int = 50,
    format: str = "json",
) -> Any:
    queryset = _text(DirectoryOrganization.objects.order_by("name", "pk"), search, "name", "description")
    if full or full_service:
        return _paginate(
            request,
            queryset,
            page,
            per_page,
            lambda o: hsds.organization_out(o, full=True, full_service=full_service),
            format,
        )
    return _paginate(request, queryset, page, per_page, hsds.organization_list_item, format)


@api.get("/organizations/{id}", summary="An organization with its services", tags=["hsds"])
def organization(request: HttpRequest, id: str, full_service: bool = False) -> Any:
    found = DirectoryOrganization.objects.filter(pk=_uuid_or_404(id)).first()
    if found is None:
        raise Http404
    return hsds.organization_out(found, full=True, full_service=full_service)


@api.get("/service_at_locations", summary="Services at locations (Page)", tags=["hsds"])
def service_at_locations(
    request: HttpRequest,
    search: str | None = None,
    taxonomy_term_id: str | None = None,
    taxonomy_id: str | None = None,
    organization_id: str | None = None,
    modified_after: str | None = None,
    full: bool = False,
    page: int = 1,
    per_page: int = 50,
    format: str = "json",
    postcode: str | None = None,
    proximity: str | None = None,
) -> Any:
    wanted = _services(search, taxonomy_term_id, taxonomy_id, organization_id, modified_after)
    queryset = (
        ServiceAtLocation.objects.filter(service__in=wanted)
        .select_related("service__organization", "location")
        .order_by("service__name", "pk")
    )
    if postcode:
        point = selectors.postcode_point(postcode)
        if point is None:
            queryset = queryset.none()
        else:
            try:
                metres = float(proximity) if proximity else 5000.0
            except ValueError as error:
                raise HttpError(422, _("proximity is a distance in metres.")) from error
            if metres <= 0:
                raise HttpError(422, _("proximity is a distance in metres."))
            near = [
                loc.pk
                for loc in Location.objects.filter(latitude__isnull=False).filter(
                    latitude__range=(point[0] - metres / 111000, point[0] + metres / 111000)
                )
                if selectors.distance_km(point, (loc.latitude, loc.longitude)) * 1000 <= metres  # type: ignore[arg-type]
            ]
            queryset = queryset.filter(location_id__in=near)
    return _paginate(
        request, queryset, page, per_page, lambda sal: hsds.service_at_location_out(sal, full=full), format
    )


@api.get("/service_at_locations/{id}", summary="A service at a location", tags=["hsds"])
def service_at_location(request: HttpRequest, id: str) -> Any:
    found = (
        ServiceAtLocation.objects.select_related("service__organization", "location")
        .filter(pk=_uuid_or_404(id))
        .first()
    )
    if found is None:
        raise Http404
    return hsds.service_at_location_out(found, full=True)


@api.get("/taxonomies", summary="Taxonomies (Page)", tags=["hsds"])
def taxonomies(
    request: HttpRequest, search: str | None = None, page: int = 1, per_page: int = 50, format: str = "json"
) -> Any:
    queryset = _text(Taxonomy.objects.order_by("name", "pk"), search, "name", "description")
    return _paginate(request, queryset, page, per_page, hsds.taxonomy_out, format)


@api.get("/taxonomies/{id}", summary="A taxonomy", tags=["hsds"])
def taxonomy(request: HttpRequest, id: str) -> Any:
    found = Taxonomy.objects.filter(pk=_uuid_or_404(id)).first()
    if found is None:
        raise Http404
    return hsds.taxonomy_out(found)


@api.get("/taxonomy_terms", summary="Taxonomy terms (Page)", tags=["hsds"])
def taxonomy_terms(
    request: HttpRequest,
    search: str | None = None,
    page: int = 1,
    per_page: int = 50,
    format: str = "json",
    taxonomy_id: str | None = None,
    top_only: bool = False,
    parent_id: str | None = None,
) -> Any:
    queryset = _text(
        TaxonomyTerm.objects.select_related("taxonomy").order_by("name", "pk"), search, "name", "description", "code"
    )
    if taxonomy_id:
        queryset = queryset.filter(taxonomy_id=_filter_uuid("taxonomy_id", taxonomy_id))
    if top_only:
        queryset = queryset.filter(parent__isnull=True)
    if parent_id:
        queryset = queryset.filter(parent_id=_filter_uuid("parent_id", parent_id))
    return _paginate(request, queryset, page, per_page, hsds.taxonomy_term_out, format)


@api.get("/taxonomy_terms/{id}", summary="A taxonomy term", tags=["hsds"])
def taxonomy_term(request: HttpRequest, id: str) -> Any:
    found = TaxonomyTerm.objects.select_related("taxonomy").filter(pk=_uuid_or_404(id)).first()
    if found is None:
        raise Http404
    return hsds.taxonomy_term_out(found)
