"""Free slots: weekly hours minus absences, bookings, other modules' busy time and the notice period.

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
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ownpath.core.models import Membership, Organisation
from ownpath.core.services import calendar
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


def _epoch(column: str) -> RawSQL:
    """A timestamp column as whole seconds since 1970, computed by the database (no datetime objects)."""
    if column not in {"starts_at", "ends_at"}:  # the SQL below is built from these two names only
        raise ValueError(column)
    if connection.vendor == "postgresql":
        return RawSQL(f'EXTRACT(EPOCH FROM "booking_booking"."{column}")::bigint', ())  # noqa: S611
    return RawSQL(f'CAST(strftime(\'%%s\', "booking_booking"."{column}") AS INTEGER)', ())  # noqa: S611


def _max_offset_hours(resources: Iterable[_Resource], day: date) -> int:
    zones = {r.zone for r in resources}
    noon = datetime.combine(day, time(12), tzinfo=UTC)
    return max((abs(int(noon.astimezone(z).utcoffset().total_seconds())) // 3600 for z in zones), default=0) + 1  # type: ignore[union-attr]


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
    _add_rules(query.values_list("user_id", "weekday", "start", "end", "mode", "valid_from", "valid_until"), resources)


def _add_rules(rows: Iterable[tuple[Any, ...]], resources: dict[int, _Resource]) -> None:
    for user_id, weekday, start, end, mode, valid_from, valid_until in rows:
        if user_id in resources:
            resources[user_id].rules[weekday].append((start, end, mode, valid_from, valid_until))


def find_slots(  # noqa: C901 (to split, issue 22)
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
    distinct_times: bool = False,
) -> list[Slot]:
    """Free slots of ``service`` for a client speaking ``language``, from ``start`` to ``end`` inclusive.

    Sorted by time; at one time, staff who speak the client's language come before those who need an
    interpreter. ``ignore_booking`` leaves one booking out of the busy times (to reschedule it).
    ``distinct_times`` keeps one slot per start time (the best one), which is all a week page shows.
    """
    now = now or timezone.now()
    modes = {m for m, allowed in ((Mode.IN_PERSON, service.in_person), (Mode.REMOTE, service.remote)) if allowed}
    if mode:
        modes &= {mode}
    if not modes or end < start or not service.is_active:
        return []
    organisation_id = service.organisation_id
    members = Membership.objects.filter(organisation_id=organisation_id, is_active=True)
    # Sets of people as subqueries, not lists of ids: the database joins them faster than it parses
    # a statement with hundreds of parameters.
    member_ids = members.values("user_id")
    interpreter_query = StaffProfile.objects.filter(is_interpreter=True).values("user_id")
    interpreter_ids = set(StaffProfile.objects.filter(is_interpreter=True).values_list("user_id", flat=True))
    staff_rules = WeeklyHours.objects.filter(
        Q(service=service) | (Q(service__isnull=True) & ~Q(user_id__in=interpreter_ids)),
        organisation_id=organisation_id,
        user_id__in=members.values("user_id"),
        mode__in=modes,
    )
    if staff_ids is not None:
        staff_rules = staff_rules.filter(user_id__in=list(staff_ids))
    rule_rows = list(staff_rules.values_list("user_id", "weekday", "start", "end", "mode", "valid_from", "valid_until"))
    staff_user_ids = {row[0] for row in rule_rows}
    if not staff_user_ids:
        return []
    profiles = {
        p.user_id: p
        for p in StaffProfile.objects.filter(Q(user_id__in=member_ids) | Q(is_interpreter=True)).only(
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
    _add_rules(rule_rows, staff)

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

    people = set(staff) | set(interpreters)
    duration = service.duration_minutes * 60
    earliest = _ts(now + timedelta(hours=service.min_notice_hours)) if check_notice else _ts(now)
    results: list[Slot] = []
    day = start
    # With a limit the first day often suffices: read one day, then two, four, seven at a time.
    chunk = 1 if limit is not None else CHUNK_DAYS
    while day <= end:
        chunk_end = min(end, day + timedelta(days=chunk - 1))
        chunk = min(CHUNK_DAYS, chunk * 2)
        # A person's calendar day is not the UTC day: read as many hours more on each side as the
        # people's time zones are away from UTC.
        pad = timedelta(hours=_max_offset_hours((*staff.values(), *interpreters.values()), day) + 1)
        lo = datetime.combine(day, time.min, tzinfo=UTC) - pad
        hi = datetime.combine(chunk_end + timedelta(days=1), time.min, tzinfo=UTC) + pad
        busy_lists: dict[int, list[tuple[int, int]]] = defaultdict(list)
        bookings = Booking.objects.filter(
            Q(staff_id__in=member_ids)
            | Q(staff_id__in=interpreter_query)
            | Q(interpreter_id__in=member_ids)
            | Q(interpreter_id__in=interpreter_query),
            status=BookingStatus.CONFIRMED,
            starts_at__lt=hi,
            ends_at__gt=lo,
        )
        if ignore_booking is not None:
            bookings = bookings.exclude(pk=ignore_booking)
        for staff_id, interpreter_id, s, e in bookings.annotate(
            s_epoch=_epoch("starts_at"), e_epoch=_epoch("ends_at")
        ).values_list("staff_id", "interpreter_id", "s_epoch", "e_epoch"):
            busy_lists[staff_id].append((int(s), int(e)))
            if interpreter_id:
                busy_lists[interpreter_id].append((int(s), int(e)))
        # Commitments held by other modules (counselling sessions, classes, ...) through core's calendar:
        # one calendar per person, whichever module holds the appointment.
        for item in calendar.busy_times(people, lo, hi, exclude={"booking"}):
            busy_lists[item.user_id].append((_ts(item.start), _ts(item.end)))
        for r in (*staff.values(), *interpreters.values()):
            r.extra = []
        for user_id, org_id, s, e, available, m in TimeOff.objects.filter(
            Q(user_id__in=member_ids) | Q(user_id__in=interpreter_query), starts_at__lt=hi, ends_at__gt=lo
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
            found = _day_slots(current, staff, interpreters, pairs, busy, language, duration, earliest, distinct_times)
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
    distinct_times: bool,
) -> list[Slot]:
    interpreter_windows: dict[int, list[tuple[int, int, str]]] = {}
    found: list[Slot] = []
    taken_direct: set[int] = set()  # with distinct_times: starts already served without an interpreter
    taken_any: set[int] = set()
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
                if distinct_times and (s in taken_direct or (not direct and s in taken_any)):
                    s = e
                    continue
                if s >= earliest and own_busy.free(s, e):
                    if direct:
                        found.append(_slot(s, e, uid, None, language, mode))
                        taken_direct.add(s)
                        taken_any.add(s)
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
                                taken_any.add(s)
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
