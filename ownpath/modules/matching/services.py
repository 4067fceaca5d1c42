"""Writes and queries of the matching module: candidate profiles (ESCO skills and occupations, free text
mapped to ESCO), JSON Resume import and export, the index rows, ranking both ways with the legal route, and
proposals to employers, who see a pseudonymous profile until the person consents."""

from __future__ import annotations

import json
import secrets
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from jsonschema import Draft7Validator

from ownpath.core import access, events
from ownpath.core.choices import AuditAction, Channel, ConsentPurpose, DataScope, Role
from ownpath.core.esco import mapping, search
from ownpath.core.models import EscoConcept, Person, PersonLanguage, Qualification, WorkExperience
from ownpath.core.registry import registry
from ownpath.core.services import audit, consent, work_rights
from ownpath.core.services import people as people_service
from ownpath.core.validators import plausible_date_or_none
from ownpath.modules.matching import explain as explaining
from ownpath.modules.matching import index as index_module
from ownpath.modules.matching import scoring, vacancy_index
from ownpath.modules.matching.choices import Evidence, HoursWanted, Method, ProposalStatus
from ownpath.modules.matching.models import (
    CandidateOccupation,
    CandidateProfile,
    CandidateSkill,
    CandidateVector,
    IndexChange,
    Proposal,
)

SCHEMA = Path(__file__).resolve().parent / "jsonresume" / "schema.json"
SHARE_SCOPE = [DataScope.IDENTITY, DataScope.CONTACT, DataScope.LANGUAGES, DataScope.EDUCATION, DataScope.WORK]
COUNSELLING_ROLES = frozenset({Role.COUNSELLOR, Role.ORG_ADMIN, Role.CULTURAL_MEDIATOR})


def _require_change(actor: Any, person: Person) -> None:
    if not actor.has_perm("core.change_person", person):
        raise PermissionDenied


def profile_of(person: Person) -> CandidateProfile:
    profile, _created = CandidateProfile.objects.get_or_create(person=person)
    return profile


def _changed(person: Person) -> None:
    events.publish(events.CANDIDATE_CHANGED, person_id=person.pk)


# -- profile
@transaction.atomic
def save_profile(
    actor: Any, person: Person, values: dict[str, Any], *, channel: Channel = Channel.UI
) -> CandidateProfile:
    _require_change(actor, person)
    profile = profile_of(person)
    errors: dict[str, str] = {}
    if values.get("hours", profile.hours) not in HoursWanted.values:
        errors["hours"] = _("Choose the hours.")
    km = values.get("max_commute_km", profile.max_commute_km)
    if km is None or not 0 <= int(km) <= 500:
        errors["max_commute_km"] = _("Between 0 and 500 km.")
    for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        value = values.get(name)
        if value is not None and not low <= float(value) <= high:
            errors[name] = _("Between %(low)s and %(high)s.") % {"low": low, "high": high}
    purpose = (values.get("visa_purpose") or "").strip()
    if purpose and not (purpose.isdigit() and 1 <= int(purpose) <= 24):
        errors["visa_purpose"] = _("A purpose code from 01 to 24, as printed on the visa.")
    if errors:
        raise ValidationError(errors)
    for name in ("headline", "summary", "available_from", "hours", "max_commute_km", "willing_to_relocate", "latitude",
                 "longitude", "has_karta_polaka", "full_time_student", "is_active"):  # fmt: skip
        if name in values:
            setattr(profile, name, values[name])
    profile.visa_purpose = purpose.zfill(2) if purpose else ""
    profile.save()
    audit.record(actor, AuditAction.UPDATE, channel=channel, person=person, obj=profile, purpose="job_matching",
                 fields=sorted(values))  # fmt: skip
    _changed(person)
    return profile


def _concept(uri: str, kind: str) -> EscoConcept:
    concept = EscoConcept.objects.filter(uri=(uri or "").strip(), kind=kind).first()
    if concept is None:
        raise ValidationError(
            {kind: _("Not a known ESCO %(kind)s: %(uri)s") % {"kind": kind, "uri": (uri or "—")[:120]}}
        )
    return concept


