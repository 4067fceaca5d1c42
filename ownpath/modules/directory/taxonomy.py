"""ownpath's taxonomy of integration needs, published as an HSDS taxonomy with fixed UUIDs.

The portal shows each term in the reader's language (gettext, by the term's ``code``); other taxonomies
imported with HSDS data are kept and searchable by their own names.
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext_lazy as _

NAMESPACE = uuid.UUID("6f1d3c1e-4a52-4e9b-9d44-0b7a1f3e2c10")
TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, "taxonomy"))

TERMS = {
    "language_courses": _("Language courses"),
    "legal_advice": _("Legal advice"),
    "psychological_help": _("Psychological help"),
    "recognition": _("Recognition of qualifications"),
    "vocational_training": _("Vocational training"),
    "workshops": _("Workshops"),
    "childcare": _("Childcare"),
    "schools": _("Schools"),
    "health": _("Health"),
    "employment_counselling": _("Job counselling"),
}


def term_id(code: str) -> str:
    return str(uuid.uuid5(NAMESPACE, code))


def label(code: str, fallback: str = "") -> str:
    return str(TERMS.get(code, fallback or code))


def hsds_records() -> tuple[dict[str, str], list[dict[str, str]]]:
    taxonomy = {
        "id": TAXONOMY_ID,
        "name": "ownpath integration needs",
        "description": "Needs of migrants and refugees on their way into work, as used by ownpath.",
        "version": "1",
    }
    terms = [
        {
            "id": term_id(code),
            "code": code,
            "name": str(name),
            "description": f"Services for: {name}",
            "taxonomy_id": TAXONOMY_ID,
            "language": "en",
        }
        for code, name in TERMS.items()
    ]
    return taxonomy, terms
