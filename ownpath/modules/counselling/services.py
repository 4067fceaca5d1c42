"""Writes of the counselling module. Every function checks its permission, validates before it writes,
writes in one transaction, audits, and publishes an event for monitoring where the issue names one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ownpath.core import access, events
from ownpath.core.choices import (
    AuditAction,
    CEFRLevel,
    Channel,
    ConsentPurpose,
    DataScope,
    NeedKind,
    RecognitionStatus,
    ResidenceStatus,
    Role,
    SensitiveGroup,
)
from ownpath.core.concurrency import check_version, version_of
from ownpath.core.geo import add_months
from ownpath.core.models import Membership, Organisation, Person, User
from ownpath.core.services import audit
from ownpath.core.services import consent as consent_service
from ownpath.core.services import people as people_service
from ownpath.core.services.notifications import notify_each, staff_of
from ownpath.modules.counselling.choices import (
    CHECKLISTS,
    FOLLOW_UP_MONTHS,
    OPEN_STEP_STATUSES,
    Barrier,
    FollowUpStatus,
    LegalRequestStatus,
    RecognitionDocument,
    RecognitionState,
    ReferralStatus,
    StepKind,
    StepStatus,
    SuggestionStatus,
)
from ownpath.modules.counselling.events import (
    OUTCOME_RECORDED,
    REFERRAL_ACCEPTED,
    REFERRAL_COMPLETED,
    REFERRAL_REJECTED,
    REFERRAL_SENT,
    SESSION_HELD,
    STEP_DONE,
    STEP_STARTED,
)
from ownpath.modules.counselling.models import (
    REFERRAL_FIELDS,
    Assessment,
    CaseProfile,
    FollowUp,
    Goal,
    Intake,
    LegalRequest,
    Outcome,
    PathChange,
    Recognition,
    Referral,
    Session,
    SessionNote,
    Step,
    Suggestion,
)

SUGGESTION_REASONS: dict[str, Any] = {
    "host_language": gettext_lazy("Speaks the local language below B1, or not at all."),
    "literacy": gettext_lazy("Reads and writes with difficulty: a literacy course first."),
    "workplace_language": gettext_lazy("Speaks the local language at A2–B1: support at the workplace helps."),
    "foreign_diploma": gettext_lazy("Has a foreign qualification not yet recognised."),
    "small_children": gettext_lazy("Has small children or asks for childcare."),
    "disability": gettext_lazy("Has a disability: an accessible workplace and supported work."),
    "self_employment": gettext_lazy("Wants to start a business."),
    "psychological": gettext_lazy("Asks for psychological support."),
    "legal": gettext_lazy("Has a legal question, or the residence title is unclear or expiring."),
    "no_work_experience": gettext_lazy("Has no work experience yet: an internship builds it."),
    "job_search": gettext_lazy("Ready to look for work."),
}


def _require(actor: Any, permission: str, obj: Any, message: str) -> None:
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(message)


def _clean(instance: Any, exclude: Iterable[str] = ()) -> None:
    instance.full_clean(exclude=list(exclude))


def _barrier_count(person: Person) -> int:
    """For monitoring events: how many barriers the person faces (0 before any assessment)."""
    profile = CaseProfile.objects.filter(person=person).only("barrier_count").first()
    return profile.barrier_count if profile else 0


def _touch(person: Person) -> None:
    people_service.touch_activity(person)


def _member_or_error(user: User | None, organisation: Organisation, field: str) -> None:
    if (
        user is not None
        and not Membership.objects.filter(user=user, organisation=organisation, is_active=True).exists()
    ):
        raise ValidationError({field: _("This person does not work for the responsible organisation.")})


# --- Intake and assessment ---------------------------------------------------------------------------


@transaction.atomic
def record_intake(
    actor: Any, person: Person, organisation: Organisation, values: Mapping[str, Any], *, channel: Channel
) -> Intake:
    _require(actor, "counselling.change_path", person, _("You cannot record an intake for this person."))
    intake = Intake(person=person, organisation=organisation, recorded_by=actor, **values)
    _clean(intake, exclude=["recorded_by"])
    intake.save()
    audit.record(actor, AuditAction.CREATE, channel=channel, person=person, obj=intake, fields=list(values))
    _touch(person)
    return intake


def _host_level(person: Person) -> str | None:
    for language in person.languages.all():
        if language.language == settings.OWNPATH_HOST_LANGUAGE:
            return str(language.level)
    return None


def suggest_steps(person: Person, assessment: Assessment) -> list[tuple[str, str]]:
    """The path steps an assessment points to, as (step kind, reason) pairs, most basic first.

    Reads the core record (languages, qualifications, work history, household, residence) and the
    assessment. Pure: it writes nothing, so the same facts always give the same suggestions.
    """
    suggestions: list[tuple[str, str]] = []
    level = _host_level(person)
    if assessment.low_literacy:
        suggestions.append((StepKind.LANGUAGE_COURSE, "literacy"))
    elif level in (None, CEFRLevel.NONE, CEFRLevel.A1, CEFRLevel.A2):
        suggestions.append((StepKind.LANGUAGE_COURSE, "host_language"))
    if level in (CEFRLevel.A2, CEFRLevel.B1):
        suggestions.append((StepKind.WORKPLACE_LANGUAGE, "workplace_language"))
    host_country = settings.OWNPATH_HOST_COUNTRY
    foreign = [
        q
        for q in person.qualifications.all()
        if str(q.country) not in ("", host_country)
        and q.recognition in (RecognitionStatus.NOT_STARTED, RecognitionStatus.IN_PROGRESS)
    ]
    if foreign:
        suggestions.append((StepKind.RECOGNITION, "foreign_diploma"))
    this_year = timezone.localdate().year
    young_children = bool(person.household_children) and (
        person.youngest_child_birth_year is not None and this_year - person.youngest_child_birth_year < 7
    )
    if assessment.childcare_needed or young_children:
        suggestions.append((StepKind.CHILDCARE, "small_children"))
    has_disability = assessment.disability or any(n.kind == NeedKind.DISABILITY for n in person.needs.all())
    if has_disability:
        suggestions.append((StepKind.ACCESSIBLE_WORKPLACE, "disability"))
        suggestions.append((StepKind.SUPPORTED_WORK, "disability"))
    if assessment.needs_psychological_support:
        suggestions.append((StepKind.PSYCHOLOGICAL_SUPPORT, "psychological"))
    unclear_status = person.residence_status in (
        ResidenceStatus.UNKNOWN,
        ResidenceStatus.NO_TITLE,
        ResidenceStatus.PENDING,
    )
    if assessment.needs_legal_advice or unclear_status or person.residence_expires_soon():
        suggestions.append((StepKind.LEGAL_ADVICE, "legal"))
    if assessment.wants_self_employment:
        suggestions.append((StepKind.SELF_EMPLOYMENT, "self_employment"))
    if not person.work_history.exists():
        suggestions.append((StepKind.INTERNSHIP, "no_work_experience"))
    suggestions.append((StepKind.JOB_SEARCH, "job_search"))
    return suggestions


def barriers_of(person: Person, assessment: Assessment | None) -> list[str]:
    """The barriers a person faces (see ``Barrier``); two or more is what the seeds call double discrimination."""
    found: list[str] = []
    disability = any(n.kind == NeedKind.DISABILITY for n in person.needs.all())
    if disability or (assessment is not None and assessment.disability):
        found.append(Barrier.DISABILITY)
    if assessment is not None:
        young = (
            person.youngest_child_birth_year is not None
            and timezone.localdate().year - person.youngest_child_birth_year < 7
        )
        if assessment.single_parent and (young or assessment.childcare_needed):
            found.append(Barrier.SINGLE_PARENT)
        if assessment.low_literacy:
            found.append(Barrier.LOW_LITERACY)
    return found


def refresh_profile(person: Person) -> CaseProfile:
    latest = Assessment.objects.filter(person=person).order_by("-assessed_on", "-pk").first()
    barriers = barriers_of(person, latest)
    profile, _created = CaseProfile.objects.update_or_create(
        person=person, defaults={"barriers": barriers, "barrier_count": len(barriers)}
    )
    return profile


@transaction.atomic
def record_assessment(
    actor: Any, person: Person, organisation: Organisation, values: Mapping[str, Any], *, channel: Channel
) -> Assessment:
    """Store an assessment, suggest the path steps it points to and update the person's barriers."""
    _require(actor, "counselling.change_path", person, _("You cannot assess this person."))
    if values.get("health_notes") and not access.can_read_group(actor, person, SensitiveGroup.HEALTH):
        raise PermissionDenied(_("Your role cannot record health information."))
    assessment = Assessment(person=person, organisation=organisation, assessed_by=actor, **values)
    _clean(assessment, exclude=["assessed_by"])
    assessment.save()
    already = set(
        Step.objects.filter(person=person, status__in=OPEN_STEP_STATUSES).values_list("kind", flat=True)
    ) | set(Suggestion.objects.filter(person=person, status=SuggestionStatus.OPEN).values_list("kind", flat=True))
    new = []
    for kind, reason in suggest_steps(person, assessment):
        if kind not in already:
            already.add(kind)
            new.append(Suggestion(person=person, assessment=assessment, kind=kind, reason=reason))
    Suggestion.objects.bulk_create(new)
    refresh_profile(person)
    fields = [f"assessment:{name}" for name in values if name != "health_notes"]
    if values.get("health_notes"):
        fields.append("assessment:health")
    audit.record(actor, AuditAction.CREATE, channel=channel, person=person, obj=assessment, fields=fields)
    _touch(person)
    return assessment