@transaction.atomic
def add_skill(actor: Any, person: Person, uri: str, *, evidence: str = Evidence.SELF, source_text: str = "",
              method: str = Method.PICKED, channel: Channel = Channel.UI) -> CandidateSkill:  # fmt: skip
    _require_change(actor, person)
    if evidence not in Evidence.values:
        raise ValidationError({"evidence": _("Choose the evidence.")})
    skill = _concept(uri, "skill")
    row, _created = CandidateSkill.objects.update_or_create(
        profile=profile_of(person), skill=skill,
        defaults={"evidence": evidence, "source_text": source_text[:200], "method": method},
    )  # fmt: skip
    audit.record(
        actor, AuditAction.UPDATE, channel=channel, person=person, obj=row, purpose="job_matching", fields=["skills"]
    )
    _changed(person)
    return row


@transaction.atomic
def remove_skill(actor: Any, person: Person, skill_id: int) -> None:
    _require_change(actor, person)
    CandidateSkill.objects.filter(profile__person=person, skill_id=skill_id).delete()
    audit.record(
        actor, AuditAction.UPDATE, channel=Channel.UI, person=person, purpose="job_matching", fields=["skills"]
    )
    _changed(person)


@transaction.atomic
def add_occupation(actor: Any, person: Person, uri: str, years: Any, *, source_text: str = "",
                   channel: Channel = Channel.UI) -> CandidateOccupation:  # fmt: skip
    _require_change(actor, person)
    try:
        value = Decimal(str(years))
    except (InvalidOperation, ValueError):
        value = Decimal(-1)
    if not Decimal(0) <= value <= Decimal(60):
        raise ValidationError({"years": _("Years between 0 and 60.")})
    occupation = _concept(uri, "occupation")
    row, _created = CandidateOccupation.objects.update_or_create(
        profile=profile_of(person), occupation=occupation, defaults={"years": value, "source_text": source_text[:200]}
    )
    audit.record(
        actor,
        AuditAction.UPDATE,
        channel=channel,
        person=person,
        obj=row,
        purpose="job_matching",
        fields=["occupations"],
    )
    _changed(person)
    return row


@transaction.atomic
def add_free_text_skills(actor: Any, person: Person, texts: list[str], *, language: str, evidence: str = Evidence.SELF,
                         channel: Channel = Channel.UI) -> tuple[list[CandidateSkill], list[str]]:  # fmt: skip
    """Each text mapped to an ESCO skill (exact, close spelling, then embeddings); the rest kept as written."""
    _require_change(actor, person)
    added, unmapped = [], []
    for text in [t.strip() for t in texts if t and t.strip()][:100]:
        found = mapping.map_text(text, kind="skill", language=language)
        if found is None:
            unmapped.append(text[:200])
            continue
        added.append(
            add_skill(
                actor, person, found.uri, evidence=evidence, source_text=text, method=found.method, channel=channel
            )
        )
    if unmapped:
        profile = profile_of(person)
        profile.unmapped_skills = sorted(set(profile.unmapped_skills) | set(unmapped))[:200]
        profile.save(update_fields=["unmapped_skills", "updated_at"])
    return added, unmapped


# -- JSON Resume
@cache
def _validator() -> Draft7Validator:
    return Draft7Validator(json.loads(SCHEMA.read_text()), format_checker=Draft7Validator.FORMAT_CHECKER)


def resume_problems(data: Any) -> list[str]:
    if not isinstance(data, dict):
        return [_("A JSON Resume is a JSON object.")]
    problems = [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}" for e in _validator().iter_errors(data)
    ]
    known = {"basics", "work", "volunteer", "education", "awards", "certificates", "publications", "skills", "languages",
             "interests", "references", "projects", "meta", "$schema"}  # fmt: skip
    if not problems and not set(data) & (known - {"$schema", "meta"}):
        problems.append(_("No JSON Resume section (basics, work, education, skills, languages) was found."))
    return problems[:10]


