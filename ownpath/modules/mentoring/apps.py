from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from ownpath.core.registry import ApiRouter, Event, MenuItem, ModuleConfig, PeriodicJob, PersonalDataProvider


class MentoringConfig(ModuleConfig):
    """Mentors and peer mentors behind a training gate, global matching, contracts, meetings, reviews."""

    name = "ownpath.modules.mentoring"
    label = "mentoring"
    verbose_name = _("Mentoring")
    default = True
    requires = ()

    def ready(self) -> None:
        from django.db.models import Exists, OuterRef

        from ownpath.core import access
        from ownpath.modules.mentoring import rules  # noqa: F401  (registers the permissions)
        from ownpath.modules.mentoring.models import Mentor

        access.add_user_flag("mentor", lambda ref: Exists(Mentor.objects.filter(user_id=OuterRef(ref))))

    def menu_items(self) -> Iterable[MenuItem]:
        return (
            MenuItem(_("Mentoring"), "mentoring:home", "mentoring.coordinate", order=32, group="learning"),
            MenuItem(_("My mentees"), "mentoring:mine", "mentoring.mentor", order=33, group="learning"),
        )

    def api_router(self) -> ApiRouter | None:
        return ApiRouter("mentoring", "ownpath.modules.mentoring.api.router")

    def permissions(self) -> Mapping[str, str]:
        from ownpath.modules.mentoring.rules import PERMISSIONS

        return PERMISSIONS

    def events(self) -> Iterable[Event]:
        from ownpath.modules.mentoring.events import EVENTS

        return EVENTS

    def event_handlers(self) -> Mapping[str, Iterable[Callable[..., None]]]:
        from ownpath.core import events
        from ownpath.modules.mentoring import services

        return {
            "training.completed": (services.training_completed,),
            events.CONSENT_WITHDRAWN: (services.consent_withdrawn,),
        }

    def personal_data_providers(self) -> Iterable[PersonalDataProvider]:
        from ownpath.modules.mentoring import services

        return (
            PersonalDataProvider(
                "mentoring",
                _("Mentoring"),
                services.export_person,
                erase=services.erase_person_data,
                models=(
                    "mentoring.Mentee",
                    "mentoring.Proposal",
                    "mentoring.Pair",
                    "mentoring.Contract",
                    "mentoring.ContractGoal",
                    "mentoring.ContractParty",
                    "mentoring.Meeting",
                    "mentoring.MeetingProgress",
                    "mentoring.FitCheck",
                    "mentoring.Review",
                ),
            ),
        )

    def periodic_jobs(self) -> Iterable[PeriodicJob]:
        return (
            PeriodicJob(
                "mentoring.reminders",
                "ownpath.modules.mentoring.tasks.send_reminders",
                timedelta(days=1),
                timedelta(hours=7, minutes=30),
                label=_("Reminders of mentoring pairs that stopped meeting"),
            ),
        )

    def demo_loader(self) -> Callable[[], str] | None:
        from ownpath.modules.mentoring.demo import load

        return load