@transaction.atomic
def decide_suggestion(
    actor: Any, suggestion: Suggestion, *, accept: bool, organisation: Organisation, channel: Channel
) -> Step | None:
    """Accept a suggestion (a planned step is added to the path) or drop it."""
    person = suggestion.person
    _require(actor, "counselling.change_path", person, _("You cannot change this path."))
    if suggestion.status != SuggestionStatus.OPEN:
        raise ValidationError(_("This suggestion was already decided."))
    step = None
    if accept:
        step = add_step(
            actor, person, {"kind": suggestion.kind, "responsible_organisation": organisation}, channel=channel
        )
    suggestion.status = SuggestionStatus.ACCEPTED if accept else SuggestionStatus.DROPPED
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now()
    suggestion.step = step
    suggestion.save()
    audit.record(
        actor,
        AuditAction.UPDATE,
        channel=channel,
        person=person,
        obj=suggestion,
        fields=["suggestion"],
        detail={"accepted": accept, "kind": suggestion.kind},
    )
    return step


# --- The individual path -----------------------------------------------------------------------------


def _snapshot(instance: Any, fields: Iterable[str]) -> dict[str, Any]:
    values = {}
    for name in fields:
        value = getattr(instance, name)
        if hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, date):
            value = value.isoformat()
        values[name] = value
    return values


