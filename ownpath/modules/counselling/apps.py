from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from ownpath.core.registry import (
    ApiRouter,
    BusyTimeProvider,
    DashboardWidget,
    Event,
    MenuItem,
    ModuleConfig,
    OwnSpaceSection,
    PeriodicJob,
    PersonalDataProvider,
    PersonTab,
)


class CounsellingConfig(ModuleConfig):
    """Intake and assessment, the individual path, sessions, referrals, recognition, outcomes, caseload."""

    name = "ownpath.modules.counselling"
    label = "counselling"
    verbose_name = _("Counselling")
    default = True
    requires = ()

    def ready(self) -> None:
        from ownpath.modules.counselling import rules  # noqa: F401  (registers the permissions)

    def menu_items(self) -> Iterable[MenuItem]:
        return (
            MenuItem(_("Caseload"), "counselling:caseload", "counselling.view_caseload", order=5),
            MenuItem(_("Referrals"), "counselling:referrals", "counselling.view_caseload", order=20),
            MenuItem(_("Hand-overs"), "counselling:handovers", "counselling.view_caseload", order=21),
            MenuItem(_("Steps we carry out"), "counselling:steps_we_own", "counselling.view_caseload", order=22),
            MenuItem(_("Supervision"), "counselling:supervision", "counselling.supervise", order=25),
            MenuItem(
                _("My path"),
                "counselling:my_path",
                "counselling.view_own_path",
                order=1,
                group="own",
                icon="route",
                hint=_("Your next steps, appointments and documents"),
            ),
        )

    def dashboard_widgets(self) -> Iterable[DashboardWidget]:
        from ownpath.modules.counselling import widgets

        return (
            DashboardWidget(
                "counselling_todo",
                _("What needs doing"),
                "counselling/widgets/todo.html",
                "counselling.view_caseload",
                widgets.todo_widget,
                order=5,
            ),
        )

    def person_tabs(self) -> Iterable[PersonTab]:
        from ownpath.modules.counselling import widgets

        return (
            PersonTab(
                "assessment",
                _("Intake and assessment"),
                "counselling/tabs/assessment.html",
                "counselling.view_path",
                widgets.tab_assessment,
                order=12,
            ),
            PersonTab(
                "path", _("Path"), "counselling/tabs/path.html", "counselling.view_path", widgets.tab_path, order=14
            ),
            PersonTab(
                "sessions",
                _("Sessions"),
                "counselling/tabs/sessions.html",
                "counselling.view_sessions",
                widgets.tab_sessions,
                order=16,
            ),
            PersonTab(
                "referrals",
                _("Referrals"),
                "counselling/tabs/referrals.html",
                "core.view_person",
                widgets.tab_referrals,
                order=18,
            ),
            PersonTab(
                "outcomes",
                _("Outcomes"),
                "counselling/tabs/outcomes.html",
                "counselling.view_path",
                widgets.tab_outcomes,
                order=19,
            ),
        )

    def api_router(self) -> ApiRouter | None:
        return ApiRouter("counselling", "ownpath.modules.counselling.api.router")

    def permissions(self) -> Mapping[str, str]:
        from ownpath.modules.counselling.rules import PERMISSIONS

        return PERMISSIONS

    def events(self) -> Iterable[Event]:
        from ownpath.modules.counselling.events import EVENTS

        return EVENTS

    def event_handlers(self) -> Mapping[str, Iterable[Callable[..., None]]]:
        from ownpath.core import events
        from ownpath.modules.counselling import services

        return {
            events.CONSENT_WITHDRAWN: (services.withdraw_referrals_of_consent,),
            events.HANDOVER_CREATED: (services.handover_received,),
        }

    def periodic_jobs(self) -> Iterable[PeriodicJob]:
        return (
            PeriodicJob(
                "counselling.reminders",
                "ownpath.modules.counselling.tasks.send_reminders",
                timedelta(days=1),
                timedelta(hours=7),
                label=_("Counselling reminders (overdue referrals and steps, follow-ups, expiring titles)"),
            ),
        )

    def demo_loader(self) -> Callable[[], str] | None:
        from ownpath.modules.counselling.demo import load

        return load

    def own_space_sections(self) -> Iterable[OwnSpaceSection]:
        from ownpath.modules.counselling import own_space

        return (OwnSpaceSection("path", _("My path"), "counselling/own/path.html", own_space.path_section, order=10),)

    def busy_time_providers(self) -> Iterable[BusyTimeProvider]:
        from ownpath.modules.counselling import selectors

        return (BusyTimeProvider("counselling", _("Counselling sessions"), selectors.busy_times),)

    def personal_data_providers(self) -> Iterable[PersonalDataProvider]:
        from ownpath.modules.counselling import services, widgets

        return (
            PersonalDataProvider(
                "counselling",
                _("Counselling"),
                widgets.export_person,
                erase=services.erase_person_data,
                models=(
                    "counselling.Intake",
                    "counselling.Assessment",
                    "counselling.CaseProfile",
                    "counselling.Goal",
                    "counselling.Step",
                    "counselling.PathChange",
                    "counselling.Suggestion",
                    "counselling.Session",
                    "counselling.SessionNote",
                    "counselling.Referral",
                    "counselling.Recognition",
                    "counselling.LegalRequest",
                    "counselling.Outcome",
                    "counselling.FollowUp",
                ),
            ),
        )
