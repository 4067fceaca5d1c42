"""Forms of the monitoring pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from ownpath.core.models import Organisation, User
from ownpath.modules.monitoring.checklist import responsible_people
from ownpath.modules.monitoring.labels import FIGURES
from ownpath.modules.monitoring.models import ChecklistEntry, ChecklistItem, ChecklistStatus


class EntryForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ChecklistStatus.choices)
    responsible = forms.ModelChoiceField(
        label=gettext_lazy("Responsible"), queryset=User.objects.none(), required=False
    )
    links = forms.CharField(label=gettext_lazy("Links to evidence (one per line)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)  # fmt: skip
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    evidence = forms.FileField(label=gettext_lazy("Add a file (PDF, image, document)"), required=False)

    def __init__(
        self, area: Organisation, item: ChecklistItem, *args: Any, entry: ChecklistEntry | None = None, **kwargs: Any
    ) -> None:
        if entry is not None and "initial" not in kwargs:
            kwargs["initial"] = {"status": entry.status, "responsible": entry.responsible_id, "links": entry.links,
                                 "notes": entry.notes, **{f"figure_{k}": v for k, v in entry.figures.items()}}  # fmt: skip
        super().__init__(*args, **kwargs)
        people = [p.pk for p in responsible_people(area)]
        self.fields["responsible"].queryset = User.objects.filter(pk__in=people).order_by("last_name")  # type: ignore[attr-defined]
        for key in item.figures:
            self.fields[f"figure_{key}"] = forms.IntegerField(label=str(FIGURES.get(key, key)), required=False,
                                                              min_value=0, max_value=10_000_000)  # fmt: skip
        self.order_fields(
            ["status", "responsible", *[f"figure_{k}" for k in item.figures], "links", "notes", "evidence"]
        )
        self.item = item

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"status": data["status"], "responsible": data.get("responsible"), "links": data.get("links", ""),
                "notes": data.get("notes", ""),
                "figures": {k: data[f"figure_{k}"] for k in self.item.figures if data.get(f"figure_{k}") is not None}}  # fmt: skip


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Checklist workbook (.xlsx)"))
