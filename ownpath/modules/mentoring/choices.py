"""Choices of the mentoring module."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MentorKind(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    PEER = "peer", _("Peer mentor")


class MentorStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left the programme")


class Gender(models.TextChoices):
    UNSPECIFIED = "", _("Not stated")
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other")


class LivedExperience(models.TextChoices):
    REFUGEE = "refugee", _("Came as a refugee")
    DIPLOMA = "diploma_recognised", _("Had a diploma recognised")
    SINGLE_PARENT = "single_parent", _("Single parent")
    CAREER_CHANGE = "career_change", _("Changed profession after migrating")
    OWN_BUSINESS = "own_business", _("Started a business")
    LANGUAGE_AS_ADULT = "language_as_adult", _("Learned the language as an adult")
    DISABILITY = "disability", _("Lives with a disability")
    LONG_UNEMPLOYED = "long_unemployed", _("Was long unemployed")


class Sector(models.TextChoices):
    """NACE Rev. 2 sections most asked for; the code is the NACE section letter."""

    A = "A", _("Agriculture, forestry and fishing")
    C = "C", _("Manufacturing")
    F = "F", _("Construction")
    G = "G", _("Wholesale and retail trade")
    H = "H", _("Transport and storage")
    I = "I", _("Accommodation and food services")  # noqa: E741
    J = "J", _("Information and communication")
    K = "K", _("Finance and insurance")
    M = "M", _("Professional, scientific and technical activities")
    N = "N", _("Administrative and support services")
    O = "O", _("Public administration")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Human health and social work")
    R = "R", _("Arts, entertainment and recreation")
    S = "S", _("Other services")


class DayPart(models.TextChoices):
    WEEKDAY_MORNING = "weekday_morning", _("Weekday mornings")
    WEEKDAY_AFTERNOON = "weekday_afternoon", _("Weekday afternoons")
    WEEKDAY_EVENING = "weekday_evening", _("Weekday evenings")
    SATURDAY = "saturday", _("Saturdays")
    SUNDAY = "sunday", _("Sundays")


class MenteeStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a mentor")
    MATCHED = "matched", _("Matched")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    DISCARDED = "discarded", _("Discarded")


class PairStatus(models.TextChoices):
    CONTRACTING = "contracting", _("Agreeing the contract")
    ACTIVE = "active", _("Active")
    REMATCH = "rematch", _("Not a good fit: to re-match")
    CLOSED = "closed", _("Closed")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Waiting for acceptance")
    ACCEPTED = "accepted", _("Accepted by both")
    SUPERSEDED = "superseded", _("Replaced by a newer version")


class ContactForm(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")
    MESSENGER = "messenger", _("Messenger")


class Party(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class GoalProgress(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    SOME = "some", _("Some progress")
    GOOD = "good", _("Good progress")
    ACHIEVED = "achieved", _("Achieved")


class Fit(models.TextChoices):
    GOOD = "good", _("A good fit")
    UNSURE = "unsure", _("Not sure yet")
    NOT_FIT = "not_fit", _("Not a good fit")


class Outcome(models.TextChoices):
    GOALS_ACHIEVED = "goals_achieved", _("Goals achieved")
    PARTLY = "partly", _("Goals partly achieved")
    ENDED_EARLY = "ended_early", _("Ended early")
    NOT_FIT = "not_fit", _("Not a good fit")
