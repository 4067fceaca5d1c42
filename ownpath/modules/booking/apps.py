from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from ownpath.core.registry import (
    ApiRouter,
    BusyTimeProvider,
    Event,
    MenuItem,
    ModuleConfig,
    OwnSpaceSection,
    PeriodicJob,
    PersonalDataProvider,
    PersonTab,
    RetentionPolicy,
)


class BookingConfig(ModuleConfig):
    """Appointments with interpreters, reminders, the waiting list, and the CV drop-off."""

    name = "ownpath.modules.booking"
    label = "booking"
    verbose_name = _("Booking")
    default = True
    requires = ()

    def ready(self) -> None:
        from ownpath.modules.booking import rules  # noqa: F401  (registers the permissions)

    def menu_items(self) -> Iterable[MenuItem]:
        return (
            MenuItem(
                _("Book an appointment"),
                "booking:start",
                None,
                order=3,
                icon="calendar-check",
                hint=_("Meet a counsellor, with an interpreter if you need one"),
            ),
            MenuItem(
                _("Leave a CV"),
                "booking:cv_drop",
                None,
                order=4,
                icon="file-text",
                hint=_("Send your CV to counsellors who help you find work"),
            ),
            MenuItem(_("Appointments"), "booking:appointments", "booking.view_appointments", order=8),
            MenuItem(_("CVs"), "booking:cvs", "booking.view_cvs", order=9, group="jobs"),
            MenuItem(_("CVs received"), "booking:received", "booking.view_received_cvs", order=9, group="jobs"),
        )

    def person_tabs(self) -> Iterable[PersonTab]:
        from ownpath.modules.booking import views

        return (
            PersonTab(
                "appointments",
                _("Appointments and CVs"),
                "booking/tab.html",
                "booking.view_person_bookings",
                views.person_tab,
                order=20,
            ),
        )

    def capabilities(self) -> Mapping[str, Any]:
        return {"booking.bookable_at": "ownpath.modules.booking.selectors.bookable_at"}

    def own_space_sections(self) -> Iterable[OwnSpaceSection]:
        from ownpath.modules.booking import own_space

        return (
            OwnSpaceSection(
                "appointments", _("My appointments"), "booking/own/appointments.html", own_space.appointments, order=20
            ),
            OwnSpaceSection("cv", _("My CV"), "booking/own/cv.html", own_space.cvs, order=30),
        )

    def api_router(self) -> ApiRouter | None:
        return ApiRouter("booking", "ownpath.modules.booking.api.router")

    def permissions(self) -> Mapping[str, str]:
        from ownpath.modules.booking.rules import PERMISSIONS

        return PERMISSIONS

    def events(self) -> Iterable[Event]:
        from ownpath.modules.booking.events import EVENTS

        return EVENTS

    def busy_time_providers(self) -> Iterable[BusyTimeProvider]:
        from ownpath.modules.booking import selectors

        return (BusyTimeProvider("booking", _("Appointments"), selectors.busy_times),)

    def personal_data_providers(self) -> Iterable[PersonalDataProvider]:
        from ownpath.modules.booking import services

        return (
            PersonalDataProvider(
                "booking",
                _("Appointments and CVs"),
                services.export_person,
                erase=services.erase_person_data,
                models=("booking.Booking", "booking.WaitingListEntry", "booking.CV", "booking.CVSending"),
            ),
        )

    def retention_policies(self) -> Iterable[RetentionPolicy]:
        return (
            RetentionPolicy("booking_cvs", _("CVs left with a centre"), "booking.CV", "created_at", 365),
            RetentionPolicy("booking_bookings", _("Past appointments"), "booking.Booking", "ends_at", 730),
            RetentionPolicy(
                "booking_waiting", _("Waiting-list entries"), "booking.WaitingListEntry", "created_at", 180
            ),
        )

    def periodic_jobs(self) -> Iterable[PeriodicJob]:
        return (
            PeriodicJob(
                "booking.reminders",
                "ownpath.modules.booking.tasks.send_reminders",
                timedelta(minutes=5),
                label=_("Appointment reminders a day and an hour before"),
            ),
        )

    def demo_loader(self) -> Callable[[], str] | None:
        from ownpath.modules.booking.demo import load

        return load
