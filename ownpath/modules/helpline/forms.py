"""Forms of the helpline: they read and label input; the services validate the business rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ownpath.core.choices import CEFRLevel
from ownpath.core.forms import PhoneField
from ownpath.core.languages import language_choices
from ownpath.core.models import Organisation, User
from ownpath.modules.helpline.choices import (
    CRISIS_CHECKLIST,
    CallbackStatus,
    ContactChannel,
    Outcome,
    Risk,
    ShiftRole,
    Urgency,
)
from ownpath.modules.helpline.models import Topic

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _languages() -> list[tuple[str, str]]:
    return [("", "—"), *language_choices()]


class LanguageField(forms.ChoiceField):
    """A language from the full list; the service names an unknown code in its message."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=_languages, **kwargs)

    def valid_value(self, value: Any) -> bool:
        return True  # the service refuses an unknown code with a message that names it


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices, initial=ContactChannel.PHONE)
    language = LanguageField(label=_("Language of the call"))
    started_at = forms.DateTimeField(label=_("Start"), widget=DATETIME)
    ended_at = forms.DateTimeField(label=_("End"), widget=DATETIME, required=False)
    caller_number = forms.CharField(
        label=_("Caller's number (optional)"),
        max_length=40,
        required=False,
        help_text=_("Never stored: only a keyed fingerprint, to recognise a returning caller."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    keywords = forms.CharField(
        label=_("Keywords"), max_length=200, required=False, help_text=_("Suggestions follow what you type.")
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.ROUTINE)
    risk = forms.ChoiceField(
        label=_("Risk"),
        choices=Risk.choices,
        initial=Risk.NONE,
        help_text=_("A crisis or danger opens the crisis checklist and alerts the supervisor."),
    )
    information = forms.CharField(
        label=_("Information given"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False)
    notes = forms.CharField(
        label=_("Notes (encrypted; no phone numbers)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["topics"].label_from_instance = lambda topic: topic.label  # type: ignore[attr-defined]


class HandoverForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("Counselling centre"), queryset=Organisation.objects.none(), required=False
    )
    consent_given = forms.BooleanField(
        label=_("The caller agreed aloud to be handed over and to share the details below"), required=False
    )
    consent_statement = forms.CharField(
        label=_("What the caller agreed to"),
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=_(
            "The caller agreed that the helpline passes their name, phone number and the reason for calling "
            "to the counselling centre, which will contact them."
        ),
    )
    name = forms.CharField(label=_("Name the caller gave"), max_length=200, required=False)
    phone = PhoneField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    best_time = forms.CharField(label=_("Best time to call"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Summary for the centre"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["to_organisation"].queryset = organisations  # type: ignore[attr-defined]


class CallbackForm(forms.Form):
    language = LanguageField(label=_("Language"))
    due_at = forms.DateTimeField(label=_("Call back at"), widget=DATETIME)
    phone = PhoneField(label=_("Phone"), max_length=40)
    topic = forms.CharField(label=_("About"), max_length=200, required=False)


class CloseCallbackForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What happened"), choices=[c for c in CallbackStatus.choices if c[0] != CallbackStatus.OPEN]
    )


class CrisisForm(forms.Form):
    done = forms.MultipleChoiceField(
        label=_("Crisis checklist"),
        choices=list(CRISIS_CHECKLIST.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ProfileForm(forms.Form):
    is_interpreter = forms.BooleanField(label=_("I interpret for other operators"), required=False)


class LanguageLevelForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=_languages, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=CEFRLevel.choices, initial=CEFRLevel.C1)


LanguageLevelFormSet = forms.formset_factory(LanguageLevelForm, extra=2, max_num=12)


class ShiftForm(forms.Form):
    user: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Who"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("As"), choices=ShiftRole.choices)
    starts_at = forms.DateTimeField(label=_("From"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Until"), widget=DATETIME)

    def __init__(self, *args: Any, users: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]


class HoursForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day"),
        coerce=int,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    opens = forms.TimeField(label=_("Opens"), widget=TIME)
    closes = forms.TimeField(label=_("Closes"), widget=TIME)


class ClosureForm(forms.Form):
    starts = forms.DateField(label=_("From"), widget=DATE)
    ends = forms.DateField(label=_("Until"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class MessageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=_languages)
    text = forms.CharField(
        label=_("Message while the line is closed"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class TopicForm(forms.Form):
    name = forms.CharField(label=_("New topic"), max_length=100)


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))
    language = forms.ChoiceField(label=_("Written in"), choices=_languages)
    keywords = forms.CharField(label=_("Keywords"), max_length=300, required=False)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=[])
    minor = forms.BooleanField(label=_("Minor change (translations stay valid)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ownpath.modules.helpline.choices import ArticleStatus

        self.fields["status"].choices = ArticleStatus.choices  # type: ignore[attr-defined]
        self.fields["topics"].queryset = Topic.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["topics"].label_from_instance = lambda topic: topic.label  # type: ignore[attr-defined]
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (code, name) for code, name in language_choices() if code in settings.OWNPATH_HELPLINE_LANGUAGES
        ] or _languages()


class TranslateForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=[])
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (code, name) for code, name in language_choices() if code in settings.OWNPATH_HELPLINE_LANGUAGES
        ]


class ChatStartForm(forms.Form):
    language = forms.ChoiceField(label=_("Your language"), choices=[])
    helpline = forms.ModelChoiceField(label=_("Helpline"), queryset=Organisation.objects.none(), required=False)

    def __init__(self, *args: Any, helplines: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]
        if helplines is not None:
            self.fields["helpline"].queryset = helplines  # type: ignore[attr-defined]


class ChatMessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class PublicCallbackForm(forms.Form):
    language = forms.ChoiceField(label=_("Your language"), choices=[])
    phone = PhoneField(label=_("Your phone number"), max_length=40)
    due_at = forms.DateTimeField(label=_("When should we call?"), widget=DATETIME)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]


class StatsForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE, required=False)
    end = forms.DateField(label=_("Until"), widget=DATE, required=False)
