"""A small, documented subset of JSON Logic, evaluated with three values: true, false and UNKNOWN.

Operators: ``and``, ``or``, ``!`` (not), ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``in``, ``var``,
``missing``, ``+`` (sum of numbers), and on ISO dates ``date<``, ``date<=``, ``date>``, ``date>=`` (``{"var": "as_of"}`` is the date
of the assessment). A fact that is not given is UNKNOWN, and UNKNOWN spreads: ``and`` is false as soon as
one part is false, ``or`` true as soon as one part is true, otherwise UNKNOWN. Every fact read is recorded,
so a trace can say what each rule looked at and which facts would decide it.
"""

from __future__ import annotations

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


class Reading:
    """The facts a condition read, and those of them that were not given."""

    __slots__ = ("missing", "read")

    def __init__(self) -> None:
        self.read: list[str] = []
        self.missing: list[str] = []

    def note(self, name: str, present: bool) -> None:
        read = self.read
        if name not in read:
            read.append(name)
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


def evaluate(condition: Any, facts: dict[str, Any], reading: Reading) -> Any:  # noqa: C901 (to split, issue 22)
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


Compiled = Any  # a function (facts, reading) -> True | False | UNKNOWN | value


def compile_condition(condition: Any) -> Compiled:  # noqa: C901 (to split, issue 22)
    """The condition as nested Python closures, built once when a rule is loaded: evaluating it then costs
    no parsing of the JSON structure (same three-valued results and the same facts recorded as
    ``evaluate``)."""
    if not isinstance(condition, dict):
        if isinstance(condition, list):
            parts = [compile_condition(item) for item in condition]
            return lambda facts, reading: [part(facts, reading) for part in parts]
        return lambda facts, reading: condition
    ((operator, arguments),) = condition.items()
    if operator == "var":
        name = arguments

        def var(facts: dict[str, Any], reading: Reading) -> Any:
            value = facts.get(name)
            reading.note(name, value is not None)
            return UNKNOWN if value is None else value

        return var
    items = [compile_condition(item) for item in (arguments if isinstance(arguments, list) else [arguments])]
    if operator in ("and", "or"):
        stop = operator == "or"

        def junction(facts: dict[str, Any], reading: Reading) -> Any:
            seen_unknown = False
            for item in items:
                value = item(facts, reading)
                if value is UNKNOWN:
                    seen_unknown = True
                elif bool(value) is stop:
                    return stop
            return UNKNOWN if seen_unknown else not stop

        return junction
    if operator == "!":
        inner = items[0]

        def negation(facts: dict[str, Any], reading: Reading) -> Any:
            value = inner(facts, reading)
            return UNKNOWN if value is UNKNOWN else not value

        return negation
    if operator == "missing":
        return lambda facts, reading: evaluate(condition, facts, reading)
    if operator == "+":

        def total(facts: dict[str, Any], reading: Reading) -> Any:
            values = [item(facts, reading) for item in items]
            return UNKNOWN if any(v is UNKNOWN for v in values) else sum(values)

        return total
    left_part, right_part = items[0], (items[1] if len(items) > 1 else (lambda facts, reading: None))
    compare = _COMPARE[operator]
    if not isinstance(arguments, list) or not any(_reads_facts(a) for a in arguments[1:]):
        # The usual shape, {"op": [{"var": name}, literal]}: only the left side can be UNKNOWN.
        literal = right_part(None, None)  # type: ignore[arg-type]
        first = arguments[0] if isinstance(arguments, list) else arguments
        if isinstance(first, dict) and set(first) == {"var"}:
            name = first["var"]

            def fact_against_literal(facts: dict[str, Any], reading: Reading) -> Any:
                # The commonest condition, {"op": [{"var": name}, literal]}, in one call (it is most of the work).
                value = facts.get(name)
                if name not in reading.read:
                    reading.read.append(name)
                if value is None:
                    if name not in reading.missing:
                        reading.missing.append(name)
                    return UNKNOWN
                return compare(value, literal)

            return fact_against_literal

        def against_literal(facts: dict[str, Any], reading: Reading) -> Any:
            left = left_part(facts, reading)
            return UNKNOWN if left is UNKNOWN else compare(left, literal)

        return against_literal

    def binary(facts: dict[str, Any], reading: Reading) -> Any:
        left, right = left_part(facts, reading), right_part(facts, reading)
        if left is UNKNOWN or right is UNKNOWN or (isinstance(right, list) and any(x is UNKNOWN for x in right)):
            return UNKNOWN
        return compare(left, right)

    return binary


def _reads_facts(part: Any) -> bool:
    if isinstance(part, dict):
        return True
    return isinstance(part, list) and any(_reads_facts(p) for p in part)


def _in(left: Any, right: Any) -> bool:
    return left in right if isinstance(right, list | str) else False


_COMPARE: dict[str, Any] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "in": _in,
    "date<": lambda a, b: _date(a) < _date(b),
    "date<=": lambda a, b: _date(a) <= _date(b),
    "date>": lambda a, b: _date(a) > _date(b),
    "date>=": lambda a, b: _date(a) >= _date(b),
    "+": None,
}
