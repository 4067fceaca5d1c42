"""What the directory offers other modules (``registry.capability("directory.finder")``): searching and
reading services in a reader's language, as plain data, and leaving feedback."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from django.utils.translation import gettext as _

from ownpath.core.languages import RTL_LANGUAGES
from ownpath.modules.directory import selectors, services, taxonomy
from ownpath.modules.directory.models import Service, TaxonomyTerm

DAY_NAMES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass
class Text:
    value: str
    machine: bool = False  # machine-translated: readers are told
    language: str = ""  # set when the text is not in the reader's language
    rtl: bool = False


@dataclass
class ServiceView:
    id: str
    name: Text
    description: Text
    organization: str
    application_process: Text | None = None
    eligibility: Text | None = None
    fees: Text | None = None
    alert: Text | None = None
    needs: list[str] = field(default_factory=list)
    speaks: list[str] = field(default_factory=list)
    is_free: bool | None = None
    open_now: bool = False
    hours: list[tuple[int, time, time]] = field(default_factory=list)
    closures: list[tuple[Any, Any, str]] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    email: str = ""
    url: str = ""
    addresses: list[dict[str, Any]] = field(default_factory=list)
    distance_km: float | None = None
    owner_id: int | None = None  # the ownpath organisation behind it: where its appointments are booked


def _text(value: str, status: str, source_language: str, reader: str) -> Text:
    foreign = status == "original_fallback"
    language = source_language if foreign else reader
    return Text(value, machine=status == "machine", language=language if foreign else "", rtl=language in RTL_LANGUAGES)


class Finder:
    def needs(self) -> list[tuple[str, str]]:
        """(term id, label in the active language) of the integration-needs taxonomy, by label."""
        found = TaxonomyTerm.objects.filter(taxonomy_id=taxonomy.TAXONOMY_ID).values_list("id", "code")
        return sorted(((str(i), taxonomy.label(code)) for i, code in found), key=lambda item: item[1])

    def search(
        self, params: dict[str, Any], language: str, *, limit: int = 20, offset: int = 0
    ) -> tuple[list[ServiceView], int]:
        """Services matching ``params``: ``q`` (words), ``need`` (a term id) or ``need_code`` (a code of
        ownpath's needs taxonomy), ``speaks``, ``near``/``postcode``/``radius_km``, ``open_now``, ``free``."""
        query = selectors.Query(
            text=params.get("q", ""),
            language=language,
            term_ids=[params["need"]]
            if params.get("need")
            else [taxonomy.term_id(params["need_code"])]
            if params.get("need_code") in taxonomy.TERMS
            else [],
            speaks=params.get("speaks", ""),
            near=params.get("near"),
            postcode=params.get("postcode", ""),
            radius_km=params.get("radius_km"),
            open_now=bool(params.get("open_now")),
            free=bool(params.get("free")),
        )
        hits, total = selectors.search(query, limit=limit, offset=offset)
        return [self._view(hit.service, language, distance=hit.distance_km, brief=True) for hit in hits], total

    def service(self, service_id: str, language: str) -> ServiceView | None:
        try:
            key = uuid.UUID(str(service_id))
        except ValueError:
            return None
        service = (
            Service.objects.select_related("organization")
            .filter(pk=key, status__in=["active", "temporarily closed"])
            .first()
        )
        return self._view(service, language) if service else None

    def services(self, ids: list[str], language: str) -> list[ServiceView]:
        return [view for view in (self.service(i, language) for i in ids[:30]) if view is not None]

    def leave_feedback(
        self, service_id: str, *, rating: int | None, comment: str, information_wrong: bool, language: str
    ) -> None:
        service = Service.objects.filter(pk=service_id).select_related("organization").first()
        if service is None:
            raise LookupError(_("No such service."))
        services.leave_feedback(
            service, rating=rating, comment=comment, information_wrong=information_wrong, language=language
        )

    def _view(
        self, service: Service, language: str, *, distance: float | None = None, brief: bool = False
    ) -> ServiceView:
        texts = selectors.texts("service", service.id, language)
        source = service.source_language

        def text(name: str) -> Text | None:
            if name not in texts or not texts[name][0]:
                return None
            value, status = texts[name]
            return _text(value, status, source, language)

        view = ServiceView(
            id=str(service.id),
            name=text("name") or Text(service.name),
            description=text("description") or Text(""),
            organization=service.organization.name,
            speaks=list(service.language_codes),
            is_free=service.is_free,
            open_now=selectors.is_open(service),
            needs=[taxonomy.label(t.code, t.name) for t in service.terms.all()],
            distance_km=distance,
            owner_id=service.organization.owner_id,
        )
        if brief:
            return view
        data = service.data
        view.application_process = text("application_process")
        view.eligibility = text("eligibility_description")
        view.fees = text("fees_description")
        view.alert = text("alert")
        view.hours = [(h.weekday, h.opens, h.closes) for h in selectors.hours_of(service)]
        view.closures = [(c.starts, c.ends, c.reason) for c in service.closures.all()]
        view.documents = [
            d.get("document", "")
            for d in data.get("required_documents") or []
            if isinstance(d, dict) and d.get("document")
        ]
        view.phones = [p.get("number", "") for p in data.get("phones") or [] if isinstance(p, dict) and p.get("number")]
        view.email = data.get("email") or ""
        view.url = data.get("url") or ""
        for sal in service.service_at_locations.select_related("location"):
            location = sal.location
            for address in location.data.get("addresses") or []:
                if isinstance(address, dict):
                    view.addresses.append(
                        {
                            "name": location.name,
                            "line": ", ".join(
                                str(address.get(k)) for k in ("address_1", "postal_code", "city") if address.get(k)
                            ),
                            "latitude": location.latitude,
                            "longitude": location.longitude,
                            "accessibility": [
                                a.get("description", "")
                                for a in location.data.get("accessibility") or []
                                if isinstance(a, dict)
                            ],
                        }
                    )
        return view


finder = Finder()
