"""The booking API at /api/v1/booking/: availability, book, cancel, reschedule, with the pages' rules.

Reading services and free times and booking as a client need no account (like the portal); a client
changes a booking with the signed token from their confirmation. Staff endpoints need a session or a
token and check the same permissions as the pages; every write is audited by the services.
"""

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from ownpath.core import selectors as core_selectors
from ownpath.core.api_contract import Error
from ownpath.core.choices import Channel
from ownpath.core.schema_types import Phone, PlausibleDate
from ownpath.modules.booking import links, selectors, services
from ownpath.modules.booking.availability import find_slots
from ownpath.modules.booking.choices import Side
from ownpath.modules.booking.models import BookableService, Booking

router = Router(tags=["booking"])
API = Channel.API


class BookingServiceOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    kind: str
    kind_label: str
    title: str
    duration_minutes: int
    in_person: bool
    remote: bool
    place: str
    min_notice_hours: int

    @staticmethod
    def resolve_organisation(obj: BookableService) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_kind_label(obj: BookableService) -> str:
        return str(obj.get_kind_display())


class SlotOut(Schema):
    start: datetime
    end: datetime
    staff_id: int
    interpreter: bool
    session_language: str
    mode: str


class AvailabilityQuery(Schema):
    service_id: int
    language: str = Field(..., max_length=8)
    start: PlausibleDate | None = None
    end: PlausibleDate | None = None
    mode: str | None = Field(None, max_length=16)
    limit: int = Field(50, ge=1, le=500)


class BookIn(Schema):
    service_id: int
    start: datetime
    language: str = Field(..., max_length=8)
    name: str = Field(..., max_length=200)
    email: str = Field("", max_length=254)
    phone: Phone = ""
    time_zone: str = Field("", max_length=64)
    topic: str = Field("", max_length=500)
    staff_id: int | None = None
    mode: str | None = Field(None, max_length=16)


class StaffBookIn(BookIn):
    person_id: int | None = None


class BookingOut(Schema):
    uid: str
    service_id: int
    status: str
    starts_at: datetime
    ends_at: datetime
    sequence: int
    language: str
    staff_language: str
    interpreter: bool
    mode: str
    place: str
    link: str

    @staticmethod
    def resolve_uid(obj: Booking) -> str:
        return str(obj.uid)

    @staticmethod
    def resolve_interpreter(obj: Booking) -> bool:
        return obj.interpreter_id is not None


class BookedOut(BookingOut):
    token: str = Field(..., description="Signed token to change the booking without an account")

    @staticmethod
    def resolve_token(obj: Booking) -> str:
        return links.manage_token(obj)


class StaffBookingOut(BookingOut):
    id: int
    person_id: int | None
    name: str
    staff_id: int
    interpreter_id: int | None
    missed_by: str
    cancelled_by: str


class MoveIn(Schema):
    start: datetime
    staff_id: int | None = None


class CancelIn(Schema):
    reason: str = Field("", max_length=300)


class AttendanceIn(Schema):
    attended: bool
    missed_by: Side | None = None


def _service(service_id: int) -> BookableService:
    service = BookableService.objects.select_related("organisation").filter(pk=service_id, is_active=True).first()
    if service is None:
        raise HttpError(404, _("No such service, or it cannot be booked."))
    return service


def _contact(body: BookIn) -> services.Contact:
    return services.Contact(body.name, body.email, body.phone, body.time_zone)


@router.get("/services", response=list[BookingServiceOut], auth=None, summary="Services that can be booked")
def list_services(request: HttpRequest) -> Any:
    return BookableService.objects.filter(is_active=True).select_related("organisation")


@router.get("/availability", response=list[SlotOut], auth=None, summary="Free times of a service")
def availability(request: HttpRequest, query: Query[AvailabilityQuery]) -> Any:
    service = _service(query.service_id)
    start = query.start or timezone.localdate()
    end = query.end or start + timedelta(days=13)
    if end < start or (end - start).days > 92:
        raise HttpError(422, _("Ask for at most three months, ending after the start."))
    if query.language not in services.LANGUAGE_CODES:
        raise HttpError(422, _("Choose a language from the list."))
    slots = find_slots(service, language=query.language, start=start, end=end, mode=query.mode, limit=query.limit)
    return [
        {
            "start": s.start,
            "end": s.end,
            "staff_id": s.staff_id,
            "interpreter": s.needs_interpreter,
            "session_language": s.session_language,
            "mode": s.mode,
        }
        for s in slots
    ]


