"""Permissions of the helpline module."""

from __future__ import annotations

from typing import Any

import rules

from ownpath.core import access
from ownpath.core.choices import Role

# Who works on a helpline: contacts, chats, callbacks, the knowledge base.
HELPLINE_ROLES = frozenset({Role.HELPLINE_OPERATOR, Role.ORG_ADMIN, Role.PSYCHOLOGIST, Role.CULTURAL_MEDIATOR})
# Who supervises one: shifts, opening hours, topics, statistics.
SUPERVISOR_ROLES = frozenset({Role.ORG_ADMIN})
# Who writes and translates knowledge-base articles.
ARTICLE_ROLES = frozenset({Role.ORG_ADMIN, Role.HELPLINE_OPERATOR})


@rules.predicate
def works_on_a_helpline(user: Any) -> bool:
    return access.holds_role_somewhere(user, HELPLINE_ROLES)


@rules.predicate
def supervises_a_helpline(user: Any) -> bool:
    return access.holds_role_somewhere(user, SUPERVISOR_ROLES)


@rules.predicate
def edits_knowledge(user: Any) -> bool:
    return access.holds_role_somewhere(user, ARTICLE_ROLES)


@rules.predicate
def works_at_helpline(user: Any, organisation: Any) -> bool:
    """``organisation``: the helpline, as an ``Organisation`` or its id."""
    return access.holds_role(user, organisation, HELPLINE_ROLES)


@rules.predicate
def supervises_helpline(user: Any, organisation: Any) -> bool:
    return access.holds_role(user, organisation, SUPERVISOR_ROLES)


@rules.predicate
def edits_knowledge_at(user: Any, organisation: Any) -> bool:
    return access.holds_role(user, organisation, ARTICLE_ROLES)


@rules.predicate
def works_on_contact(user: Any, contact: Any) -> bool:
    return contact is not None and access.holds_role(user, contact.organisation_id, HELPLINE_ROLES)


rules.add_perm("helpline.work", works_on_a_helpline)
rules.add_perm("helpline.work_at", works_at_helpline)
rules.add_perm("helpline.view_contact", works_on_contact)
rules.add_perm("helpline.change_contact", works_on_contact)
rules.add_perm("helpline.edit_articles", edits_knowledge)
rules.add_perm("helpline.edit_articles_at", edits_knowledge_at)
rules.add_perm("helpline.supervise", supervises_a_helpline)
rules.add_perm("helpline.supervise_at", supervises_helpline)

PERMISSIONS = {
    "helpline.work": "Operators, psychologists, interpreters and administrators of a helpline: contacts, chats, "
    "callbacks, the knowledge base and who is on duty.",
    "helpline.work_at": "As helpline.work, at the helpline given (an organisation or its id).",
    "helpline.view_contact": "Staff of the helpline the contact belongs to; every read is audited.",
    "helpline.change_contact": "As view_contact.",
    "helpline.edit_articles": "Operators and administrators: write and translate knowledge-base articles.",
    "helpline.edit_articles_at": "As helpline.edit_articles, at the helpline given.",
    "helpline.supervise": "Administrators of a helpline: shifts, opening hours, topics, statistics.",
    "helpline.supervise_at": "As helpline.supervise, at the helpline given.",
}
