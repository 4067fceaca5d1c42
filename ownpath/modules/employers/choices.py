"""Choices of the employers module."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NaceSection(models.TextChoices):
    """NACE Rev. 2 sections (the letter); the finer code is kept separately."""

    A = "A", _("A · Agriculture, forestry and fishing")
    B = "B", _("B · Mining and quarrying")
    C = "C", _("C · Manufacturing")
    D = "D", _("D · Electricity, gas, steam and air conditioning supply")
    E = "E", _("E · Water supply, sewerage, waste management")
    F = "F", _("F · Construction")
    G = "G", _("G · Wholesale and retail trade")
    H = "H", _("H · Transportation and storage")
    I = "I", _("I · Accommodation and food service")  # noqa: E741
    J = "J", _("J · Information and communication")
    K = "K", _("K · Financial and insurance activities")
    L = "L", _("L · Real estate activities")
    M = "M", _("M · Professional, scientific and technical activities")
    N = "N", _("N · Administrative and support service activities")
    O = "O", _("O · Public administration and defence")  # noqa: E741
    P = "P", _("P · Education")
    Q = "Q", _("Q · Human health and social work")
    R = "R", _("R · Arts, entertainment and recreation")
    S = "S", _("S · Other service activities")
    T = "T", _("T · Households as employers")
    U = "U", _("U · Extraterritorial organisations")


class SizeBand(models.TextChoices):
    MICRO = "micro", _("Micro (fewer than 10)")
    SMALL = "small", _("Small (10–49)")
    MEDIUM = "medium", _("Medium (50–249)")
    LARGE = "large", _("Large (250 or more)")


class Commitment(models.TextChoices):
    INTERNSHIPS = "internships", _("Internships")
    SUPPORTED_WORK = "supported_work", _("Supported work")
    LANGUAGE_SUPPORT = "language_support", _("Language support at the workplace")
    INSTRUCTOR = "instructor", _("A trained workplace instructor")
    RECRUITMENT_EVENTS = "recruitment_events", _("Taking part in recruitment events")
    WORK_SHADOWING = "work_shadowing", _("Hosting work-shadowing visits")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RENEWED = "renewed", _("Renewed")
    ENDED = "ended", _("Ended")


class ArticleTopic(models.TextChoices):
    LAW = "law", _("Employing a migrant legally")
    ONBOARDING = "onboarding", _("Onboarding")
    TEAMS = "teams", _("Multicultural teams")
    PLAIN_LANGUAGE = "plain_language", _("Plain language at work")
    OTHER = "other", _("Other")


class ContractType(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment contract, open-ended")
    FIXED_TERM = "fixed_term", _("Employment contract, fixed term")
    CIVIL_LAW = "civil_law", _("Civil-law contract (contract of mandate)")
    AGENCY = "agency", _("Temporary agency work")
    SEASONAL = "seasonal", _("Seasonal work")
    INTERNSHIP = "internship", _("Internship")


class Hours(models.TextChoices):
    FULL_TIME = "full_time", _("Full time")
    PART_TIME = "part_time", _("Part time")


class WageUnit(models.TextChoices):
    HOUR = "HOUR", _("per hour")
    MONTH = "MONTH", _("per month")
    YEAR = "YEAR", _("per year")


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")
    FILLED = "filled", _("Filled")


class SlotStatus(models.TextChoices):
    OPEN = "open", _("Open")
    BOOKED = "booked", _("Booked")
    HELD = "held", _("Interview held")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")


class Outcome(models.TextChoices):
    NONE = "", _("Not yet")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Job offer")
    HIRE = "hire", _("Hired")
    NO_OFFER = "no_offer", _("No offer")


class HireSource(models.TextChoices):
    PROPOSAL = "proposal", _("Proposed by a counsellor")
    EVENT = "event", _("Recruitment event")
    CV = "cv", _("CV drop-off")
    OTHER = "other", _("Other")