GOAL_FIELDS = ("title", "target_date", "status")
STEP_FIELDS = (
    "goal",
    "kind",
    "title",
    "description",
    "responsible_organisation",
    "responsible_user",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "status",
    "result",
    "checklist",
)


@transaction.atomic
def add_goal(actor: Any, person: Person, values: Mapping[str, Any], *, channel: Channel) -> Goal:
    _require(actor, "counselling.change_path", person, _("You cannot change this path."))
    goal = Goal(person=person, created_by=actor, **{k: v for k, v in values.items() if k in GOAL_FIELDS})
    _clean(goal, exclude=["created_by"])
    if goal.target_date and goal.target_date < timezone.localdate():
        raise ValidationError({"target_date": _("The target date cannot be in the past.")})
    goal.save()
    PathChange.objects.create(
        person=person, goal=goal, version=1, changed_by=actor, changes={"created": _snapshot(goal, GOAL_FIELDS)}
    )
    audit.record(actor, AuditAction.CREATE, channel=channel, person=person, obj=goal, fields=["goal"])
    _touch(person)
    return goal


def default_checklist(kind: str) -> list[dict[str, Any]]:
    return [{"key": key, "done": False} for key, _label in CHECKLISTS.get(kind, [])]


def _check_step(step: Step) -> None:
    _clean(step, exclude=["created_by", "person"])
    if step.goal is not None and step.goal.person_id != step.person_id:
        raise ValidationError({"goal": _("The goal belongs to another person.")})
    _member_or_error(step.responsible_user, step.responsible_organisation, "responsible_user")


@transaction.atomic
def add_step(actor: Any, person: Person, values: Mapping[str, Any], *, channel: Channel) -> Step:
    _require(actor, "counselling.change_path", person, _("You cannot change this path."))
    data = {k: v for k, v in values.items() if k in STEP_FIELDS}
    data.setdefault("checklist", default_checklist(data.get("kind", "")))
    step = Step(person=person, created_by=actor, **data)
    _check_step(step)
    _share_with_owner(actor, step, channel=channel)
    step.save()
    PathChange.objects.create(
        person=person, step=step, version=1, changed_by=actor, changes={"created": _snapshot(step, STEP_FIELDS)}
    )
    audit.record(actor, AuditAction.CREATE, channel=channel, person=person, obj=step, fields=["path_step"])
    _publish_step_status(step, None)
    _touch(person)
    return step


def _publish_step_status(step: Step, before: str | None) -> None:
    payload = {
        "step_id": step.pk,
        "person_id": step.person_id,
        "organisation_id": step.responsible_organisation_id,
        "kind": step.kind,
    }
    if step.status == StepStatus.IN_PROGRESS and before != StepStatus.IN_PROGRESS:
        events.publish(STEP_STARTED, **payload)
    if step.status == StepStatus.DONE and before != StepStatus.DONE:
        events.publish(STEP_DONE, **payload)


def step_version(step: Step) -> str:
    """The version an edit form or ``If-Match`` carries (``core.concurrency``)."""
    return version_of(step, STEP_FIELDS)


@transaction.atomic
def update_step(
    actor: Any, step: Step, values: Mapping[str, Any], *, channel: Channel, expected_version: str | None = None
) -> Step:
    """Change a step; every change is kept as a new version with the values before and after. A change made
    from a version someone else has changed since is refused (``StaleEdit``)."""
    _require(actor, "counselling.update_step", step, _("You cannot change this step."))
    if not actor.has_perm("counselling.change_path", step.person):
        # The organisation that carries the step out reports progress; what and who stay the holder's.
        values = {k: v for k, v in values.items() if k in PARTNER_STEP_FIELDS}
    return _change_step(actor, step, values, channel=channel, expected_version=expected_version)


PARTNER_STEP_FIELDS = ("status", "actual_start", "actual_end", "result", "checklist")
STEP_OWNER_SCOPE = (DataScope.IDENTITY, DataScope.PATH)


def _share_with_owner(actor: Any, step: Step, *, channel: Channel) -> None:
    """A step owned by a partner organisation: the partner must see the person and their path, which the
    person's consent must allow. The share is made here (audited, under that consent) or the step refused."""
    from ownpath.core.models import PersonShare

    person = step.person
    owner = step.responsible_organisation
    if owner is None or owner.pk == person.organisation_id:
        return
    if PersonShare.objects.filter(person=person, organisation=owner, consent__withdrawn_at__isnull=True).exists():
        return  # it already sees the person (a referral's share covers the step it hands over)
    for purpose in (ConsentPurpose.COUNSELLING, ConsentPurpose.REFERRAL):
        if consent_service.may_share(person, person.organisation, owner, purpose, STEP_OWNER_SCOPE):
            consent_service.share_person(actor, person, owner, purpose=purpose, scope=STEP_OWNER_SCOPE, channel=channel)
            return
    raise ValidationError(
        {
            "responsible_organisation": _(
                "%(organisation)s can own a step only when the person has consented to share their path with it."
            )
            % {"organisation": owner.name}
        }
    )


