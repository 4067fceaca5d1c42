"""Writes of the mentoring module: mentors and their readiness (the training gate and a coordinator's
approval), mentees registered under consent, global match runs, pairs, contracts and their acceptance,
meetings, fit checks, reminders, reviews and closure."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ownpath.core import access, events
from ownpath.core.choices import AuditAction, Channel, ConsentPurpose, DataScope
from ownpath.core.crypto import keyed_hash
from ownpath.core.models import Organisation, Person
from ownpath.core.registry import registry
from ownpath.core.rules import require
from ownpath.core.services import audit, consent, translations
from ownpath.core.services.notifications import notify_each, staff_of
from ownpath.modules.mentoring import matching
from ownpath.modules.mentoring.choices import (
    ContactForm,
    ContractStatus,
    DayPart,
    Fit,
    Gender,
    GoalProgress,
    LivedExperience,
    MenteeStatus,
    MentorKind,
    MentorStatus,
    Outcome,
    PairStatus,
    Party,
    RunStatus,
    Sector,
)
from ownpath.modules.mentoring.events import MEETING_LOGGED
from ownpath.modules.mentoring.models import (
    TEXTS_MODULE,
    Contract,
    ContractGoal,
    ContractParty,
    FitCheck,
    MatchRun,
    Meeting,
    MeetingProgress,
    Mentee,
    Mentor,
    Pair,
    Proposal,
    Review,
)
from ownpath.modules.mentoring.rules import COORDINATOR_ROLES

COORDINATORS_ONLY = gettext_lazy("Only the programme's mentoring coordinators may do this.")
OPEN_PAIR = (PairStatus.CONTRACTING, PairStatus.ACTIVE)
MENTEE_SCOPE = (DataScope.IDENTITY, DataScope.CONTACT, DataScope.LANGUAGES)
REVIEW_EVERY_WEEKS = 8
LAPSE_GRACE = 1.5  # a reminder once the gap since the last meeting exceeds 1.5 × the agreed frequency


def _audit(actor: Any, action: str, obj: Any, organisation_id: int | None, **extra: Any) -> None:
    audit.record(
        actor,
        action,
        channel=extra.pop("channel", Channel.UI),
        person=extra.pop("person", None),
        obj=obj,
        organisation_id=organisation_id,
        **extra,
    )


# --- Mentors ------------------------------------------------------------------------------------------------


def _clean_profile(values: Mapping[str, Any], *, mentor: bool) -> dict[str, Any]:  # noqa: C901 (to split, issue 22)
    """Check and normalise the matching attributes both sides share; all problems at once."""
    errors: dict[str, str] = {}
    out = dict(values)
    languages = []
    for pair in values.get("languages") or []:
        code, level = ([*list(pair), "", ""])[:2]
        if not translations.known_language(code):
            errors["languages"] = _("Unknown language code: %(code)s.") % {"code": code}
        elif level not in matching.LEVELS:
            errors["languages"] = _("Unknown language level: %(level)s.") % {"level": level}
        else:
            languages.append([code, level])
    if "languages" in values:
        if not languages and "languages" not in errors:
            errors["languages"] = _("Give at least one language with its level.")
        out["languages"] = languages
    for name, allowed in (
        ("lived_experience", LivedExperience.values),
        ("availability", DayPart.values),
    ):
        if name in values:
            chosen = list(dict.fromkeys(values.get(name) or []))
            unknown = [v for v in chosen if v not in allowed]
            if unknown:
                errors[name] = _("Unknown choice: %(value)s.") % {"value": ", ".join(unknown)}
            out[name] = chosen
    if values.get("sector") and values["sector"] not in Sector.values:
        errors["sector"] = _("Unknown sector.")
    for name in ("gender", "wants_mentee_gender", "wants_mentor_gender"):
        if values.get(name) and values[name] not in Gender.values:
            errors[name] = _("Unknown choice: %(value)s.") % {"value": values[name]}
    if mentor and "capacity" in values and not 1 <= int(values["capacity"] or 0) <= 10:
        errors["capacity"] = _("A mentor takes from 1 to 10 mentees at a time.")
    if "preferred_language" in values and not translations.known_language(values["preferred_language"]):
        errors["preferred_language"] = _("Unknown language code: %(code)s.") % {"code": values["preferred_language"]}
    for name in ("latitude", "longitude"):
        value = values.get(name)
        if value is not None and not (-90 <= float(value) <= 90 if name == "latitude" else -180 <= float(value) <= 180):
            errors[name] = _("Not a valid coordinate.")
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def create_mentor(
    actor: Any, organisation: Organisation, values: Mapping[str, Any], *, channel: Channel = Channel.UI
) -> Mentor:
    require(actor, "mentoring.coordinate_at", organisation.pk, COORDINATORS_ONLY)
    clean = _clean_profile(values, mentor=True)
    if not (clean.get("name") or "").strip() or "@" not in (clean.get("email") or ""):
        raise ValidationError({"name": _("A mentor needs a name and an e-mail address.")})
    clean["email"] = clean["email"].strip().lower()
    if Mentor.objects.filter(organisation=organisation, email=clean["email"]).exists():
        raise ValidationError({"email": _("This programme already has a mentor with this e-mail address.")})
    fields = {f.name for f in Mentor._meta.get_fields()} - {
        "id",
        "organisation",
        "status",
        "approved_at",
        "approved_by",
    }
    mentor = Mentor.objects.create(organisation=organisation, **{k: v for k, v in clean.items() if k in fields})
    refresh_training(mentor)
    _audit(actor, AuditAction.CREATE, mentor, organisation.pk, channel=channel)
    return mentor


@transaction.atomic
def update_mentor(actor: Any, mentor: Mentor, values: Mapping[str, Any], *, channel: Channel = Channel.UI) -> Mentor:
    require(actor, "mentoring.coordinate_at", mentor.organisation_id, COORDINATORS_ONLY)
    clean = _clean_profile(values, mentor=True)
    editable = {
        "name", "phone", "kind", "gender", "preferred_language", "languages", "country_of_origin", "lived_experience",
        "profession", "sector", "municipality", "latitude", "longitude", "availability", "capacity", "wants_mentee_gender",
    }  # fmt: skip
    changed = [k for k in clean if k in editable]
    for name in changed:
        setattr(mentor, name, clean[name])
    mentor.save()
    _audit(actor, AuditAction.UPDATE, mentor, mentor.organisation_id, channel=channel, fields=changed)
    return mentor


def refresh_training(mentor: Mentor) -> bool:
    """Ask the training module (when it is on) whether the mentor completed the mentor path."""
    if mentor.training_completed_on:
        return True
    completions = registry.capability("training.completions")
    if completions is None:
        return False
    done = completions.completed_on("mentor_path", user_id=mentor.user_id, email=mentor.email)
    if done is None:
        return False
    mentor.training_completed_on = done
    mentor.training_evidence = _("Mentor path completed (training module).")
    mentor.save(update_fields=["training_completed_on", "training_evidence"])
    return True


def training_completed(**payload: Any) -> None:
    """``training.completed``: a mentor-path graduate becomes ready for a coordinator's approval."""
    if payload.get("purpose") != "mentor_path":
        return
    waiting = Mentor.objects.filter(training_completed_on__isnull=True).exclude(status=MentorStatus.LEFT)
    for mentor in waiting:
        if refresh_training(mentor):
            for user in staff_of(mentor.organisation_id, COORDINATOR_ROLES):
                notify_each(
                    [user],
                    gettext_lazy("%(name)s completed the mentor path and can be approved."),
                    url=reverse("mentoring:mentor", args=[mentor.pk]),
                    name=mentor.name,
                )


