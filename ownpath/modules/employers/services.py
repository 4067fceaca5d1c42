"""Writes of the employers module. Each function checks its input, writes in one transaction, audits what
touches a person and publishes core events (ids only) for other modules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ownpath.core import access, events
from ownpath.core.choices import AuditAction, CEFRLevel, Channel, OrganisationKind, Role
from ownpath.core.concurrency import check_version, version_of
from ownpath.core.geo import add_months
from ownpath.core.models import EscoConcept, EscoRelation, Organisation, Person
from ownpath.core.services import audit, translations
from ownpath.modules.employers.choices import (
    AgreementStatus,
    Commitment,
    ContractType,
    Hours,
    NaceSection,
    Outcome,
    SizeBand,
    SlotStatus,
    VacancyStatus,
    WageUnit,
)
from ownpath.modules.employers.events import PERSON_HIRED, VACANCY_CHANGED
from ownpath.modules.employers.models import (
    Article,
    EmployerContact,
    EmployerLocation,
    EmployerProfile,
    EventEmployer,
    EventRegistration,
    FollowUp,
    GoodPractice,
    Hire,
    InterviewSlot,
    PartnershipAgreement,
    RecruitmentEvent,
    ShadowingVisit,
    Vacancy,
    VacancyLanguage,
    VacancySkill,
)

# Who works with employers on behalf of the network: administrators and counsellors of non-employer members.
STAFF_ROLES = frozenset({Role.NETWORK_ADMIN, Role.ORG_ADMIN, Role.COUNSELLOR})
FOLLOW_UP_MONTHS = (3, 6)
MODULE = "employers"


# -- who may do what
def is_network_staff(user: Any) -> bool:
    cached = getattr(user, "_ownpath_network_staff", None)
    if cached is not None:
        return bool(cached)
    orgs = access.organisations_with_roles(user, STAFF_ROLES)
    staff = any(o.pk in orgs and o.kind != OrganisationKind.EMPLOYER for o in access.organisations_of(user))
    if getattr(user, "is_authenticated", False):
        user._ownpath_network_staff = staff  # once per request: the user object lives as long as the request
    return staff


def employers_of(user: Any) -> set[int]:
    """Employers the user speaks for as an employer contact."""
    return access.organisations_with_roles(user, {Role.EMPLOYER_CONTACT})


def manages_employer(user: Any, employer_id: int | None) -> bool:
    return employer_id is not None and (is_network_staff(user) or employer_id in employers_of(user))


def _require(ok: bool) -> None:
    if not ok:
        raise PermissionDenied


def _errors(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


# -- employers
@transaction.atomic
def save_employer(actor: Any, values: dict[str, Any], organisation: Organisation | None = None) -> Organisation:
    """Create an employer (a core organisation) with its profile, or update one."""
    _require(is_network_staff(actor) if organisation is None else manages_employer(actor, organisation.pk))
    errors: dict[str, str] = {}
    name = (values.get("name") or "").strip()
    if not name:
        errors["name"] = _("Give the employer's name.")
    if values.get("nace_section") not in NaceSection.values:
        errors["nace_section"] = _("Choose a NACE section.")
    if values.get("size") not in SizeBand.values:
        errors["size"] = _("Choose a size.")
    code = (values.get("nace_code") or "").strip()
    if code and not (code.replace(".", "").isdigit() and len(code) <= 8):
        errors["nace_code"] = _("A NACE code is digits with dots, such as 25.62.")
    _errors(errors)
    if organisation is None:
        from django.utils.text import slugify

        base = slugify(name)[:40] or "employer"
        slug, n = base, 1
        while Organisation.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        organisation = Organisation.objects.create(name=name, slug=slug, kind=OrganisationKind.EMPLOYER,
                                                   city=values.get("city", "")[:120])  # fmt: skip
        if actor_orgs := access.organisations_with_roles(actor, STAFF_ROLES):
            networks = {n for o in Organisation.objects.filter(pk__in=actor_orgs) for n in o.networks.all()}
            organisation.networks.set(networks)
    else:
        organisation.name = name
        organisation.save(update_fields=["name"])
    EmployerProfile.objects.update_or_create(
        organisation=organisation,
        defaults={
            "nace_section": values["nace_section"],
            "nace_code": code,
            "size": values["size"],
            "website": values.get("website", ""),
            "description": values.get("description", ""),
            "languages": sorted(set(values.get("languages") or [])),
        },
    )
    return organisation


def _coordinate(name: str, value: Any, low: float, high: float, errors: dict[str, str]) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = high + 1
    if not low <= number <= high:
        errors[name] = _("Between %(low)s and %(high)s.") % {"low": low, "high": high}
        return None
    return number


@transaction.atomic
def add_location(actor: Any, employer: Organisation, values: dict[str, Any]) -> EmployerLocation:
    _require(manages_employer(actor, employer.pk))
    errors: dict[str, str] = {}
    if not (values.get("name") or "").strip():
        errors["name"] = _("Name the place.")
    if not (values.get("city") or "").strip():
        errors["city"] = _("Give the city.")
    lat = _coordinate("latitude", values.get("latitude"), -90, 90, errors)
    lon = _coordinate("longitude", values.get("longitude"), -180, 180, errors)
    _errors(errors)
    return EmployerLocation.objects.create(
        employer=employer, name=values["name"].strip(), street=values.get("street", ""), postcode=values.get("postcode", ""),
        city=values["city"].strip(), region=values.get("region", ""), country=(values.get("country") or "PL").upper()[:2],
        latitude=lat, longitude=lon,
    )  # fmt: skip


@transaction.atomic
def add_contact(actor: Any, employer: Organisation, values: dict[str, Any]) -> EmployerContact:
    _require(manages_employer(actor, employer.pk))
    if not (values.get("name") or "").strip():
        raise ValidationError({"name": _("Give the contact's name.")})
    return EmployerContact.objects.create(
        employer=employer, name=values["name"].strip(), role=values.get("role", ""), email=values.get("email", ""),
        phone=values.get("phone", ""),
    )  # fmt: skip


@transaction.atomic
def add_instructor(actor: Any, employer: Organisation, values: dict[str, Any]) -> Any:
    from ownpath.modules.employers.models import WorkplaceInstructor

    _require(manages_employer(actor, employer.pk))
    if not (values.get("name") or "").strip():
        raise ValidationError({"name": _("Give the instructor's name.")})
    trained = values.get("trained_on")
    if trained and trained > timezone.localdate():
        raise ValidationError({"trained_on": _("The training cannot be in the future.")})
    return WorkplaceInstructor.objects.create(
        employer=employer, name=values["name"].strip(), email=values.get("email", ""),
        languages=sorted(set(values.get("languages") or [])), trained_on=trained,
        certificate_code=(values.get("certificate_code") or "").strip().upper(),
    )  # fmt: skip


# -- partnership agreements
def _check_agreement(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if not starts:
        errors["starts_on"] = _("Give the start.")
    if not ends:
        errors["ends_on"] = _("Give the end.")
    elif starts and ends <= starts:
        errors["ends_on"] = _("The agreement must end after it starts.")
    commitments = values.get("commitments") or []
    if not commitments or not set(commitments) <= set(Commitment.values):
        errors["commitments"] = _("Choose at least one commitment.")
    _errors(errors)


@transaction.atomic
def create_agreement(
    actor: Any, employer: Organisation, partner: Organisation, values: dict[str, Any]
) -> PartnershipAgreement:
    _require(is_network_staff(actor))
    if partner.kind == OrganisationKind.EMPLOYER:
        raise ValidationError({"partner": _("The partner is a member of the network, not another employer.")})
    _check_agreement(values)
    signed = values.get("signed_on")
    status = AgreementStatus.ACTIVE if signed else AgreementStatus.DRAFT
    return PartnershipAgreement.objects.create(
        employer=employer, partner=partner, starts_on=values["starts_on"], ends_on=values["ends_on"], signed_on=signed,
        commitments=sorted(set(values["commitments"])), status=status, notes=values.get("notes", ""), created_by=actor,
    )  # fmt: skip


@transaction.atomic
def renew_agreement(
    actor: Any, agreement: PartnershipAgreement, *, months: int, commitments: Iterable[str] | None = None
) -> PartnershipAgreement:
    """A new agreement continuing the old one from the day after it ends; the old one is marked renewed."""
    _require(is_network_staff(actor))
    agreement = PartnershipAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status not in (AgreementStatus.ACTIVE, AgreementStatus.ENDED):
        raise ValidationError(_("Only an active or ended agreement can be renewed."))
    if hasattr(agreement, "renewal"):
        raise ValidationError(_("This agreement has already been renewed."))
    if not 1 <= months <= 60:
        raise ValidationError({"months": _("Renew for 1 to 60 months.")})
    starts = agreement.ends_on + timedelta(days=1)
    values: dict[str, Any] = {"starts_on": starts, "ends_on": add_months(starts, months) - timedelta(days=1),
              "commitments": list(commitments or agreement.commitments)}  # fmt: skip
    _check_agreement(values)
    renewal = PartnershipAgreement.objects.create(
        employer=agreement.employer, partner=agreement.partner, starts_on=values["starts_on"], ends_on=values["ends_on"],
        signed_on=timezone.localdate(), commitments=sorted(set(values["commitments"])), status=AgreementStatus.ACTIVE,
        renewed_from=agreement, created_by=actor,
    )  # fmt: skip
    agreement.status = AgreementStatus.RENEWED
    agreement.save(update_fields=["status"])
    return renewal


@transaction.atomic
def end_agreement(actor: Any, agreement: PartnershipAgreement) -> PartnershipAgreement:
    _require(is_network_staff(actor))
    agreement.status = AgreementStatus.ENDED
    agreement.save(update_fields=["status"])
    return agreement


def expire_agreements(today: date | None = None) -> int:
    """Active agreements past their end become ended (run daily with the other sweeps)."""
    today = today or timezone.localdate()
    return PartnershipAgreement.objects.filter(status=AgreementStatus.ACTIVE, ends_on__lt=today).update(
        status=AgreementStatus.ENDED
    )


# -- the information package
@transaction.atomic
def save_article(
    actor: Any, *, key: str, topic: str, language: str, title: str, body: str, organisation: Organisation,
    navigator_case: dict[str, Any] | None = None, published: bool = False, order: int = 0,
) -> Article:  # fmt: skip
    _require(is_network_staff(actor) or actor is None)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give a title.")
    if not body.strip():
        errors["body"] = _("Write the article.")
    if not translations.known_language(language):
        errors["language"] = _("Unknown language.")
    _errors(errors)
    article, _created = Article.objects.update_or_create(
        key=key, defaults={"topic": topic, "organisation": organisation, "navigator_case": navigator_case or {},
                           "published": published, "order": order},
    )  # fmt: skip
    translations.set_original(MODULE, "article", article.pk, {"title": title.strip(), "body": body.strip()}, language,
                              languages=[code for code, _name in settings.LANGUAGES], actor=actor)  # fmt: skip
    return article


# -- vacancies
@dataclass
class VacancyInput:
    values: dict[str, Any]
    essential: list[str]  # ESCO skill URIs
    optional: list[str]
    languages: list[tuple[str, str, bool]]  # language, CEFR level, required


def occupation_skills(occupation: EscoConcept) -> tuple[list[EscoConcept], list[EscoConcept]]:
    """The occupation's essential and optional skills from ESCO, to pre-fill a vacancy."""
    rows = (
        EscoRelation.objects.filter(source=occupation, kind__in=["essential", "optional"])
        .select_related("target")
        .order_by("target__uri")
    )
    essential = [r.target for r in rows if r.kind == "essential"]
    optional = [r.target for r in rows if r.kind == "optional"]
    return essential, optional