FLUENCY = {"native": "native", "mother tongue": "native", "bilingual": "C2", "fluent": "C1", "professional": "B2",
           "advanced": "C1", "upper intermediate": "B2", "intermediate": "B1", "conversational": "B1",
           "elementary": "A2", "basic": "A1", "beginner": "A1"}  # fmt: skip


def _fluency(text: str) -> str | None:
    t = (text or "").strip()
    if t.upper() in {"A1", "A2", "B1", "B2", "C1", "C2"}:
        return t.upper()
    for word, level in FLUENCY.items():
        if word in t.lower():
            return level
    for code in ("C2", "C1", "B2", "B1", "A2", "A1"):
        if code in t.upper():
            return code
    return None


def _date(value: Any) -> date | None:
    if not value:
        return None
    parts = str(value).split("-")
    try:
        found = date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None
    return plausible_date_or_none(found)  # year 1 or 9999: the job is kept, without the date


def _language_code(name: str) -> str | None:
    from ownpath.core.languages import LANGUAGE_CODES, language_name

    text = (name or "").strip()
    if text.lower() in LANGUAGE_CODES:
        return text.lower()
    for code in LANGUAGE_CODES:
        if language_name(code).lower() == text.lower():
            return code
    english = {"english": "en", "polish": "pl", "ukrainian": "uk", "russian": "ru", "arabic": "ar", "german": "de",
               "french": "fr", "spanish": "es", "belarusian": "be", "georgian": "ka", "turkish": "tr", "persian": "fa",
               "tigrinya": "ti", "amharic": "am", "hindi": "hi", "vietnamese": "vi", "romanian": "ro"}  # fmt: skip
    return english.get(text.lower())


@transaction.atomic
def import_resume(
    actor: Any, person: Person, data: Any, *, language: str, channel: Channel = Channel.UI
) -> dict[str, Any]:
    """Add a JSON Resume to a person's record and profile; refused whole when it does not validate."""
    _require_change(actor, person)
    problems = resume_problems(data)
    if problems:
        raise ValidationError(
            _("This file is not a valid JSON Resume: %(problems)s") % {"problems": "; ".join(problems)}
        )
    profile = profile_of(person)
    basics = data.get("basics") or {}
    if basics.get("label") and not profile.headline:
        profile.headline = str(basics["label"])[:200]
    if basics.get("summary") and not profile.summary:
        profile.summary = str(basics["summary"])[:3000]
    profile.save()
    report: dict[str, Any] = {
        "work": 0,
        "education": 0,
        "languages": 0,
        "skills": [],
        "unmapped": [],
        "occupations": [],
    }
    existing_work = set(WorkExperience.objects.filter(person=person).values_list("job_title", "employer"))
    for item in data.get("work") or []:
        title = (item.get("position") or "").strip()
        if not title:
            continue
        employer = (item.get("name") or "").strip()
        start, end = _date(item.get("startDate")), _date(item.get("endDate"))
        if (title[:200], employer[:200]) not in existing_work:
            people_service.add_background(
                actor,
                person,
                WorkExperience(job_title=title[:200], employer=employer[:200], start=start, end=end),
                channel=channel,
            )
            report["work"] += 1
        found = mapping.map_text(title, kind="occupation", language=language)
        if found:
            years = max(0.0, ((end or timezone.localdate()) - (start or end or timezone.localdate())).days / 365.25)
            current = CandidateOccupation.objects.filter(profile=profile, occupation_id=found.concept_id).first()
            add_occupation(actor, person, found.uri, round(years + (float(current.years) if current else 0), 1),
                           source_text=title, channel=channel)  # fmt: skip
            report["occupations"].append(found.label)
    for item in data.get("education") or []:
        title = " ".join(p for p in [(item.get("studyType") or "").strip(), (item.get("area") or "").strip()] if p)
        if title and not Qualification.objects.filter(person=person, title=title[:200]).exists():
            end = _date(item.get("endDate"))
            people_service.add_background(
                actor, person, Qualification(title=title[:200], year=end.year if end else None), channel=channel
            )
            report["education"] += 1
    for item in data.get("certificates") or []:
        name = (item.get("name") or "").strip()
        if name and not Qualification.objects.filter(person=person, title=name[:200]).exists():
            year = (_date(item.get("date")) or date.today()).year
            people_service.add_background(actor, person, Qualification(title=name[:200], year=year), channel=channel)
    languages = {}
    for item in data.get("languages") or []:
        code, level = _language_code(item.get("language", "")), _fluency(item.get("fluency", ""))
        if code and level:
            languages[code] = level
    if languages:
        people_service.add_languages(actor, person, languages.items(), channel=channel)
        report["languages"] = len(languages)
    texts = []
    for item in data.get("skills") or []:
        texts.append(item.get("name") or "")
        texts.extend(k for k in item.get("keywords") or [] if not str(k).startswith("http"))
    added, unmapped = add_free_text_skills(actor, person, [t for t in texts if t], language=language, channel=channel)
    report["skills"] = [a.skill_id for a in added]
    report["unmapped"] = unmapped
    audit.record(actor, AuditAction.UPDATE, channel=channel, person=person, obj=profile, purpose="job_matching",
                 detail={"import": "json_resume"})  # fmt: skip
    _changed(person)
    return report