@transaction.atomic
def record_training(actor: Any, mentor: Mentor, *, completed_on: date, evidence: str) -> Mentor:
    """Training done elsewhere (or before ownpath): the coordinator records it with its evidence."""
    require(actor, "mentoring.coordinate_at", mentor.organisation_id, COORDINATORS_ONLY)
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The date cannot be in the future.")})
    if not evidence.strip():
        raise ValidationError({"evidence": _("Say what shows the training was completed (e.g. the certificate code).")})
    mentor.training_completed_on = completed_on
    mentor.training_evidence = evidence.strip()[:300]
    mentor.save(update_fields=["training_completed_on", "training_evidence"])
    _audit(actor, AuditAction.UPDATE, mentor, mentor.organisation_id, fields=["training_completed_on"])
    return mentor


@transaction.atomic
def approve(actor: Any, mentor: Mentor, *, channel: Channel = Channel.UI) -> Mentor:
    """The coordinator's approval; only after the mentor path (the training gate)."""
    require(actor, "mentoring.coordinate_at", mentor.organisation_id, COORDINATORS_ONLY)
    refresh_training(mentor)
    if not mentor.training_completed_on:
        raise ValidationError(_("A mentor is approved only after completing the mentor path."))
    mentor.approved_at = timezone.now()
    mentor.approved_by = actor
    mentor.status = MentorStatus.ACTIVE
    mentor.save(update_fields=["approved_at", "approved_by", "status"])
    _audit(actor, AuditAction.UPDATE, mentor, mentor.organisation_id, channel=channel, fields=["approved_at", "status"])
    return mentor


def set_mentor_status(actor: Any, mentor: Mentor, status: str) -> Mentor:
    require(actor, "mentoring.coordinate_at", mentor.organisation_id, COORDINATORS_ONLY)
    if status not in MentorStatus.values:
        raise ValidationError(_("Unknown status."))
    if status == MentorStatus.ACTIVE and not (mentor.approved_at and mentor.training_completed_on):
        raise ValidationError(_("A mentor is approved only after completing the mentor path."))
    with transaction.atomic():
        mentor.status = status
        mentor.save(update_fields=["status"])
        _audit(actor, AuditAction.UPDATE, mentor, mentor.organisation_id, fields=["status"])
    return mentor


