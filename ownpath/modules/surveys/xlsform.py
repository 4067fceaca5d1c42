"""XLSForm import: a questionnaire from an ``.xlsx`` workbook (sheets ``survey``, ``choices``, ``settings``),
checked whole before anything is used. pyxform checks the form as ODK defines it; ownpath then checks what
it evaluates itself (question types it supports, every ``relevant`` / ``constraint`` / ``required`` /
``calculation`` cell in the expression subset of ``expressions.py``, references to known questions, skip
logic without circles). Every problem is reported with its sheet, row and column, all at once."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _

from ownpath.core.tabular import Problem, Sheet, SheetError, read_sheets
from ownpath.modules.surveys.expressions import ExpressionError, Node, cycle, parse, references

QUESTION_TYPES = {"integer", "decimal", "text", "date", "note", "calculate"}
# Metadata an ODK client records by itself (when, which device, who). ownpath never collects it: the rows are
# skipped, so forms written for ODK import without it.
METADATA_TYPES = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username",
                  "email", "audit", "start-geopoint", "background-audio"}  # fmt: skip
UNSUPPORTED_COLUMNS = ("choice_filter", "repeat_count")
SELECT_TYPES = {"select_one", "select_multiple"}
GROUP_TYPES = {"begin_group": "begin", "begin group": "begin", "end_group": "end", "end group": "end"}
EXPRESSION_COLUMNS = ("relevant", "constraint", "required", "calculation")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
LANGUAGE_IN_HEADER = re.compile(r"^(?P<column>[a-z_]+)::(?P<language>.+)$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]+)?$")
CODE_IN_LANGUAGE = re.compile(r"\((?P<code>[a-z]{2,3}(?:-[A-Za-z0-9]+)?)\)\s*$")
MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024


class XLSFormError(SheetError):
    pass


@dataclass
class Choice:
    name: str
    labels: dict[str, str]


@dataclass
class Question:
    name: str
    type: str  # integer | decimal | text | date | note | calculate | select_one | select_multiple
    row: int
    list_name: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    constraint_messages: dict[str, str] = field(default_factory=dict)
    group: str = ""
    expressions: dict[str, Node] = field(default_factory=dict)  # relevant | constraint | required | calculation
    texts: dict[str, str] = field(default_factory=dict)  # the same cells as written
    required: bool = False
    appearance: str = ""


@dataclass
class Form:
    title: str
    form_id: str
    languages: list[str]  # codes in the order of the columns, e.g. ["en", "pl", "ar"]
    questions: list[Question]
    choices: dict[str, list[Choice]]


def _language(header: str) -> str:
    """``English (en)`` → ``en``; a language named without a code (``English``, ``Polski``) → its code when
    Django knows the name; otherwise the name is kept (and refused by ``read``)."""
    found = CODE_IN_LANGUAGE.search(header)
    if found:
        return found.group("code")
    from django.conf.locale import LANG_INFO

    name = header.strip().lower()
    for code, info in LANG_INFO.items():
        if "name" in info and name in (info["name"].lower(), info.get("name_local", "").lower()):
            return code
    return header.strip()


def _translated(sheet: Sheet, cells: dict[str, str], column: str) -> dict[str, str]:
    texts = {}
    for header, value in cells.items():
        if header == column and value:
            texts["default"] = value
        match = LANGUAGE_IN_HEADER.match(header)
        if match and match.group("column") == column and value:
            texts[_language(match.group("language"))] = value
    return texts


def _pyxform_problems(data: bytes) -> list[Problem]:
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        convert(xlsform=io.BytesIO(data), file_type=".xlsx", validate=False)
    except PyXFormError as error:
        text = str(error)
        row = re.search(r"\[row\s*:\s*(\d+)\]", text)
        return [Problem("survey", int(row.group(1)) if row else 0, "", text)]
    except Exception as error:
        return [Problem("survey", 0, "", _("The file could not be read as an XLSForm (%(error)s).") % {
            "error": type(error).__name__})]  # fmt: skip
    return []


def read(file: BinaryIO | bytes) -> Form:
    """The form in the workbook, or ``XLSFormError`` listing every problem with sheet, row and column."""
    data = file if isinstance(file, bytes) else file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise XLSFormError([Problem("", 0, "", _("The file is larger than 10 MB."))])
    try:
        sheets = read_sheets(data, MAX_ROWS)
    except SheetError as error:
        raise XLSFormError(error.problems) from None
    survey = sheets.get("survey")
    if survey is None or "type" not in survey.headers or "name" not in survey.headers:
        raise XLSFormError(
            [Problem("survey", 1, "", _("The workbook needs a survey sheet with type and name columns."))]
        )
    problems: list[Problem] = []
    choices: dict[str, list[Choice]] = {}
    choice_sheet = sheets.get("choices")
    if choice_sheet is not None:
        for number, cells in choice_sheet.rows:
            list_name, name = cells.get("list_name", ""), cells.get("name", "")
            if not list_name or not name:
                problems.append(Problem(*choice_sheet.where(number, "name" if list_name else "list_name"),
                                        _("Each choice needs a list_name and a name.")))  # fmt: skip
                continue
            choices.setdefault(list_name, []).append(Choice(name, _translated(choice_sheet, cells, "label")))
    questions: list[Question] = []
    groups: list[str] = []
    names: dict[str, int] = {}
    cells_of: dict[str, tuple[int, dict[str, str]]] = {}
    for number, cells in survey.rows:
        raw_type = re.sub(r"\s+", " ", cells.get("type", "")).strip()
        kind, _space, list_name = raw_type.partition(" ")
        if raw_type.lower() in METADATA_TYPES:
            continue
        for column in UNSUPPORTED_COLUMNS:
            if cells.get(column):
                problems.append(Problem(*survey.where(number, column),
                                        _("ownpath does not support %(column)s.") % {"column": column}))  # fmt: skip
        if raw_type.lower() in GROUP_TYPES:
            if GROUP_TYPES[raw_type.lower()] == "begin":
                groups.append(cells.get("name", ""))
            elif groups:
                groups.pop()
            continue
        if kind in SELECT_TYPES:
            if not list_name or " " in list_name:
                problems.append(
                    Problem(*survey.where(number, "type"), _("Name the choice list after %(type)s.") % {"type": kind})
                )
                continue
            if list_name not in choices:
                problems.append(Problem(*survey.where(number, "type"),
                                        _("No choice list %(list)s on the choices sheet.") % {"list": list_name}))  # fmt: skip
        elif kind not in QUESTION_TYPES or list_name:
            problems.append(Problem(*survey.where(number, "type"),
                                    _("Unknown or unsupported question type %(type)s.") % {"type": repr(raw_type)}))  # fmt: skip
            continue
        name = cells.get("name", "")
        if not NAME.match(name):
            problems.append(
                Problem(*survey.where(number, "name"), _("A question needs a name of letters, digits and _."))
            )
            continue
        if name in names:
            problems.append(Problem(*survey.where(number, "name"),
                                    _("The name %(name)s is used twice (also row %(row)s).") % {"name": name, "row": names[name]}))  # fmt: skip
            continue
        names[name] = number
        cells_of[name] = (number, cells)
        questions.append(Question(name=name, type=kind, row=number, list_name=list_name if kind in SELECT_TYPES else "",
                                  labels=_translated(survey, cells, "label"), hints=_translated(survey, cells, "hint"),
                                  constraint_messages=_translated(survey, cells, "constraint_message"),
                                  group="/".join(g for g in groups if g), appearance=cells.get("appearance", "")))  # fmt: skip
    # Expressions, once every name is known.
    dependencies: dict[str, set[str]] = {}
    for question in questions:
        number, cells = cells_of[question.name]
        for column in EXPRESSION_COLUMNS:
            text = cells.get(column, "")
            if not text:
                continue
            if column == "required" and text.lower() in ("yes", "true", "true()"):
                question.required = True
                continue
            if column == "required" and text.lower() in ("no", "false", "false()"):
                continue
            try:
                node = parse(text)
            except ExpressionError as error:
                problems.append(Problem(*survey.where(number, column), str(error)))
                continue
            unknown = sorted(references(node) - set(names))
            if unknown:
                problems.append(Problem(*survey.where(number, column), _("No question named %(names)s.") % {
                    "names": ", ".join("${" + n + "}" for n in unknown)}))  # fmt: skip
                continue
            question.expressions[column] = node
            question.texts[column] = text
            if column != "constraint" and question.name in references(node):
                problems.append(
                    Problem(*survey.where(number, column), _("A question cannot depend on its own answer."))
                )
            elif column != "constraint":
                dependencies.setdefault(question.name, set()).update(references(node))
            elif references(node) & {question.name}:
                problems.append(
                    Problem(*survey.where(number, column), _("A constraint checks its own answer with a dot (.)."))
                )
    circle = cycle(dependencies)
    if circle:
        first = circle[0]
        column = next((c for c in ("relevant", "calculation", "required") if cells_of[first][1].get(c)), "relevant")
        problems.append(Problem(*survey.where(cells_of[first][0], column),
                                _("The conditions go round in a circle: %(chain)s.") % {"chain": " → ".join(circle)}))  # fmt: skip
    if not problems:
        problems = _pyxform_problems(data)
    if problems:
        raise XLSFormError(problems)
    settings = dict(sheets["settings"].rows[0][1]) if "settings" in sheets and sheets["settings"].rows else {}
    languages = list(dict.fromkeys(lang for q in questions for lang in q.labels if lang != "default"))
    unnamed = [lang for lang in languages if not LANGUAGE_CODE.match(lang)]
    if unnamed:
        header = next(h for h in survey.headers if h.startswith("label::") and _language(h[7:]) == unnamed[0])
        raise XLSFormError([Problem(*survey.where(1, header), _(
            "Give the language's code in brackets, e.g. label::Polski (pl): %(language)s is not one ownpath knows.")
            % {"language": unnamed[0]})])  # fmt: skip
    return Form(title=settings.get("form_title", ""), form_id=settings.get("form_id", ""), languages=languages,
                questions=questions, choices=choices)  # fmt: skip
