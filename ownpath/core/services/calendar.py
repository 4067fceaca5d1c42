"""One calendar per staff member: the busy time every module registers, merged, and the private feed.

Modules never read each other's tables: each registers a :class:`~ownpath.core.registry.BusyTimeProvider`
(counselling sessions, appointments, classes, ...) and asks this module for a person's commitments. Booking
subtracts them from free hours; the calendar page and the iCalendar feed show them.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable
from datetime import UTC, datetime

from django.utils import timezone

from ownpath.core.models import CalendarFeed, User
from ownpath.core.registry import BusyTime, registry


def busy_times(
    user_ids: Collection[int], start: datetime, end: datetime, *, exclude: Iterable[str] = ()
) -> list[BusyTime]:
    """Every registered commitment of ``user_ids`` overlapping [start, end), sorted by start.

    ``exclude`` leaves out providers by key (booking reads its own appointments itself, faster).
    """
    if not user_ids or end <= start:
        return []
    skip = set(exclude)
    ids = set(user_ids)
    found: list[BusyTime] = []
    for provider in registry.busy_time_providers:
        if provider.key in skip:
            continue
        found.extend(item for item in provider.busy(ids, start, end) if item.start < end and item.end > start)
    found.sort(key=lambda item: (item.start, item.end, item.kind))
    return found


def issue_feed(user: User) -> str:
    """A new private feed address key for ``user`` (any earlier key stops working); shown once."""
    key = "cal_" + secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"key_hash": CalendarFeed.hash(key), "created_at": timezone.now(), "last_used_at": None}
    )
    return key


def revoke_feed(user: User) -> bool:
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def feed_owner(key: str) -> User | None:
    """The active staff member whose feed ``key`` opens, or None (unknown, revoked or deactivated)."""
    if not key.startswith("cal_") or len(key) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(key_hash=CalendarFeed.hash(key)).first()
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


def as_icalendar(items: Iterable[BusyTime], *, name: str, host: str) -> str:
    """An RFC 5545 calendar of ``items`` (titles only, never details about people)."""
    from ownpath.core.ical import escape, fold

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ownpath//calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
    ]
    for item in items:
        uid = item.uid or f"{item.kind}-{item.user_id}-{int(item.start.timestamp())}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape(uid)}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{item.start.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            f"DTEND:{item.end.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            f"SUMMARY:{escape(str(item.title))}",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
