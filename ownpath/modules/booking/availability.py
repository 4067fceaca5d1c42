"""Free slots: weekly hours minus absences, bookings and the notice period, with an interpreter if needed.

A slot exists only when the staff member is free for its whole length and, when the client speaks none of
the staff member's languages, an interpreter who speaks the client's language and one of the staff
member's is free too. Times are handled as UTC seconds; weekly hours are read in each person's own time
zone, day by day, so daylight-saving changes shift nothing that people agreed in wall-clock time.

The search walks the period a week at a time and stops once it has ``limit`` slots, so asking for the
next free times over three months reads only the weeks it needs.
"""

from __future__ import annotations

import zoneinfo
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ownpath.core.models import Membership, Organisation
from ownpath.modules.booking.choices import BookingStatus, Mode
from ownpath.modules.booking.models import BookableService, Booking, StaffProfile, TimeOff, WeeklyHours

CHUNK_DAYS = 7


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    staff_id: int
    interpreter_id: int | None
    session_language: str
    mode: str

    @property
    def needs_interpreter(self) -> bool:
        return self.interpreter_id is not None


@dataclass
class _Resource:
    user_id: int
    languages: tuple[str, ...]
    zone: zoneinfo.ZoneInfo
    rules: dict[int, list[tuple[time, time, str, date | None, date | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    extra: list[tuple[int, int, str]] = field(default_factory=list)


class _Busy:
    """Intervals during which one person is taken; answers "is [s, e) free?" with a binary search."""

    __slots__ = ("max_ends", "starts")

    def __init__(self, intervals: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(intervals)
        self.starts = [s for s, _e in ordered]
        self.max_ends: list[int] = []
        highest = -1
        for _s, e in ordered:
            highest = max(highest, e)
            self.max_ends.append(highest)

    def free(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)  # intervals starting before ``end``
        return i == 0 or self.max_ends[i - 1] <= start


_NOBODY_BUSY = _Busy(())


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())


def _windows(resource: _Resource, day: date) -> list[tuple[int, int, str]]:
    """The person's working windows on ``day`` (their own calendar day), as UTC seconds."""
    windows = []
    for start, end, mode, valid_from, valid_until in resource.rules.get(day.weekday(), ()):
        if (valid_from and day < valid_from) or (valid_until and day > valid_until):
            continue
        windows.append(
            (
                _ts(datetime.combine(day, start, tzinfo=resource.zone)),
                _ts(datetime.combine(day, end, tzinfo=resource.zone)),
                mode,
            )
        )
    return windows


def network_organisations(organisation: Organisation) -> set[int]:
    """The organisation and those sharing a network with it: where its interpreters may come from."""
    ids = set(
        Organisation.objects.filter(networks__in=organisation.networks.all()).values_list("pk", flat=True).distinct()
    )
    return ids | {organisation.pk}


def _load_rules(query: Any, resources: dict[int, _Resource]) -> None:
    for user_id, weekday, start, end, mode, valid_from, valid_until in query.values_list(
        "user_id", "weekday", "start", "end", "mode", "valid_from", "valid_until"
    ):
        if user_id in resources:
            resources[user_id].rules[weekday].append((start, end, mode, valid_from, valid_until))


def find_slots(
    service: BookableService,
    *,
    language: str,
    start: date,
    end: date,
    mode: str | None = None,
    limit: int | None = None,
    now: datetime | None = None,
    staff_ids: Iterable[int] | None = None,
    ignore_booking: int | None = None,
    check_notice: bool = True,
) -> list[Slot]:
    """Free slots of ``service`` for a client speaking ``language``, from ``start`` to ``end`` inclusive.

    Sorted by time; at one time, staff who speak the client's language come before those who need an
    interpreter. ``ignore_booking`` leaves one booking out of the busy times (to reschedule it).
    """
    now = now or timezone.now()
    modes = {m for m, allowed in ((Mode.IN_PERSON, service.in_person), (Mode.REMOTE, service.remote)) if allowed}
    if mode:
        modes &= {mode}
    if not modes or end < start or not service.is_active:
        return []
    organisation_id = service.organisation_id
    members = Membership.objects.filter(organisation_id=organisation_id, is_active=True)
    interpreter_ids = set(StaffProfile.objects.filter(is_interpreter=True).values_list("user_id", flat=True))
    staff_rules = WeeklyHours.objects.filter(
        Q(service=service) | (Q(service__isnull=True) & ~Q(user_id__in=interpreter_ids)),
        organisation_id=organisation_id,
        user_id__in=members.values("user_id"),
        mode__in=modes,
    )
    if staff_ids is not None:
        staff_rules = staff_rules.filter(user_id__in=list(staff_ids))
    staff_user_ids = set(staff_rules.values_list("user_id", flat=True).distinct())
    if not staff_user_ids:
        return []
    profiles = {
        p.user_id: p
        for p in StaffProfile.objects.filter(user_id__in=staff_user_ids | interpreter_ids).only(
            "user_id", "languages", "time_zone", "is_interpreter"
        )
    }
    default_zone = _zone(settings.TIME_ZONE)

    def resource(user_id: int) -> _Resource:
        profile = profiles.get(user_id)
        if profile is None:
            return _Resource(user_id, (), default_zone)
        return _Resource(user_id, tuple(profile.languages or ()), _zone(profile.time_zone))

    staff = {uid: resource(uid) for uid in sorted(staff_user_ids)}
    _load_rules(staff_rules, staff)

    # Interpreters: only needed for staff who do not speak the client's language.
    interpreters: dict[int, _Resource] = {}
    pairs: dict[int, list[tuple[int, str]]] = {}
    if any(language not in r.languages for r in staff.values()):
        candidates = {
            uid: resource(uid)
            for uid in sorted(interpreter_ids - {0})
            if language in (profiles[uid].languages or ())
            if uid in profiles
        }
        if candidates:
            _load_rules(
                WeeklyHours.objects.filter(
                    user_id__in=list(candidates),
                    service__isnull=True,
                    organisation_id__in=network_organisations(service.organisation),
                ),
                candidates,
            )
            interpreters = candidates
        for uid, r in staff.items():
            if language in r.languages:
                continue
            options = []
            for iid, interpreter in interpreters.items():
                if iid == uid:
                    continue
                shared = [lang for lang in r.languages if lang in interpreter.languages and lang != language]
                if shared:
                    options.append((iid, shared[0]))
            pairs[uid] = options

    duration = service.duration_minutes * 60
    earliest = _ts(now + timedelta(hours=service.min_notice_hours)) if check_notice else _ts(now)
    everyone = list(staff) + list(interpreters)
    results: list[Slot] = []
    day = start
    while day <= end:
        chunk_end = min(end, day + timedelta(days=CHUNK_DAYS - 1))
        # Load a day more on each side: a person's calendar day is not the server's.
        lo = datetime.combine(day - timedelta(days=1), time.min, tzinfo=UTC)
        hi = datetime.combine(chunk_end + timedelta(days=2), time.min, tzinfo=UTC)
        busy_lists: dict[int, list[tuple[int, int]]] = defaultdict(list)
        bookings = Booking.objects.filter(
            Q(staff_id__in=everyone) | Q(interpreter_id__in=everyone),
            status=BookingStatus.CONFIRMED,
            starts_at__lt=hi,
            ends_at__gt=lo,
        )
        if ignore_booking is not None:
            bookings = bookings.exclude(pk=ignore_booking)
        for staff_id, interpreter_id, s, e in bookings.values_list(
            "staff_id", "interpreter_id", "starts_at", "ends_at"
        ):
            busy_lists[staff_id].append((_ts(s), _ts(e)))
            if interpreter_id:
                busy_lists[interpreter_id].append((_ts(s), _ts(e)))
        for r in (*staff.values(), *interpreters.values()):
            r.extra = []
        for user_id, org_id, s, e, available, m in TimeOff.objects.filter(
            user_id__in=everyone, starts_at__lt=hi, ends_at__gt=lo
        ).values_list("user_id", "organisation_id", "starts_at", "ends_at", "available", "mode"):
            if not available:
                busy_lists[user_id].append((_ts(s), _ts(e)))
            elif user_id in staff and org_id == organisation_id and m in modes:
                staff[user_id].extra.append((_ts(s), _ts(e), m))
            elif user_id in interpreters:
                interpreters[user_id].extra.append((_ts(s), _ts(e), m))
        busy = {uid: _Busy(intervals) for uid, intervals in busy_lists.items()}
        current = day
        while current <= chunk_end:
            found = _day_slots(current, staff, interpreters, pairs, busy, language, duration, earliest, lo, hi)
            results.extend(found)
            current += timedelta(days=1)
            if limit is not None and len(results) >= limit:
                break
        if limit is not None and len(results) >= limit:
            break
        day = chunk_end + timedelta(days=1)
    results.sort(key=lambda slot: (slot.start, slot.needs_interpreter, slot.staff_id))
    return results[:limit] if limit is not None else results


def _day_slots(
    day: date,
    staff: dict[int, _Resource],
    interpreters: dict[int, _Resource],
    pairs: dict[int, list[tuple[int, str]]],
    busy: dict[int, _Busy],
    language: str,
    duration: int,
    earliest: int,
    lo: datetime,
    hi: datetime,
) -> list[Slot]:
    interpreter_windows: dict[int, list[tuple[int, int, str]]] = {}
    found: list[Slot] = []
    day_lo = _ts(datetime.combine(day, time.min, tzinfo=UTC))
    day_hi = day_lo + 86400
    for uid, r in staff.items():
        windows = _windows(r, day) + [w for w in r.extra if day_lo <= w[0] < day_hi]
        if not windows:
            continue
        own_busy = busy.get(uid, _NOBODY_BUSY)
        direct = language in r.languages
        options = pairs.get(uid, ())
        if not direct and not options:
            continue
        for w_start, w_end, mode in windows:
            s = w_start
            while s + duration <= w_end:
                e = s + duration
                if s >= earliest and own_busy.free(s, e):
                    if direct:
                        found.append(_slot(s, e, uid, None, language, mode))
                    else:
                        for iid, shared in options:
                            if iid not in interpreter_windows:
                                ir = interpreters[iid]
                                interpreter_windows[iid] = (
                                    _windows(ir, day - timedelta(days=1))
                                    + _windows(ir, day)
                                    + _windows(ir, day + timedelta(days=1))
                                    + ir.extra
                                )
                            if any(a <= s and e <= b for a, b, _m in interpreter_windows[iid]) and busy.get(
                                iid, _NOBODY_BUSY
                            ).free(s, e):
                                found.append(_slot(s, e, uid, iid, shared, mode))
                                break
                s = e
    return found


def _slot(s: int, e: int, staff_id: int, interpreter_id: int | None, session_language: str, mode: str) -> Slot:
    return Slot(
        datetime.fromtimestamp(s, UTC),
        datetime.fromtimestamp(e, UTC),
        staff_id,
        interpreter_id,
        session_language,
        mode,
    )


def slot_at(
    service: BookableService,
    *,
    language: str,
    start: datetime,
    staff_id: int | None = None,
    ignore_booking: int | None = None,
    check_notice: bool = True,
) -> list[Slot]:
    """The free slots that begin exactly at ``start`` (with the given staff member, if named)."""
    zone = _zone(settings.TIME_ZONE)
    local_day = start.astimezone(zone).date()
    slots = find_slots(
        service,
        language=language,
        start=local_day - timedelta(days=1),
        end=local_day + timedelta(days=1),
        staff_ids=[staff_id] if staff_id else None,
        ignore_booking=ignore_booking,
        check_notice=check_notice,
    )
    return [s for s in slots if s.start == start]
