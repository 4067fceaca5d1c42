"""Forms of the counselling module: they check the shape of input; the services check the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ownpath.core.choices import DataScope, SensitiveGroup
from ownpath.core.concurrency import VersionField
from ownpath.core.forms import BlankAsDash
from ownpath.core.languages import language_choices
from ownpath.core.models import Organisation, Person, User
from ownpath.modules.counselling.choices import CHECKLISTS, FollowUpStatus, RecognitionDocument, StepStatus
from ownpath.modules.counselling.models import Assessment, Goal, Intake, Outcome, Recognition, Session, Step

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_TEXT = forms.Textarea(attrs={"rows": 3})


def _dates(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        cast(forms.DateField, form.fields[name]).input_formats = ["%Y-%m-%d"]


def _interpreting_languages(form: forms.BaseForm) -> None:
    form.fields["interpreter_language"] = forms.ChoiceField(
        label=_("Interpreting language"), choices=[("", "—"), *language_choices()], required=False
    )


class IntakeForm(BlankAsDash, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Intake
        fields = ["contact_date", "came_via", "referred_by", "interpreter_used", "interpreter_language"]
        widgets = {"contact_date": _DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self, "contact_date")
        _interpreting_languages(self)


class AssessmentForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Assessment
        fields = [
            "assessed_on",
            "family_situation",
            "single_parent",
            "childcare_needed",
            "low_literacy",
            "disability",
            "health_notes",
            "needs_psychological_support",
            "needs_legal_advice",
            "wants_self_employment",
            "goals",
            "preferences",
        ]
        widgets = {
            "assessed_on": _DATE,
            "family_situation": _TEXT,
            "health_notes": _TEXT,
            "goals": _TEXT,
            "preferences": _TEXT,
        }

    def __init__(self, *args: Any, may_write_health: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self, "assessed_on")
        if may_write_health:
            self.fields["health_notes"].help_text = _("Encrypted; only counsellors and psychologists read it.")
        else:
            del self.fields["health_notes"]


class GoalForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Goal
        fields = ["title", "target_date"]
        widgets = {"target_date": _DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self, "target_date")


def _organisations_for(person: Person) -> Any:
    """Who may own a step: the holder, the organisations the person is shared with, and those the person
    consented to share their path with (for counselling or a referral) - the network of a multi-agency plan.
    Choosing one of the last shares the record with it under that consent (see services.add_step)."""
    from django.db.models import Q
    from django.utils import timezone

    from ownpath.core.choices import ConsentPurpose
    from ownpath.core.models import Consent

    ids = {person.organisation_id, *person.shares.values_list("organisation_id", flat=True)}
    consents = (
        Consent.objects.filter(
            person=person,
            organisation_id=person.organisation_id,
            withdrawn_at__isnull=True,
            purpose__in=[ConsentPurpose.COUNSELLING, ConsentPurpose.REFERRAL],
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .prefetch_related("recipients")
    )
    for consent in consents:
        if DataScope.PATH in (consent.scope or ()):
            ids.update(o.pk for o in consent.recipients.all())
    return Organisation.objects.filter(pk__in=ids).order_by("name")


class StepForm(BlankAsDash, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Step
        fields = [
            "kind",
            "title",
            "goal",
            "description",
            "responsible_organisation",
            "responsible_user",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "status",
            "result",
        ]
        widgets = {
            "planned_start": _DATE,
            "planned_end": _DATE,
            "actual_start": _DATE,
            "actual_end": _DATE,
            "description": _TEXT,
            "result": _TEXT,
        }

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self, "planned_start", "planned_end", "actual_start", "actual_end")
        organisations = _organisations_for(person)
        fields = cast(dict[str, forms.ModelChoiceField], self.fields)  # type: ignore[type-arg]
        fields["goal"].queryset = Goal.objects.filter(person=person)
        fields["responsible_organisation"].queryset = organisations
        fields["responsible_user"].queryset = (
            User.objects.filter(memberships__organisation__in=organisations, memberships__is_active=True)
            .distinct()
            .order_by("last_name", "first_name")
        )


class StepStatusForm(forms.Form):
    """What a responsible organisation changes on a step it carries out."""

    status = forms.ChoiceField(label=_("Status"), choices=StepStatus.choices)
    actual_start = forms.DateField(label=_("Actual start"), required=False, widget=_DATE, input_formats=["%Y-%m-%d"])
    actual_end = forms.DateField(label=_("Actual end"), required=False, widget=_DATE, input_formats=["%Y-%m-%d"])
    result = forms.CharField(label=_("Result"), required=False, widget=_TEXT, max_length=4000)


class ChecklistForm(forms.Form):
    done = forms.MultipleChoiceField(label=_("Done"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, step: Step, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(CHECKLISTS.get(step.kind, []))
        field = cast(forms.MultipleChoiceField, self.fields["done"])
        field.choices = [(item["key"], labels.get(item["key"], item["key"])) for item in step.checklist]
        field.initial = [item["key"] for item in step.checklist if item.get("done")]
        field.label = _("Checklist")


class SessionForm(BlankAsDash, forms.ModelForm):  # type: ignore[type-arg]
    note_group = forms.ChoiceField(label=_("Sensitivity of the note"), required=False)
    note = forms.CharField(label=_("Session note"), required=False, widget=_TEXT, max_length=20000)

    class Meta:
        model = Session
        fields = [
            "kind",
            "starts_at",
            "duration_minutes",
            "mode",
            "place",
            "interpreter_used",
            "interpreter_language",
            "step",
            "agreed_actions",
        ]
        widgets = {"starts_at": _DATETIME, "agreed_actions": _TEXT}

    def __init__(self, *args: Any, person: Person, groups: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.DateTimeField, self.fields["starts_at"]).input_formats = ["%Y-%m-%dT%H:%M"]
        _interpreting_languages(self)
        cast(forms.ModelChoiceField, self.fields["step"]).queryset = Step.objects.filter(person=person)  # type: ignore[type-arg]
        cast(forms.ChoiceField, self.fields["note_group"]).choices = [
            (value, label) for value, label in SensitiveGroup.choices if value in groups
        ]
        self.fields["note_group"].help_text = _(
            "Psychological and legal notes are read only by that profession and by you."
        )


class ReferralForm(forms.Form):
    to_organisation = forms.ModelChoiceField(label=_("Refer to"), queryset=Organisation.objects.none())
    service = forms.CharField(label=_("Service asked for"), max_length=200)
    scope = forms.MultipleChoiceField(
        label=_("What the receiver may see"),
        choices=DataScope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only what the person's consent covers; the name is always shared."),
    )
    step = forms.ModelChoiceField(label=_("Path step"), queryset=Step.objects.none(), required=False)
    answer_by = forms.DateField(label=_("Answer expected by"), required=False, widget=_DATE, input_formats=["%Y-%m-%d"])
    message = forms.CharField(label=_("Message to the receiver"), required=False, widget=_TEXT, max_length=4000)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = cast(dict[str, forms.ModelChoiceField], self.fields)  # type: ignore[type-arg]
        fields["to_organisation"].queryset = Organisation.objects.exclude(pk=person.organisation_id)
        fields["step"].queryset = Step.objects.filter(person=person)


class ReferralAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept")),
            ("reject", _("Reject")),
            ("complete", _("Complete")),
            ("cancel", _("Cancel")),
        ],
    )
    text = forms.CharField(label=_("Reason or feedback"), required=False, widget=_TEXT, max_length=4000)
    version = VersionField()


class RecognitionForm(BlankAsDash, forms.ModelForm):  # type: ignore[type-arg]
    documents = forms.MultipleChoiceField(
        label=_("Documents ready"),
        choices=RecognitionDocument.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Recognition
        fields = [
            "qualification",
            "diploma",
            "country",
            "route",
            "institution",
            "fee",
            "fee_currency",
            "documents",
            "status",
            "submitted_on",
            "deadline",
            "decided_on",
            "decision",
        ]
        widgets = {"submitted_on": _DATE, "deadline": _DATE, "decided_on": _DATE, "decision": _TEXT}

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self, "submitted_on", "deadline", "decided_on")
        cast(forms.ModelChoiceField, self.fields["qualification"]).queryset = person.qualifications.all()  # type: ignore[type-arg]


class LegalRequestForm(forms.Form):
    question = forms.CharField(label=_("Legal question"), widget=_TEXT, max_length=8000)
    urgent = forms.BooleanField(label=_("Urgent (a deadline within days)"), required=False)


class LegalAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=_TEXT, max_length=8000)
    close = forms.BooleanField(label=_("Close the request"), required=False)


class OutcomeForm(BlankAsDash, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Outcome
        fields = ["kind", "employer", "occupation", "contract_type", "hours_per_week", "wage_band", "start"]
        widgets = {"start": _DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self, "start")


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Found"), choices=[c for c in FollowUpStatus.choices if c[0] != FollowUpStatus.DUE]
    )
    note = forms.CharField(label=_("Note"), required=False, widget=_TEXT, max_length=4000)


class CaseloadFilterForm(forms.Form):
    attention = forms.BooleanField(label=_("Only those needing something done"), required=False)
    barriers = forms.BooleanField(label=_("Only those facing several barriers"), required=False)


class HandoverAcceptForm(forms.Form):
    """The name fields of the record opened for a handed-over caller (native script or Latin)."""

    given_name_native = forms.CharField(label=_("Given name (native script)"), max_length=120, required=False)
    family_name_native = forms.CharField(label=_("Family name (native script)"), max_length=120, required=False)
    given_name = forms.CharField(label=_("Given name (Latin)"), max_length=120, required=False)
    family_name = forms.CharField(label=_("Family name (Latin)"), max_length=120, required=False)
    birth_date = forms.DateField(
        label=_("Birth date (if the caller gave it)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    confirm_new = forms.BooleanField(label=_("None of the people above: this is a different person"), required=False)


class HandoverDeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why the centre cannot take the person on"), widget=_TEXT, max_length=2000)
