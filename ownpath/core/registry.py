"""The registry of what the enabled modules add to ownpath.

Every module (and core itself) subclasses :class:`ModuleConfig` and declares what it requires and what it
adds: menu entries, dashboard widgets, person-page tabs, an API router, permissions, search providers,
the events it publishes, event handlers, personal-data providers for GDPR exports, retention policies and
periodic jobs. ``CoreConfig.ready`` collects these into :data:`registry` once every app is loaded and then
freezes it, so nothing can change what a running process shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest
    from django.utils.functional import Promise

    from ownpath.core.models import Person, User

    Label = str | Promise


#: The groups of the staff menu, in the order shown; a menu item names one by its key. Items without a
#: permission are public pages: they belong to the portal's navigation ("public"), never to the staff menu.
#: "own" holds the pages of a person's own account (their path), shown in the portal's navigation too.
MENU_GROUPS: dict[str, Label] = {
    "people": _("People and cases"),
    "helpline": _("Helpline"),
    "jobs": _("Jobs"),
    "learning": _("Learning"),
    "evidence": pgettext_lazy("menu group", "Evidence"),
    "administration": _("Administration"),
}
PORTAL_GROUPS = ("public", "own")


@dataclass(frozen=True)
class MenuItem:
    """An entry of the main navigation. ``permission`` is a rules permission checked without an object.

    ``group`` is a key of :data:`MENU_GROUPS` for staff pages, ``"public"`` for pages anyone may open
    (``permission`` None) and ``"own"`` for the pages of a person's own account; ``icon`` names an icon of
    the sprite (``ownpath/core/icons.py``); public and own pages with an icon become the portal's topic tiles.
    """

    label: Label
    url_name: str
    permission: str | None = None
    order: int = 100
    group: str = ""
    icon: str = ""
    hint: Label = ""  # a line under the label on the portal's topic tiles, in plain words ("you")

    def __post_init__(self) -> None:
        if not self.group:
            object.__setattr__(self, "group", "public" if self.permission is None else "people")
        if self.group not in MENU_GROUPS and self.group not in PORTAL_GROUPS:
            raise ValueError(f"menu item {self.url_name}: unknown group {self.group!r}")
        if (self.permission is None) != (self.group == "public"):
            raise ValueError(f"menu item {self.url_name}: public pages (no permission) and only they go in 'public'")


@dataclass(frozen=True)
class DashboardWidget:
    """A box on the dashboard, rendered from ``template`` with what ``context(request)`` returns."""

    key: str
    title: Label
    template: str
    permission: str | None = None
    context: Callable[[HttpRequest], Mapping[str, Any]] | None = None
    order: int = 100


@dataclass(frozen=True)
class PersonTab:
    """A tab of the person page; ``permission`` is checked against the person."""

    key: str
    label: Label
    template: str
    permission: str = "core.view_person"
    context: Callable[[HttpRequest, Person], Mapping[str, Any]] | None = None
    order: int = 100


@dataclass(frozen=True)
class OwnSpaceSection:
    """A section of a person's own space (``/portal/me/``): what a module holds about them, shown to them.

    ``context(request, person)`` returns the template's context, or None to leave the section out (a module
    with nothing for this person). The person is the signed-in account's own record, never anyone else's.
    """

    key: str
    label: Label
    template: str
    context: Callable[[HttpRequest, Person], Mapping[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    kind: Label
    detail: str = ""


@dataclass(frozen=True)
class SearchProvider:
    """Answers the global search box for one kind of record, only with what ``user`` may see."""

    key: str
    label: Label
    search: Callable[[User, str, int], list[SearchResult]]


@dataclass(frozen=True)
class ApiRouter:
    """A django-ninja router mounted under ``/api/v1/<prefix>/``, given as a dotted path."""

    prefix: str
    router: str


@dataclass(frozen=True)
class PersonalDataProvider:
    """Gives, for a GDPR export, everything a module holds about a person, as JSON-ready data.

    ``erase`` deletes it, inside the erasure's transaction, so that an erasure is all or nothing.
    ``models`` names (``app_label.Model``) every model of the module whose rows are about a person, directly
    or through another such model; a system check (``ownpath.E004``) refuses to start when a model that
    relates to a person is covered by no provider, so a new model cannot slip past export and erasure.
    """

    key: str
    label: Label
    export: Callable[[Person], Any]
    erase: Callable[[Person], Any] | None = None
    models: tuple[str, ...] = ()


@dataclass(frozen=True)
class BusyTime:
    """One commitment of a staff member: the time during which they cannot be booked.

    ``title`` is a label without personal data (it also goes to the staff member's iCalendar feed, which
    calendar programs outside ownpath read); ``url`` is the record's page for the calendar in ownpath.
    """

    user_id: int
    start: datetime
    end: datetime
    title: Label
    kind: str
    url: str = ""
    uid: str = ""


@dataclass(frozen=True)
class BusyTimeProvider:
    """A module's commitments of staff: ``busy(user_ids, start, end)`` gives those overlapping [start, end).

    Booking subtracts every provider's busy time from free hours, and the staff calendar and iCalendar
    feed show them, so one person has one calendar whichever module holds the appointment.
    """

    key: str
    label: Label
    busy: Callable[[Collection[int], datetime, datetime], Iterable[BusyTime]]


@dataclass(frozen=True)
class RetentionPolicy:
    """Records of ``model`` older than ``days`` (by ``date_field``) are deleted by the retention sweep.

    With ``scrub`` (a dotted path to a function taking the queryset of due records and returning how many
    it changed), the records are kept and the function removes what identifies people in them instead
    (e.g. a helpline contact keeps its language and topic for statistics). ``extra_filter`` then usually
    excludes records already scrubbed.
    """

    key: str
    label: Label
    model: str
    date_field: str
    days: int
    extra_filter: Mapping[str, Any] = field(default_factory=dict)
    scrub: str | None = None

    def model_class(self) -> type[Model]:
        from django.apps import apps

        return apps.get_model(self.model)


@dataclass(frozen=True)
class PeriodicJob:
    """A task the scheduler enqueues once per period, whichever and however many workers run.

    Periods are ``every`` long, counted in the deployment's time zone from midnight of 2000-01-03 (a Monday)
    shifted by ``offset``: ``every=timedelta(days=1), offset=timedelta(hours=6)`` runs each day from 06:00,
    ``every=timedelta(minutes=5)`` at :00, :05, ... ``task`` is the dotted path of a task without arguments.
    """

    key: str
    task: str
    every: timedelta
    offset: timedelta = timedelta(0)
    label: Label = ""

    def period_start(self, now: datetime) -> datetime:
        from django.utils import timezone

        local = timezone.localtime(now).replace(tzinfo=None)
        origin = datetime(2000, 1, 3) + self.offset
        periods = (local - origin) // self.every
        return timezone.make_aware(origin + periods * self.every)

    def run_key(self, now: datetime) -> str:
        """The idempotency key of this job's run in the period of ``now``."""
        return f"schedule:{self.key}:{self.period_start(now).isoformat()}"


