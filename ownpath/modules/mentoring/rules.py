"""Permissions of the mentoring module."""

from __future__ import annotations

from typing import Any

import rules

from ownpath.core import access
from ownpath.core.choices import Role

# Who runs a mentoring programme: mentors, mentees, matching, contracts, reviews, reports.
COORDINATOR_ROLES = frozenset({Role.MENTORING_COORDINATOR, Role.ORG_ADMIN})


@rules.predicate
def coordinates_a_programme(user: Any) -> bool:
    return access.holds_role_somewhere(user, COORDINATOR_ROLES)


@rules.predicate
def coordinates_programme(user: Any, organisation: Any) -> bool:
    """``organisation``: the programme, as an ``Organisation`` or its id."""
    return access.holds_role(user, organisation, COORDINATOR_ROLES)


@rules.predicate
def is_a_mentor(user: Any) -> bool:
    from ownpath.modules.mentoring.models import Mentor

    if not getattr(user, "is_authenticated", False):
        return False
    flag = access.user_flag(user, "mentor")  # read with the memberships (apps.py adds it)
    return bool(flag) if flag is not None else Mentor.objects.filter(user=user).exists()


@rules.predicate
def mentors_pair(user: Any, pair: Any) -> bool:
    """The pair's mentor, signed in with their own account."""
    user_id = getattr(user, "pk", None)
    return pair is not None and user_id is not None and pair.mentor.user_id == user_id


@rules.predicate
def coordinates_pair(user: Any, pair: Any) -> bool:
    return pair is not None and access.holds_role(user, pair.organisation_id, COORDINATOR_ROLES)


rules.add_perm("mentoring.coordinate", coordinates_a_programme)
rules.add_perm("mentoring.coordinate_at", coordinates_programme)
rules.add_perm("mentoring.mentor", is_a_mentor)
rules.add_perm("mentoring.view_pair", coordinates_pair | mentors_pair)
rules.add_perm("mentoring.log_meeting", coordinates_pair | mentors_pair)

PERMISSIONS = {
    "mentoring.coordinate": "Mentoring coordinators and administrators of a programme: mentors, mentees, "
    "matching, contracts, reviews, reports.",
    "mentoring.coordinate_at": "As mentoring.coordinate, at the programme given (an organisation or its id).",
    "mentoring.mentor": "Mentors with an account: their own pairs.",
    "mentoring.view_pair": "The programme's coordinators and the pair's mentor; every read is audited.",
    "mentoring.log_meeting": "As view_pair: meetings, their progress and the fit.",
}
