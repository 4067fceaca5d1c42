"""Permissions of the navigator: the interviews are public; legal advisers review the rules."""

from __future__ import annotations

from typing import Any

import rules

from ownpath.core import access
from ownpath.core.choices import Role


@rules.predicate
def reviews_rules(user: Any) -> bool:
    return bool(access.all_roles(user) & {Role.LEGAL_ADVISER, Role.NETWORK_ADMIN})


rules.add_perm("navigator.review", reviews_rules)

PERMISSIONS = {"navigator.review": "Legal advisers and network administrators: review the rules."}
