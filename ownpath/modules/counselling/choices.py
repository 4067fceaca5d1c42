"""Code lists of the counselling module: how people come, path steps, sessions, referrals, outcomes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactChannel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    HELPLINE = "helpline", _("Helpline")
    REFERRAL = "referral", _("Referral from another organisation")
    PORTAL = "portal", _("Portal")
    OUTREACH = "outreach", _("Outreach or event")
    EMPLOYER = "employer", _("Through an employer")
    OTHER = "other", _("Other")


class StepKind(models.TextChoices):
    LANGUAGE_COURSE = "language_course", _("Language course")
    RECOGNITION = "recognition", _("Recognition of qualifications")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    WORKSHOP = "workshop", _("Workshop")
    SUPPORTED_WORK = "supported_work", _("Supported work")
    ACCESSIBLE_WORKPLACE = "accessible_workplace", _("Accessible workplace")
    INTERNSHIP = "internship", _("Internship")
    JOB_SEARCH = "job_search", _("Job search")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")
    PSYCHOLOGICAL_SUPPORT = "psychological_support", _("Psychological support")
    LEGAL_ADVICE = "legal_advice", _("Legal advice")
    CHILDCARE = "childcare", _("Childcare arrangement")
    WORKPLACE_LANGUAGE = "workplace_language", _("Language support at the workplace")
    OTHER = "other", _("Other")


class StepStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STEP_STATUSES = (StepStatus.PLANNED, StepStatus.IN_PROGRESS)


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REACHED = "reached", _("Reached")
    DROPPED = "dropped", _("Dropped")


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    DROPPED = "dropped", _("Dropped")


class SessionKind(models.TextChoices):
    VOCATIONAL = "vocational", _("Vocational counselling")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    LEGAL = "legal", _("Legal")
    CULTURAL = "cultural", _("Cultural orientation")
    GROUP = "group", _("Group session")


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class RecognitionRoute(models.TextChoices):
    ACADEMIC = "academic", _("Academic recognition (nostrification)")
    PROFESSIONAL = "professional", _("Professional recognition (regulated profession)")
    STATEMENT = "statement", _("Statement on the qualification")


class RecognitionState(models.TextChoices):
    PREPARING = "preparing", _("Preparing documents")
    SUBMITTED = "submitted", _("Submitted")
    RECOGNISED = "recognised", _("Recognised")
    PARTIAL = "partial", _("Partly recognised, with conditions")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RecognitionDocument(models.TextChoices):
    ORIGINAL = "original", _("Original diploma")
    TRANSCRIPT = "transcript", _("Transcript of records")
    SWORN_TRANSLATION = "sworn_translation", _("Sworn translation")
    APOSTILLE = "apostille", _("Apostille or legalisation")
    IDENTITY = "identity", _("Identity document")
    APPLICATION = "application", _("Application form")
    FEE = "fee", _("Fee paid")


class LegalRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class OutcomeKind(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    TRAINING = "training", _("Training")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")
    EDUCATION = "education", _("Return to education")


class ContractType(models.TextChoices):
    PERMANENT = "permanent", _("Employment contract, open-ended")
    FIXED_TERM = "fixed_term", _("Employment contract, fixed-term")
    CIVIL = "civil", _("Civil-law contract (mandate or specific task)")
    AGENCY = "agency", _("Temporary agency work")
    SEASONAL = "seasonal", _("Seasonal work")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship or traineeship")
    OTHER = "other", _("Other")


class WageBand(models.TextChoices):
    """Gross monthly pay relative to the national minimum wage, so that bands compare across countries."""

    BELOW_MINIMUM = "below_minimum", _("Below the minimum wage")
    MINIMUM = "minimum", _("About the minimum wage")
    UP_TO_150 = "up_to_150", _("Up to 1.5 times the minimum wage")
    UP_TO_200 = "up_to_200", _("1.5 to 2 times the minimum wage")
    ABOVE_200 = "above_200", _("More than 2 times the minimum wage")
    UNKNOWN = "unknown", _("Not known")


class FollowUpStatus(models.TextChoices):
    DUE = "due", _("Due")
    IN_WORK = "in_work", _("Still in work or training")
    CHANGED = "changed", _("Changed job or course")
    NOT_IN_WORK = "not_in_work", _("No longer in work or training")
    UNREACHABLE = "unreachable", _("Could not be reached")


FOLLOW_UP_MONTHS = (3, 6, 12)


class Barrier(models.TextChoices):
    """Barriers whose combination the seeds call double discrimination."""

    DISABILITY = "disability", _("Disability")
    SINGLE_PARENT = "single_parent", _("Single parent with small children")
    LOW_LITERACY = "low_literacy", _("Low literacy")


# Which barriers are health data: shown by name only to those who may read the health group.
HEALTH_BARRIERS = frozenset({Barrier.DISABILITY})

# The checklist each kind of step starts with (self-employment per issue; recognition has its own record).
CHECKLISTS: dict[str, list[tuple[str, object]]] = {
    StepKind.SELF_EMPLOYMENT: [
        ("business_idea", _("Business idea described")),
        ("business_plan", _("Business plan written")),
        ("registration", _("Business registered")),
        ("social_insurance", _("Registered for social insurance")),
        ("tax", _("Tax form chosen and registered")),
        ("grants", _("Start-up grants or loans applied for")),
        ("bank_account", _("Business bank account opened")),
    ],
    StepKind.CHILDCARE: [
        ("place_found", _("Nursery or kindergarten place found")),
        ("application", _("Application submitted")),
        ("backup", _("Back-up care arranged")),
    ],
    StepKind.ACCESSIBLE_WORKPLACE: [
        ("needs_described", _("Workplace needs described")),
        ("certificate", _("Disability certificate available")),
        ("employer_support", _("Employer told about available subsidies")),
    ],
}
