from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from ownpath.core.registry import (
    ApiRouter,
    DashboardWidget,
    Event,
    MenuItem,
    ModuleConfig,
    OwnSpaceSection,
    PeriodicJob,
    PersonTab,
    RetentionPolicy,
    SearchProvider,
    registry,
)


class CoreConfig(ModuleConfig):
    name = "ownpath.core"
    label = "core"
    verbose_name = _("Core")
    is_core = True
    default = True

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_migrate, pre_save

        from ownpath.core import checks  # noqa: F401  (registers the system checks)
        from ownpath.core.validators import guard_saves

        pre_save.connect(guard_saves, dispatch_uid="ownpath-plausible-values")
        post_migrate.connect(_partitions_after_migrate, sender=self, dispatch_uid="ownpath-partitions-ahead")

        for config in apps.get_app_configs():
            if isinstance(config, ModuleConfig):
                registry.register_module(config)
        registry.freeze()

    def menu_items(self) -> Iterable[MenuItem]:
        return (
            MenuItem(_("Dashboard"), "core:dashboard", "core.view_dashboard", order=0),
            MenuItem(_("People"), "core:people", "core.list_people", order=10),
            MenuItem(_("My calendar"), "core:calendar", "core.view_dashboard", order=11, group="people"),
            MenuItem(
                _("Organisations"), "core:organisations", "core.view_organisations", order=90, group="administration"
            ),
            MenuItem(_("Audit log"), "core:audit", "core.view_audit", order=95, group="administration"),
            MenuItem(
                _("Background tasks"), "core:background_tasks", "core.manage_tasks", order=97, group="administration"
            ),
        )

    def dashboard_widgets(self) -> Iterable[DashboardWidget]:
        from ownpath.core import widgets

        return (
            DashboardWidget(
                "caseload",
                _("My caseload"),
                "core/widgets/caseload.html",
                "core.list_people",
                widgets.caseload,
                order=10,
            ),
            DashboardWidget(
                "expiring",
                _("Residence titles expiring in 60 days"),
                "core/widgets/expiring.html",
                "core.list_people",
                widgets.expiring_titles,
                order=20,
            ),
            DashboardWidget(
                "notifications",
                _("Notifications"),
                "core/widgets/notifications.html",
                None,
                widgets.notifications,
                order=30,
            ),
        )

    def person_tabs(self) -> Iterable[PersonTab]:
        from ownpath.core import own_space, widgets

        return (
            PersonTab(
                "overview",
                _("Overview"),
                "core/person/tab_overview.html",
                "core.view_person",
                widgets.person_overview,
                order=0,
            ),
            PersonTab(
                "background",
                _("Languages and background"),
                "core/person/tab_background.html",
                "core.view_person",
                widgets.person_background,
                order=10,
            ),
            PersonTab(
                "notes", _("Notes"), "core/person/tab_notes.html", "core.view_person", widgets.person_notes, order=20
            ),
            PersonTab(
                "messages",
                _("Messages"),
                "core/person/tab_messages.html",
                "core.view_person",
                own_space.staff_messages_tab,
                order=25,
            ),
            PersonTab(
                "consent",
                _("Consent and sharing"),
                "core/person/tab_consent.html",
                "core.view_person",
                widgets.person_consent,
                order=30,
            ),
            PersonTab(
                "data",
                _("Data rights"),
                "core/person/tab_data.html",
                "core.export_person",
                widgets.person_data_rights,
                order=90,
            ),
        )

    def own_space_sections(self) -> Iterable[OwnSpaceSection]:
        from ownpath.core import own_space

        return (
            OwnSpaceSection("messages", _("Messages"), "core/own/messages.html", own_space.messages_section, order=40),
            OwnSpaceSection(
                "notifications",
                _("Notifications"),
                "core/own/notifications.html",
                own_space.notifications_section,
                order=45,
            ),
            OwnSpaceSection(
                "consents", _("Consents you gave"), "core/own/consents.html", own_space.consents_section, order=50
            ),
            OwnSpaceSection("data", _("Your data"), "core/own/data.html", own_space.data_section, order=60),
        )

    def api_router(self) -> ApiRouter | None:
        return ApiRouter("people", "ownpath.core.api.people_router")

    def permissions(self) -> Mapping[str, str]:
        from ownpath.core.rules import PERMISSIONS

        return PERMISSIONS

    def search_providers(self) -> Iterable[SearchProvider]:
        from ownpath.core import widgets

        return (SearchProvider("people", _("People"), widgets.search_people_provider),)

    def events(self) -> Iterable[Event]:
        from ownpath.core.events import EVENTS

        return EVENTS

    def event_handlers(self) -> Mapping[str, Iterable[Callable[..., None]]]:
        from ownpath.core import events, handlers

        return {events.PERSON_SHARED: (handlers.tell_receivers_of_a_share,)}

    def periodic_jobs(self) -> Iterable[PeriodicJob]:
        return (
            PeriodicJob(
                "core.retention_report", "ownpath.core.tasks.retention_report", timedelta(days=1), timedelta(hours=3),
                _("Retention report"),
            ),
            PeriodicJob(
                "core.audit_partitions", "ownpath.core.tasks.audit_partitions", timedelta(days=1),
                timedelta(hours=2), _("Monthly partitions of the audit log and the other growing tables"),
            ),
            PeriodicJob(
                "core.audit_seal", "ownpath.core.tasks.audit_seal", timedelta(minutes=5), timedelta(0),
                _("Seal new audit events into the audit log's hash chain"),
            ),
            PeriodicJob(
                "core.prune_tasks", "ownpath.core.tasks.prune_tasks", timedelta(days=1), timedelta(hours=4),
                _("Delete old records of finished background tasks"),
            ),
        )  # fmt: skip

    def retention_policies(self) -> Iterable[RetentionPolicy]:
        from django.conf import settings

        return (
            RetentionPolicy(
                "inactive_people",
                _("People with no activity (anonymised)"),
                "core.Person",
                "last_activity_at",
                settings.OWNPATH_RETENTION_PERSON_DAYS,
                {"is_anonymised": False, "legal_hold_reason": ""},
            ),
            RetentionPolicy(
                "read_notifications",
                _("Read notifications"),
                "core.Notification",
                "read_at",
                settings.OWNPATH_RETENTION_NOTIFICATION_DAYS,
            ),
        )


def _partitions_after_migrate(using: str = "default", **_: object) -> None:
    """Every migrate (run as the schema's owner in the two-role set-up) makes each partitioned table's
    months ahead, also for the tables whose partitions the application's role may not create itself."""
    import logging

    from django.db import DatabaseError, connections, transaction

    from ownpath.core.partitions import ensure_all_monthly_partitions

    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=using):
            ensure_all_monthly_partitions(connection)
    except DatabaseError as error:  # e.g. migrated back to before the audit log's partition function existed
        logging.getLogger(__name__).warning("Partitions ahead not made after migrate: %s", error)
