"""Code lists of the booking module."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    CAREER_COUNSELLING = "career_counselling", _("Career counselling")
    CV_CONSULTATION = "cv_consultation", _("Help with a CV")
    JOB_SEARCH = "job_search", _("Looking for work")
    RECOGNITION = "recognition", _("Recognition of qualifications")
    LEGAL_ADVICE = "legal_advice", _("Legal advice")
    PSYCHOLOGICAL_SUPPORT = "psychological_support", _("Psychological support")
    GENERAL = "general", _("General counselling")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remote (video)")


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not take place")


class Side(models.TextChoices):
    CLIENT = "client", _("The client")
    STAFF = "staff", _("Staff")


class WaitStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered a time")
    BOOKED = "booked", _("Booked")
    CLOSED = "closed", _("Closed")


class CVStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("Being reviewed")
    READY = "ready", _("Ready to send")
    CLOSED = "closed", _("Closed")


class CVSource(models.TextChoices):
    UPLOAD = "upload", _("Uploaded")
    PROFILE = "profile", _("Built from the profile")


class EmployerAnswer(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    INTERESTED = "interested", _("Interested")
    INTERVIEW = "interview", _("Invited to an interview")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Not now")


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
