"""Answering a survey on the server, page by page, without JavaScript.

A page is a group of the form; a question outside any group is a page of its own. Skip logic (``relevant``),
``required`` / ``required_if``, ``constraint`` and ``calculation`` are evaluated here with
``expressions.py`` after every page, so the answers never depend on the browser. When an answer on a page
makes another question of the same page appear, the page is shown again with it instead of moving on.
Answers to questions that are no longer shown are dropped, so results never count what was skipped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ownpath.modules.surveys import expressions
from ownpath.modules.surveys.models import Question, QuestionType, Survey, pick

MAX_TEXT = 2000
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}")


@cache
def _parsed(text: str) -> expressions.Node | None:
    return expressions.parse(text) if text.strip() else None


def for_evaluation(question: Question, value: Any) -> Any:
    """An answer as the expressions see it: dates as dates, everything else as stored."""
    if value is None:
        return ""
    if question.type == QuestionType.DATE and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


@dataclass
class Page:
    index: int
    key: str
    questions: list[Question]


def pages(questions: list[Question]) -> list[Page]:
    result: list[Page] = []
    for question in questions:
        if question.type == QuestionType.CALCULATE:
            continue
        if result and question.group and result[-1].key == question.group:
            result[-1].questions.append(question)
        else:
            result.append(Page(len(result), question.group, [question]))
    return result


class State:
    """The survey's questions with a respondent's answers, evaluating skip logic as answers change."""

    def __init__(self, survey: Survey, answers: dict[str, Any], questions: list[Question] | None = None) -> None:
        self.survey = survey
        self.questions = questions if questions is not None else list(survey.questions.all())
        self.by_name = {q.name: q for q in self.questions}
        self.answers = dict(answers)
        self.pages = pages(self.questions)
        self.today = timezone.localdate()

    def values(self) -> dict[str, Any]:
        return {name: for_evaluation(self.by_name[name], v) for name, v in self.answers.items() if name in self.by_name}

    def relevant(self, question: Question) -> bool:
        try:
            return expressions.holds(_parsed(question.relevant), self.values(), today=self.today)
        except expressions.ExpressionError:
            return False

    def required(self, question: Question) -> bool:
        if question.required:
            return True
        return bool(question.required_if) and expressions.holds(
            _parsed(question.required_if), self.values(), today=self.today
        )

    def calculate(self) -> None:
        for question in self.questions:
            if question.type == QuestionType.CALCULATE and question.calculation:
                value = expressions.evaluate(_parsed(question.calculation), self.values(), today=self.today)  # type: ignore[arg-type]
                if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
                    value = ""
                self.answers[question.name] = expressions.to_string(value) if not isinstance(value, str) else value

    def prune(self) -> None:
        """Drop the answers of questions no longer shown, in form order (a drop can hide later questions)."""
        for question in self.questions:
            if question.answered and question.name in self.answers and not self.relevant(question):
                del self.answers[question.name]

    def display(self, text: str, language: str) -> str:
        """``text`` with each ``${name}`` replaced by that answer (an option by its label)."""

        def answer(found: re.Match[str]) -> str:
            question = self.by_name.get(found.group(1))
            value = self.answers.get(found.group(1))
            if question is None or value in (None, "", []):
                return ""
            if question.has_choices:
                chosen = value if isinstance(value, list) else [value]
                return ", ".join(question.choice_label(str(c), language) for c in chosen)
            return expressions.to_string(value)

        return REFERENCE.sub(answer, text)

    def shown(self, page: Page) -> list[Question]:
        return [q for q in page.questions if self.relevant(q)]

    def next_page(self, after: int) -> int | None:
        for page in self.pages[after + 1 :]:
            if self.shown(page):
                return page.index
        return None

    def previous_page(self, before: int) -> int | None:
        for page in reversed(self.pages[:before]):
            if self.shown(page):
                return page.index
        return None

    def first_gap(self) -> int | None:
        """The first page with a shown, required question left unanswered."""
        for page in self.pages:
            for question in self.shown(page):
                if question.answered and self.required(question) and _empty(self.answers.get(question.name)):
                    return page.index
        return None


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def parse(question: Question, raw: list[str], language: str) -> tuple[Any, str]:
    """The stored value of what was posted for ``question``, or an error message."""
    values = [v.strip() for v in raw if v.strip()]
    if not values:
        return None, ""
    names = {c["name"] for c in question.choices}
    if question.type == QuestionType.SELECT_MULTIPLE:
        if not set(values) <= names:
            return None, _("Choose from the options given.")
        return [c["name"] for c in question.choices if c["name"] in values], ""
    value = values[0]
    if question.type in (QuestionType.SELECT_ONE, QuestionType.SCALE):
        return (value, "") if value in names and len(values) == 1 else (None, _("Choose one of the options given."))
    if question.type == QuestionType.INTEGER:
        try:
            number = int(value.replace(" ", ""))
        except ValueError:
            return None, _("Enter a whole number, e.g. 12.")
        if abs(number) > 10**12:
            return None, _("This number is too large.")
        return number, ""
    if question.type == QuestionType.DECIMAL:
        try:
            decimal = Decimal(value.replace(" ", "").replace(",", "."))
        except InvalidOperation:
            return None, _("Enter a number, e.g. 2.5.")
        if not decimal.is_finite() or abs(decimal) > 10**12:
            return None, _("Enter a number, e.g. 2.5.")
        return float(decimal), ""
    if question.type == QuestionType.DATE:
        try:
            return date.fromisoformat(value).isoformat(), ""
        except ValueError:
            return None, _("Enter a date as year-month-day, e.g. 2026-03-15.")
    if len(value) > MAX_TEXT:
        return None, _("Keep the answer under %(count)s characters.") % {"count": MAX_TEXT}
    return value, ""


@dataclass
class PageResult:
    errors: dict[str, str] = field(default_factory=dict)
    appeared: list[str] = field(default_factory=list)  # questions that the answers made appear on this page

    @property
    def ok(self) -> bool:
        return not self.errors and not self.appeared


def answer_page(state: State, page: Page, posted: Any, shown_before: set[str], language: str) -> PageResult:
    """Apply what was posted for ``page`` to ``state.answers``; on any error the caller saves nothing."""
    result = PageResult()
    for question in page.questions:
        if not question.answered:
            continue
        value, error = parse(question, posted.getlist(question.name), language)
        if error:
            result.errors[question.name] = error
            continue
        if value is None:
            state.answers.pop(question.name, None)
        else:
            state.answers[question.name] = value
    state.calculate()
    for question in page.questions:
        if not question.answered or question.name in result.errors:
            continue
        if not state.relevant(question):
            state.answers.pop(question.name, None)
            continue
        value = state.answers.get(question.name)
        if question.name not in shown_before:
            if _empty(value):
                result.appeared.append(question.name)
            continue
        if _empty(value):
            if state.required(question):
                result.errors[question.name] = _("This answer is required.")
            continue
        node = _parsed(question.constraint)
        if node is not None:
            current = for_evaluation(question, value)
            if not expressions.holds(node, state.values(), current=current, today=state.today):
                result.errors[question.name] = pick(question.constraint_messages, language) or _(
                    "This answer is not allowed."
                )
    state.prune()
    state.calculate()
    return result
