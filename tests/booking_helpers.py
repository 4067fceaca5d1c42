"""Shared set-up of the booking tests: a service with a Polish-speaking counsellor and an Arabic interpreter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from ownpath.core.choices import Role
from ownpath.core.models import User
from ownpath.modules.booking.models import BookableService, StaffProfile, WeeklyHours
from tests.conftest import World
from tests.factories import staff


@dataclass
class BookingWorld:
    world: World
    service: BookableService
    counsellor: User
    interpreter: User
    day: date  # a day, a few days ahead, with free hours


def make_booking_world(world: World, *, interpreter_languages: tuple[str, ...] = ("ar", "uk", "pl")) -> BookingWorld:
    counsellor = world.users[Role.COUNSELLOR]
    interpreter = staff(Role.CULTURAL_MEDIATOR, world.centre, first_name="Samir", last_name="Haddad")
    StaffProfile.objects.create(user=counsellor, languages=["pl", "en"], time_zone="Europe/Warsaw")
    StaffProfile.objects.create(
        user=interpreter, languages=list(interpreter_languages), time_zone="Europe/Warsaw", is_interpreter=True
    )
    service = BookableService.objects.create(
        organisation=world.centre, kind="cv_consultation", duration_minutes=60, place="Długa 12", min_notice_hours=12
    )
    for weekday in range(7):
        WeeklyHours.objects.create(
            user=counsellor, organisation=world.centre, weekday=weekday, start=time(9), end=time(13)
        )
        WeeklyHours.objects.create(
            user=interpreter, organisation=world.centre, weekday=weekday, start=time(9), end=time(11)
        )
    return BookingWorld(world, service, counsellor, interpreter, timezone.localdate() + timedelta(days=3))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Warsaw, as an aware UTC datetime."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute))).astimezone(UTC)
