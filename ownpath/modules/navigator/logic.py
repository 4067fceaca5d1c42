"""A small, documented subset of JSON Logic, evaluated with three values: true, false and UNKNOWN.

Operators: ``and``, ``or``, ``!`` (not), ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``in``, ``var``,
``missing``, ``+`` (sum of numbers), and on ISO dates ``date<``, ``date<=``, ``date>``, ``date>=`` (``{"var": "as_of"}`` is the date
of the assessment). A fact that is not given is UNKNOWN, and UNKNOWN spreads: ``and`` is false as soon as
one part is false, ``or`` true as soon as one part is true, otherwise UNKNOWN. Every fact read is recorded,
so a trace can say what each rule looked at and which facts would decide it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value; compare with `is UNKNOWN`")


UNKNOWN: Any = _Unknown()
OPERATORS = (
    "and",
    "or",
    "!",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "var",
    "missing",
    "date<",
    "date<=",
    "date>",
    "date>=",
    "+",
)


class LogicError(ValueError):
    """A condition that is not in the subset."""


@dataclass
class Reading:
    read: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def note(self, name: str, present: bool) -> None:
        if name not in self.read:
            self.read.append(name)
        if not present and name not in self.missing:
            self.missing.append(name)


def check(condition: Any, path: str = "when") -> None:
    """Raise LogicError naming the place of anything outside the subset."""
    if isinstance(condition, dict):
        if len(condition) != 1:
            raise LogicError(f"{path}: an operation has exactly one operator, found {sorted(condition)}")
        ((operator, arguments),) = condition.items()
        if operator not in OPERATORS:
            raise LogicError(f"{path}: unknown operator {operator!r}")
        if operator == "var":
            if not isinstance(arguments, str):
                raise LogicError(f"{path}.var: a fact name (text)")
            return
        items = arguments if isinstance(arguments, list) else [arguments]
        for index, item in enumerate(items):
            check(item, f"{path}.{operator}[{index}]")
    elif isinstance(condition, list):
        for index, item in enumerate(condition):
            check(item, f"{path}[{index}]")


def evaluate(condition: Any, facts: dict[str, Any], reading: Reading) -> Any:
    """True, False or UNKNOWN (or a plain value for ``var`` and literals)."""
    if not isinstance(condition, dict):
        if isinstance(condition, list):
            return [evaluate(item, facts, reading) for item in condition]
        return condition
    ((operator, arguments),) = condition.items()
    if operator == "var":
        present = arguments in facts and facts[arguments] is not None
        reading.note(arguments, present)
        return facts[arguments] if present else UNKNOWN
    items = arguments if isinstance(arguments, list) else [arguments]
    if operator == "and":
        seen_unknown = False
        for item in items:
            value = evaluate(item, facts, reading)
            if value is UNKNOWN:
                seen_unknown = True
            elif not value:
                return False
        return UNKNOWN if seen_unknown else True
    if operator == "or":
        seen_unknown = False
        for item in items:
            value = evaluate(item, facts, reading)
            if value is UNKNOWN:
                seen_unknown = True
            elif value:
                return True
        return UNKNOWN if seen_unknown else False
    if operator == "!":
        value = evaluate(items[0], facts, reading)
        return UNKNOWN if value is UNKNOWN else not value
    if operator == "missing":
        names = [evaluate(item, facts, reading) for item in items]
        return [n for n in names if facts.get(n) is None]
    values = [evaluate(item, facts, reading) for item in items]
    if any(v is UNKNOWN for v in values) or any(isinstance(v, list) and any(x is UNKNOWN for x in v) for v in values):
        return UNKNOWN
    if operator == "+":
        return sum(values)
    left, right = values[0], values[1] if len(values) > 1 else None
    if operator == "==":
        return left == right
    if operator == "!=":
        return left != right
    if operator == "in":
        return left in right if isinstance(right, list | str) else False
    if operator.startswith("date"):
        left, right = _date(left), _date(right)
        operator = operator[4:]
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[operator]


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
