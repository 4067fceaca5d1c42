"""Capabilities between modules keep to their protocols in ``ownpath.core.capabilities``."""

from __future__ import annotations

import inspect

import pytest

from ownpath.core.capabilities import PROTOCOLS, TrainingCompletions, capability
from ownpath.core.registry import registry


def _members(protocol: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(value)
        for name, value in vars(protocol).items()
        if callable(value) and (not name.startswith("_") or name == "__call__")
    }


def _params(signature: inspect.Signature) -> list[tuple[str, object]]:
    return [(p.name, p.kind) for p in signature.parameters.values() if p.name != "self"]


@pytest.mark.parametrize("name", sorted(registry.capabilities))
def test_every_capability_offered_keeps_to_its_protocol(name: str) -> None:
    assert name in PROTOCOLS, f"{name}: add its Protocol to ownpath.core.capabilities.PROTOCOLS"
    offered = registry.capability(name)
    for member, signature in _members(PROTOCOLS[name]).items():
        target = offered if member == "__call__" else getattr(offered, member, None)
        assert callable(target), f"{name} has no {member}"
        assert _params(inspect.signature(target)) == _params(signature), f"{name}.{member} differs from its protocol"


def test_capabilities_are_asked_for_with_their_protocol() -> None:
    assert capability("training.completions", TrainingCompletions) is registry.capability("training.completions")
    with pytest.raises(LookupError):
        capability("training.completions", PROTOCOLS["directory.finder"])
