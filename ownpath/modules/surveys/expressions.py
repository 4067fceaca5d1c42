"""The XLSForm expressions ownpath evaluates itself (``relevant``, ``constraint``, ``required``,
``calculation``): a small, safe subset of XPath 1.0 as ODK uses it, parsed once into a tree and evaluated
against a respondent's answers on the server, so a survey works on a phone without JavaScript.

What is supported (anything else is refused with the position named, never guessed):

* literals: numbers (``18``, ``2.5``) and strings (``'yes'`` or ``"yes"``);
* ``${question}`` for another question's answer, ``.`` for the answer being checked (in a constraint);
* ``or``, ``and``; ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``; ``+``, ``-``, ``*``, ``div``, ``mod``;
  unary minus; parentheses;
* functions: ``selected(a, 'v')``, ``count-selected(a)``, ``not(b)``, ``true()``, ``false()``,
  ``if(c, a, b)``, ``coalesce(a, b)``, ``string-length(s)``, ``contains(s, t)``, ``starts-with(s, t)``,
  ``regex(s, pattern)``, ``number(x)``, ``int(x)``, ``string(x)``, ``round(x, digits)``, ``today()``.

Values follow XPath: an unanswered question is the empty string; comparing two values compares numbers when
both read as numbers and strings otherwise; anything compared with an empty answer other than ``''`` is
false; ``boolean()`` of a string is "not empty", of a number "not zero and not NaN".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from django.utils.translation import gettext as _

MAX_LENGTH = 2000
MAX_DEPTH = 100  # levels of the tree (evaluation recurses once per level)
MAX_NESTING = 40  # parentheses and signs inside each other (parsing recurses about nine times per level)

TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d+(?:\.\d*)?|\.\d+)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<ref>\$\{[A-Za-z_][A-Za-z0-9_.\-]*\})
      | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
      | (?P<dot>\.(?![0-9]))
      | (?P<name>[A-Za-z_][A-Za-z0-9_\-]*)
    )""",
    re.VERBOSE,
)
WORD_OPERATORS = {"and", "or", "div", "mod"}


