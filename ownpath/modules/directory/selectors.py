"""Reads of the directory: the service finder's search, a service in the reader's language, coverage."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Avg, BooleanField, Exists, F, Func, Min, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Sqrt
from django.utils import timezone

from ownpath.core.geo import distance_km
from ownpath.core.services import translations
from ownpath.modules.directory.models import TEXTS_MODULE as MODULE
from ownpath.modules.directory.models import (
    Closure,
    Location,
    OpeningHours,
    SearchDocument,
    Service,
    ServicePlace,
    TaxonomyTerm,
)

# Counting stops here: "1000+ services" tells a reader as much as 12,621, and costs a fraction.
COUNT_CAP = 1000


@dataclass
class Query:
    text: str = ""
    language: str = "en"  # the reader's language: the text is searched in it
    term_ids: list[str] = field(default_factory=list)
    speaks: str = ""  # ISO 639-1 code of a language the service speaks
    near: tuple[float, float] | None = None
    postcode: str = ""
    radius_km: float | None = None
    open_now: bool = False
    free: bool = False
    at: datetime | None = None


@dataclass
class Hit:
    service: Service
    distance_km: float | None = None
    location: Location | None = None


def postcode_point(postcode: str) -> tuple[float, float] | None:
    """The centroid of the directory's own addresses with this postcode (no geocoder is called)."""
    found = Location.objects.filter(postal_code=postcode.strip().upper(), latitude__isnull=False).aggregate(
        lat=Avg("latitude"), lon=Avg("longitude")
    )
    if found["lat"] is None:
        return None
    return float(found["lat"]), float(found["lon"])


def _with_descendants(term_ids: list[str]) -> set[str]:
    wanted = set(term_ids)
    frontier = set(term_ids)
    while frontier:
        frontier = {
            str(t)
            for t in TaxonomyTerm.objects.filter(parent_id__in=list(frontier)).values_list("id", flat=True)  # type: ignore[misc]
        }
        frontier -= wanted
        wanted |= frontier
    return wanted


class TextMatch(Func):
    """``to_tsvector('simple', text) @@ to_tsquery('simple', query)``: the form the GIN index serves."""

    output_field = BooleanField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        column, column_params = compiler.compile(self.source_expressions[0])
        query, query_params = compiler.compile(self.source_expressions[1])
        return f"to_tsvector('simple', {column}) @@ to_tsquery('simple', {query})", [*column_params, *query_params]


def _text_filter(services: QuerySet[Service], text: str, language: str) -> QuerySet[Service]:
    words = [w for w in text.lower().split() if w][:8]
    if not words:
        return services
    documents = SearchDocument.objects.filter(service_id=OuterRef("pk"), language=language)
    if connection.vendor == "postgresql":
        # Matches the GIN index on to_tsvector('simple', text) (migration 0002); prefixes match word starts.
        terms = [re.sub(r"[^\w-]", "", w) for w in words]
        tsquery = " & ".join(f"{t}:*" for t in terms if t)
        if not tsquery:
            return services
        match = TextMatch(F("text"), Value(tsquery))
        documents = documents.filter(match)
    else:
        for word in words:
            documents = documents.filter(text__contains=word)
    return services.filter(Exists(documents))


def _distance_km(point: tuple[float, float]) -> Any:
    """Distance in km from ``point`` to the joined location, in SQL, by the equirectangular projection:
    plain arithmetic per row (no trigonometry), within 0.5 % of the great circle up to 100 km."""
    lat, lon = point
    scale = math.cos(math.radians(lat))
    dlat = F("latitude") - Value(lat)
    dlon = (F("longitude") - Value(lon)) * Value(scale)
    return Value(111.195) * Sqrt(dlat * dlat + dlon * dlon)


