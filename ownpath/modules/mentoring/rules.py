"""Permissions of the mentoring module."""

from __future__ import annotations

from typing import Any

import rules

from ownpath.core import access
from ownpath.modules.mentoring.services import COORDINATOR_ROLES, coordinates


@rules.predicate
def coordinates_a_programme(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, COORDINATOR_ROLES))


@rules.predicate
def is_a_mentor(user: Any) -> bool:
    from ownpath.modules.mentoring.models import Mentor

    if not getattr(user, "is_authenticated", False):
        return False
    flag = access.user_flag(user, "mentor")  # read with the memberships (apps.py adds it)
    return bool(flag) if flag is not None else Mentor.objects.filter(user=user).exists()


@rules.predicate
def sees_pair(user: Any, pair: Any) -> bool:
    if pair is None:
        return False
    return coordinates(user, pair.organisation_id) or (
        pair.mentor.user_id is not None and pair.mentor.user_id == user.pk
    )


rules.add_perm("mentoring.coordinate", coordinates_a_programme)
rules.add_perm("mentoring.mentor", is_a_mentor)
rules.add_perm("mentoring.view_pair", sees_pair)

PERMISSIONS = {
    "mentoring.coordinate": "Mentoring coordinators and administrators of a programme: mentors, mentees, "
    "matching, contracts, reviews, reports.",
    "mentoring.mentor": "Mentors with an account: their own pairs.",
    "mentoring.view_pair": "The programme's coordinators and the pair's mentor; every read is audited.",
}