class ExpressionError(ValueError):
    """An expression that cannot be parsed or uses what is not supported; ``position`` is 1-based."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return _("%(message)s (at character %(position)s)") % {"message": self.message, "position": self.position}


@dataclass(frozen=True)
class Node:
    kind: str  # number | string | ref | dot | op | neg | call
    value: Any = None
    args: tuple[Node, ...] = ()
    depth: int = 1


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    position: int


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(_("The expression is too long."), MAX_LENGTH)
    tokens, at = [], 0
    while at < len(text):
        if text[at:].strip() == "":
            break
        match = TOKEN.match(text, at)
        if match is None or match.end() == at:
            start = at + len(text[at:]) - len(text[at:].lstrip())
            raise ExpressionError(_("Unexpected character %(char)s.") % {"char": repr(text[start])}, start + 1)
        kind = match.lastgroup or ""
        value = match.group(kind)
        position = match.start(kind) + 1
        if kind == "name" and value in WORD_OPERATORS:
            kind = "op"
        tokens.append(Token(kind, value, position))
        at = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# Functions: name → (minimum arguments, maximum arguments).
FUNCTIONS: dict[str, tuple[int, int]] = {
    "selected": (2, 2), "count-selected": (1, 1), "not": (1, 1), "true": (0, 0), "false": (0, 0),
    "if": (3, 3), "coalesce": (2, 2), "string-length": (1, 1), "contains": (2, 2), "starts-with": (2, 2),
    "regex": (2, 2), "number": (1, 1), "int": (1, 1), "string": (1, 1), "round": (1, 2), "today": (0, 0),
    "concat": (1, 20), "substr": (2, 3), "min": (1, 20), "max": (1, 20), "floor": (1, 1), "ceiling": (1, 1),
    "abs": (1, 1),
}  # fmt: skip
PRECEDENCE = [("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod")]


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.at = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.at]

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            raise ExpressionError(_("Expected %(expected)s here.") % {"expected": repr(text)}, token.position)

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise ExpressionError(_("The expression is empty."), 1)
        node = self.binary(0)
        token = self.peek()
        if token.kind != "end":
            raise ExpressionError(_("Unexpected %(token)s.") % {"token": repr(token.text)}, token.position)
        return node

    def binary(self, level: int) -> Node:
        if level == len(PRECEDENCE):
            return self.unary()
        node = self.binary(level + 1)
        while self.peek().kind == "op" and self.peek().text in PRECEDENCE[level]:
            token = self.take()
            node = self.node("op", token.text, (node, self.binary(level + 1)), token.position)
        return node

    def node(self, kind: str, value: Any, args: tuple[Node, ...], position: int) -> Node:
        depth = 1 + max((a.depth for a in args), default=0)
        if depth > MAX_DEPTH:
            raise ExpressionError(_("The expression is nested too deeply."), position)
        return Node(kind, value, args, depth)

    def unary(self) -> Node:
        token = self.peek()
        if token.kind == "op" and token.text == "-":
            self.take()
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise ExpressionError(_("The expression is nested too deeply."), token.position)
            node = self.node("neg", None, (self.unary(),), token.position)
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> Node:  # noqa: C901 (to split, issue 22)
        token = self.take()
        if token.kind == "number":
            return Node("number", float(token.text))
        if token.kind == "string":
            return Node("string", token.text[1:-1])
        if token.kind == "ref":
            return Node("ref", token.text[2:-1])
        if token.kind == "dot":
            return Node("dot")
        if token.kind == "op" and token.text == "(":
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise ExpressionError(_("The expression is nested too deeply."), token.position)
            node = self.binary(0)
            self.expect(")")
            self.depth -= 1
            return node
        if token.kind == "name":
            if self.peek().text != "(":
                raise ExpressionError(
                    _("%(name)s is not supported: refer to questions as ${name}.") % {"name": token.text},
                    token.position,
                )
            if token.text not in FUNCTIONS:
                raise ExpressionError(_("Unknown function %(name)s().") % {"name": token.text}, token.position)
            self.take()
            args: list[Node] = []
            if self.peek().text != ")":
                args.append(self.binary(0))
                while self.peek().text == ",":
                    self.take()
                    args.append(self.binary(0))
            self.expect(")")
            low, high = FUNCTIONS[token.text]
            if not low <= len(args) <= high:
                raise ExpressionError(
                    _("%(name)s() takes %(count)s argument(s).")
                    % {"name": token.text, "count": low if low == high else f"{low}–{high}"},
                    token.position,
                )
            if token.text == "regex" and args[1].kind == "string":
                try:
                    re.compile(args[1].value)
                except re.error:
                    raise ExpressionError(_("The regular expression is not valid."), token.position) from None
            return self.node("call", token.text, tuple(args), token.position)
        if token.kind == "end":
            raise ExpressionError(_("The expression ends too early."), token.position)
        raise ExpressionError(_("Unexpected %(token)s.") % {"token": repr(token.text)}, token.position)


def parse(text: str) -> Node:
    """The expression's tree; ``ExpressionError`` names what is wrong and where."""
    return _Parser(text or "").parse()


def references(node: Node) -> set[str]:
    """The questions an expression reads."""
    found = {node.value} if node.kind == "ref" else set()
    for arg in node.args:
        found |= references(arg)
    return found


# -- values
def to_number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, date):
        return float((value - date(1970, 1, 1)).days)
    try:
        return float(str(value).strip()) if str(value).strip() else math.nan
    except ValueError:
        return math.nan


