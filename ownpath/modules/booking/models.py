"""Bookable services, staff hours, bookings with interpreters, the waiting list and CV drop-offs.

Times are stored in UTC; weekly hours are wall-clock times in the staff member's own time zone, so a
Monday 9:00 stays 9:00 across daylight-saving changes. A booking holds its staff member and, when the
client and the staff member share no language, an interpreter: both are busy for its whole length.
"""

from __future__ import annotations

import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ownpath.core.choices import Channel
from ownpath.core.models import Consent, Organisation, Person
from ownpath.modules.booking.choices import (
    WEEKDAYS,
    BookingStatus,
    CVSource,
    CVStatus,
    EmployerAnswer,
    Mode,
    ServiceKind,
    Side,
    WaitStatus,
)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(zone)s."), params={"zone": value})


class StaffProfile(models.Model):
    """What booking needs to know about a staff member: the languages they work in, their time zone."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_profile")
    languages = models.JSONField(_("languages I work in"), default=list, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE, validators=[validate_time_zone]
    )
    is_interpreter = models.BooleanField(_("I interpret"), default=False)

    def __str__(self) -> str:
        return str(self.user)


class BookableService(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="bookable_services"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ServiceKind.choices)
    title = models.CharField(_("details"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("length in minutes"), default=45, validators=[MinValueValidator(10), MaxValueValidator(240)]
    )
    in_person = models.BooleanField(_("in person"), default=True)
    remote = models.BooleanField(_("remote"), default=False)
    place = models.CharField(_("place"), max_length=300, blank=True)
    remote_link = models.URLField(_("video link"), blank=True)
    min_notice_hours = models.PositiveSmallIntegerField(
        _("book at least this many hours ahead"), default=12, validators=[MaxValueValidator(24 * 14)]
    )
    is_active = models.BooleanField(_("open for booking"), default=True)

    class Meta:
        ordering = ["organisation__name", "kind"]

    def __str__(self) -> str:
        label = ServiceKind(self.kind).label
        return f"{label}: {self.title}" if self.title else str(label)

    def clean(self) -> None:
        if not (self.in_person or self.remote):
            raise ValidationError(_("A service is offered in person, remotely, or both."))
        if self.in_person and not self.place.strip():
            raise ValidationError({"place": _("Say where the appointments in person take place.")})


class WeeklyHours(models.Model):
    """Recurring hours of one staff member (or interpreter) at one organisation, in their time zone."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_hours")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(
        BookableService,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hours",
        help_text=_("Leave empty for every service of the organisation (and for interpreting)."),
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAYS)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    mode = models.CharField(_("how"), max_length=16, choices=Mode.choices, default=Mode.IN_PERSON)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["weekday", "start"]
        indexes = [models.Index(fields=["organisation", "weekday"])]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self) -> None:
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise ValidationError({"end": _("The hours must end after they start.")})
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end date is before the start date.")})


class TimeOff(models.Model):
    """An exception to the weekly hours: an absence, or extra hours (``available``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_off")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    available = models.BooleanField(_("extra hours (not an absence)"), default=False)
    mode = models.CharField(_("how"), max_length=16, choices=Mode.choices, default=Mode.IN_PERSON)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["user", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})
        if self.available and self.organisation_id is None:
            raise ValidationError({"organisation": _("Say for which organisation the extra hours are.")})


class Booking(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)  # RFC 5545 SEQUENCE: raised on each change
    service = models.ForeignKey(BookableService, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="bookings")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("with"), on_delete=models.PROTECT, related_name="bookings_held"
    )
    interpreter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interpreter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings_interpreted",
    )
    language = models.CharField(_("client's language"), max_length=8)
    staff_language = models.CharField(_("language of the session"), max_length=8)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    mode = models.CharField(_("how"), max_length=16, choices=Mode.choices)
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("video link"), blank=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="bookings")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    topic = models.CharField(_("what it is about"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    missed_by = models.CharField(_("missed by"), max_length=8, choices=Side.choices, blank=True)
    cancelled_by = models.CharField(_("cancelled by"), max_length=8, choices=Side.choices, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.UI)
    reminded_day_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["staff", "starts_at"]),
            models.Index(fields=["interpreter", "starts_at"]),
            models.Index(fields=["organisation", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.CONFIRMED

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()


class WaitingListEntry(models.Model):
    """Someone who found no free time: offered the first freed slot that fits, by a signed link."""

    service = models.ForeignKey(BookableService, on_delete=models.CASCADE, related_name="waiting")
    language = models.CharField(_("language"), max_length=8)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    earliest = models.DateField(_("from"))
    latest = models.DateField(_("until"))
    status = models.CharField(max_length=12, choices=WaitStatus.choices, default=WaitStatus.WAITING)
    offered_start = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["service", "status"])]

    def __str__(self) -> str:
        return f"{self.service} ({self.language})"


class CV(models.Model):
    """A CV left with a centre: the file is encrypted at rest and read only through a permission check."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("left with"), on_delete=models.CASCADE, related_name="cvs"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="cvs")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=8)
    source = models.CharField(max_length=8, choices=CVSource.choices, default=CVSource.UPLOAD)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = models.BinaryField()  # Fernet token of the file's bytes
    status = models.CharField(_("status"), max_length=12, choices=CVStatus.choices, default=CVStatus.RECEIVED)
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counsellor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cvs_assigned",
    )
    review_booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.CharField(_("message"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "CV"

    def __str__(self) -> str:
        return f"CV {self.uid}"


class CVSending(models.Model):
    """The CV sent, with the person's consent, to one employer; the employer's answer is tracked."""

    cv = models.ForeignKey(CV, on_delete=models.CASCADE, related_name="sendings")
    employer = models.ForeignKey(
        Organisation, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="cvs_received"
    )
    consent = models.ForeignKey(Consent, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(
        _("answer"), max_length=12, choices=EmployerAnswer.choices, default=EmployerAnswer.PENDING
    )
    answer_note = models.CharField(_("note"), max_length=500, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["cv", "employer"], name="booking_cv_sent_once_per_employer")]

    def __str__(self) -> str:
        return f"{self.cv} → {self.employer}"
