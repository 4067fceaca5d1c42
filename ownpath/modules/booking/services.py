"""Writes of the booking module: hours, services, bookings, changes, the waiting list, reminders, CVs.

Every function checks who may do it, validates before it writes, writes in one transaction and audits.
Two people asking for the same time at once cannot both get it: a booking locks the staff member's and
the interpreter's rows, then checks again that the slot is free, so the second request waits for the
first and then finds the time taken. Messages to the client go out after the transaction commits.
"""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from smtplib import SMTPException
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ownpath.core import access, crypto, events
from ownpath.core.choices import AuditAction, Channel, ConsentPurpose, DataScope, Role
from ownpath.core.languages import LANGUAGE_CODES, language_name
from ownpath.core.models import Organisation, Person, User
from ownpath.core.services import audit
from ownpath.core.services import consent as consent_service
from ownpath.core.services.notifications import notify_each, staff_of
from ownpath.core.services.sms import send_sms
from ownpath.core.uploads import DOCX, ODT, PDF, validate_upload
from ownpath.modules.booking import ical, links
from ownpath.modules.booking.availability import Slot, slot_at
from ownpath.modules.booking.choices import (
    BookingStatus,
    CVSource,
    CVStatus,
    EmployerAnswer,
    Mode,
    ServiceKind,
    Side,
    WaitStatus,
)
from ownpath.modules.booking.events import ATTENDANCE, BOOKED, CANCELLED, CV_SENT
from ownpath.modules.booking.models import (
    CV,
    BookableService,
    Booking,
    CVSending,
    StaffProfile,
    TimeOff,
    WaitingListEntry,
    WeeklyHours,
)

logger = logging.getLogger(__name__)

CV_SCOPE = sorted({DataScope.IDENTITY, DataScope.CONTACT, DataScope.LANGUAGES, DataScope.EDUCATION, DataScope.WORK})
CV_TYPES = (PDF, DOCX, ODT)
# Who works with bookings at an organisation: casework roles, interpreters included.
BOOKING_ROLES = access.CASEWORK_ROLES


def is_staff_of(actor: Any, organisation_id: int) -> bool:
    return access.holds_role(actor, organisation_id, BOOKING_ROLES)


def _clean(instance: Any, exclude: Iterable[str] = ()) -> None:
    instance.full_clean(exclude=list(exclude))


def _audit(actor: Any, action: str, booking: Booking | CV, *, channel: str, fields: Iterable[str] = ()) -> None:
    audit.record(
        actor,
        action,
        channel=channel,
        person_id=booking.person_id,
        organisation_id=booking.organisation_id,
        obj=booking,
        fields=fields,
    )


def absolute(path: str) -> str:
    return f"{settings.OWNPATH_BASE_URL}{path}"


# --- Staff: profile, hours, time off, services -------------------------------------------------------


