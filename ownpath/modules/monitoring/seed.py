"""The shipped indicators and checklist items, written after migrating (new ones added, changed texts and
definitions of shipped ones updated; a deployment's own indicators are left alone)."""

from __future__ import annotations

from typing import Any

from ownpath.modules.monitoring.definitions import CHECKLIST, INDICATORS
from ownpath.modules.monitoring.models import ChecklistItem, Indicator


def seed(*_args: Any, **_kwargs: Any) -> None:
    for position, spec in enumerate(INDICATORS, start=1):
        indicator, created = Indicator.objects.get_or_create(
            key=spec["key"], defaults={"names": spec["names"], "definition": spec["definition"], "unit": spec["unit"],
                                       "position": position})  # fmt: skip
        if not created and (indicator.names, indicator.definition) != (spec["names"], spec["definition"]):
            Indicator.objects.filter(pk=indicator.pk).update(names=spec["names"], definition=spec["definition"],
                                                             unit=spec["unit"], suppression_stale=True)  # fmt: skip
    for position, spec in enumerate(CHECKLIST, start=1):
        ChecklistItem.objects.update_or_create(
            key=spec["key"], defaults={"position": position, "figures": spec["figures"],
                                       "for_counties": spec.get("for_counties", True),
                                       "counted_from": spec.get("counted_from", "")})  # fmt: skip