# --- Mentees --------------------------------------------------------------------------------------------------


@transaction.atomic
def register_mentee(
    actor: Any, organisation: Organisation, person: Person, values: Mapping[str, Any], *, channel: Channel = Channel.UI
) -> Mentee:
    """A person from counselling becomes a mentee: only when the programme holds their record, or the
    holder shared it for mentoring under the person's consent (names, contact, languages)."""
    require(actor, "mentoring.coordinate_at", organisation.pk, COORDINATORS_ONLY)
    # Whether the programme may see the record at all comes first: a refusal must not name a person
    # the programme cannot see.
    if organisation.pk not in access.access_organisations(person):
        raise PermissionDenied(_("The record has not been shared with this programme yet."))
    decision = consent.may_share(person, person.organisation, organisation, ConsentPurpose.MENTORING, MENTEE_SCOPE)
    if not decision.allowed:
        raise PermissionDenied(
            _("%(person)s has not agreed to mentoring with this programme: %(reason)s")
            % {"person": person.display_name, "reason": decision.reason}
        )
    if Mentee.objects.filter(organisation=organisation, person=person).exists():
        raise ValidationError(_("%(person)s is already a mentee of this programme.") % {"person": person.display_name})
    values = dict(values)
    if not values.get("languages"):
        values["languages"] = [[pl.language, pl.level] for pl in person.languages.all() if pl.level in matching.LEVELS]
    values.setdefault("preferred_language", person.preferred_language or "en")
    if not values.get("country_of_origin") and person.citizenship_codes:
        values["country_of_origin"] = person.citizenship_codes[0]
    clean = _clean_profile(values, mentor=False)
    fields = {f.name for f in Mentee._meta.get_fields()} - {"id", "organisation", "person", "status", "created_by"}
    mentee = Mentee.objects.create(
        organisation=organisation,
        person=person,
        created_by=actor,
        consent_id=decision.consent.pk if decision.consent else None,
        **{k: v for k, v in clean.items() if k in fields and k != "consent_id"},
    )
    _audit(actor, AuditAction.CREATE, mentee, organisation.pk, channel=channel, person=person, purpose="mentoring")
    return mentee


@transaction.atomic
def update_mentee(actor: Any, mentee: Mentee, values: Mapping[str, Any], *, channel: Channel = Channel.UI) -> Mentee:
    require(actor, "mentoring.coordinate_at", mentee.organisation_id, COORDINATORS_ONLY)
    clean = _clean_profile(values, mentor=False)
    editable = {
        "gender", "preferred_language", "languages", "country_of_origin", "lived_experience", "sector", "municipality",
        "latitude", "longitude", "availability", "wants_peer", "wants_mentor_gender", "goals_summary",
    }  # fmt: skip
    changed = [k for k in clean if k in editable]
    for name in changed:
        setattr(mentee, name, clean[name])
    mentee.save()
    _audit(
        actor, AuditAction.UPDATE, mentee, mentee.organisation_id, channel=channel, person=mentee.person, fields=changed
    )
    return mentee


def consent_withdrawn(**payload: Any) -> None:
    """``core.consent_withdrawn`` for mentoring: the programme stops seeing the person; open pairs close."""
    if payload.get("purpose") != ConsentPurpose.MENTORING:
        return
    for mentee in Mentee.objects.filter(consent_id=payload.get("consent_id")):
        with transaction.atomic():
            Pair.objects.filter(mentee=mentee, status__in=OPEN_PAIR).update(
                status=PairStatus.CLOSED, closed_on=timezone.localdate(), outcome=Outcome.ENDED_EARLY
            )
            mentee.status = MenteeStatus.CLOSED
            mentee.save(update_fields=["status"])


# --- Matching -------------------------------------------------------------------------------------------------


def mentor_profile(mentor: Mentor, free: int = 1) -> matching.Profile:
    return matching.Profile(
        id=mentor.pk,
        languages={code: level for code, level in mentor.languages},
        country=mentor.country_of_origin,
        experience=frozenset(mentor.lived_experience),
        sector=mentor.sector,
        municipality=mentor.municipality,
        latitude=mentor.latitude,
        longitude=mentor.longitude,
        availability=frozenset(mentor.availability),
        gender=mentor.gender,
        wants_gender=mentor.wants_mentee_gender,
        peer=mentor.kind == MentorKind.PEER,
        capacity=free,
    )


