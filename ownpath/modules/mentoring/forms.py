"""Forms of the mentoring module: they read and label input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ownpath.core.forms import PhoneField
from ownpath.core.languages import language_choices
from ownpath.modules.mentoring.choices import (
    ContactForm,
    DayPart,
    Fit,
    Gender,
    GoalProgress,
    LivedExperience,
    MentorKind,
    MentorStatus,
    Outcome,
    Party,
    Sector,
)
from ownpath.modules.mentoring.matching import LEVELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LanguagesField(forms.CharField):
    """ "uk native, pl B1" → [["uk", "native"], ["pl", "B1"]]."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Language codes with CEFR levels, comma-separated, e.g. “uk native, pl B1”."))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[list[str]]:  # type: ignore[override]
        text = super().to_python(value) or ""
        out = []
        for chunk in text.replace(";", ",").split(","):
            words = chunk.split()
            if not words:
                continue
            if len(words) != 2:
                raise forms.ValidationError(_("Write each language as a code and a level, e.g. “pl B1”."))
            code, level = words[0].lower(), words[1]
            level = "native" if level.lower() == "native" else level.upper()
            if level not in LEVELS:
                raise forms.ValidationError(_("Unknown language level: %(level)s.") % {"level": words[1]})
            out.append([code, level])
        return out

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(f"{code} {level}" for code, level in value)
        return value


def _countries() -> list[tuple[str, str]]:
    return [("", "—"), *[(code, str(name)) for code, name in countries]]


class ProfileForm(forms.Form):
    """The attributes matching uses, shared by mentors and mentees."""

    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, required=False)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=())
    languages = LanguagesField(label=_("Languages"))
    country_of_origin = forms.ChoiceField(label=_("Country of origin"), choices=(), required=False)
    lived_experience = forms.MultipleChoiceField(
        label=_("Lived experience"),
        choices=LivedExperience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False)
    municipality = forms.CharField(label=_("Municipality"), max_length=120, required=False)
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    availability = forms.MultipleChoiceField(
        label=_("Free for meetings"), choices=DayPart.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["country_of_origin"].choices = _countries()  # type: ignore[attr-defined]


class MentorForm(ProfileForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    phone = PhoneField(label=_("Phone"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=MentorKind.choices)
    profession = forms.CharField(label=_("Profession"), max_length=120, required=False)
    capacity = forms.IntegerField(label=_("Mentees at a time"), min_value=1, max_value=10, initial=1)
    wants_mentee_gender = forms.ChoiceField(label=_("Prefers mentees who are"), choices=Gender.choices, required=False)
    field_order = ["name", "email", "phone", "kind", "profession", "capacity"]


class MenteeForm(ProfileForm):
    wants_peer = forms.BooleanField(label=_("Would like a peer mentor"), required=False)
    wants_mentor_gender = forms.ChoiceField(
        label=_("Would like a mentor who is"), choices=Gender.choices, required=False
    )
    goals_summary = forms.CharField(
        label=_("What they would like to achieve"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class NewMenteeForm(MenteeForm):
    person = forms.ChoiceField(label=_("Person"), choices=())
    field_order = ["person"]

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people  # type: ignore[attr-defined]
        self.fields["languages"].required = False
        self.fields["languages"].help_text = _("Leave empty to take the languages from the person's record.")


class TrainingForm(forms.Form):
    completed_on = forms.DateField(label=_("Mentor path completed on"), widget=DATE)
    evidence = forms.CharField(
        label=_("Evidence"), max_length=300, help_text=_("E.g. the certificate's verification code.")
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MentorStatus.choices)


class ContractForm(forms.Form):
    goal_1 = forms.CharField(label=_("Goal 1"), max_length=500, required=False)
    goal_2 = forms.CharField(label=_("Goal 2"), max_length=500, required=False)
    goal_3 = forms.CharField(label=_("Goal 3"), max_length=500, required=False)
    rules = forms.CharField(label=_("Rules of cooperation"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    weeks = forms.IntegerField(label=_("Duration (weeks)"), initial=16)
    meet_every_days = forms.IntegerField(label=_("Meet every (days)"), initial=14)
    contact_forms = forms.MultipleChoiceField(
        label=_("Forms of contact"), choices=ContactForm.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    confidentiality = forms.CharField(
        label=_("Confidentiality (in addition to the standard clause)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    language = forms.ChoiceField(label=_("Written in"), choices=())

    def __init__(self, *args: Any, translate_to: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]
        self.translate_to = translate_to
        for code, name in translate_to:
            for key in ("goal_1", "goal_2", "goal_3", "rules"):
                base = self.fields[key]
                self.fields[f"{key}__{code}"] = forms.CharField(
                    label=_("%(field)s in %(language)s") % {"field": base.label, "language": name},
                    max_length=2000,
                    required=False,
                    widget=base.widget.__class__(attrs=dict(base.widget.attrs)),
                )

    def translated(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for code, _name in self.translate_to:
            out[code] = {
                key: self.cleaned_data.get(f"{key}__{code}", "") for key in ("goal_1", "goal_2", "goal_3", "rules")
            }
        return out


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    minutes = forms.IntegerField(label=_("Duration (minutes)"), initial=60)
    form = forms.ChoiceField(label=_("Form"), choices=ContactForm.choices)
    topics = forms.CharField(label=_("Topics"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, goals: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goal_keys = [key for key, _t in goals]
        for key, text in goals:
            self.fields[f"progress_{key}"] = forms.ChoiceField(
                label=_("Progress: %(goal)s") % {"goal": text},
                choices=[("", "—"), *GoalProgress.choices],
                required=False,
            )

    def progress(self) -> dict[str, str]:
        return {
            key: self.cleaned_data[f"progress_{key}"]
            for key in self.goal_keys
            if self.cleaned_data.get(f"progress_{key}")
        }


class FitForm(forms.Form):
    party = forms.ChoiceField(label=_("Who answers"), choices=Party.choices)
    answer = forms.ChoiceField(label=_("After the first meeting"), choices=Fit.choices)
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class PublicFitForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("After your first meeting, is this a good fit?"), choices=Fit.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=500, required=False)


class ReviewForm(forms.Form):
    notes = forms.CharField(label=_("What the review found"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    mentor_feedback = forms.CharField(
        label=_("Mentor's feedback"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    mentee_feedback = forms.CharField(
        label=_("Mentee's feedback"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)
