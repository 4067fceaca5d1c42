"""What the counselling module adds to the person page, the dashboard and a GDPR export."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from ownpath.core import access
from ownpath.core.choices import AuditAction, Channel, ConsentPurpose, SensitiveGroup
from ownpath.core.models import Consent, Person
from ownpath.core.sensitivity import lens_for
from ownpath.core.services import audit
from ownpath.modules.counselling import selectors
from ownpath.modules.counselling.choices import CHECKLISTS
from ownpath.modules.counselling.services import SUGGESTION_REASONS


def tab_assessment(request: HttpRequest, person: Person) -> Mapping[str, Any]:
    from ownpath.modules.counselling.forms import AssessmentForm, IntakeForm

    may_change = request.user.has_perm("counselling.change_path", person)
    may_read_health = lens_for(request.user, person).reads(SensitiveGroup.HEALTH)
    assessment = selectors.latest_assessment(person)
    profile = getattr(person, "case_profile", None)
    return {
        "intakes": selectors.intakes_of(person),
        "assessment": assessment,
        "may_read_health": may_read_health,
        "barriers": selectors.barrier_view(profile.barriers if profile else [], may_read_health),
        "intake_form": IntakeForm(prefix="intake") if may_change else None,
        "assessment_form": AssessmentForm(prefix="assessment", may_write_health=may_read_health)
        if may_change
        else None,
    }


def tab_path(request: HttpRequest, person: Person) -> Mapping[str, Any]:
    from ownpath.modules.counselling.forms import GoalForm, LegalRequestForm

    may_change = request.user.has_perm("counselling.change_path", person)
    path = selectors.path_of(person)
    labels = {kind: dict(items) for kind, items in CHECKLISTS.items()}
    for step in path["steps"]:
        items = [(labels.get(step.kind, {}).get(item["key"], item["key"]), item.get("done")) for item in step.checklist]
        setattr(step, "checklist_items", items)  # noqa: B010  (for the template)
    return {
        **path,
        "may_change": may_change,
        "suggestions": [(s, SUGGESTION_REASONS.get(s.reason, "")) for s in selectors.open_suggestions(person)],
        "legal_requests": selectors.legal_requests_for(request.user, person),
        "goal_form": GoalForm(prefix="goal") if may_change else None,
        "legal_form": LegalRequestForm(prefix="legal")
        if request.user.has_perm("counselling.ask_legal", person)
        else None,
    }


def tab_sessions(request: HttpRequest, person: Person) -> Mapping[str, Any]:
    from ownpath.modules.counselling.forms import SessionForm

    sessions = selectors.sessions_of(request.user, person)
    read = [note for _session, notes in sessions for note in notes]
    if read:
        # Every read of a session note is audited, with the notes and their sensitivity.
        audit.record(
            request.user,
            AuditAction.READ,
            channel=Channel.UI,
            person=person,
            purpose="casework",
            fields=sorted({f"note:{note.group}" for note in read}),
            detail={"note_ids": [note.pk for note in read]},
        )
    groups = [g for g in SensitiveGroup.values if access.can_read_group(request.user, person, g)]
    may_hold = request.user.has_perm("counselling.hold_session", person)
    return {
        "sessions": sessions,
        "may_hold": may_hold,
        "note_groups": [(value, label) for value, label in SensitiveGroup.choices if value in groups],
        "session_form": SessionForm(prefix="session", person=person, groups=groups) if may_hold else None,
    }


def tab_referrals(request: HttpRequest, person: Person) -> Mapping[str, Any]:
    from ownpath.modules.counselling.forms import ReferralAnswerForm, ReferralForm

    may_send = request.user.has_perm("counselling.send_referral", person)
    consents = (
        Consent.objects.filter(person=person, purpose=ConsentPurpose.REFERRAL, withdrawn_at__isnull=True)
        .prefetch_related("recipients")
        .order_by("-given_at")
        if may_send
        else []
    )
    mine = access.organisations_with_roles(request.user, access.CASEWORK_ROLES)
    referrals = list(selectors.referrals_of_person(request.user, person))
    for referral in referrals:
        setattr(referral, "incoming", referral.to_organisation_id in mine)  # noqa: B010  (for the template)
    return {
        "referrals": referrals,
        "referral_form": ReferralForm(prefix="referral", person=person) if may_send else None,
        "referral_consents": consents,
        "answer_form": ReferralAnswerForm(),
    }


def tab_outcomes(request: HttpRequest, person: Person) -> Mapping[str, Any]:
    from ownpath.modules.counselling.choices import FollowUpStatus
    from ownpath.modules.counselling.forms import OutcomeForm

    may_change = request.user.has_perm("counselling.change_path", person)
    return {
        "outcomes": selectors.outcomes_of(person),
        "may_change": may_change,
        "outcome_form": OutcomeForm(prefix="outcome") if may_change else None,
        "follow_up_choices": [c for c in FollowUpStatus.choices if c[0] != FollowUpStatus.DUE],
    }


def todo_widget(request: HttpRequest) -> Mapping[str, Any]:
    load = selectors.caseload(request.user)
    audit.record_list(request.user, [s.person for s in load.sessions_today], channel=Channel.UI, purpose="dashboard")
    return {"load": load}


def export_person(person: Person) -> dict[str, Any]:
    """Everything the module holds about a person, for the GDPR export. Health and legal parts are wrapped
    in ``Sensitive``: core's export gives them only to readers of the group (and to the person themself)."""
    from ownpath.core.sensitivity import Sensitive
    from ownpath.modules.counselling.models import Assessment, Intake, LegalRequest, Outcome, Referral, Session, Step

    def rows(queryset: Any, fields: list[str]) -> list[dict[str, Any]]:
        return [
            {f: (v.isoformat() if hasattr(v, "isoformat") else v) for f, v in zip(fields, values, strict=True)}
            for values in queryset.values_list(*fields)
        ]

    assessments = [
        {
            "assessed_on": a.assessed_on.isoformat(),
            "family_situation": a.family_situation,
            "single_parent": a.single_parent,
            "childcare_needed": a.childcare_needed,
            "low_literacy": a.low_literacy,
            "disability": Sensitive(SensitiveGroup.HEALTH, a.disability, organisation_id=a.organisation_id),
            "health_notes": Sensitive(SensitiveGroup.HEALTH, a.health_notes, organisation_id=a.organisation_id),
            "goals": a.goals,
            "preferences": a.preferences,
        }
        for a in Assessment.objects.filter(person=person)
    ]
    return {
        "intakes": rows(Intake.objects.filter(person=person), ["contact_date", "came_via", "interpreter_used"]),
        "assessments": assessments,
        "path_steps": rows(
            Step.objects.filter(person=person),
            ["kind", "title", "status", "planned_start", "planned_end", "actual_start", "actual_end", "result"],
        ),
        "sessions": rows(
            Session.objects.filter(person=person), ["kind", "starts_at", "duration_minutes", "mode", "agreed_actions"]
        ),
        "referrals": rows(
            Referral.objects.filter(person=person),
            ["from_organisation__name", "to_organisation__name", "service", "status", "sent_at"],
        ),
        "legal_requests": [
            Sensitive(
                SensitiveGroup.LEGAL,
                {"asked": r.created_at, "question": r.question, "answer": r.answer},
                author_id=r.requested_by_id,
                organisation_id=r.organisation_id,
            )
            for r in LegalRequest.objects.filter(person=person)
        ],
        "outcomes": rows(
            Outcome.objects.filter(person=person),
            ["kind", "employer", "occupation", "contract_type", "hours_per_week", "wage_band", "start"],
        ),
    }
