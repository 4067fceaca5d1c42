"""Permissions of the helpline module."""

from __future__ import annotations

from typing import Any

import rules

from ownpath.core import access
from ownpath.core.choices import Role
from ownpath.modules.helpline.services import HELPLINE_ROLES, SUPERVISOR_ROLES


@rules.predicate
def works_on_a_helpline(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, HELPLINE_ROLES))


@rules.predicate
def supervises_a_helpline(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, SUPERVISOR_ROLES))


@rules.predicate
def edits_knowledge(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, {Role.ORG_ADMIN, Role.HELPLINE_OPERATOR}))


@rules.predicate
def works_on_contact(user: Any, contact: Any) -> bool:
    if contact is None:
        return False
    return bool(access.roles_at(user, contact.organisation_id) & HELPLINE_ROLES)


rules.add_perm("helpline.work", works_on_a_helpline)
rules.add_perm("helpline.view_contact", works_on_contact)
rules.add_perm("helpline.change_contact", works_on_contact)
rules.add_perm("helpline.edit_articles", edits_knowledge)
rules.add_perm("helpline.supervise", supervises_a_helpline)

PERMISSIONS = {
    "helpline.work": "Operators, psychologists, interpreters and administrators of a helpline: contacts, chats, "
    "callbacks, the knowledge base and who is on duty.",
    "helpline.view_contact": "Staff of the helpline the contact belongs to; every read is audited.",
    "helpline.change_contact": "As view_contact.",
    "helpline.edit_articles": "Operators and administrators: write and translate knowledge-base articles.",
    "helpline.supervise": "Administrators of a helpline: shifts, opening hours, topics, statistics.",
}
