from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.utils.translation import gettext_lazy as _

from ownpath.core import events
from ownpath.core.registry import ApiRouter, MenuItem, ModuleConfig, PersonalDataProvider, PersonTab


class SurveysConfig(ModuleConfig):
    """Questionnaires built on screen or imported from XLSForm; anonymous or consented answers; results."""

    name = "ownpath.modules.surveys"
    label = "surveys"
    verbose_name = _("Surveys")
    default = True
    requires = ()

    def ready(self) -> None:
        from ownpath.modules.surveys import rules  # noqa: F401  (registers the permissions)

    def menu_items(self) -> Iterable[MenuItem]:
        return (MenuItem(_("Surveys"), "surveys:list", "surveys.browse", order=60, group="evidence"),)

    def api_router(self) -> ApiRouter | None:
        return ApiRouter("surveys", "ownpath.modules.surveys.api.router")

    def permissions(self) -> Mapping[str, str]:
        from ownpath.modules.surveys.rules import PERMISSIONS

        return PERMISSIONS

    def event_handlers(self) -> Mapping[str, Iterable[Callable[..., None]]]:
        from ownpath.modules.surveys.services import unlink_withdrawn

        return {events.CONSENT_WITHDRAWN: (unlink_withdrawn,)}

    def person_tabs(self) -> Iterable[PersonTab]:
        from ownpath.modules.surveys.views import person_tab

        return (PersonTab("surveys", _("Surveys"), "surveys/person_tab.html", context=person_tab, order=80),)

    def personal_data_providers(self) -> Iterable[PersonalDataProvider]:
        from ownpath.modules.surveys import services

        return (
            PersonalDataProvider(
                "surveys",
                _("Surveys"),
                services.export_person,
                erase=services.erase_person,
                models=("surveys.Response",),
            ),
        )

    def demo_loader(self) -> Callable[[], str] | None:
        from ownpath.modules.surveys.demo import load

        return load