def _concepts(uris: Iterable[str], kind: str, field: str, errors: dict[str, str]) -> list[EscoConcept]:
    wanted = list(dict.fromkeys(u.strip() for u in uris if u and u.strip()))
    found = {c.uri: c for c in EscoConcept.objects.filter(uri__in=wanted, kind=kind)}
    unknown = [u for u in wanted if u not in found]
    if unknown:
        errors[field] = _("Not a known ESCO %(kind)s: %(uris)s") % {"kind": kind, "uris": ", ".join(unknown[:3])}
    return [found[u] for u in wanted if u in found]


def _check_vacancy(employer: Organisation, data: VacancyInput) -> tuple[dict[str, Any], list[Any], list[Any]]:  # noqa: C901 (to split, issue 22)
    v = dict(data.values)
    errors: dict[str, str] = {}
    for name in ("title", "description"):
        v[name] = (v.get(name) or "").strip()
        if not v[name]:
            errors[name] = _("This is required.")
    if not translations.known_language(v.get("language") or ""):
        errors["language"] = _("Unknown language.")
    occupation_uri = v.pop("occupation", None) or ""
    occupation = EscoConcept.objects.filter(uri=str(occupation_uri).strip(), kind="occupation").first()
    if occupation is None:
        errors["occupation"] = _("Not a known ESCO occupation: %(uri)s") % {"uri": str(occupation_uri)[:120] or "—"}
    v["occupation"] = occupation
    location = v.get("location")
    if not isinstance(location, EmployerLocation) or location.employer_id != employer.pk:
        errors["location"] = _("Choose one of the employer's places of work.")
    if v.get("contract_type") not in ContractType.values:
        errors["contract_type"] = _("Choose a contract.")
    if v.get("hours", Hours.FULL_TIME) not in Hours.values:
        errors["hours"] = _("Choose the hours.")
    if v.get("wage_unit", WageUnit.MONTH) not in WageUnit.values:
        errors["wage_unit"] = _("Choose a unit.")
    low, high = v.get("wage_min"), v.get("wage_max")
    for name, amount in (("wage_min", low), ("wage_max", high)):
        if amount is not None and Decimal(amount) < 0:
            errors[name] = _("A wage cannot be negative.")
    if low is not None and high is not None and Decimal(low) > Decimal(high):
        errors["wage_max"] = _("The wage range is upside down: %(low)s is more than %(high)s.") % {
            "low": low,
            "high": high,
        }
    currency = (v.get("currency") or "PLN").upper()
    if len(currency) != 3 or not currency.isalpha():
        errors["currency"] = _("A currency is a three-letter ISO 4217 code, such as PLN.")
    v["currency"] = currency
    hours_per_week = v.get("hours_per_week")
    if hours_per_week is not None and not 1 <= hours_per_week <= 60:
        errors["hours_per_week"] = _("Between 1 and 60 hours a week.")
    valid = v.get("valid_through")
    if not valid:
        errors["valid_through"] = _("Say until when applications are taken.")
    starts = v.get("starts_on")
    if starts and valid and starts < valid - timedelta(days=366):
        errors["starts_on"] = _("The start is long before the end of applications.")
    essential = _concepts(data.essential, "skill", "essential_skills", errors)
    optional = _concepts(data.optional, "skill", "optional_skills", errors)
    if not essential and "essential_skills" not in errors:
        errors["essential_skills"] = _("Name at least one essential skill.")
    languages = []
    seen = set()
    for language, level, required in data.languages:
        if not translations.known_language(language) or level not in CEFRLevel.values or language in seen:
            errors["languages"] = _("Each language once, with a CEFR level (A1–C2).")
            break
        seen.add(language)
        languages.append((language, level, required))
    _errors(errors)
    return v, essential + optional, languages


