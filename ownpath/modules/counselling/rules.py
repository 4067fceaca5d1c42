"""Permissions of the counselling module, built on core's roles, shares and consent scopes."""

from __future__ import annotations

from typing import Any

import rules

from ownpath.core import access
from ownpath.core.choices import DataScope, Role, SensitiveGroup
from ownpath.core.rules import can_work_with_people, edits_person, works_on_person

# Who holds sessions and writes their notes.
SESSION_ROLES = access.EDITOR_ROLES | {Role.CULTURAL_MEDIATOR}
# Who answers a referral for the receiving organisation.
RECEIVER_ROLES = frozenset({Role.ORG_ADMIN, Role.COUNSELLOR, Role.PSYCHOLOGIST, Role.LEGAL_ADVISER})


@rules.predicate
def sees_path(user: Any, person: Any) -> bool:
    """The holder's staff see the path; an organisation it is shared with only if the consent covers it."""
    if person is None or not access.roles_for_person(user, person) & access.CASEWORK_ROLES:
        return False
    return DataScope.PATH in access.scopes_for(user, person)


@rules.predicate
def holds_sessions(user: Any, person: Any) -> bool:
    return person is not None and bool(access.roles_for_person(user, person) & SESSION_ROLES)


@rules.predicate
def works_on_step(user: Any, step: Any) -> bool:
    """Editors of the holder, and the responsible organisation's caseworkers (who may see the person)."""
    if step is None:
        return False
    person = step.person
    if user.has_perm("core.change_person", person):
        return True
    return bool(access.roles_at(user, step.responsible_organisation_id) & SESSION_ROLES) and works_on_person(
        user, person
    )


@rules.predicate
def answers_referral(user: Any, referral: Any) -> bool:
    return referral is not None and bool(access.roles_at(user, referral.to_organisation_id) & RECEIVER_ROLES)


@rules.predicate
def sent_referral(user: Any, referral: Any) -> bool:
    return referral is not None and bool(access.roles_at(user, referral.from_organisation_id) & access.EDITOR_ROLES)


@rules.predicate
def reads_legal_request(user: Any, request: Any) -> bool:
    if request is None:
        return False
    if request.requested_by_id == getattr(user, "pk", None):
        return True
    return Role.LEGAL_ADVISER in access.roles_at(user, request.organisation_id) and access.can_read_group(
        user, request.person, SensitiveGroup.LEGAL
    )


@rules.predicate
def answers_legal_request(user: Any, request: Any) -> bool:
    return request is not None and Role.LEGAL_ADVISER in access.roles_at(user, request.organisation_id)


@rules.predicate
def supervises(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, {Role.ORG_ADMIN}))


@rules.predicate
def has_own_record(user: Any) -> bool:
    return bool(access.user_flag(user, "own_record", False))


rules.add_perm("counselling.view_caseload", can_work_with_people)
rules.add_perm("counselling.supervise", supervises)
rules.add_perm("counselling.view_path", sees_path)
rules.add_perm("counselling.change_path", sees_path & edits_person)
rules.add_perm("counselling.update_step", works_on_step)
rules.add_perm("counselling.hold_session", holds_sessions)
rules.add_perm("counselling.view_sessions", sees_path | holds_sessions)
rules.add_perm("counselling.send_referral", works_on_person & edits_person)
rules.add_perm("counselling.answer_referral", answers_referral)
rules.add_perm("counselling.cancel_referral", sent_referral)
rules.add_perm("counselling.ask_legal", works_on_person)
rules.add_perm("counselling.read_legal_request", reads_legal_request)
rules.add_perm("counselling.answer_legal_request", answers_legal_request)
rules.add_perm("counselling.view_own_path", has_own_record)

PERMISSIONS = {
    "counselling.view_caseload": "Casework roles: their own clients and what needs doing.",
    "counselling.supervise": "Organisation administrators: the caseload of every counsellor of their centre.",
    "counselling.view_path": "Casework roles of the holder; a receiving organisation if the consent covers the path.",
    "counselling.change_path": "Editors of the holder and the assigned counsellor.",
    "counselling.update_step": "As change_path, and caseworkers of the step's responsible organisation.",
    "counselling.hold_session": "Counsellors, psychologists, legal advisers, mediators and administrators.",
    "counselling.view_sessions": "As view_path; a receiving organisation without the path sees its own sessions.",
    "counselling.send_referral": "Editors of the holder, with the person's consent to the receiver.",
    "counselling.answer_referral": "Administrators, counsellors, psychologists and legal advisers of the receiver.",
    "counselling.cancel_referral": "Editors of the sending organisation.",
    "counselling.ask_legal": "Anyone who works on the person.",
    "counselling.read_legal_request": "Legal advisers of the organisation, and whoever asked.",
    "counselling.answer_legal_request": "Legal advisers of the organisation.",
    "counselling.view_own_path": "A person signed in with their own account, for their own path only.",
}