def mentee_profile(mentee: Mentee) -> matching.Profile:
    return matching.Profile(
        id=mentee.pk,
        languages={code: level for code, level in mentee.languages},
        country=mentee.country_of_origin,
        experience=frozenset(mentee.lived_experience),
        sector=mentee.sector,
        municipality=mentee.municipality,
        latitude=mentee.latitude,
        longitude=mentee.longitude,
        availability=frozenset(mentee.availability),
        gender=mentee.gender,
        wants_gender=mentee.wants_mentor_gender,
        peer=mentee.wants_peer,
    )


def free_places(organisation_id: int) -> dict[Any, int]:
    """Mentors of the programme who may be matched now (the training gate, approval, active) and their
    free places."""
    mentors = (
        Mentor.objects.filter(
            organisation_id=organisation_id,
            status=MentorStatus.ACTIVE,
            approved_at__isnull=False,
            training_completed_on__isnull=False,
        )
        .annotate(open_pairs=Count("pairs", filter=Q(pairs__status__in=OPEN_PAIR)))
        .values_list("pk", "capacity", "open_pairs")
    )
    return {pk: capacity - taken for pk, capacity, taken in mentors if capacity > taken}


def run_match(actor: Any, organisation: Organisation, *, channel: Channel = Channel.UI) -> MatchRun:
    """Match every waiting mentee of the programme against every free mentor at once (a global
    optimum); the result is a draft the coordinator reviews, adjusts and publishes."""
    require(actor, "mentoring.coordinate_at", organisation.pk, COORDINATORS_ONLY)
    started = time.perf_counter()
    places = free_places(organisation.pk)
    mentors = list(Mentor.objects.filter(pk__in=list(places)))
    mentees = list(Mentee.objects.filter(organisation=organisation, status=MenteeStatus.WAITING))
    mentor_profiles = [mentor_profile(m, places[m.pk]) for m in mentors]
    mentee_profiles = [mentee_profile(m) for m in mentees]
    result = matching.match(mentee_profiles, mentor_profiles)
    with transaction.atomic():
        MatchRun.objects.filter(organisation=organisation, status=RunStatus.DRAFT).update(status=RunStatus.DISCARDED)
        run = MatchRun.objects.create(
            organisation=organisation, mentees=len(mentees), mentors=len(mentors), created_by=actor
        )
        Proposal.objects.bulk_create(
            [
                Proposal(
                    run=run,
                    mentee=mentees[i],
                    mentor=mentors[j],
                    score=score,
                    factors=matching.explain(mentee_profiles[i], mentor_profiles[j]).factors,
                )
                for i, j, score in result.pairs
            ],
            batch_size=1000,
        )
        run.seconds = time.perf_counter() - started
        run.save(update_fields=["seconds"])
        _audit(actor, AuditAction.CREATE, run, organisation.pk, channel=channel, detail={"pairs": len(result.pairs)})
    return run


def alternatives(proposal_or_mentee: Mentee, limit: int = 8) -> list[tuple[Mentor, matching.Explained]]:
    """The best free mentors for one mentee, explained (for the coordinator's adjustments)."""
    mentee = proposal_or_mentee
    places = free_places(mentee.organisation_id)
    mentors = list(Mentor.objects.filter(pk__in=list(places)))
    profile = mentee_profile(mentee)
    scored = [(m, matching.explain(profile, mentor_profile(m, places[m.pk]))) for m in mentors]
    scored = [(m, e) for m, e in scored if e.score > 0]
    scored.sort(key=lambda pair: -pair[1].score)
    return scored[:limit]


@transaction.atomic
def adjust(actor: Any, proposal: Proposal, mentor: Mentor) -> Proposal:
    """The coordinator gives the mentee another mentor in a draft run; the new pair is scored and
    explained the same way, and must be possible (shared language, wishes, the gate, a free place)."""
    run = proposal.run
    require(actor, "mentoring.coordinate_at", run.organisation_id, COORDINATORS_ONLY)
    if run.status != RunStatus.DRAFT:
        raise ValidationError(_("Only a draft match can be changed."))
    places = free_places(run.organisation_id)
    if mentor.pk not in places or mentor.organisation_id != run.organisation_id:
        raise ValidationError(
            _("%(name)s cannot take a mentee now (training, approval or places).") % {"name": mentor.name}
        )
    taken = run.proposals.filter(mentor=mentor).exclude(pk=proposal.pk).count()
    if taken >= places[mentor.pk]:
        raise ValidationError(_("%(name)s has no free place left in this match.") % {"name": mentor.name})
    explained = matching.explain(mentee_profile(proposal.mentee), mentor_profile(mentor))
    if explained.score <= 0:
        raise ValidationError(
            _("Not a possible pair: they share no language at B1 or better, or a stated wish rules it out.")
        )
    proposal.mentor = mentor
    proposal.score = explained.score
    proposal.factors = explained.factors
    proposal.adjusted = True
    proposal.save()
    _audit(actor, AuditAction.UPDATE, proposal, run.organisation_id, fields=["mentor"])
    return proposal


