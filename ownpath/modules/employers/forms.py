"""Forms of the employers module (they check types; services check meaning)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ownpath.core.choices import CEFRLevel
from ownpath.core.forms import PhoneField
from ownpath.core.languages import language_choices
from ownpath.modules.employers.choices import (
    Commitment,
    ContractType,
    HireSource,
    Hours,
    NaceSection,
    Outcome,
    SizeBand,
    WageUnit,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    nace_section = forms.ChoiceField(label=_("Sector (NACE section)"), choices=NaceSection.choices)
    nace_code = forms.CharField(label=_("NACE code"), max_length=8, required=False, help_text=_("e.g. 25.62"))
    size = forms.ChoiceField(label=_("Size"), choices=SizeBand.choices)
    website = forms.URLField(label=_("Website"), required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=3000
    )
    languages = forms.MultipleChoiceField(label=_("Languages spoken at work"), choices=language_choices,
                                          required=False, widget=forms.SelectMultiple(attrs={"size": 4}))  # fmt: skip


class LocationForm(forms.Form):
    name = forms.CharField(label=_("Name of the place"), max_length=120)
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=12, required=False)
    city = forms.CharField(label=_("City"), max_length=120)
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    latitude = forms.FloatField(label=_("Latitude"), required=False)
    longitude = forms.FloatField(label=_("Longitude"), required=False)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role"), max_length=120, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = PhoneField(label=_("Phone"), max_length=40, required=False)


class InstructorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    trained_on = forms.DateField(label=_("Plain-language training completed"), required=False, widget=DATE)
    certificate_code = forms.CharField(label=_("Certificate code"), max_length=20, required=False)


class AgreementForm(forms.Form):
    partner = forms.TypedChoiceField(label=_("Partner"), coerce=int)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)
    signed_on = forms.DateField(label=_("Signed"), widget=DATE, required=False)
    commitments = forms.MultipleChoiceField(label=_("Commitments"), choices=Commitment.choices,
                                            widget=forms.CheckboxSelectMultiple)  # fmt: skip
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=3000)

    def __init__(self, *args: Any, partners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = partners  # type: ignore[attr-defined]


class RenewForm(forms.Form):
    months = forms.IntegerField(label=_("Renew for (months)"), min_value=1, max_value=60, initial=12)


class VacancyForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), max_length=8000)
    language = forms.ChoiceField(label=_("Language of the text"), choices=language_choices)
    location = forms.TypedChoiceField(label=_("Place of work"), coerce=int)
    contract_type = forms.ChoiceField(label=_("Contract"), choices=ContractType.choices)
    hours = forms.ChoiceField(label=_("Hours"), choices=Hours.choices)
    hours_per_week = forms.IntegerField(label=_("Hours per week"), required=False)
    wage_min = forms.DecimalField(label=_("Wage from"), required=False, max_digits=10, decimal_places=2)
    wage_max = forms.DecimalField(label=_("Wage up to"), required=False, max_digits=10, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="PLN")
    wage_unit = forms.ChoiceField(label=_("Wage per"), choices=WageUnit.choices, initial=WageUnit.MONTH)
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DATE)
    duration_months = forms.IntegerField(label=_("Duration in months"), required=False, min_value=1, max_value=120,
                                         help_text=_("Empty for open-ended work."))  # fmt: skip
    valid_through = forms.DateField(label=_("Applications until"), widget=DATE)
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=500, initial=1)
    handles_work_permit = forms.BooleanField(
        label=_("We will apply for a work permit if one is needed"), required=False
    )

    def __init__(self, *args: Any, locations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = locations  # type: ignore[attr-defined]


LANGUAGE_ROWS = 3


def language_rows(data: Any) -> list[tuple[str, str, bool]]:
    """The vacancy's language requirements from ``lang_N``, ``level_N`` and ``required_N`` fields."""
    rows = []
    for n in range(LANGUAGE_ROWS):
        language = (data.get(f"lang_{n}") or "").strip()
        if language:
            rows.append((language, data.get(f"level_{n}") or "", data.get(f"required_{n}") == "on"))
    return rows


CEFR_CHOICES = [(c, label) for c, label in CEFRLevel.choices if c not in ("none",)]


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
    capacity = forms.IntegerField(label=_("Places for job seekers"), required=False, min_value=1)
    self_registration = forms.BooleanField(label=_("Job seekers may register themselves"), required=False, initial=True)


class EventEmployerForm(forms.Form):
    employer = forms.TypedChoiceField(label=_("Employer"), coerce=int)
    vacancies = forms.TypedMultipleChoiceField(label=_("Vacancies"), coerce=int, required=False,
                                               widget=forms.CheckboxSelectMultiple)  # fmt: skip
    slots_from = forms.DateTimeField(label=_("Interviews from"), widget=DATETIME)
    slots_until = forms.DateTimeField(label=_("Interviews until"), widget=DATETIME)
    slot_minutes = forms.IntegerField(label=_("Minutes per interview"), min_value=5, max_value=120, initial=20)

    def __init__(
        self, *args: Any, employers: list[tuple[int, str]], vacancies: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = employers  # type: ignore[attr-defined]
        self.fields["vacancies"].choices = vacancies  # type: ignore[attr-defined]


class SelfRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = PhoneField(label=_("Phone"), max_length=40, required=False)


class OutcomeForm(forms.Form):
    attended = forms.TypedChoiceField(label=_("Attended"), choices=[("", _("Not recorded")), ("yes", _("Yes")), ("no", _("No"))],
                                      required=False, coerce=lambda v: {"yes": True, "no": False}.get(v), empty_value=None)  # fmt: skip
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, required=False)


class ShadowingForm(forms.Form):
    visitors = forms.CharField(label=_("Visitors"), max_length=300)
    visited_on = forms.DateField(label=_("Date"), widget=DATE)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    report = forms.CharField(
        label=_("What we learned"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=6000
    )


class PracticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2)
    url = forms.URLField(label=_("Link"), required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), max_length=6000)


class HireForm(forms.Form):
    starts_on = forms.DateField(label=_("Start of work"), widget=DATE)
    contract_type = forms.ChoiceField(label=_("Contract"), choices=ContractType.choices)
    source = forms.ChoiceField(label=_("How the job was found"), choices=HireSource.choices)


class FollowUpForm(forms.Form):
    still_employed = forms.TypedChoiceField(label=_("Still employed"), choices=[("yes", _("Yes")), ("no", _("No"))],
                                            coerce=lambda v: v == "yes")  # fmt: skip
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=3000)