VACANCY_FIELDS = (
    "location", "title", "description", "language", "occupation", "contract_type", "hours", "hours_per_week",
    "wage_min", "wage_max", "currency", "wage_unit", "starts_on", "duration_months", "valid_through", "places",
    "handles_work_permit",
)  # fmt: skip


def _vacancy_parts(vacancy: Vacancy) -> list[Any]:
    skills = sorted(vacancy.skills.values_list("skill__uri", "essential"))
    languages = sorted(vacancy.languages.values_list("language", "level", "required"))
    return [skills, languages]


def vacancy_version(vacancy: Vacancy) -> str:
    """The version an edit form or ``If-Match`` carries (``core.concurrency``): fields, status, skills, languages."""
    return version_of(vacancy, (*VACANCY_FIELDS, "status"), extra=_vacancy_parts(vacancy))


@transaction.atomic
def save_vacancy(
    actor: Any,
    employer: Organisation,
    data: VacancyInput,
    vacancy: Vacancy | None = None,
    *,
    expected_version: str | None = None,
) -> Vacancy:
    """Create or replace a vacancy with its skills and languages; refused whole, naming each problem. A
    change made from a version someone else has changed since is refused (``StaleEdit``)."""
    _require(manages_employer(actor, employer.pk))
    if vacancy is not None and vacancy.employer_id != employer.pk:
        raise PermissionDenied
    if vacancy is not None:
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        check_version(
            vacancy,
            expected_version,
            (*VACANCY_FIELDS, "status"),
            submitted={k: v for k, v in data.values.items() if k in VACANCY_FIELDS and k not in ("occupation",)},
            extra=_vacancy_parts(vacancy),
        )
    values, skills, languages = _check_vacancy(employer, data)
    fields = {k: values[k] for k in VACANCY_FIELDS if k in values}
    if vacancy is None:
        vacancy = Vacancy.objects.create(employer=employer, created_by=actor, **fields)
    else:
        for name, value in fields.items():
            setattr(vacancy, name, value)
        vacancy.save()
        vacancy.skills.all().delete()
        vacancy.languages.all().delete()
    essential = {c.uri for c in _concepts(data.essential, "skill", "_", {})}
    VacancySkill.objects.bulk_create(
        [VacancySkill(vacancy=vacancy, skill=c, essential=c.uri in essential) for c in skills], ignore_conflicts=True
    )
    VacancyLanguage.objects.bulk_create(
        [VacancyLanguage(vacancy=vacancy, language=lang, level=level, required=req) for lang, level, req in languages]
    )
    events.publish(VACANCY_CHANGED, vacancy_id=vacancy.pk, employer_id=employer.pk, status=vacancy.status)
    return vacancy