@dataclass(frozen=True)
class Event:
    """An event a module (or core) publishes on the bus: its name, its payload and what it means.

    ``name`` is ``<module label>.<what happened>`` (a module declares only its own events); ``payload`` is a
    ``TypedDict`` of the keyword arguments ``publish`` passes (ids and codes, never personal data), checked
    on every publish; ``doc`` says when it is published and what for (``docs/events.md`` is made from it).
    """

    name: str
    payload: type
    doc: str

    @property
    def required(self) -> frozenset[str]:
        return frozenset(getattr(self.payload, "__required_keys__", ()))

    @property
    def fields(self) -> frozenset[str]:
        return self.required | frozenset(getattr(self.payload, "__optional_keys__", ()))


class RegistryFrozen(RuntimeError):
    pass


class Registry:
    def __init__(self) -> None:
        self.modules: dict[str, ModuleConfig] = {}
        self.menu_items: list[MenuItem] = []
        self.dashboard_widgets: list[DashboardWidget] = []
        self.person_tabs: list[PersonTab] = []
        self.own_space_sections: list[OwnSpaceSection] = []
        self.api_routers: list[ApiRouter] = []
        self.permissions: dict[str, str] = {}
        self.search_providers: list[SearchProvider] = []
        self.event_handlers: dict[str, list[Callable[..., None]]] = defaultdict(list)
        self.events: dict[str, Event] = {}
        self.personal_data_providers: list[PersonalDataProvider] = []
        self.busy_time_providers: list[BusyTimeProvider] = []
        self.retention_policies: list[RetentionPolicy] = []
        self.demo_loaders: list[Callable[[], str]] = []
        self.periodic_jobs: list[PeriodicJob] = []
        self.capabilities: dict[str, Any] = {}
        self._frozen = False

    @property
    def frozen(self) -> bool:
        return self._frozen

    def register_module(self, config: ModuleConfig) -> None:  # noqa: C901 (to split, issue 22)
        if self._frozen:
            raise RegistryFrozen(f"the registry is frozen; {config.label} must register during start-up")
        if config.label in self.modules:
            raise ValueError(f"module {config.label} is registered twice")
        self.modules[config.label] = config
        self.menu_items.extend(config.menu_items())
        self.dashboard_widgets.extend(config.dashboard_widgets())
        self.person_tabs.extend(config.person_tabs())
        self.own_space_sections.extend(config.own_space_sections())
        router = config.api_router()
        if router is not None:
            self.api_routers.append(router)
        for name, description in config.permissions().items():
            if name in self.permissions:
                raise ValueError(f"permission {name} is declared twice")
            self.permissions[name] = description
        self.search_providers.extend(config.search_providers())
        for declared in config.events():
            if not declared.name.startswith(f"{config.label}."):
                raise ValueError(
                    f"module {config.label} declares {declared.name}: a module declares only its own events"
                )
            if declared.name in self.events:
                raise ValueError(f"event {declared.name} is declared twice")
            self.events[declared.name] = declared
        for event, handlers in config.event_handlers().items():
            self.event_handlers[event].extend(handlers)
        self.personal_data_providers.extend(config.personal_data_providers())
        for provider in config.busy_time_providers():
            if any(known.key == provider.key for known in self.busy_time_providers):
                raise ValueError(f"busy-time provider {provider.key} is declared twice")
            self.busy_time_providers.append(provider)
        self.retention_policies.extend(config.retention_policies())
        for job in config.periodic_jobs():
            if any(known.key == job.key for known in self.periodic_jobs):
                raise ValueError(f"periodic job {job.key} is declared twice")
            self.periodic_jobs.append(job)
        loader = config.demo_loader()
        if loader is not None:
            self.demo_loaders.append(loader)
        for name, capability in config.capabilities().items():
            if name in self.capabilities:
                raise ValueError(f"capability {name} is provided twice")
            self.capabilities[name] = capability

    def freeze(self) -> None:
        """Sort every contribution and make the registry read-only for the life of the process."""
        self.menu_items.sort(key=lambda item: item.order)
        self.dashboard_widgets.sort(key=lambda widget: widget.order)
        self.person_tabs.sort(key=lambda tab: tab.order)
        self.own_space_sections.sort(key=lambda section: section.order)
        self.own_space_sections = tuple(self.own_space_sections)  # type: ignore[assignment]
        self.menu_items = tuple(self.menu_items)  # type: ignore[assignment]
        self.dashboard_widgets = tuple(self.dashboard_widgets)  # type: ignore[assignment]
        self.person_tabs = tuple(self.person_tabs)  # type: ignore[assignment]
        self.api_routers = tuple(self.api_routers)  # type: ignore[assignment]
        self.search_providers = tuple(self.search_providers)  # type: ignore[assignment]
        self.personal_data_providers = tuple(self.personal_data_providers)  # type: ignore[assignment]
        self.busy_time_providers = tuple(self.busy_time_providers)  # type: ignore[assignment]
        self.retention_policies = tuple(self.retention_policies)  # type: ignore[assignment]
        self.demo_loaders = tuple(self.demo_loaders)  # type: ignore[assignment]
        self.periodic_jobs = tuple(self.periodic_jobs)  # type: ignore[assignment]
        self.event_handlers = {event: tuple(h) for event, h in self.event_handlers.items()}  # type: ignore[misc]
        self._frozen = True

    def handlers_for(self, event: str) -> Iterable[Callable[..., None]]:
        return self.event_handlers.get(event, ())

    def capability(self, name: str) -> Any:
        """An object a module offers to others by name (e.g. ``directory.finder``); None when not enabled.

        Modules never import each other: one that needs another declares it in ``requires`` and asks the
        registry for what it provides.
        """
        value = self.capabilities.get(name)
        if isinstance(value, str):
            from django.utils.module_loading import import_string

            value = import_string(value)
        return value