def export_resume(actor: Any, person: Person, *, language: str = "en", channel: Channel = Channel.UI) -> dict[str, Any]:
    """The person's CV as JSON Resume (validated); skills and occupations carry their ESCO URIs."""
    profile = profile_of(person)
    skills = list(profile.skills.select_related("skill"))
    occupations = list(profile.occupations.select_related("occupation"))
    labels = search.preferred_labels([s.skill_id for s in skills] + [o.occupation_id for o in occupations], language)
    basics: dict[str, Any] = {"name": person.display_name}
    if person.email:
        basics["email"] = person.email
    if person.phone:
        basics["phone"] = person.phone
    if profile.headline:
        basics["label"] = profile.headline
    if profile.summary:
        basics["summary"] = profile.summary
    if person.city:
        basics["location"] = {"city": person.city}
    from ownpath.core.languages import language_name

    resume: dict[str, Any] = {
        "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
        "basics": basics,
        "work": [
            {
                k: v
                for k, v in {
                    "name": w.employer,
                    "position": w.job_title,
                    "startDate": w.start.isoformat() if w.start else None,
                    "endDate": w.end.isoformat() if w.end else None,
                }.items()
                if v
            }
            for w in WorkExperience.objects.filter(person=person)
        ],
        "education": [
            {k: v for k, v in {"studyType": q.title, "endDate": str(q.year) if q.year else None}.items() if v}
            for q in Qualification.objects.filter(person=person)
        ],
        "skills": [
            {"name": labels.get(s.skill_id, s.skill.uri), "level": s.get_evidence_display(), "keywords": [s.skill.uri]}
            for s in skills
        ],
        "languages": [
            {"language": language_name(lang.language), "fluency": lang.level}
            for lang in PersonLanguage.objects.filter(person=person)
        ],
        "meta": {
            "lastModified": timezone.now().replace(microsecond=0).isoformat(),
            "occupations": [
                {"esco": o.occupation.uri, "label": labels.get(o.occupation_id, ""), "years": float(o.years)}
                for o in occupations
            ],
        },
    }
    audit.record(actor, AuditAction.EXPORT, channel=channel, person=person, purpose="job_matching", fields=["cv"])
    problems = resume_problems(resume)
    if problems:  # pragma: no cover - our own output must validate
        raise ValueError(problems)
    return resume