def _change_step(
    actor: Any, step: Step, values: Mapping[str, Any], *, channel: Channel, expected_version: str | None = None
) -> Step:
    """Apply, validate, version, audit and publish a change of a step (the caller has checked who may)."""
    step = Step.objects.select_for_update().get(pk=step.pk)
    check_version(step, expected_version, STEP_FIELDS, submitted=values)
    before = _snapshot(step, STEP_FIELDS)
    status_before = step.status
    for name, value in values.items():
        if name in STEP_FIELDS:
            setattr(step, name, value)
    if step.status == StepStatus.IN_PROGRESS and not step.actual_start:
        step.actual_start = timezone.localdate()
    if step.status == StepStatus.DONE:
        step.actual_start = step.actual_start or step.actual_end or timezone.localdate()
        step.actual_end = step.actual_end or timezone.localdate()
    _check_step(step)
    if "responsible_organisation" in values:
        _share_with_owner(actor, step, channel=channel)
    after = _snapshot(step, STEP_FIELDS)
    changes = {k: [before[k], after[k]] for k in STEP_FIELDS if before[k] != after[k]}
    if not changes:
        return step
    step.version += 1
    step.save()
    PathChange.objects.create(person=step.person, step=step, version=step.version, changed_by=actor, changes=changes)
    audit.record(actor, AuditAction.UPDATE, channel=channel, person=step.person, obj=step, fields=list(changes))
    _publish_step_status(step, status_before)
    _touch(step.person)
    return step


def set_checklist(actor: Any, step: Step, done: Iterable[str], *, channel: Channel) -> Step:
    known = {item["key"] for item in step.checklist}
    done = set(done)
    if done - known:
        raise ValidationError(_("Unknown checklist item."))
    checklist = [{"key": item["key"], "done": item["key"] in done} for item in step.checklist]
    return update_step(actor, step, {"checklist": checklist}, channel=channel)


# --- Sessions ----------------------------------------------------------------------------------------

SESSION_FIELDS = (
    "kind",
    "starts_at",
    "duration_minutes",
    "mode",
    "place",
    "interpreter_used",
    "interpreter_language",
    "agreed_actions",
    "step",
)


@transaction.atomic
def _check_free(actor: Any, session: Session) -> None:
    """A planned session may not fall on time the counsellor is already booked for elsewhere (an appointment,
    a class): core's calendar holds every module's commitments, so nobody is booked twice."""
    from ownpath.core.services import calendar

    if session.starts_at is None or session.starts_at <= timezone.now():
        return  # a session already held is a record of what happened
    end = session.starts_at + timedelta(minutes=session.duration_minutes or 60)
    clash = calendar.busy_times({actor.pk}, session.starts_at, end, exclude={"counselling"})
    if clash:
        first = clash[0]
        raise ValidationError(
            {
                "starts_at": _("You are already booked from %(start)s to %(end)s (%(what)s).")
                % {
                    "start": timezone.localtime(first.start).strftime("%H:%M"),
                    "end": timezone.localtime(first.end).strftime("%H:%M"),
                    "what": first.title,
                }
            }
        )


def record_session(
    actor: Any,
    person: Person,
    organisation: Organisation,
    values: Mapping[str, Any],
    *,
    note_group: str = "",
    note: str = "",
    channel: Channel,
) -> Session:
    """Record a session (held or planned), with an optional note whose sensitivity limits its readers."""
    _require(actor, "counselling.hold_session", person, _("You cannot record sessions for this person."))
    if not access.roles_at(actor, organisation.pk) & access.CASEWORK_ROLES:
        raise PermissionDenied(_("You do not work for this organisation."))
    session = Session(
        person=person,
        organisation=organisation,
        held_by=actor,
        **{k: v for k, v in values.items() if k in SESSION_FIELDS},
    )
    _clean(session, exclude=["held_by"])
    _check_free(actor, session)
    if session.step is not None and session.step.person_id != person.pk:
        raise ValidationError({"step": _("The step belongs to another person.")})
    session.save()
    if note.strip():
        add_session_note(actor, session, note_group or SensitiveGroup.GENERAL, note, channel=channel)
    audit.record(actor, AuditAction.CREATE, channel=channel, person=person, obj=session, fields=["session"])
    if session.starts_at <= timezone.now():
        events.publish(
            SESSION_HELD,
            session_id=session.pk,
            person_id=person.pk,
            organisation_id=organisation.pk,
            kind=session.kind,
            barrier_count=_barrier_count(person),
        )
    _touch(person)
    return session


@transaction.atomic
def add_session_note(actor: Any, session: Session, group: str, body: str, *, channel: Channel) -> SessionNote:
    """A note of a session, through core's notes: encrypted, readable by the group's profession and the author."""
    if not access.roles_at(actor, session.organisation_id) & access.CASEWORK_ROLES:
        raise PermissionDenied(_("Only staff of the organisation that held the session can add notes to it."))
    if group not in SensitiveGroup.values:
        raise ValidationError({"note_group": _("Choose the sensitivity of the note.")})
    note = people_service.add_note(
        actor, session.person, group, body, organisation=session.organisation, channel=channel
    )
    return SessionNote.objects.create(session=session, note=note)


# --- Referrals ---------------------------------------------------------------------------------------