@transaction.atomic
def set_vacancy_status(actor: Any, vacancy: Vacancy, status: str, *, expected_version: str | None = None) -> Vacancy:
    _require(manages_employer(actor, vacancy.employer_id))
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    check_version(vacancy, expected_version, (*VACANCY_FIELDS, "status"), submitted={"status": status},
                  extra=_vacancy_parts(vacancy))  # fmt: skip
    if status not in VacancyStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == VacancyStatus.PUBLISHED:
        if vacancy.valid_through < timezone.localdate():
            raise ValidationError({"valid_through": _("The application date has passed; change it before publishing.")})
        if vacancy.date_posted is None:
            vacancy.date_posted = timezone.now()
    vacancy.status = status
    vacancy.save(update_fields=["status", "date_posted", "updated_at"])
    events.publish(VACANCY_CHANGED, vacancy_id=vacancy.pk, employer_id=vacancy.employer_id, status=status)
    return vacancy


# -- recruitment events
@transaction.atomic
def create_event(actor: Any, organiser: Organisation, values: dict[str, Any]) -> RecruitmentEvent:
    _require(is_network_staff(actor) and organiser.pk in access.organisations_with_roles(actor, STAFF_ROLES))
    errors: dict[str, str] = {}
    if not (values.get("title") or "").strip():
        errors["title"] = _("Give a title.")
    if not (values.get("place") or "").strip():
        errors["place"] = _("Say where it takes place.")
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if not starts or not ends:
        errors["starts_at"] = _("Give the start and the end.")
    elif ends <= starts:
        errors["ends_at"] = _("The event must end after it starts.")
    _errors(errors)
    assert starts is not None and ends is not None
    return RecruitmentEvent.objects.create(
        organiser=organiser, title=values["title"].strip(), starts_at=starts, ends_at=ends, place=values["place"].strip(),
        address=values.get("address", ""), description=values.get("description", ""),
        self_registration=values.get("self_registration", True), capacity=values.get("capacity"),
    )  # fmt: skip