# -- the index
def candidate_changed(person_id: int, **_: Any) -> None:
    """Core event handler: rewrite the person's index row and log the change for every process."""
    person = Person.objects.filter(pk=person_id).first()
    profile = CandidateProfile.objects.filter(person_id=person_id).select_related("person").first()
    with transaction.atomic():
        if person is None or profile is None:
            CandidateVector.objects.filter(person_id=person_id).delete()
        else:
            vector = index_module.vector_for(profile)
            vector.save()
        IndexChange.objects.create(kind="candidate", object_id=person_id)


def person_updated(person_id: int, **_: Any) -> None:
    if CandidateProfile.objects.filter(person_id=person_id).exists():
        candidate_changed(person_id)


def vacancy_changed(vacancy_id: int, **_: Any) -> None:
    IndexChange.objects.create(kind="vacancy", object_id=vacancy_id)


def rebuild_vectors() -> int:
    """Every index row from the profiles (``manage.py matching reindex``)."""
    count = 0
    for profile in CandidateProfile.objects.select_related("person").iterator(chunk_size=2000):
        index_module.vector_for(profile).save()
        count += 1
    IndexChange.objects.create(kind="rebuild", object_id=0)
    index_module._index.build()
    return count


def _vacancies() -> Any:
    service = registry.capability("employers.vacancies")
    if service is None:
        raise ValidationError(_("The employers module is not switched on."))
    return service


def _legal(
    person: Person, profile: CandidateProfile | None, vacancy: dict[str, Any], cache: dict[Any, Any]
) -> work_rights.WorkRight:
    extra: dict[str, Any] = {"duration_months": vacancy.get("duration_months") or 36}
    if vacancy.get("contract_type") == "seasonal":
        extra["work_kind"] = "seasonal"
    if profile is not None:
        extra["has_karta_polaka"] = profile.has_karta_polaka
        extra["full_time_student_pl"] = profile.full_time_student
        if profile.visa_purpose:
            extra["visa_purpose"] = profile.visa_purpose
    citizenship = str(person.citizenships[0]) if person.citizenships else None
    start = vacancy.get("starts_on") or timezone.localdate()
    valid = person.residence_expires is None or person.residence_expires >= start
    key = (
        citizenship,
        person.residence_status,
        valid,
        tuple(sorted(extra.items())),
        vacancy.get("country", "PL"),
        start,
    )
    if key not in cache:
        cache[key] = work_rights.assess(jurisdiction=vacancy.get("country", "PL"), citizenship=citizenship,
                                        residence_status=person.residence_status, residence_expires=person.residence_expires,
                                        start=start, extra=extra)  # fmt: skip
    return cache[key]


def may_match(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, COUNSELLING_ROLES))