def to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (list, tuple)):
        return " ".join(to_string(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def to_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return not math.isnan(value) and value != 0
    return to_string(value) != ""


def _compare(operator: str, left: Any, right: Any) -> bool:
    """XPath 1.0: with a boolean on either side compare booleans; otherwise ``=`` and ``!=`` compare numbers
    when either side is a number and strings when both are strings; order always compares numbers."""
    if operator in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            same = to_boolean(left) == to_boolean(right)
        elif isinstance(left, (int, float)) or isinstance(right, (int, float)):
            same = to_number(left) == to_number(right)  # NaN equals nothing
        else:
            same = to_string(left) == to_string(right)
        return same if operator == "=" else not same
    return _order(operator, to_number(left), to_number(right))


def _order(operator: str, a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[operator]


def _choices(value: Any) -> list[str]:
    if isinstance(value, (list, tuple, set)):
        return [to_string(v) for v in value]
    return to_string(value).split()


def _call(name: str, args: list[Callable[[], Any]], today: date) -> Any:  # noqa: C901 (to split, issue 22)
    if name == "if":
        return args[1]() if to_boolean(args[0]()) else args[2]()
    values = [a() for a in args]
    if name == "selected":
        return to_string(values[1]) in _choices(values[0])
    if name == "count-selected":
        return float(len(_choices(values[0])))
    if name == "not":
        return not to_boolean(values[0])
    if name in ("true", "false"):
        return name == "true"
    if name == "coalesce":
        return values[0] if to_string(values[0]) != "" else values[1]
    if name == "string-length":
        return float(len(to_string(values[0])))
    if name == "contains":
        return to_string(values[1]) in to_string(values[0])
    if name == "starts-with":
        return to_string(values[0]).startswith(to_string(values[1]))
    if name == "regex":
        try:
            return re.search(to_string(values[1]), to_string(values[0])[:MAX_LENGTH]) is not None
        except re.error:
            return False
    if name == "number":
        return to_number(values[0])
    if name == "int":
        number = to_number(values[0])
        return number if math.isnan(number) or math.isinf(number) else float(math.trunc(number))
    if name == "string":
        return to_string(values[0])
    if name == "round":
        number, digits = to_number(values[0]), int(to_number(values[1])) if len(values) > 1 else 0
        return number if math.isnan(number) else float(round(number, digits))
    if name == "today":
        return today
    if name == "concat":
        return "".join(to_string(v) for v in values)[: MAX_LENGTH * 5]
    if name == "substr":
        text = to_string(values[0])
        start = to_number(values[1])
        end = to_number(values[2]) if len(values) > 2 else float(len(text))
        if math.isnan(start) or math.isnan(end):
            return ""
        first, last = (max(0.0, min(float(len(text)), bound)) for bound in (start, end))  # ±infinity clamps
        return text[int(first) : int(last)]
    if name in ("min", "max"):
        numbers = [to_number(v) for v in values]
        if any(math.isnan(n) for n in numbers):
            return math.nan
        return min(numbers) if name == "min" else max(numbers)
    if name in ("floor", "ceiling", "abs"):
        number = to_number(values[0])
        if math.isnan(number) or math.isinf(number):
            return number
        if name == "abs":
            return abs(number)
        return float(math.floor(number) if name == "floor" else math.ceil(number))
    raise ExpressionError(_("Unknown function %(name)s().") % {"name": name}, 1)  # parse() refuses these first


def evaluate(node: Node, answers: Mapping[str, Any], *, current: Any = "", today: date | None = None) -> Any:
    """The expression's value for these answers (unanswered questions are empty strings)."""
    day = today or date.today()

    def run(n: Node) -> Any:
        if n.kind in ("number", "string"):
            return n.value
        if n.kind == "ref":
            value = answers.get(n.value, "")
            return "" if value is None else value
        if n.kind == "dot":
            return "" if current is None else current
        if n.kind == "neg":
            return -to_number(run(n.args[0]))
        if n.kind == "call":
            return _call(n.value, [partial(run, a) for a in n.args], day)
        operator, (left, right) = n.value, n.args
        if operator == "or":
            return to_boolean(run(left)) or to_boolean(run(right))
        if operator == "and":
            return to_boolean(run(left)) and to_boolean(run(right))
        if operator in ("=", "!=", "<", "<=", ">", ">="):
            return _compare(operator, run(left), run(right))
        a, b = to_number(run(left)), to_number(run(right))
        if operator == "+":
            return a + b
        if operator == "-":
            return a - b
        if operator == "*":
            return a * b
        if operator == "div":
            return a / b if b else (math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a))
        return math.fmod(a, b) if b else math.nan

    return run(node)


def holds(node: Node | None, answers: Mapping[str, Any], *, current: Any = "", today: date | None = None) -> bool:
    """A condition's truth; no condition holds."""
    return True if node is None else to_boolean(evaluate(node, answers, current=current, today=today))


def cycle(dependencies: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A chain of questions whose conditions read each other in a circle (first question repeated at the
    end), or None. ``dependencies`` maps a question to the questions its conditions read. Iterative, so a
    form of any length is checked without exhausting the stack."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for start in dependencies:
        if state.get(start):
            continue
        path: list[str] = [start]
        pending: list[list[str]] = [[o for o in dependencies[start] if o in dependencies]]
        state[start] = 1
        while path:
            if not pending[-1]:
                state[path.pop()] = 2
                pending.pop()
                continue
            other = pending[-1].pop()
            if state.get(other) == 1:
                return [*path[path.index(other) :], other]
            if not state.get(other):
                state[other] = 1
                path.append(other)
                pending.append([o for o in dependencies[other] if o in dependencies])
    return None