@transaction.atomic
def add_event_employer(
    actor: Any, event: RecruitmentEvent, employer: Organisation, *, vacancies: Iterable[Vacancy] = (),
    slot_minutes: int = 20, slots_from: datetime | None = None, slots_until: datetime | None = None,
) -> EventEmployer:  # fmt: skip
    """An employer takes part, with its vacancies and interview slots between two times of the event."""
    _require(is_network_staff(actor) or manages_employer(actor, employer.pk))
    if employer.kind != OrganisationKind.EMPLOYER:
        raise ValidationError({"employer": _("Choose an employer.")})
    vacancies = list(vacancies)
    if any(v.employer_id != employer.pk for v in vacancies):
        raise ValidationError({"vacancies": _("Only this employer's vacancies.")})
    start = slots_from or event.starts_at
    until = slots_until or event.ends_at
    if not 5 <= slot_minutes <= 120:
        raise ValidationError({"slot_minutes": _("A slot lasts 5 to 120 minutes.")})
    if start < event.starts_at or until > event.ends_at or until <= start:
        raise ValidationError({"slots_from": _("Interview slots must lie within the event.")})
    participation, _created = EventEmployer.objects.get_or_create(event=event, employer=employer)
    participation.vacancies.add(*vacancies)
    slots = []
    at = start
    while at + timedelta(minutes=slot_minutes) <= until:
        slots.append(InterviewSlot(event=event, employer=employer, vacancy=vacancies[0] if len(vacancies) == 1 else None,
                                   starts_at=at, minutes=slot_minutes))  # fmt: skip
        at += timedelta(minutes=slot_minutes)
    InterviewSlot.objects.bulk_create(slots, ignore_conflicts=True)
    return participation


