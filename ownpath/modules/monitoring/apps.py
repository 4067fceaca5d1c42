from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.utils.translation import gettext_lazy as _

from ownpath.core.registry import ApiRouter, MenuItem, ModuleConfig, PersonalDataProvider


class MonitoringConfig(ModuleConfig):
    """Areas and periods, the standard-minimum checklist, indicators maintained from core events, dashboards,
    exports and the public open-data page."""

    name = "ownpath.modules.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")
    default = True
    requires = ()

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from ownpath.modules.monitoring import rules  # noqa: F401  (registers the permissions)
        from ownpath.modules.monitoring.seed import seed

        post_migrate.connect(seed, sender=self)

    def menu_items(self) -> Iterable[MenuItem]:
        return (
            MenuItem(_("Monitoring"), "monitoring:dashboard", "monitoring.view", order=70, group="evidence"),
            MenuItem(
                _("Open data"),
                "monitoring:open_data",
                None,
                order=90,
                icon="chart-column",
                hint=_("Figures about the people the network helps"),
            ),
        )

    def api_router(self) -> ApiRouter | None:
        return ApiRouter("monitoring", "ownpath.modules.monitoring.api.router")

    def permissions(self) -> Mapping[str, str]:
        from ownpath.modules.monitoring.rules import PERMISSIONS

        return PERMISSIONS

    def event_handlers(self) -> Mapping[str, Iterable[Callable[..., None]]]:
        from ownpath.modules.monitoring.facts import FACT_SOURCES

        return {event: (handler,) for event, handler in FACT_SOURCES.items()}

    def personal_data_providers(self) -> Iterable[PersonalDataProvider]:
        from ownpath.modules.monitoring import facts

        return (
            PersonalDataProvider(
                "monitoring",
                _("Statistics"),
                facts.export_person,
                erase=facts.erase_person_data,
                models=("monitoring.Fact", "monitoring.Cohort"),
            ),
        )

    def demo_loader(self) -> Callable[[], str] | None:
        from ownpath.modules.monitoring.demo import load

        return load
