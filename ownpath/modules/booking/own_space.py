"""Booking's sections of a person's own space: their appointments (move, cancel) and their CVs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from ownpath.core.choices import Channel
from ownpath.core.models import Person
from ownpath.core.services import audit
from ownpath.modules.booking import links
from ownpath.modules.booking.choices import BookingStatus
from ownpath.modules.booking.models import CV, Booking


def appointments(request: HttpRequest, person: Person) -> dict[str, Any]:
    now = timezone.now()
    base = Booking.objects.filter(person=person).select_related("service", "organisation")
    upcoming = list(base.filter(status=BookingStatus.CONFIRMED, starts_at__gte=now).order_by("starts_at")[:20])
    past = list(base.filter(starts_at__lt=now).order_by("-starts_at")[:5])
    if upcoming or past:
        audit.record_read(request.user, person, channel=Channel.UI, fields=["bookings"], purpose="own_access")
    return {
        "upcoming": [(b, links.manage_token(b)) for b in upcoming],
        "past": past,
    }


def cvs(request: HttpRequest, person: Person) -> dict[str, Any]:
    found = list(CV.objects.filter(person=person).select_related("organisation").order_by("-created_at")[:10])
    if found:
        audit.record_read(request.user, person, channel=Channel.UI, fields=["cvs"], purpose="own_access")
    return {"cvs": found}