def send_referral(
    actor: Any,
    person: Person,
    to_organisation: Organisation,
    *,
    service: str,
    scope: Iterable[str],
    message: str = "",
    step: Step | None = None,
    answer_by: date | None = None,
    channel: Channel,
) -> Referral:
    """Refer the person to another organisation: refused unless they consented to it for this purpose."""
    _require(actor, "counselling.send_referral", person, _("You cannot refer this person."))
    scope = sorted(set(scope) | {DataScope.IDENTITY})
    errors: dict[str, str] = {}
    if not service.strip():
        errors["service"] = _("Say which service the person is referred for.")
    if to_organisation.pk == person.organisation_id:
        errors["to_organisation"] = _("Choose another organisation than the one holding the record.")
    if not set(scope) <= set(DataScope.values):
        errors["scope"] = _("Choose what may be shared.")
    today = timezone.localdate()
    answer_by = answer_by or today + timedelta(days=settings.OWNPATH_REFERRAL_ANSWER_DAYS)
    if answer_by < today:
        errors["answer_by"] = _("The answer date cannot be in the past.")
    if step is not None and step.person_id != person.pk:
        errors["step"] = _("The step belongs to another person.")
    if errors:
        raise ValidationError(errors)
    decision = consent_service.may_share(person, person.organisation, to_organisation, ConsentPurpose.REFERRAL, scope)
    if not decision.allowed:
        audit.record(
            actor,
            AuditAction.DENIED,
            channel=channel,
            person=person,
            purpose=ConsentPurpose.REFERRAL,
            detail={"referral_to": to_organisation.pk, "reason": decision.reason},
        )
        raise PermissionDenied(
            _("The referral was not sent: %(reason)s Record the person's consent first.") % {"reason": decision.reason}
        )
    # The refusal above stays in the audit log; the writes below happen together or not at all.
    with transaction.atomic():
        share = consent_service.share_person(
            actor, person, to_organisation, purpose=ConsentPurpose.REFERRAL, scope=scope, channel=channel
        )
        referral = Referral.objects.create(
            person=person,
            from_organisation=person.organisation,
            to_organisation=to_organisation,
            step=step,
            service=service.strip(),
            message=message.strip(),
            scope=scope,
            consent=decision.consent,
            share=share,
            answer_by=answer_by,
            sent_by=actor,
        )
        audit.record(
            actor,
            AuditAction.CREATE,
            channel=channel,
            person=person,
            obj=referral,
            purpose=ConsentPurpose.REFERRAL,
            fields=scope,
        )
        notify_each(
            staff_of(to_organisation.pk, {Role.ORG_ADMIN, Role.COUNSELLOR}),
            gettext_lazy("New referral from %(organisation)s"),
            body=gettext_lazy("Please accept or reject it by %(date)s."),
            url=reverse("counselling:referrals"),
            organisation=person.organisation.name,
            date=answer_by,
        )
        _publish_referral(REFERRAL_SENT, referral)
        _touch(person)
    return referral


def _publish_referral(event: str, referral: Referral) -> None:
    events.publish(
        event,
        referral_id=referral.pk,
        person_id=referral.person_id,
        from_organisation_id=referral.from_organisation_id,
        to_organisation_id=referral.to_organisation_id,
    )


_SEE_REFERRALS = gettext_lazy("See the referrals page.")


def _tell_sender(referral: Referral, title: Any, body: Any = _SEE_REFERRALS) -> None:
    users = {u for u in staff_of(referral.from_organisation_id, {Role.ORG_ADMIN}) if u is not None}
    if referral.sent_by is not None and referral.sent_by.is_active:
        users.add(referral.sent_by)
    notify_each(
        users, title, body=body, url=reverse("counselling:referrals"), organisation=referral.to_organisation.name
    )


def referral_version(referral: Referral) -> str:
    """The version an answer form or ``If-Match`` carries (``core.concurrency``)."""
    return referral.edit_version


