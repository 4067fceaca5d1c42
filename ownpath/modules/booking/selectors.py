"""Reads of the booking module, each limited to what the reader may see, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from ownpath.core import access
from ownpath.core.choices import OrganisationKind, Role
from ownpath.core.models import Organisation
from ownpath.core.registry import BusyTime
from ownpath.core.selectors import people_for
from ownpath.modules.booking.choices import BookingStatus, CVStatus, EmployerAnswer
from ownpath.modules.booking.models import CV, BookableService, Booking, CVSending


def bookable_by_organisation() -> list[tuple[Organisation, list[BookableService]]]:
    grouped: dict[int, tuple[Organisation, list[BookableService]]] = {}
    for service in BookableService.objects.filter(is_active=True).select_related("organisation"):
        grouped.setdefault(service.organisation_id, (service.organisation, []))[1].append(service)
    return sorted(grouped.values(), key=lambda pair: pair[0].name)


def appointments_for(user: Any) -> tuple[list[Booking], list[Booking]]:
    """Upcoming appointments, and those of the last two weeks (to record attendance), of the user's organisations
    and those the user holds or interprets."""
    org_ids = access.organisations_with_roles(user, access.CASEWORK_ROLES)
    mine = Q(organisation_id__in=org_ids) | Q(staff=user) | Q(interpreter=user)
    base = Booking.objects.filter(mine).select_related("service", "staff", "interpreter", "organisation", "person")
    now = timezone.now()
    upcoming = list(base.filter(starts_at__gte=now, status=BookingStatus.CONFIRMED).order_by("starts_at")[:100])
    recent = list(base.filter(starts_at__lt=now, starts_at__gte=now - timedelta(days=14)).order_by("-starts_at")[:100])
    return upcoming, recent


def cvs_for(user: Any) -> list[CV]:
    org_ids = access.organisations_with_roles(user, access.EDITOR_ROLES)
    return list(
        CV.objects.filter(Q(organisation_id__in=org_ids) | Q(counsellor=user))
        .exclude(status=CVStatus.CLOSED)
        .select_related("organisation", "counsellor", "person")[:200]
    )


def cv_context(user: Any, cv: CV) -> dict[str, Any]:
    sendings = list(cv.sendings.select_related("employer"))
    return {
        "cv": cv,
        "sendings": sendings,
        "statuses": CVStatus.choices,
        "answers": [(v, label) for v, label in EmployerAnswer.choices if v != EmployerAnswer.PENDING],
        "employers": Organisation.objects.filter(kind=OrganisationKind.EMPLOYER).order_by("name"),
        "people": people_for(user).filter(organisation_id=cv.organisation_id).order_by("family_name")[:200]
        if cv.person_id is None
        else [],
        "review_bookings": Booking.objects.filter(
            organisation_id=cv.organisation_id, status=BookingStatus.CONFIRMED, starts_at__gte=timezone.now()
        ).filter(Q(person=cv.person) if cv.person_id else Q(email=cv.email) if cv.email else Q(name=cv.name))[:20],
    }


def received_for(user: Any) -> list[CVSending]:
    org_ids = access.organisations_with_roles(user, {Role.EMPLOYER_CONTACT})
    return list(
        CVSending.objects.filter(employer_id__in=org_ids, withdrawn_at__isnull=True)
        .select_related("cv", "cv__organisation", "employer")
        .order_by("-sent_at")[:200]
    )


def busy_times(user_ids: Collection[int], start: datetime, end: datetime) -> list[BusyTime]:
    """Confirmed appointments of ``user_ids`` (as staff or interpreter) overlapping [start, end)."""
    from django.urls import reverse

    ids = list(user_ids)
    rows = (
        Booking.objects.filter(
            Q(staff_id__in=ids) | Q(interpreter_id__in=ids),
            status=BookingStatus.CONFIRMED,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .select_related("service")
        .only("pk", "uid", "staff_id", "interpreter_id", "starts_at", "ends_at", "service__kind", "service__title")
    )
    found = []
    url = reverse("booking:appointments")
    for booking in rows:
        for user_id in {booking.staff_id, booking.interpreter_id or 0} & set(ids):
            found.append(
                BusyTime(
                    user_id=user_id,
                    start=booking.starts_at,
                    end=booking.ends_at,
                    title=str(booking.service),
                    kind="booking",
                    url=url,
                    uid=f"booking-{booking.uid}-{user_id}",
                )
            )
    return found


def bookable_at(organisation_id: int | None) -> list[tuple[str, str]]:
    """(label, booking page) of the services an organisation takes appointments for: the portal's "Book"."""
    from django.urls import reverse

    if organisation_id is None:
        return []
    return [
        (str(service), reverse("booking:slots", args=[service.pk]))
        for service in BookableService.objects.filter(organisation_id=organisation_id, is_active=True)
    ]
