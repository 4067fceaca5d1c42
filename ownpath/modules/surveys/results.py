"""Survey results: counts per question, cross-tabulation, the mirror of two surveys, with suppression.

Nothing shows before ``survey.min_group_size`` people have sent their answers. Then every count between 1
and 4 is hidden, with complementary cells so that no total gives it back (``ownpath.core.disclosure``).
Per-question counts are decided once and stay the same in every view; a cross-tabulation adds its own
cells and hides its own complements. Shares are shown only where their count is. Free-text answers are
counted, never shown: a sentence can name its writer.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ownpath.core import charts, disclosure
from ownpath.core.disclosure import Relation
from ownpath.modules.surveys.models import QuestionType, Response, Survey

NUMERIC = {QuestionType.INTEGER, QuestionType.DECIMAL}


@dataclass
class Row:
    key: str
    label: str
    count: float | None  # None: suppressed
    share: float | None = None

    @property
    def percent(self) -> str:
        return "" if self.share is None else f"{self.share * 100:.0f} %"


@dataclass
class QuestionResult:
    name: str
    label: str
    kind: str  # choices | numeric | text
    answered: float | None
    rows: list[Row] = field(default_factory=list)
    median: float | None = None
    chart: SafeString | None = None
    mirror_key: str = ""
    multiple: bool = False


@dataclass
class CrossTab:
    by: str
    by_label: str
    question: str
    question_label: str
    columns: list[tuple[str, str]]  # (choice, label) of the question
    rows: list[tuple[str, str, list[float | None], float | None]]  # (choice, label, cells, row total)
    column_totals: list[float | None]
    total: float | None


@dataclass
class Results:
    survey: Survey
    language: str
    respondents: int
    available: bool
    questions: list[QuestionResult] = field(default_factory=list)
    crosstabs: list[CrossTab] = field(default_factory=list)

    def question(self, name: str) -> QuestionResult | None:
        return next((q for q in self.questions if q.name == name), None)


def _answers(survey: Survey) -> list[dict[str, Any]]:
    return list(Response.objects.filter(survey=survey, submitted_on__isnull=False).values_list("answers", flat=True))


def _chosen(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [] if value in (None, "") else [str(value)]


def _marginals(survey: Survey, answers: list[dict[str, Any]]) -> tuple[dict[Hashable, float], list[Relation]]:
    values: dict[Hashable, float] = {("n",): len(answers)}
    relations: list[Relation] = []
    for question in survey.questions.all():
        if not question.answered:
            continue
        answered = sum(1 for a in answers if a.get(question.name) not in (None, "", []))
        values[(question.name,)] = answered
        relations.append(Relation(("n",), [(question.name,)], exhaustive=False))
        if not question.has_choices:
            continue
        counts = Counter(c for a in answers for c in _chosen(a.get(question.name)))
        parts = []
        for choice in question.choices:
            key = (question.name, choice["name"])
            values[key] = counts.get(choice["name"], 0)
            parts.append(key)
        if question.type == QuestionType.SELECT_MULTIPLE:
            relations.extend(Relation((question.name,), [p], exhaustive=False) for p in parts)
        else:
            relations.append(Relation((question.name,), parts))
    return values, relations


def results(survey: Survey, language: str, *, by: str = "", chart_titles: bool = True) -> Results:
    answers = _answers(survey)
    result = Results(survey, language, len(answers), len(answers) >= survey.min_group_size)
    if not result.available:
        return result
    values, relations = _marginals(survey, answers)
    hidden = disclosure.suppress(values, relations)
    questions = list(survey.questions.all())
    for question in questions:
        if not question.answered:
            continue
        answered = disclosure.shown(values[(question.name,)], (question.name,), hidden)
        item = QuestionResult(question.name, question.label(language), "text", answered, mirror_key=question.mirror_key)
        if question.has_choices:
            item.kind, item.multiple = "choices", question.type == QuestionType.SELECT_MULTIPLE
            for choice in question.choices:
                key = (question.name, choice["name"])
                count = disclosure.shown(values[key], key, hidden)
                share = count / answered if count is not None and answered else None
                item.rows.append(Row(choice["name"], question.choice_label(choice["name"], language), count, share))
            item.chart = charts.bars(
                item.label,
                [
                    charts.Point(r.label, r.count, f"{r.count:.0f} ({r.percent})" if r.count is not None else "")
                    for r in item.rows
                ],
            )
        elif question.type in NUMERIC:
            item.kind = "numeric"
            numbers = [float(a[question.name]) for a in answers if isinstance(a.get(question.name), (int, float))]
            if len(numbers) >= survey.min_group_size:
                item.median = statistics.median(numbers)
        result.questions.append(item)
    if by:
        result.crosstabs = _crosstabs(survey, questions, answers, by, language, values, hidden)
    return result


def _crosstabs(
    survey: Survey,
    questions: list[Any],
    answers: list[dict[str, Any]],
    by: str,
    language: str,
    marginals: dict[Hashable, float],
    marginal_hidden: set[Hashable],
) -> list[CrossTab]:
    attribute = next(
        (q for q in questions if q.name == by and q.type != QuestionType.SELECT_MULTIPLE and q.has_choices), None
    )
    if attribute is None:
        return []
    tables = []
    for question in questions:
        if question.pk == attribute.pk or not question.has_choices:
            continue
        values: dict[Hashable, float] = dict(marginals)
        relations: list[Relation] = []
        both = [a for a in answers if _chosen(a.get(by)) and _chosen(a.get(question.name))]
        values[("x",)] = len(both)
        relations.append(Relation((question.name,), [("x",)], exhaustive=False))
        row_keys, column_keys = [], []
        for row in attribute.choices:
            group = [a for a in both if _chosen(a.get(by)) == [row["name"]]]
            row_key = ("xr", row["name"])
            values[row_key] = len(group)
            row_keys.append(row_key)
            relations.append(Relation((by, row["name"]), [row_key], exhaustive=False))
            counts = Counter(c for a in group for c in _chosen(a.get(question.name)))
            cells = []
            for column in question.choices:
                key = ("xc", row["name"], column["name"])
                values[key] = counts.get(column["name"], 0)
                cells.append(key)
            if question.type == QuestionType.SELECT_MULTIPLE:
                relations.extend(Relation(row_key, [c], exhaustive=False) for c in cells)
            else:
                relations.append(Relation(row_key, cells))
        relations.append(Relation(("x",), row_keys))
        for column in question.choices:
            column_key = ("xt", column["name"])
            column_cells = [("xc", row["name"], column["name"]) for row in attribute.choices]
            values[column_key] = sum(values[c] for c in column_cells)
            column_keys.append(column_key)
            relations.append(Relation(column_key, column_cells))
            relations.append(Relation((question.name, column["name"]), [column_key], exhaustive=False))
        if question.type != QuestionType.SELECT_MULTIPLE:
            relations.append(Relation(("x",), column_keys))
        hidden = disclosure.suppress(values, relations, hidden=marginal_hidden, frozen=marginals.keys())
        tables.append(
            CrossTab(
                by=by,
                by_label=attribute.label(language),
                question=question.name,
                question_label=question.label(language),
                columns=[(c["name"], question.choice_label(c["name"], language)) for c in question.choices],
                rows=[
                    (
                        r["name"],
                        attribute.choice_label(r["name"], language),
                        [
                            disclosure.shown(values[("xc", r["name"], c["name"])], ("xc", r["name"], c["name"]), hidden)
                            for c in question.choices
                        ],
                        disclosure.shown(values[("xr", r["name"])], ("xr", r["name"]), hidden),
                    )
                    for r in attribute.choices
                ],
                column_totals=[disclosure.shown(values[k], k, hidden) for k in column_keys],
                total=disclosure.shown(values[("x",)], ("x",), hidden),
            )
        )
    return tables


@dataclass
class MirrorPair:
    key: str
    left: QuestionResult
    right: QuestionResult
    rows: list[tuple[str, Row | None, Row | None]]
    chart: SafeString


def mirror(left: Results, right: Results) -> list[MirrorPair]:
    """Questions with the same mirror key side by side, by the shared scale points."""
    pairs: list[MirrorPair] = []
    if not (left.available and right.available):
        return pairs
    by_key = {q.mirror_key: q for q in right.questions if q.mirror_key and q.kind == "choices"}
    for question in left.questions:
        other = by_key.get(question.mirror_key) if question.mirror_key else None
        if other is None or question.kind != "choices":
            continue
        right_rows = {r.key: r for r in other.rows}
        rows: list[tuple[str, Row | None, Row | None]] = [(r.label, r, right_rows.get(r.key)) for r in question.rows]
        points = []
        names = (left.survey.get_audience_display(), right.survey.get_audience_display())
        for label, *sides in rows:
            for name, row in zip(names, sides, strict=True):
                share = None if row is None or row.share is None else row.share * 100
                points.append(charts.Point(f"{label} · {name}", share, row.percent if row else ""))
        pairs.append(MirrorPair(question.mirror_key, question, other, rows, charts.bars(question.label, points, 100)))
    return pairs


def table_rows(result: Results) -> list[list[Any]]:
    """Every published figure, one row each: what CSV, XLSX and the API give."""
    rows: list[list[Any]] = []
    for q in result.questions:
        rows.append([q.name, q.label, "", _("answered"), _value(q.answered), "", "" if q.median is None else q.median])
        for row in q.rows:
            rows.append([q.name, q.label, row.key, row.label, _value(row.count), row.percent, ""])
    return rows


def crosstab_rows(result: Results) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for table in result.crosstabs:
        for key, label, cells, total in table.rows:
            for (column, column_label), cell in zip(table.columns, cells, strict=True):
                rows.append([table.by, key, label, table.question, column, column_label, _value(cell)])
            rows.append([table.by, key, label, table.question, "", _("total"), _value(total)])
    return rows


def _value(value: float | None) -> Any:
    if value is None:
        return _("suppressed")
    return int(value) if float(value).is_integer() else value