@transaction.atomic
def answer_referral(
    actor: Any,
    referral: Referral,
    *,
    accept: bool,
    reason: str = "",
    channel: Channel,
    expected_version: str | None = None,
) -> Referral:
    """The receiver accepts the referral, or rejects it with a reason (and then no longer sees the person).
    An answer given to a version someone else has changed since is refused (``StaleEdit``)."""
    _require(actor, "counselling.answer_referral", referral, _("Only the receiving organisation can answer."))
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    check_version(
        referral,
        expected_version,
        REFERRAL_FIELDS,
        submitted={"status": ReferralStatus.ACCEPTED if accept else ReferralStatus.REJECTED, "reason": reason},
    )
    if referral.status != ReferralStatus.SENT:
        raise ValidationError(_("This referral has already been answered."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is rejected.")})
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.REJECTED
    referral.reason = "" if accept else reason.strip()
    referral.answered_by = actor
    referral.answered_at = timezone.now()
    referral.save()
    audit.record(
        actor,
        AuditAction.UPDATE,
        channel=channel,
        person=referral.person,
        organisation_id=referral.to_organisation_id,
        obj=referral,
        fields=["status"],
        detail={"status": referral.status},
    )
    if not accept and referral.share is not None:
        consent_service.end_share(actor, referral.share, reason="referral_rejected", channel=channel)
    if accept and referral.step is not None and referral.step.status in OPEN_STEP_STATUSES:
        # The receiver carries out the step it was referred for, and updates its progress from now on.
        _change_step(
            actor,
            referral.step,
            {"responsible_organisation": referral.to_organisation, "responsible_user": actor},
            channel=channel,
        )
    _tell_sender(
        referral,
        gettext_lazy("%(organisation)s accepted a referral")
        if accept
        else gettext_lazy("%(organisation)s rejected a referral"),
    )
    _publish_referral(REFERRAL_ACCEPTED if accept else REFERRAL_REJECTED, referral)
    return referral


@transaction.atomic
def complete_referral(
    actor: Any, referral: Referral, *, feedback: str, channel: Channel, expected_version: str | None = None
) -> Referral:
    _require(actor, "counselling.answer_referral", referral, _("Only the receiving organisation can complete it."))
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    check_version(
        referral,
        expected_version,
        REFERRAL_FIELDS,
        submitted={"status": ReferralStatus.COMPLETED, "feedback": feedback},
    )
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted referral can be completed."))
    if not feedback.strip():
        raise ValidationError({"feedback": _("Give feedback for the sending organisation.")})
    referral.status = ReferralStatus.COMPLETED
    referral.feedback = feedback.strip()
    referral.completed_at = timezone.now()
    referral.save()
    audit.record(
        actor,
        AuditAction.UPDATE,
        channel=channel,
        person=referral.person,
        organisation_id=referral.to_organisation_id,
        obj=referral,
        fields=["status", "feedback"],
    )
    _tell_sender(referral, gettext_lazy("%(organisation)s completed a referral"))
    _publish_referral(REFERRAL_COMPLETED, referral)
    return referral


@transaction.atomic
def cancel_referral(
    actor: Any, referral: Referral, *, reason: str, channel: Channel, expected_version: str | None = None
) -> Referral:
    _require(actor, "counselling.cancel_referral", referral, _("Only the sending organisation can cancel it."))
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    check_version(
        referral, expected_version, REFERRAL_FIELDS, submitted={"status": ReferralStatus.CANCELLED, "reason": reason}
    )
    if referral.status not in (ReferralStatus.SENT, ReferralStatus.ACCEPTED):
        raise ValidationError(_("This referral is already closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is cancelled.")})
    referral.status = ReferralStatus.CANCELLED
    referral.reason = reason.strip()
    referral.save()
    audit.record(actor, AuditAction.UPDATE, channel=channel, person=referral.person, obj=referral, fields=["status"])
    if referral.share is not None:
        consent_service.end_share(actor, referral.share, reason="referral_cancelled", channel=channel)
    return referral


def handover_received(*, handover_id: int, to_organisation_id: int, source: str, source_ref: str) -> None:
    """core.handover_created: tell the receiving centre's counsellors that someone waits to be taken on."""
    notify_each(
        staff_of(to_organisation_id, {Role.ORG_ADMIN, Role.COUNSELLOR}),
        gettext_lazy("A caller was handed over to you by the helpline"),
        body=gettext_lazy("Open a record for them, or decline with a reason."),
        url=reverse("counselling:handover", args=[handover_id]),
    )


@transaction.atomic
def take_on_handover(
    actor: Any,
    handover: Any,
    values: Mapping[str, Any],
    *,
    channel: Channel,
    confirm_new: bool = False,
    existing: Person | None = None,
) -> Person:
    """Accept a hand-over: open a record for the person at the receiving centre with what the caller agreed
    to share (through the core duplicate check: ``PossibleDuplicates`` when they may already be on record),
    or take them on with the record they already have at the centre (``existing``: contact details it
    lacks are filled in); the core hand-over is then marked accepted."""
    from ownpath.core.services import handovers as handover_service

    handover_service.read_handover(actor, handover, channel=channel)
    contact = {
        "phone": handover.contact_phone,
        "email": handover.contact_email,
        "preferred_language": handover.language,
    }
    if existing is not None:
        if existing.organisation_id != handover.to_organisation_id:
            raise ValidationError(_("The record must be held by the receiving organisation."))
        missing = {k: v for k, v in contact.items() if v and not getattr(existing, k)}
        if missing:
            people_service.update_person(actor, existing, missing, channel=channel)
        person = existing
    else:
        person = people_service.create_person(
            actor,
            handover.to_organisation,
            {**values, **contact},
            languages=[(handover.language, "native")] if handover.language else [],
            channel=channel,
            confirm_new=confirm_new,
        )
    handover_service.answer_handover(actor, handover, accept=True, person=person, channel=channel)
    return person


def withdraw_referrals_of_consent(*, person_id: int, consent_id: int, purpose: str) -> None:
    """Handler of core.consent_withdrawn: open referrals under that consent are cancelled."""
    for referral in Referral.objects.filter(
        consent_id=consent_id, status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED]
    ):
        referral.status = ReferralStatus.CANCELLED
        referral.reason = "consent withdrawn"
        referral.save(update_fields=["status", "reason"])
        audit.record(
            None,
            AuditAction.UPDATE,
            channel=Channel.SYSTEM,
            person_id=person_id,
            obj=referral,
            fields=["status"],
            detail={"reason": "consent_withdrawn"},
        )


# --- Recognition, legal help -------------------------------------------------------------------------

RECOGNITION_FIELDS = (
    "qualification",
    "diploma",
    "country",
    "route",
    "institution",
    "fee",
    "fee_currency",
    "documents",
    "status",
    "submitted_on",
    "deadline",
    "decided_on",
    "decision",
)
_QUALIFICATION_STATUS = {
    RecognitionState.SUBMITTED: RecognitionStatus.IN_PROGRESS,
    RecognitionState.RECOGNISED: RecognitionStatus.RECOGNISED,
    RecognitionState.PARTIAL: RecognitionStatus.PARTIAL,
    RecognitionState.REFUSED: RecognitionStatus.REFUSED,
}


def _save_recognition(actor: Any, recognition: Recognition, *, created: bool, channel: Channel) -> Recognition:
    unknown = set(recognition.documents) - set(RecognitionDocument.values)
    if unknown:
        raise ValidationError({"documents": _("Unknown document.")})
    _clean(recognition, exclude=["created_by", "step", "person"])
    q = recognition.qualification
    if q is not None and q.person_id != recognition.person_id:
        raise ValidationError({"qualification": _("The qualification belongs to another person.")})
    recognition.save()
    if q is not None and recognition.status in _QUALIFICATION_STATUS:
        q.recognition = _QUALIFICATION_STATUS[recognition.status]  # type: ignore[index]
        q.save(update_fields=["recognition"])
    audit.record(
        actor,
        AuditAction.CREATE if created else AuditAction.UPDATE,
        channel=channel,
        person=recognition.person,
        obj=recognition,
        fields=["recognition"],
    )
    _touch(recognition.person)
    return recognition


