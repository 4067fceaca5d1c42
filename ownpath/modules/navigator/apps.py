from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ownpath.core.registry import ApiRouter, ModuleConfig


class NavigatorConfig(ModuleConfig):
    """Work authorisation as rules-as-code: rules and test cases as data, a traced engine, an API."""

    name = "ownpath.modules.navigator"
    label = "navigator"
    verbose_name = _("Legal navigator")
    default = True

    def api_router(self) -> ApiRouter | None:
        return ApiRouter("navigator", "ownpath.modules.navigator.api.router")

    def ready(self) -> None:
        from ownpath.modules.navigator.rulebook import jurisdictions, rulebook

        # A broken rule file stops start-up, naming the file and line.
        for jurisdiction in jurisdictions():
            rulebook(jurisdiction)