@transaction.atomic
def drop_proposal(actor: Any, proposal: Proposal) -> None:
    require(actor, "mentoring.coordinate_at", proposal.run.organisation_id, COORDINATORS_ONLY)
    if proposal.run.status != RunStatus.DRAFT:
        raise ValidationError(_("Only a draft match can be changed."))
    proposal.delete()


@transaction.atomic
def publish(actor: Any, run: MatchRun, *, channel: Channel = Channel.UI) -> list[Pair]:
    """Every proposal becomes a pair that now agrees its contract; the mentors hear of it."""
    require(actor, "mentoring.coordinate_at", run.organisation_id, COORDINATORS_ONLY)
    run = MatchRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.DRAFT:
        raise ValidationError(_("This match has already been published or discarded."))
    pairs = []
    for proposal in run.proposals.select_related("mentee", "mentor"):
        if proposal.mentee.status != MenteeStatus.WAITING:
            continue
        try:
            with transaction.atomic():
                pair = Pair.objects.create(
                    organisation_id=run.organisation_id,
                    mentor=proposal.mentor,
                    mentee=proposal.mentee,
                    score=proposal.score,
                    factors=proposal.factors,
                )
        except IntegrityError:
            continue  # the mentee got an open pair meanwhile
        Mentee.objects.filter(pk=proposal.mentee_id).update(status=MenteeStatus.MATCHED)
        pairs.append(pair)
        if proposal.mentor.user_id:
            notify_each(
                [proposal.mentor.user],  # type: ignore[list-item]
                gettext_lazy("You have a new mentee: agree your contract with the coordinator."),
                url=reverse("mentoring:pair", args=[pair.pk]),
            )
    run.status = RunStatus.PUBLISHED
    run.published_at = timezone.now()
    run.save(update_fields=["status", "published_at"])
    _audit(
        actor,
        AuditAction.UPDATE,
        run,
        run.organisation_id,
        channel=channel,
        fields=["status"],
        detail={"pairs": len(pairs)},
    )
    return pairs


# --- Contracts ------------------------------------------------------------------------------------------------


def _token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return keyed_hash(f"mentoring-contract:{token}")


@transaction.atomic
def write_contract(
    actor: Any,
    pair: Pair,
    *,
    goals: Iterable[str],
    rules: str,
    weeks: int,
    meet_every_days: int,
    contact_forms: Iterable[str],
    confidentiality: str = "",
    language: str = "pl",
    translated: Mapping[str, Mapping[str, str]] | None = None,
    channel: Channel = Channel.UI,
) -> tuple[Contract, dict[str, str]]:
    """A new version of the pair's contract, proposed to both; returns it with each party's private link
    token (shown once). ``translated`` holds {language: {"goal_1": ..., "rules": ...}} for the parties."""
    require(actor, "mentoring.coordinate_at", pair.organisation_id, COORDINATORS_ONLY)
    if pair.status not in OPEN_PAIR:
        raise ValidationError(_("This pair is closed; its contract can no longer change."))
    goals = [g.strip() for g in goals if g and g.strip()]
    forms = list(dict.fromkeys(contact_forms))
    errors: dict[str, str] = {}
    if not goals:
        errors["goals"] = _("A contract needs at least one goal.")
    if not rules.strip():
        errors["rules"] = _("Write the rules of cooperation.")
    if not 1 <= weeks <= 104:
        errors["weeks"] = _("The duration is from 1 to 104 weeks.")
    if not 1 <= meet_every_days <= 90:
        errors["meet_every_days"] = _("Meet at least every 90 days.")
    if not forms or any(f not in ContactForm.values for f in forms):
        errors["contact_forms"] = _("Choose at least one form of contact.")
    if not translations.known_language(language):
        errors["language"] = _("Unknown language code: %(code)s.") % {"code": language}
    if errors:
        raise ValidationError(errors)
    previous = pair.contracts.order_by("-version").first()
    Contract.objects.filter(pair=pair, status__in=[ContractStatus.PROPOSED, ContractStatus.DRAFT]).update(
        status=ContractStatus.SUPERSEDED
    )
    contract = Contract.objects.create(
        pair=pair,
        version=(previous.version + 1) if previous else 1,
        language=language,
        weeks=weeks,
        meet_every_days=meet_every_days,
        contact_forms=forms,
        created_by=actor,
    )
    old_keys = [g.key for g in previous.goals.order_by("order")] if previous else []
    texts = {"rules": rules.strip(), "confidentiality": confidentiality.strip()}
    for order, text in enumerate(goals, start=1):
        goal = ContractGoal.objects.create(contract=contract, order=order)
        if order <= len(old_keys):  # a goal keeps its identity (and its progress) across versions
            goal.key = old_keys[order - 1]
            goal.save(update_fields=["key"])
        texts[f"goal_{order}"] = text
    party_languages = {Party.MENTOR: pair.mentor.preferred_language, Party.MENTEE: pair.mentee.preferred_language}
    translations.set_original(
        TEXTS_MODULE,
        "contract",
        contract.pk,
        texts,
        language,
        languages=list(dict.fromkeys(party_languages.values())),
        actor=actor,
    )
    for other, values in (translated or {}).items():
        for name, text in values.items():
            if name in texts and text.strip():
                translations.set_translation(
                    actor, TEXTS_MODULE, "contract", contract.pk, name, other, text, status="human"
                )
    tokens: dict[str, str] = {}
    for party, party_language in party_languages.items():
        token = _token()
        ContractParty.objects.create(
            contract=contract, party=party, token_hash=token_hash(token), language=party_language
        )
        tokens[str(party)] = token
    _audit(actor, AuditAction.CREATE, contract, pair.organisation_id, channel=channel, person=pair.mentee.person)
    transaction.on_commit(lambda: email_links(contract.pk, tokens))
    return contract, tokens