@transaction.atomic
def add_recognition(
    actor: Any, person: Person, values: Mapping[str, Any], *, step: Step | None = None, channel: Channel
) -> Recognition:
    _require(actor, "counselling.change_path", person, _("You cannot change this path."))
    if step is not None and step.person_id != person.pk:
        raise ValidationError(_("The step belongs to another person."))
    data = {k: v for k, v in values.items() if k in RECOGNITION_FIELDS}
    recognition = Recognition(person=person, step=step, created_by=actor, **data)
    return _save_recognition(actor, recognition, created=True, channel=channel)


@transaction.atomic
def recognition_version(recognition: Recognition) -> str:
    """The version an edit form or ``If-Match`` carries (``core.concurrency``)."""
    return version_of(recognition, RECOGNITION_FIELDS)


def update_recognition(
    actor: Any, recognition: Recognition, values: Mapping[str, Any], *, channel: Channel
) -> Recognition:
    _require(actor, "counselling.change_path", recognition.person, _("You cannot change this path."))
    for name, value in values.items():
        if name in RECOGNITION_FIELDS:
            setattr(recognition, name, value)
    return _save_recognition(actor, recognition, created=False, channel=channel)


@transaction.atomic
def request_legal_advice(
    actor: Any, person: Person, organisation: Organisation, question: str, *, urgent: bool = False, channel: Channel
) -> LegalRequest:
    """Route a legal question to the legal adviser of ``organisation`` with the fewest open requests."""
    _require(actor, "counselling.ask_legal", person, _("You cannot ask for legal advice for this person."))
    if not access.roles_at(actor, organisation.pk) & access.CASEWORK_ROLES:
        raise PermissionDenied(_("You do not work for this organisation."))
    if not question.strip():
        raise ValidationError({"question": _("Write the question.")})
    advisers = (
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__role=Role.LEGAL_ADVISER,
            memberships__is_active=True,
            is_active=True,
        )
        .annotate(
            open_requests=Count(
                "legal_requests_assigned", filter=Q(legal_requests_assigned__status=LegalRequestStatus.OPEN)
            )
        )
        .order_by("open_requests", "pk")
    )
    adviser = advisers.first()
    if adviser is None:
        raise ValidationError(
            _("Your organisation has no legal adviser. Refer the person to an organisation that gives legal advice.")
        )
    request = LegalRequest.objects.create(
        person=person,
        organisation=organisation,
        question=question.strip(),
        urgent=urgent,
        requested_by=actor,
        assigned_to=adviser,
    )
    audit.record(actor, AuditAction.CREATE, channel=channel, person=person, obj=request, fields=["legal_request"])
    notify_each(
        [adviser],
        gettext_lazy("Urgent legal question") if urgent else gettext_lazy("New legal question"),
        body=gettext_lazy("A counsellor asks for legal advice."),
        url=reverse("counselling:legal_request", args=[request.pk]),
    )
    _touch(person)
    return request