def _register(event: RecruitmentEvent, **values: Any) -> EventRegistration:
    if event.ends_at < timezone.now():
        raise ValidationError(_("This event is over."))
    if event.capacity is not None and event.registrations.count() >= event.capacity:
        raise ValidationError(_("The event is full."))
    return EventRegistration.objects.create(event=event, **values)


@transaction.atomic
def register_person(
    actor: Any, event: RecruitmentEvent, person: Person, *, channel: Channel = Channel.UI
) -> EventRegistration:
    """A counsellor registers a client (the record stays with the counselling organisation)."""
    _require(actor.has_perm("core.change_person", person))
    RecruitmentEvent.objects.select_for_update().get(pk=event.pk)
    existing = EventRegistration.objects.filter(event=event, person=person).first()
    if existing:
        return existing
    registration = _register(event, person=person, name=person.display_name, email=person.email, phone=person.phone,
                             language=person.preferred_language, registered_by=actor)  # fmt: skip
    audit.record(
        actor, AuditAction.CREATE, channel=channel, person=person, obj=registration, purpose="recruitment_event"
    )
    return registration


@transaction.atomic
def register_self(event: RecruitmentEvent, *, name: str, email: str, phone: str, language: str) -> EventRegistration:
    """A job seeker registers alone from the public event page (no account)."""
    if not event.self_registration:
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give your name.")
    if not email.strip() and not phone.strip():
        errors["email"] = _("Give an e-mail address or a phone number, so the organisers can reach you.")
    _errors(errors)
    RecruitmentEvent.objects.select_for_update().get(pk=event.pk)
    if email and EventRegistration.objects.filter(event=event, email__iexact=email.strip()).exists():
        raise ValidationError({"email": _("This e-mail address is already registered for the event.")})
    registration = _register(
        event, name=name.strip()[:200], email=email.strip(), phone=phone.strip()[:40], language=language[:8]
    )
    audit.record(None, AuditAction.CREATE, channel=Channel.UI, obj=registration, purpose="recruitment_event")
    return registration


def sees_slot(user: Any, slot: InterviewSlot) -> bool:
    return is_network_staff(user) or slot.employer_id in employers_of(user)


@transaction.atomic
def book_slot(
    actor: Any, slot: InterviewSlot, registration: EventRegistration, *, channel: Channel = Channel.UI
) -> InterviewSlot:
    _require(
        sees_slot(actor, slot)
        or (registration.person is not None and bool(actor.has_perm("core.change_person", registration.person)))
    )
    slot = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
    if registration.event_id != slot.event_id:
        raise ValidationError(_("The job seeker is registered for another event."))
    if slot.status != SlotStatus.OPEN or slot.registration_id:
        raise ValidationError(_("This slot has just been taken; choose another."))
    clash = InterviewSlot.objects.filter(registration=registration, starts_at__lt=slot.starts_at + timedelta(minutes=slot.minutes),
                                         status=SlotStatus.BOOKED).exclude(pk=slot.pk)  # fmt: skip
    if any(s.starts_at + timedelta(minutes=s.minutes) > slot.starts_at for s in clash):
        raise ValidationError(_("The job seeker already has an interview at that time."))
    slot.registration = registration
    slot.status = SlotStatus.BOOKED
    slot.booked_by = actor
    slot.save(update_fields=["registration", "status", "booked_by"])
    if registration.outcome == Outcome.NONE:
        registration.outcome = Outcome.INTERVIEW
        registration.save(update_fields=["outcome"])
    if registration.person_id:
        audit.record(
            actor,
            AuditAction.UPDATE,
            channel=channel,
            person=registration.person,
            obj=slot,
            purpose="recruitment_event",
        )
    return slot


