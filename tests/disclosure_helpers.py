"""A brute-force check of published figures, shared by the surveys and monitoring tests."""

from __future__ import annotations

from typing import Any

from ownpath.core import disclosure


def assert_nothing_recoverable(
    values: dict[Any, float], relations: list[disclosure.Relation], hidden: set[Any]
) -> None:
    """Brute force: within each relation, the hidden cells cannot be pinned to a small value."""
    for key, value in values.items():
        if disclosure.is_small(value):
            assert key in hidden
    for relation in relations:
        unknown = [p for p in relation.parts if p in hidden] + ([relation.total] if relation.total in hidden else [])
        residual = values[relation.total] - sum(values[p] for p in relation.parts)
        if not relation.exhaustive and residual:
            unknown.append("residual")
        if unknown:
            assert len(unknown) >= 2 or (unknown == ["residual"] and not disclosure.is_small(residual))
        if relation.total not in hidden:
            hidden_sum = sum(values[p] for p in relation.parts if p in hidden) + (
                residual if not relation.exhaustive else 0
            )
            assert not disclosure.is_small(hidden_sum)
