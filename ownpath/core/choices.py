"""Code lists of core: organisation kinds, staff roles, residence statuses, levels and consent purposes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    NETWORK_OFFICE = "network_office", _("Network office")
    COUNSELLING_CENTRE = "counselling_centre", _("Counselling centre")
    NGO = "ngo", _("NGO")
    LABOUR_OFFICE = "labour_office", _("Labour office")
    MUNICIPALITY = "municipality", _("Municipality")
    COUNTY = "county", _("County")
    METROPOLIS = "metropolis", _("Metropolis")
    SCHOOL = "school", _("School")
    LIBRARY = "library", _("Library")
    TRAINING_PROVIDER = "training_provider", _("Training provider")
    EMPLOYER = "employer", _("Employer")
    HELPLINE = "helpline", _("Helpline")


# A municipality belongs to a county, a county to a metropolis; institutions hang below any of them.
AREA_PARENT_KINDS: dict[str, set[str]] = {
    OrganisationKind.MUNICIPALITY: {OrganisationKind.COUNTY},
    OrganisationKind.COUNTY: {OrganisationKind.METROPOLIS},
    OrganisationKind.METROPOLIS: set(),
}


class Role(models.TextChoices):
    NETWORK_ADMIN = "network_admin", _("Network administrator")
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    COUNSELLOR = "counsellor", _("Counsellor")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    LEGAL_ADVISER = "legal_adviser", _("Legal adviser")
    CULTURAL_MEDIATOR = "cultural_mediator", _("Cultural mediator / interpreter")
    HELPLINE_OPERATOR = "helpline_operator", _("Helpline operator")
    MENTORING_COORDINATOR = "mentoring_coordinator", _("Mentoring coordinator")
    MENTOR = "mentor", _("Mentor")
    TRAINER = "trainer", _("Trainer")
    EMPLOYER_CONTACT = "employer_contact", _("Employer contact")
    MIGRATION_TEAM_COORDINATOR = "migration_team_coordinator", _("Migration-team coordinator")
    AUDITOR = "auditor", _("Auditor")


class ResidenceStatus(models.TextChoices):
    CITIZEN = "citizen", _("Citizen of the host country")
    EU_CITIZEN = "eu_citizen", _("EU/EEA citizen")
    TEMPORARY_PROTECTION = "temporary_protection", _("Temporary protection")
    REFUGEE = "refugee", _("Refugee status")
    SUBSIDIARY_PROTECTION = "subsidiary_protection", _("Subsidiary protection")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    TEMPORARY_RESIDENCE = "temporary_residence", _("Temporary residence permit")
    PERMANENT_RESIDENCE = "permanent_residence", _("Permanent residence")
    LONG_TERM_EU = "long_term_eu", _("Long-term EU resident")
    NATIONAL_VISA = "national_visa", _("National visa")
    VISA_FREE = "visa_free", _("Visa-free stay")
    PENDING = "pending", _("Application pending")
    NO_TITLE = "no_title", _("No valid title")
    UNKNOWN = "unknown", _("Unknown")


class Sex(models.TextChoices):
    """Recorded for disaggregated statistics only (as funders ask), as the person states it."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class CEFRLevel(models.TextChoices):
    NATIVE = "native", _("Native")
    C2 = "C2", "C2"
    C1 = "C1", "C1"
    B2 = "B2", "B2"
    B1 = "B1", "B1"
    A2 = "A2", "A2"
    A1 = "A1", "A1"
    NONE = "none", _("None")


class ISCEDLevel(models.IntegerChoices):
    EARLY = 0, _("ISCED 0: early childhood")
    PRIMARY = 1, _("ISCED 1: primary")
    LOWER_SECONDARY = 2, _("ISCED 2: lower secondary")
    UPPER_SECONDARY = 3, _("ISCED 3: upper secondary")
    POST_SECONDARY = 4, _("ISCED 4: post-secondary non-tertiary")
    SHORT_TERTIARY = 5, _("ISCED 5: short-cycle tertiary")
    BACHELOR = 6, _("ISCED 6: bachelor or equivalent")
    MASTER = 7, _("ISCED 7: master or equivalent")
    DOCTORAL = 8, _("ISCED 8: doctoral")


class RecognitionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    RECOGNISED = "recognised", _("Recognised")
    PARTIAL = "partial", _("Partly recognised")
    REFUSED = "refused", _("Refused")
    NOT_NEEDED = "not_needed", _("Not needed")


class NeedKind(models.TextChoices):
    CHILDCARE = "childcare", _("Childcare")
    DISABILITY = "disability", _("Disability")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    LANGUAGE = "language", _("Language support")
    TRANSPORT = "transport", _("Transport")
    OTHER = "other", _("Other")


class SensitiveGroup(models.TextChoices):
    """Groups of fields that only some roles may read; stored encrypted."""

    GENERAL = "general", _("General")
    HEALTH = "health", _("Health")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    LEGAL = "legal", _("Legal")


NEED_SENSITIVE_GROUP = {NeedKind.DISABILITY: SensitiveGroup.HEALTH, NeedKind.HEALTH: SensitiveGroup.HEALTH}


class ConsentPurpose(models.TextChoices):
    COUNSELLING = "counselling", _("Counselling and the individual path")
    REFERRAL = "referral", _("Referral to another organisation")
    HELPLINE_HANDOVER = "helpline_handover", _("Hand-over from the helpline")
    MENTORING = "mentoring", _("Mentoring")
    JOB_MATCHING = "job_matching", _("Matching with vacancies and employers")
    CV_TO_EMPLOYER = "cv_to_employer", _("Sending the CV to employers")
    TRAINING = "training", _("Training and courses")
    SURVEY = "survey", _("Surveys")


class DataScope(models.TextChoices):
    """Parts of a person's record that a consent may cover."""

    IDENTITY = "identity", _("Name and birth date")
    CONTACT = "contact", _("Contact details")
    LEGAL_STATUS = "legal_status", _("Residence status")
    LANGUAGES = "languages", _("Languages")
    EDUCATION = "education", _("Education and qualifications")
    WORK = "work", _("Work history")
    NEEDS = "needs", _("Needs")
    HEALTH = "health", _("Health")
    PATH = "path", _("Individual path, sessions and outcomes")


ALL_SCOPES = frozenset(DataScope.values)


class AuditAction(models.TextChoices):
    READ = "read", _("Read")
    LIST = "list", _("Listed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    SHARE = "share", _("Shared")
    EXPORT = "export", _("Exported")
    ERASE = "erase", _("Erased")
    CONSENT = "consent", _("Consent changed")
    DENIED = "denied", _("Access denied")


class Channel(models.TextChoices):
    UI = "ui", _("Web")
    API = "api", _("API")
    SYSTEM = "system", _("System")
