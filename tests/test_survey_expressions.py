"""The XLSForm expression subset the surveys evaluate on the server: XPath values and comparisons, the
functions ODK forms use for skip logic and constraints, refusals with the position named, and cycles."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ownpath.modules.surveys.expressions import ExpressionError, cycle, evaluate, holds, parse, references


def value(text: str, answers: dict[str, object] | None = None, current: object = "") -> object:
    return evaluate(parse(text), answers or {}, current=current, today=date(2026, 11, 24))


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("${age} >= 18", {"age": "18"}, True),
        ("${age} >= 18", {"age": "9"}, False),
        ("${age} >= 18", {}, False),  # unanswered: no number, no order
        ("${age} != ''", {}, False),
        ("${country} = 'UA'", {"country": "UA"}, True),
        ("${country} = 'UA' or ${country} = 'BY'", {"country": "BY"}, True),
        ("${a} = 1 and ${b} = 2", {"a": "1", "b": "3"}, False),
        ("selected(${barriers}, 'language')", {"barriers": "language housing"}, True),
        ("selected(${barriers}, 'lang')", {"barriers": "language housing"}, False),
        ("count-selected(${barriers}) >= 2", {"barriers": ["language", "housing"]}, True),
        ("not(selected(${barriers}, 'none'))", {"barriers": "none"}, False),
        ("string-length(.) <= 5", {}, True),
        ("regex(., '^[0-9]{2}-[0-9]{3}$')", {}, False),
        ("if(${x} > 3, 'big', 'small') = 'big'", {"x": "4"}, True),
        ("coalesce(${nick}, ${name}) = 'Olena'", {"name": "Olena"}, True),
        ("int(7 div 2) = 3", {}, True),
        ("7 mod 3 = 1", {}, True),
        ("-${x} + 2 * 3 = 1", {"x": "5"}, True),
        ("round(2.567, 2) = 2.57", {}, True),
        ("contains(${city}, 'dań')", {"city": "Gdańsk"}, True),
        ("starts-with(${code}, 'PL')", {"code": "PL-22"}, True),
        ("true() and not(false())", {}, True),
        ("today() = today()", {}, True),
        ("number('x') = number('x')", {}, False),  # NaN equals nothing
        ("'10' = 10.0", {}, True),
        ("'abc' < 'abd'", {}, False),  # order is numeric only
        ("concat(${given}, ' ', ${family}) = 'Olena Koval'", {"given": "Olena", "family": "Koval"}, True),
        ("substr('Gdańsk', 0, 3) = 'Gda'", {}, True),
        ("max(${a}, ${b}, 3) = 9 and min(${a}, ${b}) = 2", {"a": "9", "b": "2"}, True),
        ("max(${a}, 3) = max(${a}, 3)", {}, False),  # an unanswered number makes NaN
        ("floor(-2.5) = -3 and ceiling(2.1) = 3 and abs(-4) = 4", {}, True),
    ],
)
def test_values_and_comparisons_follow_xpath(text: str, answers: dict[str, object], expected: object) -> None:
    assert value(text, answers) == expected


def test_constraint_reads_the_current_answer() -> None:
    rule = parse(". >= 0 and . <= 120")
    assert holds(rule, {}, current="35") and not holds(rule, {}, current="130") and not holds(rule, {}, current="x")
    assert holds(None, {})  # no condition


def test_division_by_zero_is_infinite_or_nan_not_an_error() -> None:
    assert value("1 div 0") == math.inf and math.isnan(value("0 div 0"))  # type: ignore[arg-type]
    assert math.isnan(value("5 mod 0"))  # type: ignore[arg-type]


def test_references_are_found_for_dependency_checks() -> None:
    assert references(parse("selected(${a}, 'x') and (${b} > 2 or ${c.d} = '')")) == {"a", "b", "c.d"}


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("${age} >", 9),  # ends too early
        ("${age} >= 18)", 13),
        ("(${a} = 1", 10),
        ("age > 18", 1),  # a bare name: not XPath paths
        ("format-date(today(), '%Y')", 1),  # unknown function
        ("selected(${a})", 1),  # wrong number of arguments
        ("${a} = 'x' ; drop", 12),
        ("", 1),
        ("regex(., '[')", 1),
        ("/data/age > 3", 1),
    ],
)
def test_unsupported_or_broken_expressions_are_refused_with_the_position(text: str, position: int) -> None:
    with pytest.raises(ExpressionError) as error:
        parse(text)
    assert error.value.position == position and str(error.value)


def test_deep_nesting_is_refused_instead_of_exhausting_the_stack() -> None:
    with pytest.raises(ExpressionError):
        parse("(" * 200 + "1" + ")" * 200)
    with pytest.raises(ExpressionError):
        parse("-" * 500 + "1")
    with pytest.raises(ExpressionError):
        parse(" + ".join(["1"] * 300))
    with pytest.raises(ExpressionError):
        parse("1 = 1 or " * 400 + "1")  # too long


def test_a_circle_in_skip_logic_is_found() -> None:
    assert cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    found = cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
    assert found is not None and found[0] == found[-1] and set(found) == {"a", "b", "c"}
    assert cycle({"a": {"a"}}) == ["a", "a"]


names = st.sampled_from(["a", "b", "c"])
leaves = st.one_of(
    st.integers(-50, 50).map(str),
    st.sampled_from(["'x'", "''", "'3'"]),
    names.map(lambda n: "${" + n + "}"),
)
expressions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["=", "!=", "<", ">=", "+", "-", "*", "div", "mod", "and", "or"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        inner.map(lambda e: f"not({e})"),
        st.tuples(inner, inner, inner).map(lambda t: f"if({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(inner, inner).map(lambda t: f"concat({t[0]}, {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"max({t[0]}, floor({t[1]}))"),
        st.tuples(inner, inner).map(lambda t: f"substr({t[0]}, {t[1]})"),
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(expressions, st.dictionaries(names, st.sampled_from(["", "0", "7", "x", "-2"])))
def test_any_supported_expression_evaluates_without_crashing(text: str, answers: dict[str, str]) -> None:
    result = evaluate(parse(text), answers)
    assert isinstance(result, (bool, float, str))


def test_a_very_long_chain_is_checked_without_exhausting_the_stack() -> None:
    chain = {f"q{n}": {f"q{n + 1}"} for n in range(5000)}
    assert cycle(chain) is None
    chain["q5000"] = {"q0"}
    found = cycle(chain)
    assert found is not None and len(found) == 5002
