"""Forms of the training module: they read and label input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ownpath.core.languages import language_choices
from ownpath.core.models import Organisation
from ownpath.modules.training.choices import AssessmentKind, CourseStatus, Purpose
from ownpath.modules.training.models import Curriculum

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CourseForm(forms.Form):
    curriculum = forms.ModelChoiceField(label=_("Curriculum"), queryset=Curriculum.objects.none())
    organisation = forms.ModelChoiceField(label=_("Provider"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("E.g. the place and season."))
    language = forms.ChoiceField(label=_("Language of teaching"), choices=())
    starts_on = forms.DateField(label=_("Starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), widget=DATE)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500, initial=16)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    min_attendance = forms.IntegerField(label=_("Attendance needed (%)"), min_value=0, max_value=100, initial=80)
    require_assessments = forms.BooleanField(label=_("Every assessment must be passed"), required=False, initial=True)

    def __init__(self, *args: Any, curricula: Any, organisations: Any, labels: dict[Any, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["curriculum"].queryset = curricula  # type: ignore[attr-defined]
        self.fields["curriculum"].label_from_instance = lambda c: labels.get(c.pk, str(c))  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    module = forms.ChoiceField(label=_("Module"), required=False, choices=())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False)
    trainer = forms.ChoiceField(label=_("Trainer"), required=False, choices=())

    def __init__(
        self, *args: Any, modules: list[tuple[str, str]], trainers: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", _("(whole course)")), *modules]  # type: ignore[attr-defined]
        self.fields["trainer"].choices = [("", _("(not yet known)")), *trainers]  # type: ignore[attr-defined]


class EnrolForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(), required=False)
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    language = forms.ChoiceField(label=_("Language for the certificate"), choices=())

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]


class ResultForm(forms.Form):
    assessment = forms.ChoiceField(label=_("Assessment"), choices=())
    score = forms.IntegerField(label=_("Score"), min_value=0)

    def __init__(self, *args: Any, assessments: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessment"].choices = assessments  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CourseStatus.choices)


class TextForm(forms.Form):
    """One translatable text of a curriculum, in one language."""

    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"), max_length=30, help_text=_("As printed on the certificate, e.g. ABCD-EFGH-JKLM.")
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CurriculumForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    audience = forms.CharField(label=_("For whom"), max_length=300, required=False)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    language = forms.ChoiceField(label=_("Written in"), choices=())
    organisation = forms.ModelChoiceField(label=_("Owner"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class LessonForm(forms.Form):
    module = forms.ChoiceField(label=_("Module"), choices=())
    title = forms.CharField(label=_("Title"), max_length=300)
    minutes = forms.IntegerField(label=_("Duration (minutes)"), initial=90)
    objectives = forms.CharField(label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 2}))
    methods = forms.CharField(label=_("Methods"), max_length=500, required=False)
    steps = forms.CharField(label=_("Steps"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, modules: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = modules  # type: ignore[attr-defined]


class MaterialForm(forms.Form):
    lesson = forms.ChoiceField(label=_("Lesson"), choices=())
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), required=False)
    file = forms.FileField(label=_("Or a file"), required=False, help_text=_("PDF, Word, OpenDocument or an image."))

    def __init__(self, *args: Any, lessons: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lesson"].choices = lessons  # type: ignore[attr-defined]


class AssessmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    instructions = forms.CharField(label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=AssessmentKind.choices)
    max_score = forms.IntegerField(label=_("Maximum score"), min_value=1, initial=10)
    pass_score = forms.IntegerField(label=_("Pass mark"), min_value=1, initial=6)


class AttendanceStatusForm(forms.Form):
    label = forms.CharField(label=_("Name"), max_length=80)
    counts_as_present = forms.BooleanField(label=_("Counts as attended"), required=False)
    excused = forms.BooleanField(label=_("Excused (not counted against)"), required=False)