@router.post("/bookings", response={201: BookedOut}, auth=None, summary="Book as a client (no account)")
def book(request: HttpRequest, body: BookIn) -> Any:
    booking = services.book(
        None,
        _service(body.service_id),
        start=body.start,
        language=body.language,
        contact=_contact(body),
        topic=body.topic,
        staff_id=body.staff_id,
        mode=body.mode,
        channel=API,
    )
    return Status(201, booking)


def _linked(token: str) -> Booking:
    try:
        uid = links.read_manage_token(token)
    except links.LinkError as error:
        raise HttpError(410, str(error)) from error
    return get_object_or_404(Booking.objects.select_related("service"), uid=uid)


@router.get(
    "/links/{token}", response={200: BookingOut, 410: Error}, auth=None, summary="A booking, by its signed token"
)
def linked_booking(request: HttpRequest, token: str) -> Any:
    return _linked(token)


@router.post(
    "/links/{token}/cancel", response={200: BookingOut, 410: Error}, auth=None, summary="Cancel with the signed token"
)
def linked_cancel(request: HttpRequest, token: str, body: CancelIn) -> Any:
    return services.cancel(None, _linked(token), reason=body.reason, via_link=True, channel=API)


@router.post(
    "/links/{token}/reschedule", response={200: BookedOut, 410: Error}, auth=None, summary="Move with the signed token"
)
def linked_reschedule(request: HttpRequest, token: str, body: MoveIn) -> Any:
    return services.reschedule(
        None, _linked(token), start=body.start, staff_id=body.staff_id, via_link=True, channel=API
    )


# --- Staff -------------------------------------------------------------------------------------------


def _staff_booking(request: HttpRequest, booking_id: int) -> Booking:
    booking = get_object_or_404(Booking.objects.select_related("service"), pk=booking_id)
    if not request.user.has_perm("booking.view_booking", booking):
        raise PermissionDenied
    return booking


@router.get("/appointments", response=list[StaffBookingOut], summary="Appointments of your organisations")
def appointments(request: HttpRequest) -> Any:
    if not request.user.has_perm("booking.view_appointments"):
        raise PermissionDenied
    upcoming, recent = selectors.appointments_for(request.user)
    return [*upcoming, *recent]


@router.post("/appointments", response={201: StaffBookingOut}, summary="Book for a client, as staff")
def staff_book(request: HttpRequest, body: StaffBookIn) -> Any:
    person = None
    if body.person_id is not None:
        person = core_selectors.get_person_for(request.user, body.person_id)
        if person is None:
            raise HttpError(404, _("No such person, or not one you may see."))
    booking = services.book(
        request.user,
        _service(body.service_id),
        start=body.start,
        language=body.language,
        contact=_contact(body),
        topic=body.topic,
        person=person,
        staff_id=body.staff_id,
        mode=body.mode,
        channel=API,
    )
    return Status(201, booking)


@router.post("/appointments/{booking_id}/cancel", response=StaffBookingOut, summary="Cancel, as staff")
def staff_cancel(request: HttpRequest, booking_id: int, body: CancelIn) -> Any:
    return services.cancel(request.user, _staff_booking(request, booking_id), reason=body.reason, channel=API)


@router.post("/appointments/{booking_id}/reschedule", response=StaffBookingOut, summary="Move, as staff")
def staff_reschedule(request: HttpRequest, booking_id: int, body: MoveIn) -> Any:
    booking = _staff_booking(request, booking_id)
    return services.reschedule(request.user, booking, start=body.start, staff_id=body.staff_id, channel=API)


@router.post("/appointments/{booking_id}/attendance", response=StaffBookingOut, summary="Record attendance")
def staff_attendance(request: HttpRequest, booking_id: int, body: AttendanceIn) -> Any:
    booking = _staff_booking(request, booking_id)
    return services.record_attendance(
        request.user, booking, attended=body.attended, missed_by=body.missed_by or "", channel=API
    )
