"""Forms of core: every input is validated here before a service sees it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ownpath.core.choices import (
    AuditAction,
    CEFRLevel,
    ConsentPurpose,
    DataScope,
    ResidenceStatus,
    Role,
    SensitiveGroup,
)
from ownpath.core.languages import language_choices
from ownpath.core.models import Need, Organisation, Person, Qualification, User, WorkExperience
from ownpath.core.services.people import PERSON_FIELDS, birth_date_problem, fill_latin_names
from ownpath.core.validators import validate_phone

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BlankAsDash:
    """Show an empty choice as "—" (Django 6.1's new blank label is not yet translated into every language)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dash_blank_choices()

    def dash_blank_choices(self) -> None:
        for field in self.fields.values():
            if not isinstance(field, forms.ChoiceField) or isinstance(field, forms.ModelChoiceField):
                continue
            choices: list[Any] = list(field.choices)  # type: ignore[arg-type]
            if choices and choices[0][0] in ("", None):
                field.choices = [("", "—"), *choices[1:]]


class PersonForm(BlankAsDash, forms.ModelForm):  # type: ignore[type-arg]
    confirm_new = forms.BooleanField(label=_("None of the people above: this is a different person"), required=False)

    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        widgets = {"birth_date": _DATE, "residence_expires": _DATE}

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        counsellors = User.objects.filter(
            memberships__organisation=organisation, memberships__role=Role.COUNSELLOR, memberships__is_active=True
        ).distinct()
        cast(forms.ModelChoiceField, self.fields["assigned_counsellor"]).queryset = (  # type: ignore[type-arg]
            counsellors if organisation is not None else User.objects.none()
        )
        self.fields["given_name"].required = False
        self.fields["family_name"].required = False
        self.fields["given_name"].help_text = _("Leave empty to transliterate the native script.")
        self.fields["preferred_language"] = forms.ChoiceField(
            label=_("Preferred language"), choices=[("", "—"), *language_choices()], required=False
        )
        for name in ("birth_date", "residence_expires"):
            cast(forms.DateField, self.fields[name]).input_formats = ["%Y-%m-%d"]
        self.fields["citizenships"].widget.attrs["size"] = 6
        for name in ("household_adults", "household_children"):
            self.fields[name].max_value = 30  # type: ignore[attr-defined]
            self.fields[name].widget.attrs["max"] = 30

    def clean_birth_date(self) -> Any:
        birth = self.cleaned_data.get("birth_date")
        problem = birth_date_problem(birth)
        if problem:
            raise forms.ValidationError(problem)
        return birth

    def clean_youngest_child_birth_year(self) -> Any:
        year = self.cleaned_data.get("youngest_child_birth_year")
        if year is not None and not timezone.localdate().year - 30 <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Enter a year in the past 30 years."))
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_latin = data.get("given_name") and data.get("family_name")
        has_native = data.get("given_name_native") and data.get("family_name_native")
        if not has_latin and not has_native:
            raise forms.ValidationError(_("Enter the given and family name in Latin letters or in the native script."))
        fill_latin_names(data)
        return data

    def service_values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "confirm_new" and v not in (None, "")} | {
            "citizenships": self.cleaned_data.get("citizenships") or []
        }


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *CEFRLevel.choices], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["language"]).choices = [("", "—"), *language_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("language")) != bool(data.get("level")):
            raise forms.ValidationError(_("Choose both a language and a level, or neither."))
        return data


class BaseLanguageFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        codes = [f.cleaned_data.get("language") for f in self.forms if getattr(f, "cleaned_data", None)]
        codes = [c for c in codes if c]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise forms.ValidationError(
                _("Each language can be listed once; more than once: %(codes)s.") % {"codes": ", ".join(twice)}
            )


LanguageFormSet = formset_factory(
    LanguageForm, formset=BaseLanguageFormSet, extra=3, max_num=10, absolute_max=20, validate_max=True
)


class TelInput(forms.TextInput):
    input_type = "tel"


class PhoneField(forms.CharField):
    """A phone number, checked by ``ownpath.core.validators.validate_phone`` (one rule for every form)."""

    widget = TelInput
    default_validators = [validate_phone]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)


def languages_from(formset: Any) -> list[tuple[str, str]]:
    return [(f.cleaned_data["language"], f.cleaned_data["level"]) for f in formset if f.cleaned_data.get("language")]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)


class OrganisationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = ["name", "slug", "kind", "parent", "networks", "city", "email", "phone"]
        widgets = {"networks": forms.CheckboxSelectMultiple}


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)


class QualificationForm(BlankAsDash, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Qualification
        fields = ["title", "country", "year", "isced_level", "recognition"]


class WorkExperienceForm(BlankAsDash, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = WorkExperience
        fields = ["job_title", "employer", "country", "start", "end"]
        widgets = {"start": _DATE, "end": _DATE}


class NeedForm(BlankAsDash, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Need
        fields = ["kind", "details"]
        widgets = {"details": forms.Textarea(attrs={"rows": 2})}


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    residence_status = forms.ChoiceField(
        label=_("Residence status"), choices=[("", _("Any")), *ResidenceStatus.choices], required=False
    )
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)
    language = forms.ChoiceField(label=_("Speaks"), required=False)
    expiring = forms.BooleanField(label=_("Title expires within 60 days"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["citizenship"]).choices = [("", _("Any")), *countries]
        cast(forms.ChoiceField, self.fields["language"]).choices = [("", _("Any")), *language_choices()]


class NoteForm(forms.Form):
    group = forms.ChoiceField(label=_("Sensitivity"))
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000)

    def __init__(self, *args: Any, groups: list[SensitiveGroup] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = groups if groups is not None else list(SensitiveGroup)
        cast(forms.ChoiceField, self.fields["group"]).choices = [(g.value, g.label) for g in allowed]


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    recipients = forms.ModelMultipleChoiceField(
        label=_("Shared with"), queryset=Organisation.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    scope = forms.MultipleChoiceField(
        label=_("What may be shared"), choices=DataScope.choices, widget=forms.CheckboxSelectMultiple
    )
    evidence = forms.CharField(
        label=_("How was consent given?"), max_length=300, help_text=_("For example: signed form no. 12/2026.")
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = Organisation.objects.exclude(pk=person.organisation_id)  # type: ignore[attr-defined]


class WithdrawConsentForm(forms.Form):
    evidence = forms.CharField(label=_("How was the withdrawal made?"), max_length=300)


class EraseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for erasure"), max_length=300)
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone"))


class SubjectExportForm(forms.Form):
    request = forms.CharField(
        label=_("How and when the person asked for their data"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AuditFilterForm(forms.Form):
    person = forms.IntegerField(label=_("Person id"), required=False, min_value=1)
    actor = forms.CharField(label=_("Who (e-mail)"), required=False, max_length=254)
    action = forms.ChoiceField(label=_("Action"), choices=[("", _("Any")), *AuditAction.choices], required=False)
    since = forms.DateField(label=_("From"), required=False, widget=_DATE, input_formats=["%Y-%m-%d"])
    until = forms.DateField(label=_("Until"), required=False, widget=_DATE, input_formats=["%Y-%m-%d"])