def email_links(contract_id: Any, tokens: Mapping[str, str]) -> list[str]:
    """Send each party with an e-mail address their private link, in their language; returns the parties
    reached. A failing mail server is logged, never shown: the coordinator has the links on the page."""
    import logging
    from smtplib import SMTPException

    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import translation

    contract = Contract.objects.select_related("pair__mentor", "pair__mentee__person").get(pk=contract_id)
    pair = contract.pair
    addresses: dict[str, str] = {Party.MENTOR: pair.mentor.email, Party.MENTEE: pair.mentee.person.email}
    reached = []
    for record in contract.parties.all():
        address, token = addresses.get(record.party, ""), tokens.get(record.party)
        if not address or not token:
            continue
        url = settings.OWNPATH_BASE_URL + reverse("mentoring:contract", args=[token])
        with translation.override(record.language):
            subject = _("Your mentoring contract to read and accept")
            body = _(
                "Hello,\n\nyour mentoring contract (version %(version)s) is ready. Read it in your language and "
                "accept it here:\n%(url)s\n\nThis link is only for you. If you have questions, ask your coordinator."
            ) % {"version": contract.version, "url": url}
        try:
            if send_mail(subject, body, None, [address]) == 1:
                reached.append(record.party)
        except (OSError, SMTPException):
            logging.getLogger(__name__).exception("mentoring contract link not e-mailed")
    return reached


def new_link(actor: Any, contract: Contract, party: str) -> str:
    """A fresh private link for one party (the old one stops working); shown to the coordinator once."""
    require(actor, "mentoring.coordinate_at", contract.pair.organisation_id, COORDINATORS_ONLY)
    record = contract.parties.get(party=party)
    token = _token()
    record.token_hash = token_hash(token)
    record.save(update_fields=["token_hash"])
    _audit(actor, AuditAction.UPDATE, contract, contract.pair.organisation_id, fields=["link"], detail={"party": party})
    return token


def party_for_token(token: str) -> ContractParty | None:
    if not token or len(token) > 100:
        return None
    return (
        ContractParty.objects.select_related("contract__pair__mentor", "contract__pair__mentee__person")
        .filter(token_hash=token_hash(token))
        .first()
    )


def contract_texts(contract: Contract, language: str) -> dict[str, tuple[str, str]]:
    return translations.texts(TEXTS_MODULE, "contract", contract.pk, language)


@transaction.atomic
def accept(party: ContractParty, *, language: str) -> Contract:
    """A party accepts the contract version shown to them in ``language``; when both have, it holds, the
    previous version is superseded and the pair is active."""
    party = ContractParty.objects.select_for_update().select_related("contract__pair").get(pk=party.pk)
    contract = party.contract
    if contract.status != ContractStatus.PROPOSED:
        raise ValidationError(_("This version of the contract is no longer open for acceptance."))
    if party.accepted_at is None:
        party.accepted_at = timezone.now()
        party.accepted_language = language
        party.save(update_fields=["accepted_at", "accepted_language"])
        audit.record(None, AuditAction.CONSENT, channel=Channel.UI, obj=contract, organisation_id=contract.pair.organisation_id,
                     person=contract.pair.mentee.person, detail={"party": party.party, "language": language})  # fmt: skip
    if not contract.parties.filter(accepted_at__isnull=True).exists():
        contract.status = ContractStatus.ACCEPTED
        contract.save(update_fields=["status"])
        contract.pair.contracts.filter(status=ContractStatus.ACCEPTED).exclude(pk=contract.pk).update(
            status=ContractStatus.SUPERSEDED
        )
        pair = contract.pair
        if pair.status == PairStatus.CONTRACTING:
            pair.status = PairStatus.ACTIVE
            pair.started_on = timezone.localdate()
            pair.save(update_fields=["status", "started_on"])
        if not pair.reviews.filter(done_on__isnull=True).exists():
            Review.objects.create(
                pair=pair, due_on=timezone.localdate() + timedelta(weeks=min(REVIEW_EVERY_WEEKS, contract.weeks))
            )
    return contract


