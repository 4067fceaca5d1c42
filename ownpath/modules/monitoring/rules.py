"""Permissions of the monitoring module. Figures are aggregated and suppressed: every monitoring role sees
every area's figures; the checklist is edited by those responsible for the area or an area above it."""

from __future__ import annotations

from typing import Any

import rules

from ownpath.core import access
from ownpath.core.choices import Role

VIEW_ROLES = frozenset({Role.MIGRATION_TEAM_COORDINATOR, Role.NETWORK_ADMIN, Role.ORG_ADMIN, Role.AUDITOR})
EDIT_ROLES = frozenset({Role.MIGRATION_TEAM_COORDINATOR, Role.ORG_ADMIN, Role.NETWORK_ADMIN})


def edits_area(user: Any, area: Any) -> bool:
    if area is None:
        return False
    chain = {area.pk, *(a.pk for a in area.ancestors())}
    return bool(access.organisations_with_roles(user, EDIT_ROLES) & chain)


@rules.predicate
def views_monitoring(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, VIEW_ROLES))


@rules.predicate
def edits_checklist(user: Any, area: Any) -> bool:
    return edits_area(user, area)


@rules.predicate
def rebuilds(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, {Role.NETWORK_ADMIN}))


rules.add_perm("monitoring.view", views_monitoring)
rules.add_perm("monitoring.edit_checklist", edits_checklist)
rules.add_perm("monitoring.rebuild", rebuilds)

PERMISSIONS = {
    "monitoring.view": "Migration-team coordinators, network and organisation administrators, auditors: "
    "dashboards, comparisons, exports and the checklist of every area (aggregated, small counts suppressed).",
    "monitoring.edit_checklist": "Coordinators and administrators of the area or of an area above it: the "
    "standard-minimum checklist, its evidence and responsible people.",
    "monitoring.rebuild": "Network administrators: recompute every indicator from scratch.",
}