def candidates_for(
    actor: Any, vacancy_id: int, *, limit: int = 50, language: str = "en"
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The best candidates among the people the counsellor may see, each with factors and legal route."""
    if not may_match(actor):
        raise PermissionDenied
    vacancy = _vacancies().get(vacancy_id)
    if vacancy is None:
        raise ValidationError(_("No such vacancy."))
    idx = index_module.candidates()
    orgs = access.organisations_with_roles(actor, access.CASEWORK_ROLES)
    ranked = scoring.rank_candidates(idx, vacancy, limit=limit, allowed_orgs=orgs)
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=[r.person_id for r in ranked]).filter(access.people_visible_to(actor))
    }
    profiles = {p.person_id: p for p in CandidateProfile.objects.filter(person_id__in=list(people))}
    vectors = {v.person_id: v for v in CandidateVector.objects.filter(person_id__in=list(people))}
    cache: dict[Any, Any] = {}
    rows = []
    for r in ranked:
        person = people.get(r.person_id)
        if person is None or r.person_id not in vectors:
            continue
        detail = explaining.explain(idx, vacancy, explaining.Candidate.from_vector(vectors[r.person_id]), language)
        rows.append({"person": person, "score": r.score, "result": detail,
                     "legal": _legal(person, profiles.get(person.pk), vacancy, cache)})  # fmt: skip
    audit.record_list(actor, list(people.values()), channel=Channel.UI, purpose="job_matching")
    return vacancy, rows


def vacancies_for(actor: Any, person: Person, *, limit: int = 20, language: str = "en") -> list[dict[str, Any]]:
    """Open vacancies for a person, best first, each with factors and the legal route: every open vacancy
    in the country is scored at once (``vacancy_index``), then the best are explained."""
    if not actor.has_perm("core.view_person", person):
        raise PermissionDenied
    service = _vacancies()
    idx = index_module.candidates()
    vector = CandidateVector.objects.filter(person=person).first()
    if vector is None:
        return []
    candidate = explaining.Candidate.from_vector(vector)
    ranked = vacancy_index.vacancies(service).rank(idx, candidate, limit=limit)
    found = {v["id"]: v for v in service.many([pk for pk, _score in ranked])}
    profile = CandidateProfile.objects.filter(person=person).first()
    cache: dict[Any, Any] = {}
    rows = []
    for pk, _score in ranked:
        vacancy = found.get(pk)
        if vacancy is None or not vacancy["open"]:
            continue
        detail = explaining.explain(idx, vacancy, candidate, language)
        rows.append({"vacancy": vacancy, "score": detail.score, "result": detail,
                     "legal": _legal(person, profile, vacancy, cache)})  # fmt: skip
    audit.record(actor, AuditAction.READ, channel=Channel.UI, person=person, purpose="job_matching", fields=["matches"])
    return rows


# -- proposals
def _employer_contact(user: Any, employer_id: int) -> bool:
    return Role.EMPLOYER_CONTACT in access.roles_at(user, employer_id)


@transaction.atomic
def propose(actor: Any, vacancy_id: int, person: Person, *, language: str = "en") -> Proposal:
    """Shortlist a person for a vacancy and propose them to the employer (pseudonymously until consent)."""
    _require_change(actor, person)
    vacancy = _vacancies().get(vacancy_id)
    if vacancy is None or not vacancy["open"]:
        raise ValidationError(_("This vacancy is not open."))
    idx = index_module.candidates()
    vector = CandidateVector.objects.filter(person=person).first()
    if vector is None:
        raise ValidationError(_("Record the person's skills first."))
    detail = explaining.explain(idx, vacancy, explaining.Candidate.from_vector(vector), language)
    proposal, _created = Proposal.objects.get_or_create(
        vacancy_id=vacancy_id, person=person,
        defaults={"employer_id": vacancy["employer_id"], "organisation": person.organisation, "code": _code(),
                  "created_by": actor, "score": detail.score, "explanation": detail.as_dict()},
    )  # fmt: skip
    if proposal.status in (ProposalStatus.SHORTLISTED, ProposalStatus.WITHDRAWN):
        proposal.status = ProposalStatus.PROPOSED
        proposal.proposed_at = timezone.now()
        proposal.score = detail.score
        proposal.explanation = detail.as_dict()
        proposal.save()
    audit.record(actor, AuditAction.SHARE, channel=Channel.UI, person=person, obj=proposal, purpose="job_matching",
                 detail={"pseudonymous": True, "employer": vacancy["employer_id"]})  # fmt: skip
    return proposal


def _code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return (
        "".join(secrets.choice(alphabet) for _ in range(4)) + "-" + "".join(secrets.choice(alphabet) for _ in range(4))
    )


@transaction.atomic
def record_consent(actor: Any, proposal: Proposal, *, evidence: str) -> Proposal:
    """The person agreed that the employer sees her profile and CV (recorded by the counsellor)."""
    person = proposal.person
    _require_change(actor, person)
    given = consent.give_consent(actor, person, recipients=[proposal.employer], purpose=ConsentPurpose.CV_TO_EMPLOYER,
                                 scope=SHARE_SCOPE, evidence=evidence)  # fmt: skip
    proposal.consent = given
    proposal.save(update_fields=["consent"])
    return proposal


def may_see_profile(proposal: Proposal) -> bool:
    return bool(
        consent.may_share(
            proposal.person, proposal.organisation, proposal.employer, ConsentPurpose.CV_TO_EMPLOYER, SHARE_SCOPE
        )
    )


def proposals_for_employer(user: Any) -> Any:
    employers = access.organisations_with_roles(user, {Role.EMPLOYER_CONTACT})
    return Proposal.objects.filter(employer_id__in=employers).exclude(
        status__in=[ProposalStatus.SHORTLISTED, ProposalStatus.WITHDRAWN]
    )


def employer_view(actor: Any, proposal: Proposal, *, language: str) -> dict[str, Any]:
    """What the employer sees: a pseudonymous profile (skills, experience, languages, availability, legal
    route) until the person consents; then the name and contact details too (the read is audited)."""
    if not _employer_contact(actor, proposal.employer_id):
        raise PermissionDenied
    person = proposal.person
    profile = profile_of(person)
    labels = search.preferred_labels(list(profile.skills.values_list("skill_id", flat=True))
                                     + list(profile.occupations.values_list("occupation_id", flat=True)), language)  # fmt: skip
    view: dict[str, Any] = {
        "code": proposal.code,
        "skills": sorted(labels.get(s, "") for s in profile.skills.values_list("skill_id", flat=True)),
        "occupations": [(labels.get(o.occupation_id, ""), o.years) for o in profile.occupations.all()],
        "languages": list(person.languages.values_list("language", "level")),
        "available_from": profile.available_from,
        "explanation": {"factors": explaining.render(proposal.explanation, language)},
        "consented": may_see_profile(proposal),
    }
    if view["consented"]:
        view.update({"name": person.display_name, "email": person.email, "phone": person.phone,
                     "work": list(WorkExperience.objects.filter(person=person)),
                     "education": list(Qualification.objects.filter(person=person))})  # fmt: skip
        audit.record_read(
            actor, person, channel=Channel.UI, fields=[str(s) for s in SHARE_SCOPE], purpose="cv_to_employer"
        )
    return view


@transaction.atomic
def invite(actor: Any, proposal: Proposal, slot_id: int) -> Proposal:
    if not _employer_contact(actor, proposal.employer_id):
        raise PermissionDenied
    if not may_see_profile(proposal):
        raise PermissionDenied(_("The person has not agreed to share her profile with you yet."))
    service = _vacancies()
    slot = service.invite(actor, slot_id, proposal.person_id)
    proposal.status = ProposalStatus.INVITED
    proposal.invited_slot = {
        "id": slot["id"],
        "starts_at": slot["starts_at"].isoformat(),
        "event": slot["event"],
        "place": slot["place"],
    }
    proposal.save(update_fields=["status", "invited_slot"])
    return proposal


@transaction.atomic
def decline(actor: Any, proposal: Proposal) -> Proposal:
    if not _employer_contact(actor, proposal.employer_id):
        raise PermissionDenied
    proposal.status = ProposalStatus.DECLINED
    proposal.save(update_fields=["status"])
    return proposal


def export_person(person: Person) -> dict[str, Any]:
    profile = CandidateProfile.objects.filter(person=person).first()
    if profile is None:
        return {}
    return {"skills": list(profile.skills.values("skill__uri", "evidence", "source_text", "method")),
            "occupations": list(profile.occupations.values("occupation__uri", "years")),
            "available_from": profile.available_from, "proposals": list(Proposal.objects.filter(person=person).values("vacancy_id", "status", "created_at"))}  # fmt: skip


def erase_person_data(person: Person) -> None:
    CandidateProfile.objects.filter(person=person).delete()
    CandidateVector.objects.filter(person=person).delete()
    Proposal.objects.filter(person=person).delete()
    IndexChange.objects.create(kind="candidate", object_id=person.pk)