def current_contract(pair: Pair) -> Contract | None:
    return pair.contracts.filter(status=ContractStatus.ACCEPTED).order_by("-version").first()


# --- Meetings, fit, reminders, reviews, closure --------------------------------------------------------------


@transaction.atomic
def log_meeting(
    actor: Any,
    pair: Pair,
    *,
    held_on: date,
    minutes: int,
    form: str,
    topics: str = "",
    progress: Mapping[Any, str] | None = None,
    channel: Channel = Channel.UI,
) -> Meeting:
    if not actor.has_perm("mentoring.log_meeting", pair):
        raise PermissionDenied(_("Only the pair's mentor or the programme's coordinators may log meetings."))
    contract = current_contract(pair)
    errors: dict[str, str] = {}
    if pair.status != PairStatus.ACTIVE or contract is None:
        raise ValidationError(_("Meetings are logged once both have accepted the contract."))
    if held_on > timezone.localdate():
        errors["held_on"] = _("A meeting cannot be logged before it happens.")
    elif held_on < pair.started_on - timedelta(days=1):
        errors["held_on"] = _("The meeting is before the pair started.")
    if not 5 <= minutes <= 600:
        errors["minutes"] = _("A meeting lasts from 5 to 600 minutes.")
    if form not in ContactForm.values:
        errors["form"] = _("Choose how you met.")
    goals = {str(g.key) for g in contract.goals.all()}
    for key, value in (progress or {}).items():
        if str(key) not in goals:
            errors["progress"] = _("This goal is not in the current contract.")
        elif value not in GoalProgress.values:
            errors["progress"] = _("Unknown progress: %(value)s.") % {"value": value}
    if errors:
        raise ValidationError(errors)
    first = not pair.meetings.exists()
    meeting = Meeting.objects.create(
        pair=pair, held_on=held_on, minutes=minutes, form=form, topics=topics.strip(), recorded_by=actor
    )
    MeetingProgress.objects.bulk_create(
        [MeetingProgress(meeting=meeting, goal_key=key, progress=v) for key, v in (progress or {}).items()]
    )
    _audit(actor, AuditAction.CREATE, meeting, pair.organisation_id, channel=channel, person=pair.mentee.person)
    events.publish(
        MEETING_LOGGED, meeting_id=meeting.pk, pair_id=pair.pk, organisation_id=pair.organisation_id,
        person_id=pair.mentee.person_id, held_on=held_on.isoformat(),
    )  # fmt: skip
    if first:
        for user in staff_of(pair.organisation_id, COORDINATOR_ROLES):
            notify_each(
                [user],
                gettext_lazy("First meeting of %(mentor)s's pair: ask both whether it is a good fit."),
                url=reverse("mentoring:pair", args=[pair.pk]),
                mentor=pair.mentor.name,
            )
    return meeting


@transaction.atomic
def record_fit(actor: Any, pair: Pair, party: str, answer: str, comment: str = "") -> FitCheck:
    """The fit check after the first meeting, answered by each party (through their contract link, or
    recorded by the coordinator). "Not a good fit" from either side starts re-matching."""
    if actor is not None and not actor.has_perm("mentoring.log_meeting", pair):
        raise PermissionDenied(_("Only the pair's mentor or the programme's coordinators may record this."))
    if party not in Party.values or answer not in Fit.values:
        raise ValidationError(_("Unknown answer."))
    if not pair.meetings.exists():
        raise ValidationError(_("The fit check comes after the first meeting."))
    check, _created = FitCheck.objects.update_or_create(
        pair=pair, party=party, defaults={"answer": answer, "comment": comment.strip()}
    )
    if answer == Fit.NOT_FIT and pair.status in OPEN_PAIR:
        pair.status = PairStatus.REMATCH
        pair.closed_on = timezone.localdate()
        pair.outcome = Outcome.NOT_FIT
        pair.save(update_fields=["status", "closed_on", "outcome"])
        Mentee.objects.filter(pk=pair.mentee_id).update(status=MenteeStatus.WAITING)
        for user in staff_of(pair.organisation_id, COORDINATOR_ROLES):
            notify_each(
                [user],
                gettext_lazy("A pair is not a good fit: the mentee is back in the pool for the next match."),
                url=reverse("mentoring:pair", args=[pair.pk]),
            )
    _audit(
        actor, AuditAction.UPDATE, pair, pair.organisation_id, fields=["fit"], detail={"party": party, "answer": answer}
    )
    return check


