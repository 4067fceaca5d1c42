"""Statistical disclosure control for every count ownpath publishes (survey results, monitoring indicators).

A count between 1 and ``THRESHOLD - 1`` is never shown (primary suppression). Because published figures add
up, hiding one cell is not enough: a total minus the other visible parts would give it back. ``suppress``
therefore takes the additive *relations* between the cells (a total and its parts; whatever the parts do not
cover is an unpublished residual) and hides further cells (complementary suppression) until, in every
relation:

- no unknown stands alone (one hidden cell, or a residual the visible cells pin down, could be computed);
- the hidden part of a visible total is not itself a small count (hiding 1 and 2 next to a total of 20 still
  tells that three people are in the hidden groups).

Zero is shown: it is not a group of people, and hiding it would protect nobody. The result only grows
(cells are hidden, never shown again), so the loop ends.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings

THRESHOLD = int(getattr(settings, "OWNPATH_SUPPRESS_BELOW", 5))


@dataclass(frozen=True)
class Relation:
    """``total = sum(parts) + residual``. With ``exhaustive`` the parts cover everything (residual is 0 by
    definition); otherwise the residual (the total minus the parts) is an unpublished count."""

    total: Hashable
    parts: Sequence[Hashable]
    exhaustive: bool = True


def is_small(value: float | None, threshold: int = THRESHOLD) -> bool:
    return value is not None and 0 < value < threshold


def suppress(
    values: Mapping[Hashable, float],
    relations: Iterable[Relation] = (),
    threshold: int = THRESHOLD,
    *,
    hidden: Iterable[Hashable] = (),
    frozen: Iterable[Hashable] = (),
) -> set[Hashable]:
    """The keys of ``values`` that must be hidden, primary and complementary.

    ``hidden`` are cells hidden already (by an earlier, published decision); ``frozen`` cells keep the state
    they have, so a table published before (a survey's per-question counts) looks the same in every view
    that adds cells to it (a cross-tabulation): complements are then taken among the new cells only.
    """
    frozen = set(frozen)
    hidden = set(hidden) | {key for key, value in values.items() if key not in frozen and is_small(value, threshold)}
    relations = [r for r in relations if r.total in values and all(p in values for p in r.parts)]
    by_cell: dict[Hashable, list[int]] = {}
    for index, relation in enumerate(relations):
        for key in (relation.total, *relation.parts):
            by_cell.setdefault(key, []).append(index)
    pending = set(range(len(relations)))
    while pending:
        index = pending.pop()
        relation = relations[index]
        extra = _leak(values, relation, hidden, threshold, frozen)
        if extra is not None:
            hidden.add(extra)
            pending.update(by_cell[extra])
    return hidden


def _leak(
    values: Mapping[Hashable, float], relation: Relation, hidden: set[Hashable], threshold: int, frozen: set[Hashable]
) -> Hashable:
    """The next cell to hide so that ``relation`` gives nothing away, or None when it is safe already."""
    residual = values[relation.total] - sum(values[p] for p in relation.parts)
    if relation.exhaustive:
        residual = 0
    hidden_parts = [p for p in relation.parts if p in hidden]
    unknowns = len(hidden_parts) + (relation.total in hidden) + (1 if residual else 0)
    total_visible = relation.total not in hidden
    hidden_sum = sum(values[p] for p in hidden_parts) + residual
    leaks = unknowns == 1 and (hidden_parts or not total_visible or is_small(residual, threshold))
    if total_visible and is_small(hidden_sum, threshold) and unknowns:
        leaks = True
    if not leaks:
        return None
    visible = [p for p in relation.parts if p not in hidden and p not in frozen and values[p] > 0]
    if visible:
        return min(visible, key=lambda p: (values[p], str(p)))
    return relation.total if total_visible and relation.total not in frozen else None


def shown(value: float | None, key: Hashable, hidden: set[Hashable]) -> float | None:
    """``value`` unless its cell is hidden (None means "suppressed" to every caller)."""
    return None if key in hidden else value
