"""May this person do this job, and if not yet, by which route and at what cost? Asked of the navigator
through the registry, so a module that matches people to jobs never imports it. Without the navigator the
answer is "unknown", never "no"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ownpath.core.choices import ResidenceStatus
from ownpath.core.registry import registry

# Residence statuses of a person record → the navigator's residence titles. Missing ones are not assumed.
RESIDENCE_TITLES = {
    ResidenceStatus.TEMPORARY_PROTECTION: "temporary_protection",
    ResidenceStatus.REFUGEE: "refugee",
    ResidenceStatus.SUBSIDIARY_PROTECTION: "subsidiary_protection",
    ResidenceStatus.TEMPORARY_RESIDENCE: "temporary_residence",
    ResidenceStatus.PERMANENT_RESIDENCE: "permanent_residence",
    ResidenceStatus.LONG_TERM_EU: "long_term_eu",
    ResidenceStatus.NATIONAL_VISA: "national_visa",
    ResidenceStatus.VISA_FREE: "visa_free",
    ResidenceStatus.NO_TITLE: "none",
}


@dataclass(frozen=True)
class WorkRight:
    status: str  # free | route | not_allowed | unknown
    label: str
    route: str | None = None
    summary: str = ""
    fees: list[str] = field(default_factory=list)
    question: str = ""
    url: str = ""

    @property
    def may_start(self) -> bool:
        return self.status == "free"

    def sentence(self) -> str:
        if self.status == "free":
            return _("May take the job: %(route)s.") % {"route": self.label}
        if self.status == "route":
            cost = ", ".join(self.fees) if self.fees else _("no fee")
            return _("Needs %(route)s before starting (cost: %(cost)s).") % {"route": self.label, "cost": cost}
        if self.status == "not_allowed":
            return _("May not take this job under the current rules.")
        if self.question:
            return _("Legal route not known yet; ask: %(question)s") % {"question": self.question}
        return _("Legal route not known: %(why)s.") % {"why": self.label}


def facts_for(
    citizenship: str | None,
    residence_status: str,
    residence_expires: date | None,
    start: date | None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """The navigator's facts for a worker; None for a citizen or an EU citizen (no rule needed). ``extra``
    carries facts the person record does not hold (a Karta Polaka, studies, the visa's purpose code)."""
    if residence_status in (ResidenceStatus.CITIZEN, ResidenceStatus.EU_CITIZEN):
        return None
    facts: dict[str, Any] = {"work_kind": "standard", "employer_in_country": True, **(extra or {})}
    if citizenship:
        facts["citizenship"] = citizenship
    title = RESIDENCE_TITLES.get(residence_status)  # type: ignore[call-overload]
    if title:
        facts["residence_title"] = title
        on = start or timezone.localdate()
        if title != "none":
            facts["legal_stay"] = residence_expires is None or residence_expires >= on
    if start:
        facts["start_date"] = start.isoformat()
    return facts


def assess(
    *,
    jurisdiction: str,
    citizenship: str | None,
    residence_status: str,
    residence_expires: date | None = None,
    start: date | None = None,
    extra: dict[str, Any] | None = None,
) -> WorkRight:
    facts = facts_for(citizenship, residence_status, residence_expires, start, extra)
    if facts is None:
        return WorkRight("free", _("citizen of the country or of the EU"))
    service = registry.capability("navigator.work_rights")
    if service is None:
        return WorkRight("unknown", _("the legal navigator is not switched on"))
    answer = service(jurisdiction, facts, timezone.localdate())
    return WorkRight(
        status=answer["status"],
        label=answer["label"],
        route=answer["route"],
        summary=answer["summary"],
        fees=list(answer["fees"]),
        question=answer["question"],
        url=answer["url"],
    )
