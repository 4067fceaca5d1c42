from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from ownpath.core.registry import Event, ModuleConfig, PersonalDataProvider, PersonTab


class MatchingConfig(ModuleConfig):
    """Candidate profiles on ESCO, JSON Resume, explainable matching of people and vacancies at national scale."""

    name = "ownpath.modules.matching"
    label = "matching"
    verbose_name = _("Matching")
    default = True
    requires = ("employers",)

    def ready(self) -> None:
        from ownpath.modules.matching import rules  # noqa: F401  (registers the permissions)

    def menu_items(self) -> Iterable[Any]:
        from ownpath.core.registry import MenuItem

        return (
            MenuItem(
                _("Candidates proposed"), "matching:proposals", "matching.receive_proposals", order=42, group="jobs"
            ),
        )

    def person_tabs(self) -> Iterable[PersonTab]:
        from ownpath.modules.matching.views import person_tab

        return (PersonTab("jobs", _("Jobs and CV"), "matching/tab.html", "core.change_person", person_tab, order=60),)

    def permissions(self) -> Mapping[str, str]:
        from ownpath.modules.matching.rules import PERMISSIONS

        return PERMISSIONS

    def capabilities(self) -> Mapping[str, Any]:
        return {"matching.links": "ownpath.modules.matching.views.links"}

    def events(self) -> Iterable[Event]:
        from ownpath.modules.matching.events import EVENTS

        return EVENTS

    def event_handlers(self) -> Mapping[str, Iterable[Callable[..., None]]]:
        from ownpath.core import events
        from ownpath.modules.matching import services
        from ownpath.modules.matching.events import CANDIDATE_CHANGED

        return {
            CANDIDATE_CHANGED: (services.candidate_changed,),
            events.PERSON_UPDATED: (services.person_updated,),
            "employers.vacancy_changed": (services.vacancy_changed,),
        }

    def personal_data_providers(self) -> Iterable[PersonalDataProvider]:
        from ownpath.modules.matching import services

        return (
            PersonalDataProvider(
                "matching",
                _("Job matching and CV"),
                services.export_person,
                erase=services.erase_person_data,
                models=(
                    "matching.CandidateProfile",
                    "matching.CandidateSkill",
                    "matching.CandidateOccupation",
                    "matching.CandidateVector",
                    "matching.Proposal",
                ),
            ),
        )

    def demo_loader(self) -> Callable[[], str] | None:
        from ownpath.modules.matching.demo import load

        return load