def search(query: Query, *, limit: int = 20, offset: int = 0) -> tuple[list[Hit], int]:
    """Active services matching every criterion given, nearest first when a place is given.

    Every criterion is a semi-join (EXISTS) on an indexed table, so no criterion multiplies rows; a place
    adds a bounding box on the location index and the exact distance in SQL.
    """
    services = Service.objects.filter(status="active")
    filtered = bool(query.term_ids or query.speaks or query.free or query.open_now or query.text.strip())
    if query.term_ids:
        wanted = _with_descendants(query.term_ids)
        through = Service.terms.through.objects.filter(service_id=OuterRef("pk"), taxonomyterm_id__in=list(wanted))
        services = services.filter(Exists(through))
    if query.speaks:
        if connection.vendor == "postgresql":
            services = services.filter(language_codes__contains=[query.speaks])
        else:
            services = services.filter(language_codes__icontains=f'"{query.speaks}"')
    if query.free:
        services = services.filter(is_free=True)
    if query.open_now:
        at = timezone.localtime(query.at or timezone.now())
        day, now = at.date(), at.time()
        hours = OpeningHours.objects.filter(
            service_id=OuterRef("pk"), weekday=day.weekday(), opens__lte=now, closes__gt=now
        ).filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        closed = Closure.objects.filter(service_id=OuterRef("pk"), starts__lte=day, ends__gte=day)
        services = services.filter(Exists(hours)).exclude(Exists(closed))
    services = _text_filter(services, query.text, query.language)
    point = query.near or (postcode_point(query.postcode) if query.postcode else None)
    if query.postcode and point is None:
        return [], 0
    if point is None:
        total = services.order_by().values("pk")[:COUNT_CAP].count()
        # Most recently updated first: fresher information, and PostgreSQL walks the index for a page.
        page = services.select_related("organization").order_by("-last_modified", "pk")[offset : offset + limit]
        return [Hit(s) for s in page], total
    radius = query.radius_km or 10.0
    dlat = radius / 111.0
    dlon = radius / max(0.01, 111.0 * math.cos(math.radians(point[0])))
    places = ServicePlace.objects.filter(
        latitude__range=(point[0] - dlat, point[0] + dlat), longitude__range=(point[1] - dlon, point[1] + dlon)
    )
    if filtered:
        # Other criteria: a semi-join on the services they select. Places exist for active services only.
        places = places.filter(Exists(services.filter(pk=OuterRef("service_id"))))
    ranked = (
        places.annotate(distance=_distance_km(point))
        .filter(distance__lte=radius)
        .values("service_id")
        .annotate(nearest=Min("distance"))
        .order_by("nearest", "service_id")
    )
    rows = list(ranked[:COUNT_CAP])  # one query: the count (capped) and the page
    window = rows[offset : offset + limit]
    ids = [row["service_id"] for row in window]
    objects = Service.objects.select_related("organization").in_bulk(ids)
    nearest_location: dict[Any, tuple[float, Location]] = {}
    for place in ServicePlace.objects.filter(service_id__in=ids).select_related("location"):
        d = distance_km(point, (place.latitude, place.longitude))
        if place.service_id not in nearest_location or d < nearest_location[place.service_id][0]:
            nearest_location[place.service_id] = (d, place.location)
    return [
        Hit(
            objects[row["service_id"]],
            round(nearest_location[row["service_id"]][0], 2) if row["service_id"] in nearest_location else None,
            nearest_location.get(row["service_id"], (0, None))[1],
        )
        for row in window
        if row["service_id"] in objects
    ], len(rows)


def texts(entity: str, entity_id: Any, language: str) -> dict[str, tuple[str, str]]:
    """Each translatable field as (text, status) in ``language``, falling back to the original."""
    return translations.texts(MODULE, entity, entity_id, language)


def original_language(entity: str, entity_id: Any) -> str:
    return translations.original_language(MODULE, entity, entity_id)


def hours_of(service: Service) -> list[OpeningHours]:
    return list(service.opening_hours.order_by("weekday", "opens"))


def is_open(service: Service, at: datetime | None = None) -> bool:
    at = timezone.localtime(at or timezone.now())
    day = at.date()
    if service.closures.filter(starts__lte=day, ends__gte=day).exists():
        return False
    return (
        service.opening_hours.filter(weekday=day.weekday(), opens__lte=at.time(), closes__gt=at.time())
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .exists()
    )
