"""Permissions of the training module."""

from __future__ import annotations

from typing import Any

import rules

from ownpath.core import access
from ownpath.modules.training.services import ENROLLING_ROLES, PROVIDER_ROLES, may_edit_curriculum, provides_at


@rules.predicate
def is_staff(user: Any) -> bool:
    return access.is_staff_account(user)


@rules.predicate
def provides_training(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, PROVIDER_ROLES))


@rules.predicate
def enrols_others(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, ENROLLING_ROLES))


@rules.predicate
def runs_course(user: Any, course: Any) -> bool:
    return course is not None and provides_at(user, course.organisation_id)


@rules.predicate
def edits_curriculum(user: Any, curriculum: Any) -> bool:
    return curriculum is not None and may_edit_curriculum(user, curriculum)


rules.add_perm("training.browse", is_staff)
rules.add_perm("training.provide", provides_training)
rules.add_perm("training.enrol_others", enrols_others | provides_training)
rules.add_perm("training.run_course", runs_course)
rules.add_perm("training.edit_curriculum", edits_curriculum)

PERMISSIONS = {
    "training.browse": "Every staff account: curricula, courses open for enrolment, one's own training.",
    "training.provide": "Trainers and administrators of a training provider: plan courses, write curricula.",
    "training.enrol_others": "Administrators, coordinators, counsellors and trainers: enrol people of their "
    "own organisation.",
    "training.run_course": "Trainers and administrators of the course's provider: sessions, enrolment, "
    "attendance, results, completion, certificates.",
    "training.edit_curriculum": "Trainers and administrators of the curriculum's owner (any provider for "
    "the network's shared curricula).",
}
