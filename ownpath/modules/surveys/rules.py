"""Permissions of the surveys module."""

from __future__ import annotations

from typing import Any

import rules

from ownpath.core import access
from ownpath.modules.surveys.services import RESULT_ROLES, SURVEY_ROLES, builds_at, reads_results_at


@rules.predicate
def builds_surveys(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, SURVEY_ROLES))


@rules.predicate
def reads_results(user: Any) -> bool:
    return bool(access.organisations_with_roles(user, RESULT_ROLES))


@rules.predicate
def builds_survey(user: Any, survey: Any) -> bool:
    return survey is not None and builds_at(user, survey.organisation_id)


@rules.predicate
def reads_survey_results(user: Any, survey: Any) -> bool:
    return survey is not None and reads_results_at(user, survey.organisation_id)


rules.add_perm("surveys.browse", builds_surveys | reads_results)
rules.add_perm("surveys.build", builds_surveys)
rules.add_perm("surveys.edit_survey", builds_survey)
rules.add_perm("surveys.view_results", reads_survey_results)

PERMISSIONS = {
    "surveys.browse": "Coordinators, counsellors, administrators and auditors: the list of their organisations' "
    "surveys.",
    "surveys.build": "Coordinators, counsellors and administrators: build and import surveys.",
    "surveys.edit_survey": "The same roles at the survey's organisation: questions, links, invitations, status.",
    "surveys.view_results": "The same roles and auditors at the survey's organisation: results and exports "
    "(aggregated and suppressed, never single answers).",
}
