"""Open Badges 2.0 (IMS Global) for certificates: hosted Assertions, BadgeClasses and Issuer profiles.

Verification is "hosted": each Assertion's ``id`` is the public URL where it is served, so a badge
backpack or verifier fetches it (and sees ``revoked`` if the certificate was revoked). The recipient is the
trainee's e-mail address, hashed with a per-certificate salt (``sha256$`` + hex), never in clear.
"""

from __future__ import annotations

import hashlib
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ownpath.core.models import Organisation
from ownpath.modules.training.models import Certificate, Curriculum
from ownpath.modules.training.services import texts_of

CONTEXT = "https://w3id.org/openbadges/v2"


def _url(base: str, name: str, *args: Any) -> str:
    return base.rstrip("/") + reverse(name, args=args)


def hashed_identity(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def assertion(certificate: Certificate, base: str) -> dict[str, Any]:
    enrolment = certificate.enrolment
    course = enrolment.course
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": _url(base, "training:badge_assertion", certificate.code),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": certificate.badge_salt,
            "identity": hashed_identity(enrolment.email, certificate.badge_salt),
        },
        "badge": _url(base, "training:badge_class", course.curriculum_id),
        "verification": {"type": "hosted"},
        "issuedOn": timezone.localtime(certificate.issued_at).isoformat(),
        "evidence": {
            "id": _url(base, "training:verified", certificate.code),
            "narrative": f"{certificate.course_title}, {certificate.starts_on.isoformat()} – "
            f"{certificate.ends_on.isoformat()}, {certificate.hours} h",
        },
    }
    if certificate.revoked_at is not None:
        data["revoked"] = True
        data["revocationReason"] = certificate.revoked_reason
    return data


def badge_class(curriculum: Curriculum, base: str) -> dict[str, Any]:
    texts = texts_of("curriculum", curriculum.pk, curriculum.source_language)
    owner = curriculum.organisation
    issuer_url = (
        _url(base, "training:badge_issuer", owner.pk)
        if owner is not None
        else _url(base, "training:badge_issuer", _network_issuer().pk)
    )
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": _url(base, "training:badge_class", curriculum.pk),
        "name": texts.get("title", curriculum.key),
        "description": texts.get("summary", "") or texts.get("title", curriculum.key),
        "image": _url(base, "training:badge_image", curriculum.pk),
        "criteria": {
            "id": _url(base, "training:badge_criteria", curriculum.pk),  # public: verifiers have no account
            "narrative": "Completed every module of the curriculum with the attendance the course required "
            "and passed its assessments.",
        },
        "issuer": issuer_url,
        "tags": [curriculum.purpose, f"version-{curriculum.version}"],
    }


def _network_issuer() -> Organisation:
    """The issuer of the network's shared curricula: the top organisation of the network (the first one
    without a parent)."""
    found = Organisation.objects.filter(parent__isnull=True).order_by("pk").first()
    assert found is not None
    return found


def issuer(organisation: Organisation, base: str) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": _url(base, "training:badge_issuer", organisation.pk),
        "name": organisation.name,
        "url": base.rstrip("/") + "/",
        "email": organisation.email or settings.OWNPATH_BADGE_ISSUER_EMAIL,
    }


def criteria_modules(curriculum: Curriculum, language: str) -> list[str]:
    """The titles of the modules a holder completed, in ``language`` (or as written)."""
    return [
        texts_of("module", module.pk, language).get("title", "") or str(module.order)
        for module in curriculum.modules.order_by("order")
    ]


def image_svg(curriculum: Curriculum) -> str:
    """A square badge image (SVG, 256 px) with the curriculum's initials; no external assets."""
    title = texts_of("curriculum", curriculum.pk, curriculum.source_language).get("title", curriculum.key)
    initials = "".join(word[0] for word in title.split()[:3] if word and word[0].isalpha()).upper() or "OP"
    colours = {"intercultural": "#1d5f8a", "mentor_path": "#7a3e9d", "plain_language": "#2f7d32"}
    colour = colours.get(curriculum.purpose, "#5b5b5b")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<circle cx="128" cy="128" r="120" fill="{colour}"/><circle cx="128" cy="128" r="100" fill="none" '
        'stroke="#fff" stroke-width="6"/><text x="128" y="150" font-family="DejaVu Sans, sans-serif" '
        f'font-size="64" font-weight="bold" fill="#fff" text-anchor="middle">{escape(initials)}</text></svg>'
    )
