"""Every page of the counselling module, as every role and as an anonymous visitor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ownpath.core.access import CASEWORK_ROLES, EDITOR_ROLES
from ownpath.core.choices import Channel, Role
from ownpath.core.models import AuditEvent
from ownpath.core.services import consent as consent_service
from ownpath.modules.counselling import services
from ownpath.modules.counselling.models import (
    Goal,
    Intake,
    Outcome,
    PathChange,
    Recognition,
    Referral,
    Session,
    Step,
)
from tests.conftest import World, signed_in
from tests.test_access_matrix import ROLES, casework, sees_person

UI = Channel.UI
SESSION_ROLES = EDITOR_ROLES | {Role.CULTURAL_MEDIATOR}


@dataclass
class Case:
    step: Step
    suggestion_id: int
    session: Session
    referral: Referral
    recognition: Recognition
    legal_id: int
    follow_up_id: int


@pytest.fixture
def case(world: World) -> Case:
    counsellor = world.users[Role.COUNSELLOR]
    assessment = services.record_assessment(counsellor, world.person, world.centre, {}, channel=UI)
    step = services.add_step(
        counsellor, world.person, {"kind": "workshop", "responsible_organisation": world.centre}, channel=UI
    )
    session = services.record_session(
        counsellor,
        world.person,
        world.centre,
        {"kind": "vocational", "starts_at": timezone.now(), "mode": "phone"},
        channel=UI,
    )
    consent_service.give_consent(
        counsellor, world.person, recipients=[world.ngo], purpose="referral", scope=["identity"], evidence="Form"
    )
    referral = services.send_referral(counsellor, world.person, world.ngo, service="Course", scope=[], channel=UI)
    recognition = services.add_recognition(
        counsellor, world.person, {"diploma": "BSc", "country": "UA", "route": "academic"}, channel=UI
    )
    legal = services.request_legal_advice(counsellor, world.person, world.centre, "A question", channel=UI)
    outcome = services.record_outcome(
        counsellor,
        world.person,
        world.centre,
        {"kind": "training", "occupation": "Forklift course", "start": date(2026, 1, 5)},
        channel=UI,
    )
    return Case(
        step,
        assessment.suggestions.first().pk,  # type: ignore[union-attr]
        session,
        referral,
        recognition,
        legal.pk,
        outcome.follow_ups.get(months=3).pk,
    )


def get_urls(world: World, case: Case) -> dict[str, str]:
    person = reverse("core:person", args=[world.person.pk])
    return {
        "caseload": reverse("counselling:caseload"),
        "supervision": reverse("counselling:supervision"),
        "referrals": reverse("counselling:referrals"),
        "handovers": reverse("counselling:handovers"),
        "steps_we_own": reverse("counselling:steps_we_own"),
        "handover": reverse("counselling:handover", args=[999999]),  # unknown: 404, ids reveal nothing
        "my_path": reverse("counselling:my_path"),
        "step_edit": reverse("counselling:step_edit", args=[case.step.pk]),
        "recognition_edit": reverse("counselling:recognition_edit", args=[case.recognition.pk]),
        "step_add": reverse("counselling:step_add", args=[world.person.pk]),
        "recognition_add": reverse("counselling:recognition_add", args=[world.person.pk]),
        "legal_request": reverse("counselling:legal_request", args=[case.legal_id]),
        "tab_assessment": person + "?tab=assessment",
        "tab_path": person + "?tab=path",
        "tab_sessions": person + "?tab=sessions",
        "tab_referrals": person + "?tab=referrals",
        "tab_outcomes": person + "?tab=outcomes",
        "api_caseload": "/api/v1/counselling/caseload",
        "api_path": f"/api/v1/counselling/people/{world.person.pk}/path",
        "api_sessions": f"/api/v1/counselling/people/{world.person.pk}/sessions",
        "api_legal": f"/api/v1/counselling/legal-requests/{case.legal_id}",
    }


RECEIVER = "ngo_counsellor"  # the person is shared with the NGO by the referral, for identity only


def expect_get(view: str, role: str) -> int:
    if view == "handover":
        return 302 if role == "anonymous" else 404
    if role == RECEIVER and view not in (
        "caseload",
        "referrals",
        "handovers",
        "steps_we_own",
        "api_caseload",
        "supervision",
        "my_path",
    ):
        return {"tab_referrals": 200, "tab_sessions": 200, "api_sessions": 200}.get(
            view, 404 if view.startswith("tab_") else 403
        )
    if role == "anonymous":
        return 401 if view.startswith("api_") else 302
    if view in ("caseload", "referrals", "handovers", "steps_we_own", "api_caseload"):
        return 200 if casework(role) else 403
    if view == "supervision":
        return 200 if role == Role.ORG_ADMIN else 403
    if view == "my_path":
        return 403
    if not sees_person(role):
        return 404
    if view.startswith("tab_") or view in ("api_path", "api_sessions"):
        return 200
    if view == "step_edit":
        return 200 if role in SESSION_ROLES else 403
    if view in ("recognition_edit", "step_add", "recognition_add"):
        return 200 if role in EDITOR_ROLES else 403
    if view in ("legal_request", "api_legal"):
        return 200 if role in (Role.LEGAL_ADVISER, Role.COUNSELLOR) else 403
    raise AssertionError(view)


@pytest.mark.parametrize("role", ROLES)
def test_every_counselling_page_answers_each_role_as_expected(world: World, case: Case, role: str) -> None:
    client = Client() if role == "anonymous" else signed_in(world.users[role])
    failures = []
    for view, url in get_urls(world, case).items():
        status = client.get(url).status_code
        if status != expect_get(view, role):
            failures.append(f"{view} as {role}: {status}, expected {expect_get(view, role)}")
    assert not failures, "\n".join(failures)


def post_urls(world: World, case: Case) -> dict[str, str]:
    pid = world.person.pk
    return {
        "intake_add": reverse("counselling:intake_add", args=[pid]),
        "assessment_add": reverse("counselling:assessment_add", args=[pid]),
        "goal_add": reverse("counselling:goal_add", args=[pid]),
        "step_add": reverse("counselling:step_add", args=[pid]),
        "session_add": reverse("counselling:session_add", args=[pid]),
        "referral_send": reverse("counselling:referral_send", args=[pid]),
        "recognition_add": reverse("counselling:recognition_add", args=[pid]),
        "legal_add": reverse("counselling:legal_add", args=[pid]),
        "outcome_add": reverse("counselling:outcome_add", args=[pid]),
        "suggestion_decide": reverse("counselling:suggestion_decide", args=[case.suggestion_id]),
        "step_edit": reverse("counselling:step_edit", args=[case.step.pk]),
        "step_checklist": reverse("counselling:step_checklist", args=[case.step.pk]),
        "session_note_add": reverse("counselling:session_note_add", args=[case.session.pk]),
        "referral_answer": reverse("counselling:referral_answer", args=[case.referral.pk]),
        "recognition_edit": reverse("counselling:recognition_edit", args=[case.recognition.pk]),
        "legal_request": reverse("counselling:legal_request", args=[case.legal_id]),
        "follow_up_record": reverse("counselling:follow_up_record", args=[case.follow_up_id]),
    }


def expect_post(view: str, role: str) -> int:
    """An empty (invalid) body: refused by permission, or answered with a message, and nothing written."""
    if role == "anonymous":
        return 302
    if view == "referral_answer":
        return 302 if role in EDITOR_ROLES or role == RECEIVER else 404
    if role == RECEIVER:
        return 302 if view in ("session_add", "session_note_add", "legal_add") else 403
    if not sees_person(role):
        return 404
    if view in ("legal_add",):
        return 302
    if view in ("session_add", "session_note_add", "step_checklist"):
        return 302 if role in SESSION_ROLES else 403
    if view == "step_edit":
        return 400 if role in SESSION_ROLES else 403
    if view in ("recognition_edit", "step_add", "recognition_add"):
        return 400 if role in EDITOR_ROLES else 403
    if view == "legal_request":
        return {Role.LEGAL_ADVISER: 400, Role.COUNSELLOR: 403}.get(role, 403)  # type: ignore[call-overload]
    return 302 if role in EDITOR_ROLES else 403


@pytest.mark.parametrize("role", ROLES)
def test_every_counselling_form_answers_each_role_and_changes_nothing(world: World, case: Case, role: str) -> None:
    client = Client() if role == "anonymous" else signed_in(world.users[role])
    models = (Intake, Goal, Step, Session, Referral, Recognition, Outcome, PathChange)
    before = {m: list(m.objects.values()) for m in models}
    failures = []
    for view, url in post_urls(world, case).items():
        status = client.post(url, {}).status_code
        if status != expect_post(view, role):
            failures.append(f"POST {view} as {role}: {status}, expected {expect_post(view, role)}")
    assert not failures, "\n".join(failures)
    for model in models:
        assert list(model.objects.values()) == before[model], model


def test_the_matrix_covers_every_counselling_page(world: World, case: Case) -> None:
    from ownpath.modules.counselling.urls import urlpatterns

    names = {p.name for p in urlpatterns}
    assert names <= set(get_urls(world, case)) | set(post_urls(world, case))


def test_casework_roles_read_the_path_and_each_read_is_audited(world: World, case: Case) -> None:
    for role in CASEWORK_ROLES:
        user = world.users[role]
        signed_in(user).get(reverse("core:person", args=[world.person.pk]) + "?tab=path")
        assert AuditEvent.objects.filter(
            person_id=world.person.pk, actor_id=user.pk, action="read", fields=["tab:path"]
        ).exists(), role
