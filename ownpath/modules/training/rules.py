"""Permissions of the training module."""

from __future__ import annotations

from typing import Any

import rules

from ownpath.core import access
from ownpath.core.choices import Role

# Who runs a training provider's courses and writes its curricula.
PROVIDER_ROLES = frozenset({Role.ORG_ADMIN, Role.TRAINER})
# Who may put people of their own organisation on a course run by any network organisation.
ENROLLING_ROLES = frozenset(
    {Role.ORG_ADMIN, Role.TRAINER, Role.MENTORING_COORDINATOR, Role.MIGRATION_TEAM_COORDINATOR, Role.COUNSELLOR}
)


@rules.predicate
def is_staff(user: Any) -> bool:
    return access.is_staff_account(user)


@rules.predicate
def provides_training(user: Any) -> bool:
    return access.holds_role_somewhere(user, PROVIDER_ROLES)


@rules.predicate
def enrols_others(user: Any) -> bool:
    return access.holds_role_somewhere(user, ENROLLING_ROLES)


@rules.predicate
def provides_at(user: Any, organisation: Any) -> bool:
    """``organisation``: the provider, as an ``Organisation`` or its id."""
    return access.holds_role(user, organisation, PROVIDER_ROLES)


@rules.predicate
def enrols_for(user: Any, organisation: Any) -> bool:
    """``organisation``: the trainees' own organisation, as an ``Organisation`` or its id."""
    return access.holds_role(user, organisation, ENROLLING_ROLES)


@rules.predicate
def runs_course(user: Any, course: Any) -> bool:
    return course is not None and access.holds_role(user, course.organisation_id, PROVIDER_ROLES)


@rules.predicate
def edits_curriculum(user: Any, curriculum: Any) -> bool:
    if curriculum is None:
        return False
    if curriculum.organisation_id is None:  # the network's shared curricula: any provider's trainers
        return access.holds_role_somewhere(user, PROVIDER_ROLES)
    return access.holds_role(user, curriculum.organisation_id, PROVIDER_ROLES)


rules.add_perm("training.browse", is_staff)
rules.add_perm("training.provide", provides_training)
rules.add_perm("training.provide_at", provides_at)
rules.add_perm("training.enrol_others", enrols_others | provides_training)
rules.add_perm("training.enrol_for", enrols_for)
rules.add_perm("training.run_course", runs_course)
rules.add_perm("training.edit_curriculum", edits_curriculum)

PERMISSIONS = {
    "training.browse": "Every staff account: curricula, courses open for enrolment, one's own training.",
    "training.provide": "Trainers and administrators of a training provider: plan courses, write curricula.",
    "training.provide_at": "As training.provide, at the provider given (an organisation or its id).",
    "training.enrol_others": "Administrators, coordinators, counsellors and trainers: enrol people of their "
    "own organisation.",
    "training.enrol_for": "As training.enrol_others, for the organisation given (an organisation or its id).",
    "training.run_course": "Trainers and administrators of the course's provider: sessions, enrolment, "
    "attendance, results, completion, certificates.",
    "training.edit_curriculum": "Trainers and administrators of the curriculum's owner (any provider for "
    "the network's shared curricula).",
}
