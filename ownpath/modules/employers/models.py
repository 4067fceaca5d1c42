"""Employers, partnership agreements, the information package, vacancies, recruitment events, work-shadowing
visits, good practices, hires and their follow-ups. Employers are core organisations of kind "employer"."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ownpath.core.choices import CEFRLevel
from ownpath.core.fields import EncryptedTextField
from ownpath.core.models import EscoConcept, Organisation, Person
from ownpath.modules.employers.choices import (
    AgreementStatus,
    ArticleTopic,
    Commitment,
    ContractType,
    HireSource,
    Hours,
    NaceSection,
    Outcome,
    SizeBand,
    SlotStatus,
    VacancyStatus,
    WageUnit,
)


class EmployerProfile(models.Model):
    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="employer_profile")
    nace_section = models.CharField(_("sector (NACE section)"), max_length=1, choices=NaceSection.choices)
    nace_code = models.CharField(_("NACE code"), max_length=8, blank=True, help_text=_("e.g. 25.62"))
    size = models.CharField(_("size"), max_length=8, choices=SizeBand.choices)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=3000)
    languages = models.JSONField(_("languages spoken at work"), default=list, blank=True)

    def __str__(self) -> str:
        return self.organisation.name


class EmployerLocation(models.Model):
    employer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="employer_locations")
    name = models.CharField(_("name"), max_length=120)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=120)
    region = models.CharField(_("region"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, default="PL")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class EmployerContact(models.Model):
    employer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="employer_contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]


class WorkplaceInstructor(models.Model):
    employer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="workplace_instructors")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    trained_on = models.DateField(_("plain-language training completed"), null=True, blank=True)
    certificate_code = models.CharField(_("certificate code"), max_length=20, blank=True)

    class Meta:
        ordering = ["name"]


class PartnershipAgreement(models.Model):
    employer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="agreements_as_employer")
    partner = models.ForeignKey(
        Organisation, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="agreements_as_partner"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    commitments = models.JSONField(_("commitments"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    notes = models.TextField(_("notes"), blank=True, max_length=3000)
    renewed_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="renewal"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on"]

    def commitment_labels(self) -> list[str]:
        """The commitments as people read them, in the active language (stored as codes)."""
        labels = dict(Commitment.choices)
        return [str(labels.get(code, code)) for code in self.commitments or []]


class Article(models.Model):
    """An article of the employers' information package; title and body are core translations."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    topic = models.CharField(_("topic"), max_length=16, choices=ArticleTopic.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    navigator_case = models.JSONField(_("navigator case"), default=dict, blank=True)
    published = models.BooleanField(_("published"), default=False)
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "key"]


class Vacancy(models.Model):
    employer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="vacancies")
    location = models.ForeignKey(
        EmployerLocation, verbose_name=_("place of work"), on_delete=models.PROTECT, related_name="vacancies"
    )
    title = models.CharField(_("job title"), max_length=200)
    description = models.TextField(_("description"), max_length=8000)
    language = models.CharField(_("language of the text"), max_length=8)
    occupation = models.ForeignKey(
        EscoConcept, verbose_name=_("ESCO occupation"), on_delete=models.PROTECT, related_name="+"
    )
    contract_type = models.CharField(_("contract"), max_length=16, choices=ContractType.choices)
    hours = models.CharField(_("hours"), max_length=10, choices=Hours.choices, default=Hours.FULL_TIME)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    wage_min = models.DecimalField(_("wage from"), max_digits=10, decimal_places=2, null=True, blank=True)
    wage_max = models.DecimalField(_("wage up to"), max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="PLN")
    wage_unit = models.CharField(_("wage per"), max_length=5, choices=WageUnit.choices, default=WageUnit.MONTH)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("duration in months"), null=True, blank=True, help_text=_("Empty for open-ended work.")
    )
    valid_through = models.DateField(_("applications until"))
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    handles_work_permit = models.BooleanField(_("the employer will apply for a work permit if needed"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT)
    date_posted = models.DateTimeField(_("posted"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "valid_through"], name="employers_vacancy_open")]

    def __str__(self) -> str:
        return self.title


class VacancySkill(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(EscoConcept, on_delete=models.PROTECT, related_name="+")
    essential = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vacancy", "skill"], name="employers_vacancy_skill_once")]
        indexes = [models.Index(fields=["skill"], name="employers_vacancy_skill_skill")]


class VacancyLanguage(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=8)
    level = models.CharField(_("level"), max_length=8, choices=CEFRLevel.choices)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vacancy", "language"], name="employers_vacancy_language_once")]


class RecruitmentEvent(models.Model):
    organiser = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="recruitment_events")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    self_registration = models.BooleanField(_("job seekers may register themselves"), default=True)
    capacity = models.PositiveIntegerField(_("places for job seekers"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title


class EventEmployer(models.Model):
    event = models.ForeignKey(RecruitmentEvent, on_delete=models.CASCADE, related_name="employers")
    employer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    vacancies = models.ManyToManyField(Vacancy, blank=True, related_name="events")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "employer"], name="employers_event_employer_once")]


class EventRegistration(models.Model):
    """A job seeker at an event: a person registered by a counsellor, or someone who registered alone."""

    event = models.ForeignKey(RecruitmentEvent, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.NONE, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=models.Q(person__isnull=False),
                name="employers_registration_person_once",
            )
        ]


class InterviewSlot(models.Model):
    event = models.ForeignKey(RecruitmentEvent, on_delete=models.CASCADE, related_name="slots")
    employer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    vacancy = models.ForeignKey(Vacancy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    starts_at = models.DateTimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=20)
    registration = models.ForeignKey(
        EventRegistration, null=True, blank=True, on_delete=models.SET_NULL, related_name="slots"
    )
    status = models.CharField(_("status"), max_length=10, choices=SlotStatus.choices, default=SlotStatus.OPEN)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.UniqueConstraint(fields=["event", "employer", "starts_at"], name="employers_slot_once")]


class ShadowingVisit(models.Model):
    host = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="shadowing_hosted")
    visitor_organisation = models.ForeignKey(
        Organisation, verbose_name=_("visiting organisation"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="shadowing_visits",
    )  # fmt: skip
    visitors = models.CharField(_("visitors"), max_length=300)
    visited_on = models.DateField(_("date"))
    purpose = models.CharField(_("purpose"), max_length=300)
    report = models.TextField(_("what we learned"), blank=True, max_length=6000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-visited_on"]


class GoodPractice(models.Model):
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=6000)
    country = models.CharField(_("country"), max_length=2)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]


class Hire(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="hires")
    vacancy = models.ForeignKey(Vacancy, null=True, blank=True, on_delete=models.SET_NULL, related_name="hires")
    recorded_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("start"))
    contract_type = models.CharField(_("contract"), max_length=16, choices=ContractType.choices)
    source = models.CharField(_("how the job was found"), max_length=10, choices=HireSource.choices)
    event = models.ForeignKey(RecruitmentEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on"]


class FollowUp(models.Model):
    hire = models.ForeignKey(Hire, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after the start"))
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)
    still_employed = models.BooleanField(_("still employed"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["hire", "months"], name="employers_follow_up_once")]