def profile_of(user: User) -> StaffProfile:
    profile, _created = StaffProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def save_profile(actor: Any, *, languages: Iterable[str], time_zone: str, is_interpreter: bool) -> StaffProfile:
    if not access.roles_by_organisation(actor):
        raise PermissionDenied(_("Only staff set working hours."))
    chosen = list(dict.fromkeys(code.strip() for code in languages if code.strip()))
    unknown = [code for code in chosen if code not in LANGUAGE_CODES]
    if unknown:
        raise ValidationError({"languages": _("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)}})
    profile = profile_of(actor)
    profile.languages, profile.time_zone, profile.is_interpreter = chosen, time_zone, is_interpreter
    _clean(profile, exclude=["user"])
    profile.save()
    return profile


def _may_set_hours(actor: Any, user: User, organisation: Organisation) -> None:
    roles = access.roles_at(actor, organisation.pk)
    if user.pk == getattr(actor, "pk", None) and roles:
        return
    if Role.ORG_ADMIN in roles and user.memberships.filter(organisation=organisation, is_active=True).exists():
        return
    raise PermissionDenied(_("You can set only your own hours, or, as administrator, those of your staff."))


@transaction.atomic
def add_hours(actor: Any, user: User, organisation: Organisation, values: Mapping[str, Any]) -> WeeklyHours:
    _may_set_hours(actor, user, organisation)
    hours = WeeklyHours(user=user, organisation=organisation, **values)
    _clean(hours)
    if hours.service is not None and hours.service.organisation_id != organisation.pk:
        raise ValidationError({"service": _("The service belongs to another organisation.")})
    overlapping = WeeklyHours.objects.filter(
        user=user, weekday=hours.weekday, start__lt=hours.end, end__gt=hours.start
    ).exclude(valid_until__lt=hours.valid_from or timezone.localdate().replace(year=1))
    if overlapping.exists():
        raise ValidationError(_("These hours overlap hours you already have on that day."))
    profile_of(user)
    hours.save()
    return hours


@transaction.atomic
def delete_hours(actor: Any, hours: WeeklyHours) -> None:
    _may_set_hours(actor, hours.user, hours.organisation)
    hours.delete()


@transaction.atomic
def add_time_off(actor: Any, user: User, values: Mapping[str, Any]) -> TimeOff:
    if user.pk != getattr(actor, "pk", None):
        raise PermissionDenied(_("You can set only your own absences and extra hours."))
    entry = TimeOff(user=user, **values)
    _clean(entry)
    if entry.organisation is not None and not access.roles_at(actor, entry.organisation.pk):
        raise ValidationError({"organisation": _("You do not work for this organisation.")})
    profile_of(user)
    entry.save()
    return entry


@transaction.atomic
def delete_time_off(actor: Any, entry: TimeOff) -> None:
    if entry.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("You can set only your own absences and extra hours."))
    entry.delete()


@transaction.atomic
def save_service(
    actor: Any, organisation: Organisation, values: Mapping[str, Any], service: BookableService | None = None
) -> BookableService:
    if Role.ORG_ADMIN not in access.roles_at(actor, organisation.pk):
        raise PermissionDenied(_("Only administrators of the organisation manage its services."))
    if service is None:
        service = BookableService(organisation=organisation)
    elif service.organisation_id != organisation.pk:
        raise PermissionDenied(_("Only administrators of the organisation manage its services."))
    for key, value in values.items():
        setattr(service, key, value)
    _clean(service)
    service.save()
    return service


# --- Booking -----------------------------------------------------------------------------------------


@dataclass
class Contact:
    name: str
    email: str = ""
    phone: str = ""
    time_zone: str = ""


def _check_contact(contact: Contact, language: str) -> Contact:
    errors: dict[str, str] = {}
    name = contact.name.strip()
    email = contact.email.strip()
    phone = contact.phone.strip()
    zone = contact.time_zone.strip() or settings.TIME_ZONE
    if not name:
        errors["name"] = _("Enter your name.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    if phone and not (7 <= sum(c.isdigit() for c in phone) <= 15 and set(phone) <= set("+0123456789 -()")):
        errors["phone"] = _("Enter a phone number with its country code, such as +48 600 100 200.")
    if not email and not phone:
        errors["email"] = _("Give an e-mail address or a phone number, so that we can send you the details.")
    if language not in LANGUAGE_CODES:
        errors["language"] = _("Choose a language from the list.")
    if zone not in zoneinfo.available_timezones():
        errors["time_zone"] = _("Choose a time zone from the list.")
    if errors:
        raise ValidationError(errors)
    return Contact(name, email, phone, zone)


def _check_start(service: BookableService, start: datetime, *, notice: bool) -> None:
    now = timezone.now()
    if start <= now:
        raise ValidationError({"start": _("This time is in the past. Choose another one.")})
    if notice and start < now + timedelta(hours=service.min_notice_hours):
        raise ValidationError(
            {
                "start": _("This time is too soon: book at least %(hours)s hours ahead.")
                % {"hours": service.min_notice_hours}
            }
        )


def _lock(user_ids: Iterable[int]) -> None:
    """Take the row locks of these people (in one order, so two bookings never wait on each other)."""
    ids = sorted(set(user_ids))
    for uid in ids:
        StaffProfile.objects.get_or_create(user_id=uid)
    list(StaffProfile.objects.select_for_update().filter(user_id__in=ids).order_by("user_id").values_list("pk"))


def _claim(
    service: BookableService,
    *,
    language: str,
    start: datetime,
    staff_id: int | None,
    mode: str | None,
    ignore_booking: int | None,
    notice: bool,
) -> Slot:
    """Inside the caller's transaction: lock the people of a free slot at ``start`` and return it."""
    taken = ValidationError({"start": _("This time is no longer free. Choose another one.")})
    candidates = [
        s
        for s in slot_at(
            service,
            language=language,
            start=start,
            staff_id=staff_id,
            ignore_booking=ignore_booking,
            check_notice=notice,
        )
        if mode in (None, "", s.mode)
    ]
    for candidate in candidates:
        locked = {candidate.staff_id} | ({candidate.interpreter_id} if candidate.interpreter_id else set())
        _lock(locked)
        for _attempt in range(3):
            again = [
                s
                for s in slot_at(
                    service,
                    language=language,
                    start=start,
                    staff_id=candidate.staff_id,
                    ignore_booking=ignore_booking,
                    check_notice=notice,
                )
                if s.mode == candidate.mode
            ]
            if not again:
                break
            chosen = next((s for s in again if s.interpreter_id in locked or s.interpreter_id is None), None)
            if chosen is not None:
                return chosen
            # A different interpreter is free now: lock them as well and look again.
            locked |= {again[0].interpreter_id}  # type: ignore[arg-type]
            _lock(locked)
    raise taken


def _where(service: BookableService, mode: str) -> dict[str, str]:
    """The place of an appointment in person, or the video link of a remote one."""
    return {
        "place": service.place if mode == Mode.IN_PERSON else "",
        "link": service.remote_link if mode == Mode.REMOTE else "",
    }


def _may_book_for(actor: Any, person: Person | None, service: BookableService) -> None:
    if person is None:
        return
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("You cannot book for this person."))
    own = getattr(person, "account_id", None) == getattr(actor, "pk", -1)
    if not own and not actor.has_perm("core.view_person", person):
        raise PermissionDenied(_("You cannot book for this person."))


def book(
    actor: Any,
    service: BookableService,
    *,
    start: datetime,
    language: str,
    contact: Contact,
    topic: str = "",
    person: Person | None = None,
    staff_id: int | None = None,
    mode: str | None = None,
    channel: Channel = Channel.UI,
) -> Booking:
    """Book ``service`` at ``start`` for a client speaking ``language``, with an interpreter if needed."""
    if not service.is_active:
        raise ValidationError(_("This service cannot be booked at the moment."))
    _may_book_for(actor, person, service)
    contact = _check_contact(contact, language)
    staff_booking = is_staff_of(actor, service.organisation_id)
    _check_start(service, start, notice=not staff_booking)
    if len(topic) > 500:
        raise ValidationError({"topic": _("Say it in 500 characters or fewer.")})
    with transaction.atomic():
        slot = _claim(
            service,
            language=language,
            start=start,
            staff_id=staff_id,
            mode=mode,
            ignore_booking=None,
            notice=not staff_booking,
        )
        booking = Booking.objects.create(
            service=service,
            organisation_id=service.organisation_id,
            staff_id=slot.staff_id,
            interpreter_id=slot.interpreter_id,
            language=language,
            staff_language=slot.session_language,
            starts_at=slot.start,
            ends_at=slot.end,
            mode=slot.mode,
            **_where(service, slot.mode),
            person=person,
            name=contact.name,
            email=contact.email,
            phone=contact.phone,
            time_zone=contact.time_zone,
            topic=topic.strip(),
            booked_by=actor if getattr(actor, "is_authenticated", False) else None,
            channel=channel,
        )
        _audit(actor, AuditAction.CREATE, booking, channel=channel, fields=["booking"])
        events.publish(
            BOOKED,
            booking_id=booking.pk,
            organisation_id=booking.organisation_id,
            person_id=booking.person_id,
            service_kind=service.kind,
            interpreter=booking.interpreter_id is not None,
        )
        transaction.on_commit(lambda: send_invitation(booking.pk, "REQUEST"))
    return booking


def _may_change(actor: Any, booking: Booking, via_link: bool) -> Side:
    if via_link:
        return Side.CLIENT
    if is_staff_of(actor, booking.organisation_id) or getattr(actor, "pk", None) in (
        booking.staff_id,
        booking.interpreter_id,
    ):
        return Side.STAFF
    if booking.person_id and getattr(booking.person, "account_id", None) == getattr(actor, "pk", -1):
        return Side.CLIENT
    raise PermissionDenied(_("You cannot change this appointment."))


@transaction.atomic
def cancel(
    actor: Any, booking: Booking, *, reason: str = "", via_link: bool = False, channel: Channel = Channel.UI
) -> Booking:
    side = _may_change(actor, booking, via_link)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != BookingStatus.CONFIRMED:
        raise ValidationError(_("This appointment is no longer open: it cannot be cancelled."))
    if booking.starts_at <= timezone.now():
        raise ValidationError(_("This appointment has already begun; it can no longer be cancelled."))
    if len(reason) > 300:
        raise ValidationError({"reason": _("Say it in 300 characters or fewer.")})
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_by = side
    booking.cancel_reason = reason.strip()
    booking.sequence += 1
    booking.save(update_fields=["status", "cancelled_by", "cancel_reason", "sequence", "updated_at"])
    _audit(actor, AuditAction.UPDATE, booking, channel=channel, fields=["status"])
    events.publish(
        CANCELLED,
        booking_id=booking.pk,
        organisation_id=booking.organisation_id,
        person_id=booking.person_id,
        side=side,
    )
    service_id, start = booking.service_id, booking.starts_at
    transaction.on_commit(lambda: send_invitation(booking.pk, "CANCEL"))
    transaction.on_commit(lambda: offer_freed_slot(service_id, start))
    return booking


def reschedule(
    actor: Any,
    booking: Booking,
    *,
    start: datetime,
    staff_id: int | None = None,
    via_link: bool = False,
    channel: Channel = Channel.UI,
) -> Booking:
    """Move the booking to another free time: same UID, a higher SEQUENCE, an updated invitation."""
    side = _may_change(actor, booking, via_link)
    if booking.status != BookingStatus.CONFIRMED:
        raise ValidationError(_("This appointment is no longer open: it cannot be moved."))
    if booking.starts_at <= timezone.now():
        raise ValidationError(_("This appointment has already begun; it can no longer be moved."))
    service = booking.service
    _check_start(service, start, notice=side == Side.CLIENT)
    old_start = booking.starts_at
    with transaction.atomic():
        slot = _claim(
            service,
            language=booking.language,
            start=start,
            staff_id=staff_id,
            mode=None,
            ignore_booking=booking.pk,
            notice=side == Side.CLIENT,
        )
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != BookingStatus.CONFIRMED:
            raise ValidationError(_("This appointment is no longer open: it cannot be moved."))
        booking.staff_id, booking.interpreter_id = slot.staff_id, slot.interpreter_id
        booking.staff_language = slot.session_language
        booking.starts_at, booking.ends_at, booking.mode = slot.start, slot.end, slot.mode
        where = _where(service, slot.mode)
        booking.place, booking.link = where["place"], where["link"]
        booking.sequence += 1
        booking.reminded_day_at = booking.reminded_hour_at = None
        booking.save()
        _audit(actor, AuditAction.UPDATE, booking, channel=channel, fields=["starts_at"])
        transaction.on_commit(lambda: send_invitation(booking.pk, "REQUEST"))
        transaction.on_commit(lambda: offer_freed_slot(service.pk, old_start))
    return booking


@transaction.atomic
def record_attendance(
    actor: Any, booking: Booking, *, attended: bool, missed_by: str = "", channel: Channel = Channel.UI
) -> Booking:
    """After the start: the client came, or one side did not (a no-show, counted for both sides)."""
    if not is_staff_of(actor, booking.organisation_id) and getattr(actor, "pk", None) != booking.staff_id:
        raise PermissionDenied(_("Only staff of the organisation record attendance."))
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError(_("This appointment was cancelled."))
    if booking.starts_at > timezone.now():
        raise ValidationError(_("Attendance is recorded once the appointment has begun."))
    if not attended and missed_by not in Side.values:
        raise ValidationError({"missed_by": _("Say who did not come: the client or staff.")})
    booking.status = BookingStatus.ATTENDED if attended else BookingStatus.NO_SHOW
    booking.missed_by = "" if attended else missed_by
    booking.save(update_fields=["status", "missed_by", "updated_at"])
    _audit(actor, AuditAction.UPDATE, booking, channel=channel, fields=["status"])
    events.publish(
        ATTENDANCE,
        booking_id=booking.pk,
        organisation_id=booking.organisation_id,
        person_id=booking.person_id,
        status=booking.status,
        missed_by=booking.missed_by,
    )
    return booking


# --- The waiting list ----------------------------------------------------------------------------------


@transaction.atomic
def join_waiting_list(
    actor: Any,
    service: BookableService,
    *,
    language: str,
    contact: Contact,
    earliest: Any,
    latest: Any,
    person: Person | None = None,
    channel: Channel = Channel.UI,
) -> WaitingListEntry:
    _may_book_for(actor, person, service)
    contact = _check_contact(contact, language)
    today = timezone.localdate()
    if earliest < today:
        raise ValidationError({"earliest": _("The first day cannot be in the past.")})
    if latest < earliest:
        raise ValidationError({"latest": _("The last day is before the first day.")})
    if (latest - earliest).days > 92:
        raise ValidationError({"latest": _("Choose a period of at most three months.")})
    entry = WaitingListEntry.objects.create(
        service=service,
        language=language,
        person=person,
        name=contact.name,
        email=contact.email,
        phone=contact.phone,
        earliest=earliest,
        latest=latest,
    )
    audit.record(
        actor, AuditAction.CREATE, channel=channel, person=person, organisation_id=service.organisation_id, obj=entry
    )
    return entry


def offer_freed_slot(service_id: int, start: datetime) -> WaitingListEntry | None:
    """Offer a freed time to the first person waiting whose language and dates fit it."""
    service = BookableService.objects.filter(pk=service_id, is_active=True).first()
    if service is None or start <= timezone.now():
        return None
    local_day = timezone.localtime(start).date()
    waiting = WaitingListEntry.objects.filter(
        service=service, status=WaitStatus.WAITING, earliest__lte=local_day, latest__gte=local_day
    ).order_by("created_at")
    for entry in waiting:
        if slot_at(service, language=entry.language, start=start, check_notice=False):
            entry.status, entry.offered_start, entry.offered_at = WaitStatus.OFFERED, start, timezone.now()
            entry.save(update_fields=["status", "offered_start", "offered_at"])
            _send_offer(entry)
            return entry
    return None


def take_offer(token: str, *, channel: Channel = Channel.UI) -> Booking:
    """The person waiting takes the offered time through their link."""
    entry_id, start = links.read_offer_token(token)
    entry = WaitingListEntry.objects.select_related("service").filter(pk=entry_id).first()
    if entry is None or entry.status != WaitStatus.OFFERED or entry.offered_start != start:
        raise links.LinkError(_("This offer is no longer open."))
    try:
        booking = book(
            None,
            entry.service,
            start=start,
            language=entry.language,
            contact=Contact(entry.name, entry.email, entry.phone),
            channel=channel,
        )
    except ValidationError:
        WaitingListEntry.objects.filter(pk=entry.pk).update(status=WaitStatus.WAITING, offered_start=None)
        raise
    if entry.person_id is not None:
        # Staff put this person on the list for their record: the booking joins the same record.
        Booking.objects.filter(pk=booking.pk).update(person_id=entry.person_id)
        booking.person_id = entry.person_id
        _audit(None, AuditAction.UPDATE, booking, channel=channel, fields=["person"])
    WaitingListEntry.objects.filter(pk=entry.pk).update(status=WaitStatus.BOOKED, booking=booking)
    return booking


# --- Messages: invitations, reminders, offers ----------------------------------------------------------


def _client_language(code: str) -> str:
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def local_time(moment: datetime, zone: str) -> str:
    try:
        local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        local = timezone.localtime(moment)
    return f"{date_format(local, 'l, j E Y')}, {local:%H:%M} ({local.tzname()})"


def invitation(booking: Booking, method: str, language: str = "") -> str:
    """The booking as an iCalendar object in ``language``: the client's unless another is given (each member
    of staff gets theirs in their own language)."""
    with translation.override(language or _client_language(booking.language)):
        organiser = booking.organisation
        summary = _("%(service)s at %(organisation)s") % {
            "service": ServiceKind(booking.service.kind).label,
            "organisation": organiser.name,
        }
        description = describe(booking)
        attendees = [(booking.name, booking.email), (booking.staff.get_full_name(), booking.staff.email)]
        if booking.interpreter is not None:
            attendees.append((booking.interpreter.get_full_name(), booking.interpreter.email))
        return ical.calendar(
            method=method,
            uid=ical.uid_for(booking.uid),
            sequence=booking.sequence,
            start=booking.starts_at,
            end=booking.ends_at,
            summary=summary,
            description=description,
            location=booking.place or booking.link,
            url=absolute(reverse("booking:manage", args=[links.manage_token(booking)])) if method != "CANCEL" else "",
            organiser=(organiser.name, organiser.email or settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">")),
            attendees=attendees,
            cancelled=method == "CANCEL",
        )


def describe(booking: Booking) -> str:
    """The text of a message about the booking (in the active language)."""
    lines = [
        _("When: %(when)s") % {"when": local_time(booking.starts_at, booking.time_zone)},
        _("With: %(name)s") % {"name": booking.staff.first_name or booking.staff.get_full_name()},
    ]
    if booking.mode == Mode.IN_PERSON:
        lines.append(_("Where: %(place)s") % {"place": booking.place})
    else:
        lines.append(_("Video link: %(link)s") % {"link": booking.link})
    if booking.interpreter_id:
        lines.append(
            _("An interpreter for %(language)s will be there.") % {"language": language_name(booking.language)}
        )
    if booking.status == BookingStatus.CONFIRMED and booking.starts_at > timezone.now():
        lines.append(
            _("To cancel or change the time: %(url)s")
            % {"url": absolute(reverse("booking:manage", args=[links.manage_token(booking)]))}
        )
    return "\n".join(lines)


def _deliver(message: EmailMessage) -> bool:
    """Send one e-mail; a mail server that fails is logged, never shown to the person booking."""
    try:
        return message.send() == 1
    except (OSError, SMTPException):
        logger.exception("e-mail about a booking not sent")
        return False


def send_invitation(booking_id: int, method: str) -> None:
    booking = Booking.objects.select_related("service", "organisation", "staff", "interpreter").get(pk=booking_id)
    ics = invitation(booking, method)
    with translation.override(_client_language(booking.language)):
        if method == "CANCEL":
            subject = _("Your appointment on %(date)s is cancelled") % {
                "date": local_time(booking.starts_at, booking.time_zone)
            }
        elif booking.sequence:
            subject = _("Your appointment has moved to %(date)s") % {
                "date": local_time(booking.starts_at, booking.time_zone)
            }
        else:
            subject = _("Your appointment on %(date)s") % {"date": local_time(booking.starts_at, booking.time_zone)}
        body = describe(booking)
        if booking.email:
            message = EmailMessage(subject, body, to=[booking.email])
            message.attach("invite.ics", ics, f"text/calendar; method={method}; charset=UTF-8")
            _deliver(message)
        elif booking.phone:
            send_sms(booking.phone, f"{subject}. {body}"[:600])
    staff = [booking.staff] + ([booking.interpreter] if booking.interpreter else [])
    titles = {
        "REQUEST": gettext_lazy("Appointment on %(date)s")
        if not booking.sequence
        else gettext_lazy("Appointment moved to %(date)s"),
        "CANCEL": gettext_lazy("Appointment on %(date)s cancelled"),
    }
    notify_each(staff, titles[method], url=reverse("booking:appointments"), date=booking.starts_at)
    for user in staff:
        if user.email:
            # Staff read the invitation in their own language, not the client's.
            own = user.preferred_language or settings.LANGUAGE_CODE
            with translation.override(own):
                staff_subject = str(titles[method]) % {"date": local_time(booking.starts_at, booking.time_zone)}
            message = EmailMessage(staff_subject, "", to=[user.email])
            message.attach(
                "invite.ics", invitation(booking, method, own), f"text/calendar; method={method}; charset=UTF-8"
            )
            _deliver(message)


def _send_offer(entry: WaitingListEntry) -> None:
    url = absolute(reverse("booking:offer", args=[links.offer_token(entry)]))
    with translation.override(_client_language(entry.language)):
        text = _("A time has become free: %(when)s. Take it within a day: %(url)s") % {
            "when": local_time(entry.offered_start, settings.TIME_ZONE),  # type: ignore[arg-type]
            "url": url,
        }
        if entry.email:
            _deliver(EmailMessage(_("A time has become free"), text, to=[entry.email]))
        elif entry.phone:
            send_sms(entry.phone, text)


@dataclass
class ReminderRun:
    day: int = 0
    hour: int = 0


def send_reminders(now: datetime | None = None) -> ReminderRun:
    """Remind clients a day and an hour before, by e-mail and SMS, in their language. Run every few minutes."""
    now = now or timezone.now()
    run = ReminderRun()
    open_bookings = Booking.objects.select_related("service", "organisation", "staff").filter(
        status=BookingStatus.CONFIRMED, starts_at__gt=now
    )
    for kind, window, field, floor in (
        ("hour", timedelta(hours=1), "reminded_hour_at", timedelta(0)),
        ("day", timedelta(hours=24), "reminded_day_at", timedelta(hours=2)),
    ):
        due = open_bookings.filter(starts_at__lte=now + window, starts_at__gt=now + floor, **{f"{field}__isnull": True})
        for booking in due:
            # Claim the reminder first, so that two runs at once never send it twice.
            if not Booking.objects.filter(pk=booking.pk, **{f"{field}__isnull": True}).update(**{field: now}):
                continue
            if kind == "day":
                # A day reminder sent within the last hour makes the hour reminder redundant.
                if booking.starts_at - now <= timedelta(hours=1):
                    Booking.objects.filter(pk=booking.pk).update(reminded_hour_at=now)
                run.day += 1
            else:
                run.hour += 1
            _remind(booking, kind)
    return run


def _remind(booking: Booking, kind: str) -> None:
    with translation.override(_client_language(booking.language)):
        subject = (
            _("Reminder: your appointment tomorrow, %(date)s")
            if kind == "day"
            else _("Reminder: your appointment in an hour, %(date)s")
        ) % {"date": local_time(booking.starts_at, booking.time_zone)}
        body = describe(booking)
        if booking.email:
            _deliver(EmailMessage(subject, body, to=[booking.email]))
        if booking.phone:
            send_sms(booking.phone, f"{subject}. {body}"[:600])


# --- Statistics --------------------------------------------------------------------------------------


def attendance_statistics(organisation_ids: Iterable[int], since: datetime) -> list[dict[str, Any]]:
    """Per service kind: held, no-shows by each side, cancellations by each side, and the no-show rate."""
    rows = (
        Booking.objects.filter(
            organisation_id__in=list(organisation_ids), starts_at__gte=since, starts_at__lte=timezone.now()
        )
        .values("service__kind")
        .annotate(
            attended=Count("pk", filter=Q(status=BookingStatus.ATTENDED)),
            missed_client=Count("pk", filter=Q(status=BookingStatus.NO_SHOW, missed_by=Side.CLIENT)),
            missed_staff=Count("pk", filter=Q(status=BookingStatus.NO_SHOW, missed_by=Side.STAFF)),
            cancelled_client=Count("pk", filter=Q(status=BookingStatus.CANCELLED, cancelled_by=Side.CLIENT)),
            cancelled_staff=Count("pk", filter=Q(status=BookingStatus.CANCELLED, cancelled_by=Side.STAFF)),
            interpreted=Count("pk", filter=Q(interpreter__isnull=False) & ~Q(status=BookingStatus.CANCELLED)),
        )
        .order_by("service__kind")
    )
    result = []
    for row in rows:
        held = row["attended"] + row["missed_client"] + row["missed_staff"]
        result.append(
            {
                **row,
                "kind": ServiceKind(row["service__kind"]).label,
                "no_show_rate": round(100 * (row["missed_client"] + row["missed_staff"]) / held) if held else None,
            }
        )
    return result


# --- CVs ---------------------------------------------------------------------------------------------


def _assign_counsellor(organisation: Organisation) -> User | None:
    counsellors = staff_of(organisation.pk, {Role.COUNSELLOR}) or staff_of(organisation.pk, {Role.ORG_ADMIN})
    if not counsellors:
        return None
    load = dict(
        CV.objects.filter(counsellor__in=counsellors, status__in=[CVStatus.RECEIVED, CVStatus.IN_REVIEW])
        .values_list("counsellor_id")
        .annotate(n=Count("pk"))
    )
    return min(counsellors, key=lambda user: (load.get(user.pk, 0), user.pk))


def cv_organisations() -> list[Organisation]:
    """Where a CV may be left: organisations that have counsellors."""
    return list(
        Organisation.objects.filter(memberships__role=Role.COUNSELLOR, memberships__is_active=True)
        .distinct()
        .order_by("name")
    )


def drop_cv(
    actor: Any,
    organisation: Organisation,
    *,
    file: IO[bytes],
    filename: str,
    language: str,
    contact: Contact,
    message: str = "",
    person: Person | None = None,
    channel: Channel = Channel.UI,
) -> CV:
    """A CV left with a centre: checked (type by content, size, no scripts or macros), encrypted, assigned."""
    if organisation not in cv_organisations():
        raise ValidationError({"organisation": _("Choose one of the centres in the list.")})
    contact = _check_contact(contact, language)
    if len(message) > 1000:
        raise ValidationError({"message": _("Say it in 1000 characters or fewer.")})
    try:
        kind = validate_upload(file, CV_TYPES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    data = file.read()
    return _store_cv(
        actor, organisation, data, kind, filename, language, contact, message, person, CVSource.UPLOAD, channel
    )


def _store_cv(
    actor: Any,
    organisation: Organisation,
    data: bytes,
    kind: str,
    filename: str,
    language: str,
    contact: Contact,
    message: str,
    person: Person | None,
    source: str,
    channel: Channel,
) -> CV:
    safe_name = "".join(c for c in filename.rsplit("/", 1)[-1] if c.isalnum() or c in "._- ")[:120] or "cv"
    with transaction.atomic():
        counsellor = _assign_counsellor(organisation)
        cv = CV.objects.create(
            organisation=organisation,
            person=person,
            name=contact.name,
            email=contact.email,
            phone=contact.phone,
            language=language,
            source=source,
            filename=safe_name,
            content_type=kind,
            size=len(data),
            data=crypto.fernet().encrypt(data),
            counsellor=counsellor,
            message=message.strip(),
        )
        audit.record(
            actor,
            AuditAction.CREATE,
            channel=channel,
            person=person,
            organisation_id=organisation.pk,
            obj=cv,
            fields=["cv"],
        )
        if counsellor is not None:
            notify_each([counsellor], gettext_lazy("A CV was left with you"), url=reverse("booking:cv", args=[cv.pk]))
    return cv


def build_cv_from_profile(
    actor: Any, person: Person, organisation: Organisation, *, channel: Channel = Channel.UI
) -> CV:
    """The person's own record as a printable CV (PDF), left with a centre like an uploaded one."""
    own = person.account_id == getattr(actor, "pk", -1)
    if not own and not actor.has_perm("core.view_person", person):
        raise PermissionDenied(_("You cannot make a CV for this person."))
    language = _client_language(person.preferred_language or translation.get_language() or "en")
    with translation.override(language):
        pdf = render_cv_pdf(person)
    contact = Contact(person.display_name, person.email, person.phone)
    if not contact.email and not contact.phone and person.account is not None:
        contact.email = person.account.email
    if not contact.email and not contact.phone:
        raise ValidationError(_("Add an e-mail address or a phone number to the profile first."))
    return _store_cv(actor, organisation, pdf, PDF, "cv.pdf", language, contact, "", person, CVSource.PROFILE, channel)


def render_cv_pdf(person: Person) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "booking/cv_pdf.html",
        {
            "person": person,
            "languages": person.languages.all(),
            "qualifications": person.qualifications.all(),
            "work": person.work_history.order_by("-start"),
            "rtl": translation.get_language_bidi(),
        },
    )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def cv_file(actor: Any, cv: CV, *, channel: Channel = Channel.UI) -> bytes:
    """The CV's bytes for someone allowed to read them; each read is audited."""
    if not actor.has_perm("booking.view_cv", cv):
        raise PermissionDenied(_("You cannot read this CV."))
    _audit(actor, AuditAction.READ, cv, channel=channel, fields=["cv"])
    return crypto.fernet().decrypt(bytes(cv.data))


def _cv_consent(person: Person, employer: Organisation) -> consent_service.ShareDecision:
    """Whether the person's consent lets their CV go to (and stay readable by) this employer."""
    return consent_service.may_share(person, person.organisation, employer, ConsentPurpose.CV_TO_EMPLOYER, CV_SCOPE)


def received_cv_file(actor: Any, sending: CVSending, *, channel: Channel = Channel.UI) -> bytes:
    """The CV for the employer it was sent to, while the consent that allowed it still holds."""
    if not actor.has_perm("booking.answer_cv", sending):
        raise PermissionDenied(_("You cannot read this CV."))
    cv = sending.cv
    if cv.person is None or not _cv_consent(cv.person, sending.employer).allowed:
        raise PermissionDenied(_("The person has withdrawn their consent: the CV can no longer be read."))
    audit.record(
        actor,
        AuditAction.READ,
        channel=channel,
        person_id=cv.person_id,
        organisation_id=sending.employer_id,
        obj=cv,
        purpose=ConsentPurpose.CV_TO_EMPLOYER,
    )
    return crypto.fernet().decrypt(bytes(cv.data))


@transaction.atomic
def update_cv(
    actor: Any,
    cv: CV,
    *,
    status: str | None = None,
    person: Person | None = None,
    review_booking: Booking | None = None,
    channel: Channel = Channel.UI,
) -> CV:
    if not actor.has_perm("booking.change_cv", cv):
        raise PermissionDenied(_("You cannot change this CV."))
    if status is not None:
        if status not in CVStatus.values:
            raise ValidationError({"status": _("Choose a status.")})
        cv.status = status
    if person is not None:
        if not actor.has_perm("core.change_person", person):
            raise ValidationError({"person": _("You cannot link the CV to this person.")})
        cv.person = person
    if review_booking is not None:
        if review_booking.organisation_id != cv.organisation_id:
            raise ValidationError({"review_booking": _("The appointment is with another organisation.")})
        cv.review_booking = review_booking
        if cv.status == CVStatus.RECEIVED:
            cv.status = CVStatus.IN_REVIEW
    cv.save()
    _audit(actor, AuditAction.UPDATE, cv, channel=channel, fields=["status"])
    return cv


def send_cv(actor: Any, cv: CV, employers: Iterable[Organisation], *, channel: Channel = Channel.UI) -> list[CVSending]:
    """Send the CV to employers, each only with the person's consent; all of them or none."""
    if not actor.has_perm("booking.change_cv", cv):
        raise PermissionDenied(_("You cannot send this CV."))
    employers = list(employers)
    if not employers:
        raise ValidationError({"employers": _("Choose at least one employer.")})
    if cv.person is None:
        raise ValidationError(_("Link the CV to the person's record first: consent is recorded there."))
    person = cv.person
    refused = []
    decisions = {}
    for employer in employers:
        if employer.kind != "employer":
            raise ValidationError({"employers": _("%(name)s is not an employer.") % {"name": employer.name}})
        decision = _cv_consent(person, employer)
        if not decision.allowed:
            refused.append(f"{employer.name}: {decision.reason}")
        decisions[employer.pk] = decision
    if refused:
        audit.record(
            actor,
            AuditAction.DENIED,
            channel=channel,
            person=person,
            purpose=ConsentPurpose.CV_TO_EMPLOYER,
            detail={"cv": cv.pk, "employers": [e.pk for e in employers]},
        )
        raise PermissionDenied(
            _("The CV was not sent. Record the person's consent to send it to: %(list)s") % {"list": "; ".join(refused)}
        )
    already = set(CVSending.objects.filter(cv=cv, employer__in=employers).values_list("employer_id", flat=True))
    sent = []
    with transaction.atomic():
        for employer in employers:
            if employer.pk in already:
                continue
            sending = CVSending.objects.create(
                cv=cv, employer=employer, consent=decisions[employer.pk].consent, sent_by=actor
            )
            audit.record(
                actor,
                AuditAction.SHARE,
                channel=channel,
                person=person,
                obj=sending,
                purpose=ConsentPurpose.CV_TO_EMPLOYER,
                fields=CV_SCOPE,
                detail={"employer": employer.pk},
            )
            events.publish(CV_SENT, sending_id=sending.pk, cv_id=cv.pk, person_id=person.pk, employer_id=employer.pk)
            notify_each(
                staff_of(employer.pk, {Role.EMPLOYER_CONTACT}),
                gettext_lazy("%(organisation)s sent you a CV"),
                url=reverse("booking:received"),
                organisation=cv.organisation.name,
            )
            sent.append(sending)
        if cv.status != CVStatus.CLOSED:
            cv.status = CVStatus.READY
            cv.save(update_fields=["status"])
    return sent


@transaction.atomic
def answer_cv(
    actor: Any, sending: CVSending, *, answer: str, note: str = "", channel: Channel = Channel.UI
) -> CVSending:
    """The employer's answer, given by the employer's contact or recorded by the counsellor."""
    if not (actor.has_perm("booking.answer_cv", sending) or actor.has_perm("booking.change_cv", sending.cv)):
        raise PermissionDenied(_("You cannot answer for this employer."))
    if answer not in EmployerAnswer.values or answer == EmployerAnswer.PENDING:
        raise ValidationError({"answer": _("Choose an answer.")})
    if len(note) > 500:
        raise ValidationError({"note": _("Say it in 500 characters or fewer.")})
    return _record_answer(actor, sending, answer, note, channel)


def _record_answer(actor: Any, sending: CVSending, answer: str, note: str, channel: str) -> CVSending:
    sending.answer, sending.answer_note, sending.answered_at = answer, note.strip(), timezone.now()
    sending.save(update_fields=["answer", "answer_note", "answered_at"])
    cv = sending.cv
    audit.record(
        actor,
        AuditAction.UPDATE,
        channel=channel,
        person_id=cv.person_id,
        organisation_id=cv.organisation_id,
        obj=sending,
    )
    if cv.counsellor is not None:
        notify_each(
            [cv.counsellor],
            gettext_lazy("%(employer)s answered about a CV: %(answer)s"),
            url=reverse("booking:cv", args=[cv.pk]),
            employer=sending.employer.name,
            answer=EmployerAnswer(answer).label,
        )
    return sending


# --- Erasure -----------------------------------------------------------------------------------------


def erase_person_data(person: Person) -> None:
    """Inside core's erasure: CVs and waiting-list entries go; bookings keep only what statistics need."""
    CV.objects.filter(person=person).delete()
    WaitingListEntry.objects.filter(person=person).delete()
    Booking.objects.filter(person=person, status=BookingStatus.CONFIRMED, starts_at__gt=timezone.now()).update(
        status=BookingStatus.CANCELLED, cancelled_by=Side.CLIENT
    )
    Booking.objects.filter(person=person).update(person=None, name="—", email="", phone="", topic="", cancel_reason="")


def export_person(person: Person) -> dict[str, Any]:
    return {
        "bookings": [
            {
                "service": b.service.get_kind_display(),
                "starts_at": b.starts_at.isoformat(),
                "status": b.status,
                "language": b.language,
                "interpreter": b.interpreter_id is not None,
                "topic": b.topic,
            }
            for b in Booking.objects.filter(person=person).select_related("service")
        ],
        "cvs": [
            {
                "received": cv.created_at.isoformat(),
                "organisation": cv.organisation.name,
                "status": cv.status,
                "sent_to": [
                    {"employer": s.employer.name, "sent_at": s.sent_at.isoformat(), "answer": s.answer}
                    for s in cv.sendings.select_related("employer")
                ],
            }
            for cv in CV.objects.filter(person=person).select_related("organisation")
        ],
    }
