"""iCalendar (RFC 5545) invitations with RFC 5546 methods: REQUEST to invite or change, CANCEL to cancel.

The UID stays the same for the life of a booking and SEQUENCE rises with every change, so a calendar
program updates the one event instead of adding a second. Lines are folded at 75 octets without splitting
a UTF-8 character, and text is escaped as the RFC says.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from ownpath.core.ical import escape, fold

PRODID = "-//ownpath//booking//EN"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _param(value: str) -> str:
    """A parameter value (CN=...): quoted, without the characters a quoted value cannot hold."""
    return '"' + value.replace('"', "'").replace("\r", " ").replace("\n", " ") + '"'


def calendar(
    *,
    method: str,
    uid: str,
    sequence: int,
    start: datetime,
    end: datetime,
    summary: str,
    description: str = "",
    location: str = "",
    url: str = "",
    organiser: tuple[str, str],
    attendees: list[tuple[str, str]],
    cancelled: bool = False,
    stamp: datetime | None = None,
) -> str:
    """One VCALENDAR with one VEVENT; ``organiser`` and ``attendees`` are (name, e-mail) pairs."""
    if method not in {"REQUEST", "CANCEL", "PUBLISH"}:
        raise ValueError(f"unsupported iTIP method {method}")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{_utc(stamp or timezone.now())}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{escape(summary)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    if location:
        lines.append(f"LOCATION:{escape(location)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append(f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}")
    name, email = organiser
    lines.append(f"ORGANIZER;CN={_param(name)}:mailto:{email}")
    for name, email in attendees:
        if email:
            lines.append(
                f"ATTENDEE;CN={_param(name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{email}"
            )
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


def uid_for(booking_uid: object) -> str:
    """A globally unique UID: the booking's UUID at this site's host name."""
    domain = urlsplit(settings.OWNPATH_BASE_URL).hostname or "ownpath.local"
    return f"{booking_uid}@{domain}"
