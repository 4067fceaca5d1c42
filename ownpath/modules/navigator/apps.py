from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from ownpath.core.registry import ApiRouter, MenuItem, ModuleConfig


class NavigatorConfig(ModuleConfig):
    """Work authorisation as rules-as-code: rules and test cases as data, a traced engine, an API."""

    name = "ownpath.modules.navigator"
    label = "navigator"
    verbose_name = _("Legal navigator")
    default = True

    def api_router(self) -> ApiRouter | None:
        return ApiRouter("navigator", "ownpath.modules.navigator.api.router")

    def menu_items(self) -> Iterable[MenuItem]:
        return (
            MenuItem(
                _("Work permits"),
                "navigator:start_page",
                None,
                order=3,
                icon="file-check",
                hint=_("Which permit you need to work, and how to get it"),
            ),
            MenuItem(_("Rule review"), "navigator:review", "navigator.review", order=70, group="administration"),
        )

    def capabilities(self) -> Mapping[str, Any]:
        from ownpath.modules.navigator.capability import work_rights

        return {"navigator.work_rights": work_rights}

    def permissions(self) -> Mapping[str, str]:
        from ownpath.modules.navigator.rules import PERMISSIONS

        return PERMISSIONS

    def ready(self) -> None:
        from ownpath.modules.navigator import rules  # noqa: F401  (registers the permissions)
        from ownpath.modules.navigator.rulebook import jurisdictions, rulebook

        # A broken rule file stops start-up, naming the file and line.
        for jurisdiction in jurisdictions():
            rulebook(jurisdiction)
