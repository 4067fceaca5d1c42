from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from ownpath.core.registry import ApiRouter, Event, MenuItem, ModuleConfig, PeriodicJob, PersonalDataProvider


class EmployersConfig(ModuleConfig):
    """Employers, partnership agreements, the employers' information package, vacancies (schema.org
    JobPosting), recruitment events with interview slots, work shadowing, good practices, hires."""

    name = "ownpath.modules.employers"
    label = "employers"
    verbose_name = _("Employers")
    default = True
    requires = ()

    def ready(self) -> None:
        from ownpath.modules.employers import rules  # noqa: F401  (registers the permissions)

    def menu_items(self) -> Iterable[MenuItem]:
        return (
            MenuItem(_("Employers"), "employers:home", "employers.employer_desk", order=40, group="jobs"),
            MenuItem(
                _("Jobs"),
                "employers:jobs",
                None,
                order=41,
                icon="briefcase",
                hint=_("Jobs open to you, with what each one asks for"),
            ),
        )

    def api_router(self) -> ApiRouter | None:
        return ApiRouter("employers", "ownpath.modules.employers.api.router")

    def events(self) -> Iterable[Event]:
        from ownpath.modules.employers.events import EVENTS

        return EVENTS

    def permissions(self) -> Mapping[str, str]:
        from ownpath.modules.employers.rules import PERMISSIONS

        return PERMISSIONS

    def capabilities(self) -> Mapping[str, Any]:
        return {"employers.vacancies": "ownpath.modules.employers.capability.vacancies"}

    def personal_data_providers(self) -> Iterable[PersonalDataProvider]:
        from ownpath.modules.employers import services

        return (
            PersonalDataProvider(
                "employers",
                _("Recruitment and employment"),
                services.export_person,
                erase=services.erase_person_data,
                models=(
                    "employers.EventRegistration",
                    "employers.InterviewSlot",
                    "employers.Hire",
                    "employers.FollowUp",
                ),
            ),
        )

    def periodic_jobs(self) -> Iterable[PeriodicJob]:
        return (
            PeriodicJob(
                "employers.expire_agreements",
                "ownpath.modules.employers.tasks.expire_agreements",
                timedelta(days=1),
                timedelta(minutes=30),
                label=_("Partnership agreements past their end are ended"),
            ),
        )

    def demo_loader(self) -> Callable[[], str] | None:
        from ownpath.modules.employers.demo import load

        return load