@transaction.atomic
def answer_legal_request(
    actor: Any, request: LegalRequest, answer: str, *, close: bool = False, channel: Channel
) -> LegalRequest:
    _require(actor, "counselling.answer_legal_request", request, _("Only a legal adviser can answer."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    request.answer = answer.strip()
    request.status = LegalRequestStatus.CLOSED if close else LegalRequestStatus.ANSWERED
    request.answered_at = timezone.now()
    request.assigned_to = actor
    request.save()
    audit.record(actor, AuditAction.UPDATE, channel=channel, person=request.person, obj=request, fields=["answer"])
    if request.requested_by is not None and request.requested_by != actor:
        notify_each(
            [request.requested_by],
            gettext_lazy("Your legal question was answered"),
            body=gettext_lazy("Open it to read the answer."),
            url=reverse("counselling:legal_request", args=[request.pk]),
        )
    return request


# --- Outcomes and follow-ups -------------------------------------------------------------------------

OUTCOME_FIELDS = ("kind", "employer", "occupation", "contract_type", "hours_per_week", "wage_band", "start")


@transaction.atomic
def record_outcome(
    actor: Any, person: Person, organisation: Organisation, values: Mapping[str, Any], *, channel: Channel
) -> Outcome:
    """Record an outcome and schedule the follow-ups 3, 6 and 12 months after its start."""
    _require(actor, "counselling.change_path", person, _("You cannot record outcomes for this person."))
    outcome = Outcome(
        person=person,
        organisation=organisation,
        recorded_by=actor,
        **{k: v for k, v in values.items() if k in OUTCOME_FIELDS},
    )
    _clean(outcome, exclude=["recorded_by"])
    outcome.save()
    FollowUp.objects.bulk_create(
        FollowUp(outcome=outcome, months=m, due=add_months(outcome.start, m)) for m in FOLLOW_UP_MONTHS
    )
    audit.record(actor, AuditAction.CREATE, channel=channel, person=person, obj=outcome, fields=["outcome"])
    events.publish(
        OUTCOME_RECORDED,
        outcome_id=outcome.pk,
        person_id=person.pk,
        organisation_id=organisation.pk,
        kind=outcome.kind,
        barrier_count=_barrier_count(person),
    )
    _touch(person)
    return outcome


@transaction.atomic
def record_follow_up(actor: Any, follow_up: FollowUp, status: str, note: str = "", *, channel: Channel) -> FollowUp:
    person = follow_up.outcome.person
    _require(actor, "counselling.change_path", person, _("You cannot record follow-ups for this person."))
    if status not in FollowUpStatus.values or status == FollowUpStatus.DUE:
        raise ValidationError({"status": _("Choose what the follow-up found.")})
    if follow_up.due > timezone.localdate() + timedelta(days=14):
        raise ValidationError(_("This follow-up is not due yet."))
    follow_up.status = status
    follow_up.note = note.strip()
    follow_up.done_at = timezone.now()
    follow_up.done_by = actor
    follow_up.save()
    audit.record(actor, AuditAction.UPDATE, channel=channel, person=person, obj=follow_up, fields=["follow_up"])
    return follow_up


# --- Reminders (run daily: manage.py counselling_reminders) ------------------------------------------


@dataclass
class ReminderRun:
    referrals: int = 0
    steps: int = 0
    follow_ups: int = 0
    expiring_titles: int = 0


def send_reminders(today: date | None = None) -> ReminderRun:
    """Overdue referrals alert both sides once; overdue steps, due follow-ups and residence titles expiring
    within 60 days alert who is responsible, once each."""
    today = today or timezone.localdate()
    run = ReminderRun()
    overdue = Referral.objects.filter(
        status=ReferralStatus.SENT, answer_by__lt=today, overdue_alerted_at__isnull=True
    ).select_related("from_organisation", "to_organisation", "sent_by")
    for referral in overdue:
        with transaction.atomic():
            url = reverse("counselling:referrals")
            notify_each(
                staff_of(referral.to_organisation_id, {Role.ORG_ADMIN, Role.COUNSELLOR}),
                gettext_lazy("A referral from %(organisation)s is waiting for your answer"),
                body=gettext_lazy("The answer was expected by %(date)s."),
                url=url,
                organisation=referral.from_organisation.name,
                date=referral.answer_by,
            )
            _tell_sender(referral, gettext_lazy("%(organisation)s has not answered a referral in time"))
            Referral.objects.filter(pk=referral.pk).update(overdue_alerted_at=timezone.now())
            run.referrals += 1
    due_steps = Step.objects.filter(
        status__in=OPEN_STEP_STATUSES, planned_end__lt=today, reminded_on__isnull=True
    ).select_related("person", "responsible_user", "person__assigned_counsellor")
    for step in due_steps:
        who = step.responsible_user or step.person.assigned_counsellor
        if who is not None and who.is_active:
            notify_each(
                [who],
                gettext_lazy("A path step is overdue"),
                body=gettext_lazy("It was planned to end on %(date)s."),
                url=reverse("core:person", args=[step.person_id]) + "?tab=path",
                date=step.planned_end or "",
            )
        Step.objects.filter(pk=step.pk).update(reminded_on=today)
        run.steps += 1
    follow_ups = FollowUp.objects.filter(
        status=FollowUpStatus.DUE, due__lte=today, reminded_at__isnull=True
    ).select_related("outcome__person__assigned_counsellor", "outcome__recorded_by")
    for follow_up in follow_ups:
        who = follow_up.outcome.person.assigned_counsellor or follow_up.outcome.recorded_by
        if who is not None and who.is_active:
            notify_each(
                [who],
                gettext_lazy("A %(months)s-month follow-up is due"),
                body=gettext_lazy("Ask whether the person is still in work or training."),
                url=reverse("core:person", args=[follow_up.outcome.person_id]) + "?tab=outcomes",
                months=follow_up.months,
            )
        FollowUp.objects.filter(pk=follow_up.pk).update(reminded_at=timezone.now())
        run.follow_ups += 1
    expiring = (
        Person.objects.filter(
            is_anonymised=False,
            assigned_counsellor__isnull=False,
            residence_expires__gte=today,
            residence_expires__lte=today + timedelta(days=60),
        )
        .exclude(case_profile__expiry_reminded_for=F("residence_expires"))
        .select_related("assigned_counsellor")
    )
    for person in expiring:
        counsellor = person.assigned_counsellor
        if counsellor is not None and counsellor.is_active:
            notify_each(
                [counsellor],
                gettext_lazy("A residence title expires on %(date)s"),
                body=gettext_lazy("Plan the application for a new title with the person in time."),
                url=reverse("core:person", args=[person.pk]),
                date=person.residence_expires or "",
            )
        CaseProfile.objects.update_or_create(person=person, defaults={"expiry_reminded_for": person.residence_expires})
        run.expiring_titles += 1
    return run


# --- Data rights -------------------------------------------------------------------------------------


def erase_person_data(person: Person) -> None:
    """Everything this module holds about a person, deleted inside core's erasure transaction."""
    SessionNote.objects.filter(session__person=person).delete()
    Suggestion.objects.filter(person=person).delete()
    PathChange.objects.filter(person=person).delete()
    Session.objects.filter(person=person).delete()
    Referral.objects.filter(person=person).delete()
    Recognition.objects.filter(person=person).delete()
    LegalRequest.objects.filter(person=person).delete()
    Outcome.objects.filter(person=person).delete()
    Step.objects.filter(person=person).delete()
    Goal.objects.filter(person=person).delete()
    Assessment.objects.filter(person=person).delete()
    Intake.objects.filter(person=person).delete()
    CaseProfile.objects.filter(person=person).delete()
