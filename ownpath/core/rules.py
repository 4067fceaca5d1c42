"""Named permissions of core (``rules``). Every view and endpoint checks one of these."""

from __future__ import annotations

from typing import Any

import rules

from ownpath.core import access
from ownpath.core.choices import Role, SensitiveGroup


@rules.predicate
def is_staff_member(user: Any) -> bool:
    return bool(access.roles_by_organisation(user))


@rules.predicate
def can_work_with_people(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, access.CASEWORK_ROLES))


@rules.predicate
def works_on_person(user: Any, person: Any) -> bool:
    return person is not None and bool(access.roles_for_person(user, person) & access.CASEWORK_ROLES)


@rules.predicate
def edits_person(user: Any, person: Any) -> bool:
    if person is None:
        return False
    roles = access.roles_at(user, person.organisation_id)
    return bool(roles & access.EDITOR_ROLES) or person.assigned_counsellor_id == getattr(user, "pk", None)


@rules.predicate
def administers_holder(user: Any, person: Any) -> bool:
    return person is not None and Role.ORG_ADMIN in access.roles_at(user, person.organisation_id)


def _reads(group: str) -> Any:
    @rules.predicate(name=f"reads_{group}")
    def predicate(user: Any, person: Any) -> bool:
        return person is not None and access.can_read_group(user, person, group)

    return predicate


@rules.predicate
def administers_organisation(user: Any, organisation: Any) -> bool:
    return organisation is not None and Role.ORG_ADMIN in access.roles_at(user, organisation.pk)


@rules.predicate
def is_auditor(user: Any) -> bool:
    return Role.AUDITOR in access.all_roles(user)


@rules.predicate
def is_network_admin(user: Any) -> bool:
    return Role.NETWORK_ADMIN in access.all_roles(user)


rules.add_perm("core.view_dashboard", is_staff_member)
rules.add_perm("core.list_people", can_work_with_people)
rules.add_perm("core.add_person", can_work_with_people)
rules.add_perm("core.view_person", works_on_person)
rules.add_perm("core.change_person", works_on_person & edits_person)
rules.add_perm("core.manage_consent", works_on_person & edits_person)
rules.add_perm("core.add_note", works_on_person)
rules.add_perm("core.read_health", _reads(SensitiveGroup.HEALTH))
rules.add_perm("core.read_psychological", _reads(SensitiveGroup.PSYCHOLOGICAL))
rules.add_perm("core.read_legal", _reads(SensitiveGroup.LEGAL))
rules.add_perm("core.export_person", administers_holder)
rules.add_perm("core.erase_person", administers_holder)
rules.add_perm("core.view_audit", is_auditor)
rules.add_perm("core.view_organisations", is_staff_member)
rules.add_perm("core.manage_network", is_network_admin)
rules.add_perm("core.manage_members", is_network_admin | administers_organisation)
rules.add_perm("core.manage_tasks", is_network_admin | rules.is_superuser)

PERMISSIONS = {
    "core.view_dashboard": "Any active member of an organisation.",
    "core.list_people": "Casework roles, for the people their organisations may see.",
    "core.add_person": "Casework roles.",
    "core.view_person": "Casework roles in the holder of the record or an organisation it is shared with.",
    "core.change_person": "Counsellors, psychologists, legal advisers and administrators of the holder.",
    "core.manage_consent": "As core.change_person.",
    "core.add_note": "Anyone who may view the person; the note's group limits its readers.",
    "core.read_health": "Counsellors and psychologists of an organisation that may see the person.",
    "core.read_psychological": "Psychologists of an organisation that may see the person.",
    "core.read_legal": "Legal advisers of an organisation that may see the person.",
    "core.export_person": "Administrators of the holder of the record.",
    "core.erase_person": "Administrators of the holder of the record.",
    "core.view_audit": "Auditors, for the organisations they audit and those below them.",
    "core.view_organisations": "Any active member of an organisation.",
    "core.manage_network": "Network administrators: organisations and the hierarchy.",
    "core.manage_members": "Network administrators, and administrators of the organisation: its staff and roles.",
    "core.manage_tasks": "Network administrators and superusers: failed background tasks and the workers.",
}


def may(user: Any, permission: str, obj: Any = None) -> bool:
    """Whether ``user`` has the named ``permission`` (on ``obj``: a model instance, or an organisation's id
    for the ``*_at`` permissions): ``user.has_perm`` for every caller, services, views and the API."""
    return bool(user is not None and user.has_perm(permission, obj))


def require(actor: Any, permission: str, obj: Any = None, message: Any = None) -> None:
    """``PermissionDenied`` (with ``message``, in the reader's language) unless ``actor`` has the named
    ``permission`` (on ``obj``): the one check services make before they write."""
    from django.core.exceptions import PermissionDenied

    if not may(actor, permission, obj):
        raise PermissionDenied(message) if message is not None else PermissionDenied
