from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from ownpath.core.registry import ApiRouter, BusyTimeProvider, Event, MenuItem, ModuleConfig, PersonalDataProvider


def _seed(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After migrating: the built-in attendance statuses and the shipped curricula (idempotent)."""
    from ownpath.modules.training import services

    services.ensure_attendance_statuses()
    services.ensure_seed_curricula()


class TrainingConfig(ModuleConfig):
    """Curricula with lesson scenarios, course runs, enrolment, attendance, assessment, certificates."""

    name = "ownpath.modules.training"
    label = "training"
    verbose_name = _("Training")
    default = True
    requires = ()

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from ownpath.modules.training import checks, rules  # noqa: F401  (registers the checks and permissions)

        post_migrate.connect(_seed, sender=self)

    def menu_items(self) -> Iterable[MenuItem]:
        return (
            MenuItem(_("Training"), "training:courses", "training.browse", order=30, group="learning"),
            MenuItem(_("Curricula"), "training:curricula", "training.provide", order=31, group="learning"),
        )

    def api_router(self) -> ApiRouter | None:
        return ApiRouter("training", "ownpath.modules.training.api.router")

    def events(self) -> Iterable[Event]:
        from ownpath.modules.training.events import EVENTS

        return EVENTS

    def permissions(self) -> Mapping[str, str]:
        from ownpath.modules.training.rules import PERMISSIONS

        return PERMISSIONS

    def capabilities(self) -> Mapping[str, Any]:
        return {"training.completions": "ownpath.modules.training.services.completions"}

    def busy_time_providers(self) -> Iterable[BusyTimeProvider]:
        from ownpath.modules.training import selectors

        return (BusyTimeProvider("training", _("Classes taught"), selectors.busy_times),)

    def personal_data_providers(self) -> Iterable[PersonalDataProvider]:
        from ownpath.modules.training import services

        return (
            PersonalDataProvider(
                "training",
                _("Courses"),
                services.export_person,
                erase=services.erase_person_data,
                models=(
                    "training.Enrolment",
                    "training.Attendance",
                    "training.AssessmentResult",
                    "training.Certificate",
                ),
            ),
        )

    def demo_loader(self) -> Callable[[], str] | None:
        from ownpath.modules.training.demo import load

        return load
