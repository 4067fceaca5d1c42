"""Reads of the directory: the service finder's search, a service in the reader's language, coverage."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Avg, BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ownpath.modules.directory.models import (
    Closure,
    Location,
    OpeningHours,
    SearchDocument,
    Service,
    TaxonomyTerm,
    Translation,
    TranslationStatus,
)

EARTH_KM = 6371.0


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


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def postcode_point(postcode: str) -> tuple[float, float] | None:
    """The centroid of the directory's own addresses with this postcode (no geocoder is called)."""
    found = Location.objects.filter(postal_code__iexact=postcode.strip(), latitude__isnull=False).aggregate(
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
        match = RawSQL(
            "to_tsvector('simple', \"directory_searchdocument\".\"text\") @@ to_tsquery('simple', %s)",
            [tsquery],
            output_field=BooleanField(),
        )
        documents = documents.filter(match)
    else:
        for word in words:
            documents = documents.filter(text__contains=word)
    return services.filter(Exists(documents))


def search(query: Query, *, limit: int = 20, offset: int = 0) -> tuple[list[Hit], int]:
    """Active services matching every criterion given, nearest first when a place is given."""
    services = Service.objects.filter(status="active").select_related("organization")
    if query.term_ids:
        services = services.filter(terms__id__in=_with_descendants(query.term_ids)).distinct()
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
        total = services.count()
        return [Hit(s) for s in services.order_by("name", "pk")[offset : offset + limit]], total
    radius = query.radius_km or 10.0
    dlat = radius / 111.0
    dlon = radius / max(0.01, 111.0 * math.cos(math.radians(point[0])))
    locations = Location.objects.filter(
        latitude__range=(point[0] - dlat, point[0] + dlat), longitude__range=(point[1] - dlon, point[1] + dlon)
    )
    candidates = services.filter(service_at_locations__location__in=locations).distinct()
    nearby = {loc.pk: loc for loc in locations}
    hits = []
    for service, location_id in candidates.values_list("pk", "service_at_locations__location_id").iterator():
        location = nearby.get(location_id)
        if location is None:
            continue
        distance = distance_km(point, (location.latitude, location.longitude))  # type: ignore[arg-type]
        if distance <= radius:
            hits.append((distance, service, location))
    best: dict[Any, tuple[float, Location]] = {}
    for distance, service_id, location in hits:
        if service_id not in best or distance < best[service_id][0]:
            best[service_id] = (distance, location)
    ordered = sorted(best.items(), key=lambda item: (item[1][0], str(item[0])))
    window = ordered[offset : offset + limit]
    objects = Service.objects.select_related("organization").in_bulk([sid for sid, _v in window])
    return [Hit(objects[sid], round(d, 2), loc) for sid, (d, loc) in window], len(ordered)


def texts(entity: str, entity_id: Any, language: str) -> dict[str, tuple[str, str]]:
    """Each translatable field as (text, status) in ``language``, falling back to the original."""
    rows = Translation.objects.filter(entity=entity, entity_id=entity_id)
    original = {t.field: t for t in rows if t.status == TranslationStatus.ORIGINAL}
    wanted = {t.field: t for t in rows if t.language == language}
    out = {}
    for name, source in original.items():
        mine = wanted.get(name)
        if (
            mine is not None
            and mine.text
            and mine.status
            in (
                TranslationStatus.ORIGINAL,
                TranslationStatus.HUMAN,
                TranslationStatus.MACHINE,
            )
        ):
            out[name] = (mine.text, mine.status)
        elif mine is not None and mine.text and mine.status == TranslationStatus.OUTDATED:
            out[name] = (source.text, "original_fallback")
        else:
            out[name] = (source.text, "original_fallback" if source.language != language else "original")
    return out


def original_language(entity: str, entity_id: Any) -> str:
    found = Translation.objects.filter(entity=entity, entity_id=entity_id, status=TranslationStatus.ORIGINAL).first()
    return found.language if found else "en"


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
