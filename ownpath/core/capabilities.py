"""The contracts between modules: what each named capability offers, as ``Protocol``s, and who acts.

A module offers an object to others with ``ModuleConfig.capabilities()`` under a name listed in
:data:`PROTOCOLS`; another module asks ``capability(name, Protocol)`` (None when the offering module is not
enabled) and is type-checked against the protocol, never against the other module's code, which it may
not import. ``tests/test_events.py`` checks every capability offered against its protocol (each member
present with the same parameters), so changing one side without the other fails a test.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, cast

from ownpath.core.registry import registry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ownpath.core.models import User

    #: Who performs a service call: a signed-in account (staff or a person using their own space), or
    #: None for the system itself (a task, the retention sweep, a demo loader).
    Actor = User | None
    #: Who makes a request: an account or the anonymous visitor.
    Visitor = User | AnonymousUser


class DirectoryFinder(Protocol):
    """``directory.finder``: search the directory's services in the reader's language (helpline, portal)."""

    def needs(self) -> list[tuple[str, str]]: ...

    def search(
        self, params: dict[str, Any], language: str, *, limit: int = 20, offset: int = 0
    ) -> tuple[list[Any], int]: ...

    def service(self, service_id: str, language: str) -> Any | None: ...

    def services(self, ids: list[str], language: str) -> list[Any]: ...


class EmployerVacancies(Protocol):
    """``employers.vacancies``: vacancies as plain data, and interview slots (matching)."""

    def get(self, vacancy_id: int) -> dict[str, Any] | None: ...

    def many(self, ids: Iterable[int]) -> list[dict[str, Any]]: ...

    def open_ids(self) -> list[int]: ...

    def columns(self, ids: Iterable[int] | None = None) -> dict[str, list[tuple[Any, ...]]]: ...

    def manageable_by(self, user: Any) -> list[int]: ...

    def open_slots(self, employer_id: int) -> list[dict[str, Any]]: ...

    def invite(self, actor: Any, slot_id: int, person_id: int) -> dict[str, Any]: ...


class MatchingLinks(Protocol):
    """``matching.links``: where to find candidates for a vacancy (employers' vacancy page)."""

    def vacancy_url(self, vacancy_id: int) -> str: ...


class TrainingCompletions(Protocol):
    """``training.completions``: when someone completed a course of a purpose (mentoring's gate)."""

    def completed_on(self, purpose: str, *, user_id: int | None = None, email: str = "") -> date | None: ...


class NavigatorWorkRights(Protocol):
    """``navigator.work_rights``: the legal navigator's answer on the right to work (employers, core)."""

    def __call__(self, jurisdiction: str, facts: dict[str, Any], as_of: date | None = None) -> dict[str, Any]: ...


class BookableAt(Protocol):
    """``booking.bookable_at``: (label, booking page) of the services an organisation books (portal)."""

    def __call__(self, organisation_id: int | None) -> list[tuple[str, str]]: ...


PROTOCOLS: dict[str, type] = {
    "directory.finder": DirectoryFinder,
    "employers.vacancies": EmployerVacancies,
    "matching.links": MatchingLinks,
    "training.completions": TrainingCompletions,
    "navigator.work_rights": NavigatorWorkRights,
    "booking.bookable_at": BookableAt,
}


def capability[P](name: str, protocol: type[P]) -> P | None:
    """The capability ``name`` typed as ``protocol``; None when the module offering it is not enabled."""
    if PROTOCOLS.get(name) is not protocol:
        raise LookupError(f"capability {name} is not declared with {protocol.__qualname__} in PROTOCOLS")
    return cast("P | None", registry.capability(name))
