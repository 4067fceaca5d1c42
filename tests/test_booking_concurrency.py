"""Double booking is impossible under concurrent requests: 50 parallel attempts at one slot, on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from ownpath.modules.booking import services
from ownpath.modules.booking.models import Booking
from tests.booking_helpers import at, make_booking_world
from tests.conftest import World

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(attempts: int, book: object) -> list[str]:
    barrier = threading.Barrier(attempts)
    results: list[str] = []
    lock = threading.Lock()

    def attempt(index: int) -> None:
        try:
            barrier.wait()
            book(index)  # type: ignore[operator]
            outcome = "booked"
        except ValidationError:
            outcome = "refused"
        except Exception as error:  # anything else is a failure of the test, reported below
            outcome = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_fifty_parallel_attempts_at_one_slot_give_exactly_one_booking(world: World, language: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what is tested here; SQLite serialises all writes anyway")
    bw = make_booking_world(world)
    start = at(bw.day, 9)

    def book(index: int) -> None:
        services.book(
            None,
            bw.service,
            start=start,
            language=language,
            contact=services.Contact(f"Client {index}", f"client{index}@example.org"),
        )

    results = _race(50, book)
    assert sorted(set(results)) == ["booked", "refused"], results
    assert results.count("booked") == 1
    assert Booking.objects.filter(starts_at=start).count() == 1


def test_an_interpreter_cannot_be_booked_twice_by_two_counsellors_at_once(world: World) -> None:
    """Two counsellors, one Arabic interpreter: parallel bookings at 9:00 can only use the interpreter once."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what is tested here")
    from datetime import time

    from ownpath.core.choices import Role
    from ownpath.modules.booking.models import StaffProfile, WeeklyHours

    bw = make_booking_world(world)
    second = world.users[Role.LEGAL_ADVISER]
    StaffProfile.objects.create(user=second, languages=["pl"])
    for weekday in range(7):
        WeeklyHours.objects.create(user=second, organisation=world.centre, weekday=weekday, start=time(9), end=time(13))
    start = at(bw.day, 9)

    def book(index: int) -> None:
        services.book(
            None,
            bw.service,
            start=start,
            language="ar",
            staff_id=bw.counsellor.pk if index % 2 else second.pk,
            contact=services.Contact(f"Client {index}", f"client{index}@example.org"),
        )

    results = _race(20, book)
    assert results.count("booked") == 1, results
    assert Booking.objects.filter(interpreter=bw.interpreter, starts_at=start).count() == 1
