"""Which monitoring figures are hidden: counts under 5, and whatever would give them back by subtraction.

All cells of one indicator are decided together, so every page, export and API answer hides the same
figures. The relations between them:

- a total and its disaggregation (female + male + other + not recorded = total), in each area and period;
- an area and the areas and institutions below it (what the parts do not cover is a residual: the area's own
  office, or people counted in two places);
- a quarter and its months, a year and its quarters.

Numerators and denominators are decided separately; a cell is hidden if either is. Counts of people are not
exactly additive across areas and periods (one person can be served in two months); treating them as
additive hides more than strictly needed, never less.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import Any

from ownpath.core import disclosure
from ownpath.core.disclosure import Relation
from ownpath.modules.monitoring import areas, periods
from ownpath.modules.monitoring.aggregate import parts
from ownpath.modules.monitoring.models import Indicator


def _parent_area(tree: areas.Tree, area: int) -> int:
    """The nearest area above ``area`` (0, everything, when there is none)."""
    for node in tree.ancestors(area):
        if tree.kind.get(node) in areas.AREA_KINDS:
            return node
    return areas.ALL


def hidden_cells(indicator: Indicator, rows: Sequence[Sequence[Any]], tree: areas.Tree) -> set[int]:
    """``rows`` are (pk, period, period kind, area, dimension, member, numerator, denominator, ...)."""
    additive = all(p.additive for p in parts(indicator.definition) if p.field == "numerator")
    keys: dict[tuple[str, int, str, str], int] = {}
    numerators: dict[Hashable, float] = {}
    denominators: dict[Hashable, float] = {}
    for pk, period, _kind, area, dimension, member, numerator, denominator, *_rest in rows:
        key = (period, area, dimension, member)
        keys[key] = pk
        numerators[key] = numerator
        if denominator is not None:
            denominators[key] = denominator
    relations = _relations(list(keys), tree, additive)
    hidden = disclosure.suppress(numerators, relations)
    if denominators:
        hidden |= disclosure.suppress(denominators, relations)
    return {pk for key, pk in keys.items() if key in hidden}


def _relations(keys: list[tuple[str, int, str, str]], tree: areas.Tree, additive: bool) -> list[Relation]:
    relations: list[Relation] = []
    members: dict[tuple[str, int, str], list[Hashable]] = defaultdict(list)
    children: dict[tuple[str, int, str, str], list[Hashable]] = defaultdict(list)
    by_period: dict[tuple[str, int, str, str], list[Hashable]] = defaultdict(list)
    present = set(keys)
    parent_period: dict[str, str | None] = {}
    parent_area: dict[int, int] = {}
    for key in keys:
        period, area, dimension, member = key
        if dimension:
            members[(period, area, dimension)].append(key)
        if area != areas.ALL:
            if area not in parent_area:
                parent_area[area] = _parent_area(tree, area)
            children[(period, parent_area[area], dimension, member)].append(key)
        if period not in parent_period:
            found = periods.parse(period).parent()
            parent_period[period] = None if found is None else str(found)
        if parent_period[period] is not None:
            by_period[(parent_period[period], area, dimension, member)].append(key)  # type: ignore[index]
    for (period, area, _dimension), parts_ in members.items():
        total = (period, area, "", "")
        if total in present:
            relations.append(Relation(total, parts_))
    for (period, area, dimension, member), parts_ in children.items():
        total = (period, area, dimension, member)
        if total in present:
            relations.append(Relation(total, parts_, exhaustive=False))
    for total, parts_ in by_period.items():
        if total in present:
            relations.append(Relation(total, parts_, exhaustive=additive))
    return relations
