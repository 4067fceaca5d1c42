"""Forms of the surveys pages. Texts in several languages are one field per language of the survey."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ownpath.core.languages import language_name
from ownpath.modules.surveys.models import CHOICE_TYPES, Audience, Mode, Question, QuestionType, Survey


class SurveyForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    languages = forms.CharField(
        label=gettext_lazy("Languages"),
        max_length=200,
        initial="en, pl, uk, ru, ar",
        help_text=gettext_lazy("Language codes separated by commas; the first is the one the title is in."),
    )
    audience = forms.ChoiceField(label=gettext_lazy("For"), choices=Audience.choices)
    mode = forms.ChoiceField(label=gettext_lazy("Answers"), choices=Mode.choices)
    min_group_size = forms.IntegerField(
        label=gettext_lazy("Minimum group size"), min_value=5, max_value=1000, initial=10,
        help_text=gettext_lazy("No result shows until this many people have answered."),
    )  # fmt: skip

    def language_list(self) -> list[str]:
        return [code.strip() for code in self.cleaned_data["languages"].split(",") if code.strip()]


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("XLSForm workbook (.xlsx)"))
    audience = forms.ChoiceField(label=gettext_lazy("For"), choices=Audience.choices)
    mode = forms.ChoiceField(label=gettext_lazy("Answers"), choices=Mode.choices)
    min_group_size = forms.IntegerField(
        label=gettext_lazy("Minimum group size"), min_value=5, max_value=1000, initial=10
    )


class LinkForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Where the link goes"), max_length=120, required=False,
        help_text=gettext_lazy("For you only, e.g. \"leaflet at the job fair\"."),
    )  # fmt: skip


class QuestionForm(forms.Form):
    """One question; labels, hints and constraint messages per language of the survey."""

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=80,
        help_text=gettext_lazy("Letters, digits and _; used in conditions as ${name}."),
    )
    type = forms.ChoiceField(label=gettext_lazy("Type"), choices=QuestionType.choices)
    choices = forms.CharField(
        label=gettext_lazy("Options"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One option per line: name | label in each language, in the order above."),
    )  # fmt: skip
    group = forms.CharField(label=gettext_lazy("Page"), max_length=120, required=False,
                            help_text=gettext_lazy("Questions with the same page name are shown together."))  # fmt: skip
    required = forms.BooleanField(label=gettext_lazy("Required"), required=False)
    relevant = forms.CharField(label=gettext_lazy("Shown when"), required=False, max_length=2000,
                               help_text=gettext_lazy("e.g. ${working} = 'yes'"))  # fmt: skip
    constraint = forms.CharField(label=gettext_lazy("Constraint"), required=False, max_length=2000,
                                 help_text=gettext_lazy("e.g. . >= 18 and . <= 99"))  # fmt: skip
    calculation = forms.CharField(label=gettext_lazy("Calculation"), required=False, max_length=2000)
    mirror_key = forms.CharField(label=gettext_lazy("Mirror key"), required=False, max_length=80)
    is_attribute = forms.BooleanField(label=gettext_lazy("Respondent attribute (for cross-tabulation)"), required=False)

    def __init__(self, survey: Survey, *args: Any, question: Question | None = None, **kwargs: Any) -> None:
        self.survey = survey
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = self._initial(question)
        super().__init__(*args, **kwargs)
        for code in survey.languages:
            name = language_name(code)
            self.fields[f"label_{code}"] = forms.CharField(
                label=_("Label (%(language)s)") % {"language": name}, required=False, max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2, "lang": code, "dir": "auto"}),
            )  # fmt: skip
            self.fields[f"hint_{code}"] = forms.CharField(
                label=_("Hint (%(language)s)") % {"language": name}, required=False, max_length=1000,
                widget=forms.TextInput(attrs={"lang": code, "dir": "auto"}),
            )  # fmt: skip
            self.fields[f"constraint_message_{code}"] = forms.CharField(
                label=_("Message when the constraint fails (%(language)s)") % {"language": name}, required=False,
                max_length=300, widget=forms.TextInput(attrs={"lang": code, "dir": "auto"}),
            )  # fmt: skip
        self.order_fields(["name", "type", *[f"label_{c}" for c in survey.languages], "choices"])

    def _initial(self, question: Question) -> dict[str, Any]:
        initial: dict[str, Any] = {
            key: getattr(question, key)
            for key in ("name", "type", "group", "required", "relevant", "constraint", "calculation", "mirror_key", "is_attribute")
        }  # fmt: skip
        for code in self.survey.languages:
            initial[f"label_{code}"] = question.labels.get(code, "")
            initial[f"hint_{code}"] = question.hints.get(code, "")
            initial[f"constraint_message_{code}"] = question.constraint_messages.get(code, "")
        initial["choices"] = "\n".join(
            " | ".join([c["name"], *(c.get("labels", {}).get(code, "") for code in self.survey.languages)])
            for c in question.choices
        )
        return initial

    def clean_choices(self) -> list[dict[str, Any]]:
        parsed = []
        for number, line in enumerate(self.cleaned_data.get("choices", "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) - 1 > len(self.survey.languages):
                raise ValidationError(
                    _("Line %(line)s has more labels than the survey has languages.") % {"line": number}
                )
            labels = {code: text for code, text in zip(self.survey.languages, parts[1:], strict=False) if text}
            parsed.append({"name": parts[0], "labels": labels or {self.survey.languages[0]: parts[0]}})
        return parsed

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            key: data[key]
            for key in ("name", "type", "group", "required", "relevant", "constraint", "calculation", "mirror_key", "is_attribute")
        }  # fmt: skip
        for field, target in (("label", "labels"), ("hint", "hints"), ("constraint_message", "constraint_messages")):
            values[target] = {
                c: data[f"{field}_{c}"].strip() for c in self.survey.languages if data.get(f"{field}_{c}", "").strip()
            }
        values["choices"] = data["choices"] if data["type"] in CHOICE_TYPES else []
        return values
