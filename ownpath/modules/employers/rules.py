"""Permissions of the employers module."""

from __future__ import annotations

from typing import Any

import rules

from ownpath.modules.employers import services


@rules.predicate
def network_staff(user: Any) -> bool:
    return services.is_network_staff(user)


@rules.predicate
def employer_contact(user: Any) -> bool:
    return bool(services.employers_of(user))


@rules.predicate
def manages(user: Any, employer: Any) -> bool:
    return employer is not None and services.manages_employer(user, getattr(employer, "pk", employer))


rules.add_perm("employers.work_with_employers", network_staff)
rules.add_perm("employers.employer_desk", network_staff | employer_contact)
rules.add_perm("employers.manage_employer", manages)

PERMISSIONS = {
    "employers.work_with_employers": "Counsellors and administrators of network members: employers, partnership "
    "agreements, recruitment events, the information package, good practices, work-shadowing visits.",
    "employers.employer_desk": "The above, and employer contacts: their own employer, vacancies and interview slots.",
    "employers.manage_employer": "Network staff, and the employer's own contacts.",
}
