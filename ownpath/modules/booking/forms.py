from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ownpath.core.forms import PhoneField
from ownpath.core.languages import language_choices
from ownpath.core.models import Organisation
from ownpath.modules.booking.choices import EmployerAnswer, Side
from ownpath.modules.booking.models import BookableService, TimeOff, WeeklyHours

# Time zones offered first; any other IANA name is accepted too.
TIME_ZONES = [
    "Europe/Warsaw",
    "Europe/Vilnius",
    "Europe/Helsinki",
    "Europe/Kyiv",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Istanbul",
    "Asia/Tbilisi",
    "Asia/Yerevan",
    "Asia/Baku",
    "Asia/Tashkent",
    "Asia/Kolkata",
    "Asia/Manila",
    "Africa/Cairo",
    "Africa/Lagos",
    "America/New_York",
    "UTC",
]


def zone_choices() -> list[tuple[str, str]]:
    zones = list(dict.fromkeys([settings.TIME_ZONE, *TIME_ZONES]))
    return [(z, z.replace("_", " ")) for z in zones]


class LanguageField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Language you speak"))
        super().__init__(choices=language_choices, **kwargs)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    phone = PhoneField(
        label=_("Phone"), required=False, max_length=40, help_text=_("With the country code, such as +48 600 100 200.")
    )
    topic = forms.CharField(
        label=_("What would you like to talk about? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    agree = forms.BooleanField(
        label=_("I agree that the centre keeps my name and contact details to arrange this appointment."),
    )


class WaitForm(ContactForm):
    earliest = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    latest = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    field_order = ["name", "email", "phone", "earliest", "latest", "agree"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["topic"]


class CVForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Leave it with"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    phone = PhoneField(label=_("Phone"), required=False, max_length=40)
    language = LanguageField()
    file = forms.FileField(
        label=_("Your CV"), help_text=_("PDF, Word (DOCX) or OpenDocument (ODT), at most 10 MB."), max_length=200
    )
    message = forms.CharField(
        label=_("Message to the counsellor (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    agree = forms.BooleanField(
        label=_("I agree that the centre keeps my CV and contact details to help me look for work."),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])  # type: ignore[attr-defined]


class ProfileForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("Languages I work in"), choices=language_choices, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=zone_choices)
    is_interpreter = forms.BooleanField(label=_("I interpret"), required=False)


class HoursForm(forms.ModelForm):
    class Meta:
        model = WeeklyHours
        fields = ["organisation", "service", "weekday", "start", "end", "mode", "valid_from", "valid_until"]
        labels = {"organisation": _("Organisation")}  # the model field has no translated name
        widgets = {
            "start": forms.TimeInput(attrs={"type": "time"}),
            "end": forms.TimeInput(attrs={"type": "time"}),
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [o.pk for o in organisations]
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=ids)  # type: ignore[attr-defined]
        self.fields["service"].queryset = BookableService.objects.filter(organisation_id__in=ids)  # type: ignore[attr-defined]


class TimeOffForm(forms.ModelForm):
    class Meta:
        model = TimeOff
        fields = ["starts_at", "ends_at", "available", "organisation", "mode", "reason"]
        labels = {"organisation": _("Organisation")}  # the model field has no translated name
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])  # type: ignore[attr-defined]


class ServiceForm(forms.ModelForm):
    class Meta:
        model = BookableService
        fields = [
            "kind",
            "title",
            "duration_minutes",
            "in_person",
            "place",
            "remote",
            "remote_link",
            "min_notice_hours",
            "is_active",
        ]


class AttendanceForm(forms.Form):
    missed_by = forms.ChoiceField(label=_("Who did not come"), choices=Side.choices, required=False)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"), choices=[(v, label) for v, label in EmployerAnswer.choices if v != EmployerAnswer.PENDING]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


def valid_zone(name: str) -> str:
    return name if name in zoneinfo.available_timezones() else settings.TIME_ZONE
