"""schema.org ``JobPosting`` for a published vacancy, with the properties job-search engines require (title,
description, datePosted, hiringOrganization, jobLocation) and recommend (validThrough, employmentType,
baseSalary, identifier), plus the ESCO occupation's ISCO-08 group and the skills asked for."""

from __future__ import annotations

import json
from datetime import datetime, time
from typing import Any

from django.utils import timezone
from django.utils.html import escape, linebreaks

from ownpath.core.esco.search import preferred_labels
from ownpath.modules.employers.models import Vacancy

EMPLOYMENT_TYPES = {
    "employment": ["FULL_TIME"],
    "fixed_term": ["FULL_TIME", "TEMPORARY"],
    "civil_law": ["CONTRACTOR"],
    "agency": ["TEMPORARY"],
    "seasonal": ["TEMPORARY", "PER_DIEM"],
    "internship": ["INTERN"],
}


def employment_type(vacancy: Vacancy) -> list[str]:
    types = list(EMPLOYMENT_TYPES.get(vacancy.contract_type, ["OTHER"]))
    if vacancy.hours == "part_time":
        types = ["PART_TIME" if t == "FULL_TIME" else t for t in types]
        if "PART_TIME" not in types:
            types.insert(0, "PART_TIME")
    return types


def job_posting(vacancy: Vacancy, *, url: str = "") -> dict[str, Any]:
    employer = vacancy.employer
    location = vacancy.location
    profile = getattr(employer, "employer_profile", None)
    posted = vacancy.date_posted or vacancy.created_at
    end_of_day = timezone.make_aware(datetime.combine(vacancy.valid_through, time(23, 59, 59)))
    skills = list(vacancy.skills.select_related("skill"))
    labels = preferred_labels([s.skill_id for s in skills] + [vacancy.occupation_id], vacancy.language)
    organisation: dict[str, Any] = {"@type": "Organization", "name": employer.name}
    if profile and profile.website:
        organisation["sameAs"] = profile.website
    address: dict[str, Any] = {"@type": "PostalAddress", "addressLocality": location.city,
                               "addressCountry": location.country}  # fmt: skip
    if location.street:
        address["streetAddress"] = location.street
    if location.postcode:
        address["postalCode"] = location.postcode
    if location.region:
        address["addressRegion"] = location.region
    place: dict[str, Any] = {"@type": "Place", "address": address}
    if location.latitude is not None and location.longitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": location.latitude, "longitude": location.longitude}
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": linebreaks(escape(vacancy.description)),
        "datePosted": timezone.localtime(posted).date().isoformat(),
        "validThrough": end_of_day.isoformat(),
        "employmentType": employment_type(vacancy),
        "hiringOrganization": organisation,
        "jobLocation": place,
        "identifier": {"@type": "PropertyValue", "name": employer.name, "value": str(vacancy.pk)},
        "inLanguage": vacancy.language,
        "occupationalCategory": _isco(vacancy),
        "skills": ", ".join(labels.get(s.skill_id, "") for s in skills if s.essential),
        "totalJobOpenings": vacancy.places,
        # The public job page takes no applications itself: people apply through a counselling centre,
        # which proposes them to the employer (matching). Google asks that this be said, not implied.
        "directApply": False,
    }
    if vacancy.wage_min is not None or vacancy.wage_max is not None:
        value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": vacancy.wage_unit}
        if vacancy.wage_min is not None and vacancy.wage_max is not None and vacancy.wage_min == vacancy.wage_max:
            value["value"] = float(vacancy.wage_min)
        else:
            if vacancy.wage_min is not None:
                value["minValue"] = float(vacancy.wage_min)
            if vacancy.wage_max is not None:
                value["maxValue"] = float(vacancy.wage_max)
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": vacancy.currency, "value": value}
    if vacancy.starts_on:
        data["jobStartDate"] = vacancy.starts_on.isoformat()
    if vacancy.hours_per_week:
        data["workHours"] = f"{vacancy.hours_per_week} h/week"
    if url:
        data["url"] = url
    return data


def _isco(vacancy: Vacancy) -> str:
    group = vacancy.occupation.isco_group
    if group is None:
        return vacancy.occupation.code
    label = preferred_labels([group.pk], "en").get(group.pk, "")
    return f"ISCO-08 {group.code} {label}".strip()


def script(data: dict[str, Any]) -> str:
    """The JSON for a ``<script type="application/ld+json">`` element; "<" is escaped so text cannot end it."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
