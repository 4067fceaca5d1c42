"""Permissions of the booking module."""

from __future__ import annotations

from typing import Any

import rules

from ownpath.core import access
from ownpath.core.choices import Role
from ownpath.core.rules import is_staff_member, works_on_person


@rules.predicate
def works_with_bookings(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, access.CASEWORK_ROLES))


@rules.predicate
def administers_any(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, {Role.ORG_ADMIN}))


@rules.predicate
def sees_booking(user: Any, booking: Any) -> bool:
    if booking is None:
        return False
    if getattr(user, "pk", None) in (booking.staff_id, booking.interpreter_id):
        return True
    return bool(access.roles_at(user, booking.organisation_id) & access.CASEWORK_ROLES)


@rules.predicate
def sees_cv(user: Any, cv: Any) -> bool:
    if cv is None:
        return False
    if cv.counsellor_id == getattr(user, "pk", None):
        return True
    return bool(access.roles_at(user, cv.organisation_id) & access.EDITOR_ROLES)


@rules.predicate
def owns_cv(user: Any, cv: Any) -> bool:
    """The person the CV is about, from their own account."""
    person = getattr(cv, "person", None) if cv is not None else None
    return person is not None and person.account_id is not None and person.account_id == getattr(user, "pk", None)


@rules.predicate
def employer_of(user: Any, sending: Any) -> bool:
    return sending is not None and Role.EMPLOYER_CONTACT in access.roles_at(user, sending.employer_id)


@rules.predicate
def receives_cvs(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, {Role.EMPLOYER_CONTACT}))


rules.add_perm("booking.view_appointments", works_with_bookings)
rules.add_perm("booking.set_hours", is_staff_member)
rules.add_perm("booking.manage_services", administers_any)
rules.add_perm("booking.view_booking", sees_booking)
rules.add_perm("booking.view_person_bookings", works_on_person)
rules.add_perm("booking.view_cvs", works_with_bookings)
rules.add_perm("booking.view_cv", sees_cv | owns_cv)
rules.add_perm("booking.change_cv", sees_cv)
rules.add_perm("booking.view_received_cvs", receives_cvs)
rules.add_perm("booking.answer_cv", employer_of)

PERMISSIONS = {
    "booking.view_appointments": "Casework roles (interpreters included): the appointments of their organisations.",
    "booking.set_hours": "Every staff member: their own languages, weekly hours and absences.",
    "booking.manage_services": "Organisation administrators: the services that can be booked.",
    "booking.view_booking": "The staff member and interpreter of a booking, and casework roles of its organisation.",
    "booking.view_person_bookings": "Anyone who works on the person: the person's appointments and CVs.",
    "booking.view_cvs": "Casework roles: the CVs left with their organisations.",
    "booking.view_cv": "The assigned counsellor, the editors of the receiving organisation, and the person.",
    "booking.change_cv": "As view_cv.",
    "booking.view_received_cvs": "Employer contacts: the CVs sent to their employer with consent.",
    "booking.answer_cv": "Employer contacts of the employer the CV was sent to.",
}
