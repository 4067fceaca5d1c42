"""Permissions of the matching module."""

from __future__ import annotations

from typing import Any

import rules

from ownpath.core import access
from ownpath.core.choices import Role
from ownpath.modules.matching import services


@rules.predicate
def matches(user: Any) -> bool:
    return services.may_match(user)


@rules.predicate
def receives_proposals(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, {Role.EMPLOYER_CONTACT}))


rules.add_perm("matching.match", matches)
rules.add_perm("matching.receive_proposals", receives_proposals)

PERMISSIONS = {
    "matching.match": "Counsellors, cultural mediators and administrators of counselling members: candidates for a "
    "vacancy among the people they may see, vacancies for a person, proposals.",
    "matching.receive_proposals": "Employer contacts: candidates proposed to their employer, pseudonymous until "
    "the person consents.",
}