@transaction.atomic
def invite_to_slot(actor: Any, slot_id: int, person_id: int, *, channel: Channel = Channel.UI) -> InterviewSlot:
    """An employer invites a person it may see (after consent) to one of its interview slots: the person is
    registered for the event and the slot is booked. Offered to other modules as a capability."""
    slot = InterviewSlot.objects.select_related("event").filter(pk=slot_id).first()
    if slot is None:
        raise ValidationError(_("No such interview slot."))
    _require(sees_slot(actor, slot))
    person = Person.objects.get(pk=person_id)
    registration = EventRegistration.objects.filter(event=slot.event, person=person).first()
    if registration is None:
        registration = _register(slot.event, person=person, name=person.display_name, email=person.email,
                                 phone=person.phone, language=person.preferred_language, registered_by=actor)  # fmt: skip
    return book_slot(actor, slot, registration, channel=channel)


@transaction.atomic
def record_outcome(
    actor: Any, registration: EventRegistration, *, attended: bool | None, outcome: str
) -> EventRegistration:
    event = registration.event
    _require(
        is_network_staff(actor)
        or InterviewSlot.objects.filter(registration=registration, employer_id__in=employers_of(actor)).exists()
    )
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Unknown outcome.")})
    if outcome and attended is False:
        raise ValidationError({"outcome": _("Someone who did not come has no interview outcome.")})
    if attended is not None and event.starts_at > timezone.now():
        raise ValidationError({"attended": _("Attendance is recorded once the event has begun.")})
    registration.attended = attended
    registration.outcome = outcome
    registration.save(update_fields=["attended", "outcome"])
    if registration.person_id:
        audit.record(actor, AuditAction.UPDATE, person=registration.person, obj=registration, purpose="recruitment_event",
                     channel=Channel.UI, fields=["attended", "outcome"])  # fmt: skip
    return registration


# -- work shadowing and good practice
@transaction.atomic
def record_shadowing_visit(actor: Any, host: Organisation, values: dict[str, Any]) -> ShadowingVisit:
    _require(is_network_staff(actor) or manages_employer(actor, host.pk))
    errors: dict[str, str] = {}
    for name in ("visitors", "purpose"):
        if not (values.get(name) or "").strip():
            errors[name] = _("This is required.")
    if not values.get("visited_on"):
        errors["visited_on"] = _("Give the date.")
    _errors(errors)
    return ShadowingVisit.objects.create(
        host=host, visitor_organisation=values.get("visitor_organisation"), visitors=values["visitors"].strip(),
        visited_on=values["visited_on"], purpose=values["purpose"].strip(), report=values.get("report", ""), created_by=actor,
    )  # fmt: skip


@transaction.atomic
def save_good_practice(actor: Any, values: dict[str, Any]) -> GoodPractice:
    _require(actor is None or is_network_staff(actor))
    errors: dict[str, str] = {}
    for name in ("title", "summary", "organisation_name"):
        if not (values.get(name) or "").strip():
            errors[name] = _("This is required.")
    country = (values.get("country") or "").upper()
    from django_countries import countries

    if country not in dict(countries):
        errors["country"] = _("Choose a country.")
    _errors(errors)
    return GoodPractice.objects.create(
        title=values["title"].strip(), summary=values["summary"].strip(), country=country,
        organisation_name=values["organisation_name"].strip(), url=values.get("url", ""), topics=list(values.get("topics") or []),
        language=values.get("language") or "en", created_by=actor,
    )  # fmt: skip