def lapsed(today: date | None = None, *, organisation_id: int | None = None) -> list[tuple[Pair, date, int]]:
    """Active pairs (of one programme, or all) whose last meeting (or start) is older than 1.5 × the agreed
    frequency: (pair, since, days overdue)."""
    today = today or timezone.localdate()
    out: list[tuple[Pair, date, int]] = []
    pairs = Pair.objects.filter(status=PairStatus.ACTIVE)
    if organisation_id is not None:
        pairs = pairs.filter(organisation_id=organisation_id)
    pairs = pairs.annotate(last=Max("meetings__held_on")).select_related("mentor", "mentee__person")
    for pair in pairs:
        contract = current_contract(pair)
        if contract is None:
            continue
        since = getattr(pair, "last", None) or pair.started_on
        allowed = timedelta(days=round(contract.meet_every_days * LAPSE_GRACE))
        if today - since > allowed:
            out.append((pair, since, (today - since - allowed).days))
    return out


def send_reminders(today: date | None = None) -> int:
    """Remind the mentor (if they have an account) and the coordinators of each lapsed pair, at most
    once a week per pair. Returns how many pairs were reminded."""
    today = today or timezone.localdate()
    count = 0
    for pair, since, _over in lapsed(today):
        if pair.last_reminded_on and today - pair.last_reminded_on < timedelta(days=7):
            continue
        users = staff_of(pair.organisation_id, COORDINATOR_ROLES)
        if pair.mentor.user_id:
            users.append(pair.mentor.user)  # type: ignore[arg-type]
        notify_each(
            users,
            gettext_lazy("No meeting of %(mentor)s's pair since %(since)s, more than agreed."),
            url=reverse("mentoring:pair", args=[pair.pk]),
            mentor=pair.mentor.name,
            since=since,
        )
        Pair.objects.filter(pk=pair.pk).update(last_reminded_on=today)
        count += 1
    return count


@transaction.atomic
def complete_review(actor: Any, review: Review, notes: str) -> Review:
    """A periodic review done; the next one is scheduled while the pair is active."""
    require(actor, "mentoring.coordinate_at", review.pair.organisation_id, COORDINATORS_ONLY)
    if review.done_on:
        raise ValidationError(_("This review is already done."))
    if not notes.strip():
        raise ValidationError({"notes": _("Write what the review found.")})
    review.done_on = timezone.localdate()
    review.notes = notes.strip()
    review.done_by = actor
    review.save()
    if review.pair.status == PairStatus.ACTIVE:
        Review.objects.create(pair=review.pair, due_on=review.done_on + timedelta(weeks=REVIEW_EVERY_WEEKS))
    _audit(actor, AuditAction.UPDATE, review.pair, review.pair.organisation_id, fields=["review"])
    return review


@transaction.atomic
def close(
    actor: Any,
    pair: Pair,
    *,
    outcome: str,
    mentor_feedback: str = "",
    mentee_feedback: str = "",
    channel: Channel = Channel.UI,
) -> Pair:
    require(actor, "mentoring.coordinate_at", pair.organisation_id, COORDINATORS_ONLY)
    if pair.status == PairStatus.CLOSED:
        raise ValidationError(_("This pair is already closed."))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    pair.status = PairStatus.CLOSED
    pair.closed_on = timezone.localdate()
    pair.outcome = outcome
    pair.mentor_feedback = mentor_feedback.strip()
    pair.mentee_feedback = mentee_feedback.strip()
    pair.save()
    Mentee.objects.filter(pk=pair.mentee_id).update(
        status=MenteeStatus.WAITING if outcome == Outcome.NOT_FIT else MenteeStatus.CLOSED
    )
    pair.reviews.filter(done_on__isnull=True).delete()
    _audit(
        actor,
        AuditAction.UPDATE,
        pair,
        pair.organisation_id,
        channel=channel,
        person=pair.mentee.person,
        fields=["status", "outcome"],
    )
    return pair


# --- Personal data --------------------------------------------------------------------------------------------


def export_person(person: Person) -> list[dict[str, Any]]:
    out = []
    for mentee in Mentee.objects.filter(person=person).select_related("organisation"):
        out.append(
            {
                "programme": mentee.organisation.name,
                "status": mentee.status,
                "languages": mentee.languages,
                "lived_experience": mentee.lived_experience,
                "goals_summary": mentee.goals_summary,
                "pairs": [
                    {
                        "mentor": p.mentor.name,
                        "status": p.status,
                        "started_on": p.started_on.isoformat(),
                        "closed_on": p.closed_on.isoformat() if p.closed_on else None,
                        "meetings": p.meetings.count(),
                        "outcome": p.outcome,
                    }
                    for p in mentee.pairs.select_related("mentor")
                ],
            }
        )
    return out


def erase_person_data(person: Person) -> None:
    from ownpath.core.models import Translation

    contracts = Contract.objects.filter(pair__mentee__person=person).values_list("pk", flat=True)
    Translation.objects.filter(module=TEXTS_MODULE, entity="contract", entity_id__in=list(contracts)).delete()
    Mentee.objects.filter(person=person).delete()
