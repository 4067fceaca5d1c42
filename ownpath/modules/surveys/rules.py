"""Permissions of the surveys module."""

from __future__ import annotations

from typing import Any

import rules

from ownpath.core import access
from ownpath.core.choices import Role

# Who builds surveys and reads their results.
SURVEY_ROLES = frozenset(
    {Role.NETWORK_ADMIN, Role.ORG_ADMIN, Role.MIGRATION_TEAM_COORDINATOR, Role.COUNSELLOR, Role.MENTORING_COORDINATOR}
)
# Who reads results only: the above and auditors.
RESULT_ROLES = SURVEY_ROLES | {Role.AUDITOR}


@rules.predicate
def builds_surveys(user: Any) -> bool:
    return access.holds_role_somewhere(user, SURVEY_ROLES)


@rules.predicate
def reads_results(user: Any) -> bool:
    return access.holds_role_somewhere(user, RESULT_ROLES)


@rules.predicate
def builds_at(user: Any, organisation: Any) -> bool:
    """``organisation``: the survey's owner, as an ``Organisation`` or its id."""
    return access.holds_role(user, organisation, SURVEY_ROLES)


@rules.predicate
def builds_survey(user: Any, survey: Any) -> bool:
    return survey is not None and access.holds_role(user, survey.organisation_id, SURVEY_ROLES)


@rules.predicate
def reads_survey_results(user: Any, survey: Any) -> bool:
    return survey is not None and access.holds_role(user, survey.organisation_id, RESULT_ROLES)


rules.add_perm("surveys.browse", builds_surveys | reads_results)
rules.add_perm("surveys.build", builds_surveys)
rules.add_perm("surveys.build_at", builds_at)
rules.add_perm("surveys.edit_survey", builds_survey)
rules.add_perm("surveys.view_results", reads_survey_results)

PERMISSIONS = {
    "surveys.browse": "Coordinators, counsellors, administrators and auditors: the list of their organisations' "
    "surveys.",
    "surveys.build": "Coordinators, counsellors and administrators: build and import surveys.",
    "surveys.build_at": "As surveys.build, at the organisation given (an organisation or its id).",
    "surveys.edit_survey": "The same roles at the survey's organisation: questions, links, invitations, status.",
    "surveys.view_results": "The same roles and auditors at the survey's organisation: results and exports "
    "(aggregated and suppressed, never single answers).",
}