# -- hires and follow-ups
@transaction.atomic
def record_hire(
    actor: Any, person: Person, employer: Organisation, *, starts_on: date, contract_type: str, source: str,
    vacancy: Vacancy | None = None, event: RecruitmentEvent | None = None, channel: Channel = Channel.UI,
) -> Hire:  # fmt: skip
    """A hire links the person, the employer and the vacancy; follow-ups are scheduled at 3 and 6 months."""
    from ownpath.modules.employers.choices import HireSource

    _require(actor.has_perm("core.change_person", person))
    errors: dict[str, str] = {}
    if employer.kind != OrganisationKind.EMPLOYER:
        errors["employer"] = _("Choose an employer.")
    if vacancy is not None and vacancy.employer_id != employer.pk:
        errors["vacancy"] = _("The vacancy belongs to another employer.")
    if contract_type not in ContractType.values:
        errors["contract_type"] = _("Choose a contract.")
    if source not in HireSource.values:
        errors["source"] = _("Say how the job was found.")
    if starts_on > timezone.localdate() + timedelta(days=366):
        errors["starts_on"] = _("The start is more than a year away.")
    _errors(errors)
    try:
        with transaction.atomic():
            hire = Hire.objects.create(
                person=person, employer=employer, vacancy=vacancy, recorded_by_organisation=person.organisation,
                starts_on=starts_on, contract_type=contract_type, source=source, event=event, created_by=actor,
            )  # fmt: skip
    except IntegrityError as error:  # pragma: no cover - a foreign key that vanished meanwhile
        raise ValidationError(_("The hire could not be recorded.")) from error
    FollowUp.objects.bulk_create(
        [FollowUp(hire=hire, months=m, due_on=add_months(starts_on, m)) for m in FOLLOW_UP_MONTHS]
    )
    if vacancy is not None and vacancy.hires.count() >= vacancy.places and vacancy.status == VacancyStatus.PUBLISHED:
        vacancy.status = VacancyStatus.FILLED
        vacancy.save(update_fields=["status", "updated_at"])
        events.publish(VACANCY_CHANGED, vacancy_id=vacancy.pk, employer_id=employer.pk, status=vacancy.status)
    audit.record(actor, AuditAction.CREATE, channel=channel, person=person, obj=hire, purpose="employment")
    events.publish(PERSON_HIRED, hire_id=hire.pk, person_id=person.pk, employer_id=employer.pk,
                   vacancy_id=vacancy.pk if vacancy else None, starts_on=starts_on.isoformat())  # fmt: skip
    return hire


@transaction.atomic
def record_follow_up(
    actor: Any, follow_up: FollowUp, *, still_employed: bool, notes: str, done_on: date | None = None
) -> FollowUp:
    hire = follow_up.hire
    _require(actor.has_perm("core.change_person", hire.person))
    done = done_on or timezone.localdate()
    if done > timezone.localdate():
        raise ValidationError({"done_on": _("A follow-up cannot be dated in the future.")})
    if done < hire.starts_on:
        raise ValidationError({"done_on": _("A follow-up comes after the start of work.")})
    follow_up.done_on = done
    follow_up.still_employed = still_employed
    follow_up.notes = notes.strip()
    follow_up.recorded_by = actor
    follow_up.save()
    if not still_employed and hire.ended_on is None:
        hire.ended_on = done
        hire.save(update_fields=["ended_on"])
    audit.record(actor, AuditAction.UPDATE, channel=Channel.UI, person=hire.person, obj=follow_up, purpose="employment")
    return follow_up


# -- personal data (GDPR export and erasure)
def export_person(person: Person) -> dict[str, Any]:
    return {
        "event_registrations": list(EventRegistration.objects.filter(person=person).values("event__title", "created_at", "attended", "outcome")),
        "hires": [
            {"employer": h.employer.name, "starts_on": h.starts_on, "ended_on": h.ended_on,
             "follow_ups": [{"months": f.months, "done_on": f.done_on, "still_employed": f.still_employed} for f in h.follow_ups.all()]}
            for h in Hire.objects.filter(person=person).select_related("employer")
        ],
    }  # fmt: skip


def erase_person_data(person: Person) -> None:
    """Registrations go; hires stay as counts for monitoring, without the follow-up notes."""
    EventRegistration.objects.filter(person=person).delete()
    FollowUp.objects.filter(hire__person=person).update(notes="")