class ModuleConfig(AppConfig):
    """Base class of the AppConfig of core and of every module.

    Override the methods below to declare what the module adds; ``requires`` names the modules that must
    be enabled too (a system check refuses to start otherwise).
    """

    # The base class is never an app itself; each concrete config says ``default = True``.
    default = False
    requires: tuple[str, ...] = ()
    is_core: bool = False

    def menu_items(self) -> Iterable[MenuItem]:
        return ()

    def dashboard_widgets(self) -> Iterable[DashboardWidget]:
        return ()

    def person_tabs(self) -> Iterable[PersonTab]:
        return ()

    def own_space_sections(self) -> Iterable[OwnSpaceSection]:
        """Sections of the person's own space: their appointments, CV, messages, consents, ..."""
        return ()

    def api_router(self) -> ApiRouter | None:
        return None

    def permissions(self) -> Mapping[str, str]:
        return {}

    def search_providers(self) -> Iterable[SearchProvider]:
        return ()

    def events(self) -> Iterable[Event]:
        """The events this module publishes (the catalogue; see ``docs/events.md``)."""
        return ()

    def event_handlers(self) -> Mapping[str, Iterable[Callable[..., None]]]:
        """Handlers of events, by name; each event must be in the catalogue of an enabled module (a system
        check), and a handler takes the event's payload as keyword arguments."""
        return {}

    def personal_data_providers(self) -> Iterable[PersonalDataProvider]:
        return ()

    def retention_policies(self) -> Iterable[RetentionPolicy]:
        return ()

    def busy_time_providers(self) -> Iterable[BusyTimeProvider]:
        """Commitments of staff the module holds (sessions, appointments, classes): one calendar per person."""
        return ()

    def capabilities(self) -> Mapping[str, Any]:
        """Objects offered to other modules by name (a dotted path or the object itself)."""
        return {}

    def periodic_jobs(self) -> Iterable[PeriodicJob]:
        """Tasks the scheduler runs once per period (reminders, expiries, reports)."""
        return ()

    def demo_loader(self) -> Callable[[], str] | None:
        """Adds the module's invented demo data after core's, idempotently; returns a one-line summary."""
        return None


registry = Registry()
