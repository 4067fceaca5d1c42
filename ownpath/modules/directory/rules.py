"""Permissions of the directory: reading is public; staff of an organisation edit its own entries,
network administrators edit everything."""

from __future__ import annotations

from typing import Any

import rules

from ownpath.core import access
from ownpath.core.choices import Role

EDITOR_ROLES = frozenset({Role.ORG_ADMIN, Role.COUNSELLOR, Role.LEGAL_ADVISER, Role.PSYCHOLOGIST, Role.TRAINER})


@rules.predicate
def is_network_admin(user: Any) -> bool:
    return Role.NETWORK_ADMIN in access.all_roles(user)


@rules.predicate
def edits_some_entry(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, EDITOR_ROLES))


@rules.predicate
def edits_service(user: Any, service: Any) -> bool:
    if service is None:
        return False
    owner = service.organization.owner_id
    return owner is not None and owner in access.organisations_with_roles(user, EDITOR_ROLES)


rules.add_perm("directory.manage", is_network_admin | edits_some_entry)
rules.add_perm("directory.change_service", is_network_admin | edits_service)
rules.add_perm("directory.import", is_network_admin | edits_some_entry)
rules.add_perm("directory.translate", is_network_admin | edits_some_entry)

PERMISSIONS = {
    "directory.manage": "Network administrators, and staff of organisations with directory entries.",
    "directory.change_service": "Network administrators; staff of the organisation that owns the entry.",
    "directory.import": "Network administrators and organisation staff (imports become their entries).",
    "directory.translate": "As directory.manage; each translation is checked against the entry.",
}
