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
# Every spelling of a type that pyxform accepts (its current names, the legacy ones and the "q …" / "add …
# prompt" forms) → the ownpath type. Spellings of types ownpath does not collect are refused by name.
TYPE_SPELLINGS = {
    "integer": ("integer", "int", "q int", "add integer prompt"),
    "decimal": ("decimal", "q decimal", "add decimal prompt"),
    "text": ("text", "string", "q string", "add text prompt", "phone number"),
    "date": ("date", "q date", "add date prompt"),
    "note": ("note", "q note", "add note prompt"),
    "calculate": ("calculate", "q calculate", "add calculate prompt"),
}
TYPE_OF = {spelling: kind for kind, spellings in TYPE_SPELLINGS.items() for spelling in spellings}
# Metadata an ODK client records by itself (when, which device, who). ownpath never collects it: the rows are
# skipped, so forms written for ODK import without it (every spelling pyxform knows).
METADATA_TYPES = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username",
                  "email", "audit", "start-geopoint", "background-audio", "background-geopoint", "imei",
                  "start time", "end time", "get start time", "get end time", "get today", "device id",
                  "get device id", "sim id", "get sim id", "subscriber id", "get subscriber id", "get phone number",
                  "uri:subscriberid", "uri:phonenumber", "uri:simserial", "uri:deviceid", "uri:username",
                  "uri:email"}  # fmt: skip
UNSUPPORTED_COLUMNS = ("choice_filter", "repeat_count")
SELECT_TYPES = {"select_one", "select_multiple"}
# Every spelling pyxform accepts for a select question, longest first so "select one from" wins over "select one".
SELECT_SPELLINGS = sorted({
    "select_one": "select_one", "select one": "select_one", "select1": "select_one", "select one from": "select_one",
    "select one using": "select_one", "add select one prompt using": "select_one", "q select1": "select_one",
    "select_multiple": "select_multiple", "select all that apply": "select_multiple",
    "select all that apply from": "select_multiple", "select multiple from": "select_multiple",
    "select multiple using": "select_multiple", "add select multiple prompt using": "select_multiple",
    "q select": "select_multiple",
}.items(), key=lambda item: -len(item[0]))  # fmt: skip
OR_OTHER = (" or_other", " or specify other")
GROUP_TYPES = {"begin_group": "begin", "begin group": "begin", "end_group": "end", "end group": "end"}
REPEAT_TYPES = {"begin_repeat", "begin repeat", "begin loop", "begin_loop", "begin looped group", "begin lgroup"}
# Column spellings pyxform accepts → the name ownpath reads. Languages follow as ``column::Language`` or, in
# older forms, ``column:Language`` (one colon).
COLUMN_ALIASES = {
    "list name": "list_name", "caption": "label", "relevance": "relevant", "calculate": "calculation",
    "constraining_message": "constraint_message", "jr:constraintmsg": "constraint_message",
    "count": "repeat_count", "jr:count": "repeat_count", "requiredmsg": "required_message",
    "jr:requiredmsg": "required_message",
}  # fmt: skip
CHOICE_COLUMN_ALIASES = {**COLUMN_ALIASES, "value": "name"}
SETTINGS_ALIASES = {"title": "form_title", "set_form_title": "form_title", "id_string": "form_id",
                    "set_form_id": "form_id"}  # fmt: skip
TRANSLATED_COLUMNS = {"label", "hint", "constraint_message", "required_message", "guidance_hint", "image",
                      "big-image", "audio", "video"}  # fmt: skip
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


def _canonical_header(header: str, aliases: dict[str, str]) -> str:
    """A header as ownpath reads it, from any spelling pyxform accepts: ``list name`` → ``list_name``,
    ``label:English`` → ``label::english``, ``jr:constraintMsg::Polski (pl)`` → ``constraint_message::polski
    (pl)``."""
    header = re.sub(r"\s+", " ", header.strip().lower())
    for group in ("bind:", "control:", "body:"):  # pyxform's grouped spelling, e.g. bind:relevant
        if header.startswith(group) and header[len(group) :]:
            header = header[len(group) :]
    if header in aliases:
        return aliases[header]
    column, separator, language = header.partition("::")
    if not separator:
        column, separator, language = header.rpartition(":")
        if not separator or aliases.get(column, column) not in TRANSLATED_COLUMNS:
            return header
    column = column.strip()
    return f"{aliases.get(column, column)}::{language.strip()}"


def _canonical(sheet: Sheet | None, aliases: dict[str, str]) -> Sheet | None:
    """The sheet with its headers spelled as ownpath reads them (when two spell the same column, the first)."""
    if sheet is None:
        return None
    names = {header: _canonical_header(header, aliases) for header in sheet.headers}
    headers: dict[str, int] = {}
    for header, column in sheet.headers.items():
        headers.setdefault(names[header], column)
    kept = {header for header in sheet.headers if headers[names[header]] == sheet.headers[header]}
    rows = [(number, {names[h]: v for h, v in cells.items() if h in kept}) for number, cells in sheet.rows]
    return Sheet(sheet.name, headers, rows)


def _type(raw_type: str) -> tuple[str, str, bool]:
    """(ownpath type or the type as written, choice list, ``or_other``) of a ``type`` cell in any spelling."""
    lowered = raw_type.lower()
    for spelling, kind in SELECT_SPELLINGS:
        if lowered == spelling:
            return kind, "", False
        if lowered.startswith(spelling + " "):
            rest, other = raw_type[len(spelling) + 1 :].strip(), False
            for suffix in OR_OTHER:
                if rest.lower().endswith(suffix):
                    rest, other = rest[: -len(suffix)].strip(), True
            return kind, rest, other
    if lowered in TYPE_OF:
        return TYPE_OF[lowered], "", False
    kind, _space, rest = raw_type.partition(" ")
    return kind, rest, False


def _pyxform(data: bytes) -> tuple[list[Problem], dict]:
    """pyxform's problems with the workbook, or the form as pyxform reads it (its internal JSON)."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        result = convert(xlsform=io.BytesIO(data), validate=False, form_name="data")
    except PyXFormError as error:
        text = str(error)
        row = re.search(r"\[row\s*:\s*(\d+)\]", text)
        return [Problem("survey", int(row.group(1)) if row else 0, "", text)], {}
    except Exception as error:
        return [Problem("survey", 0, "", _("The file could not be read as an XLSForm (%(error)s).") % {
            "error": type(error).__name__})], {}  # fmt: skip
    return [], result._pyxform or {}


def _texts_of(value: object) -> set[str]:
    if isinstance(value, dict):
        return {str(v).strip() for v in value.values() if str(v).strip()}
    return {str(value).strip()} if value and str(value).strip() else set()


def _losses(form: Form, pyxform_form: dict, survey: Sheet, skipped: set[str]) -> list[Problem]:
    """What pyxform reads in the workbook that ownpath's form would not keep: a question, a label, a hint or
    an option. ``read`` refuses the file then instead of importing less than was there."""
    ours = {q.name: q for q in form.questions}
    rows = {cells.get("name", ""): number for number, cells in survey.rows}
    problems: list[Problem] = []

    def lost(name: str, column: str, message: str, option: str = "") -> None:
        problems.append(Problem(*survey.where(rows.get(name, 0), column), message % {"name": name, "option": option}))

    def walk(children: list[dict]) -> None:
        for child in children:
            name, kind = child.get("name", ""), child.get("type", "")
            if kind == "group" or kind == "survey":
                if name != "meta":
                    walk(child.get("children", []))
                continue
            if name in skipped or name not in rows:  # a row ownpath skips, or one pyxform makes up itself
                continue
            question = ours.get(name)
            if question is None:
                lost(name, "type", _("ownpath would not keep the question %(name)s, so the file is not imported."))
                continue
            if not _texts_of(child.get("label")) <= set(question.labels.values()):
                lost(name, "label", _("ownpath would not keep a label of %(name)s, so the file is not imported."))
            if not _texts_of(child.get("hint")) <= set(question.hints.values()):
                lost(name, "hint", _("ownpath would not keep a hint of %(name)s, so the file is not imported."))
            message = (child.get("bind") or {}).get("jr:constraintMsg")
            if not _texts_of(message) <= set(question.constraint_messages.values()):
                lost(
                    name,
                    "constraint_message",
                    _("ownpath would not keep a constraint message of %(name)s, so the file is not imported."),
                )
            options = {c.name: c for c in form.choices.get(question.list_name, [])}
            for option in child.get("choices", []) or []:
                mine = options.get(str(option.get("name", "")))
                if mine is None or not _texts_of(option.get("label")) <= set(mine.labels.values()):
                    lost(name, "type", _("ownpath would not keep the option %(option)s of %(name)s, so the file is not "
                                         "imported."), str(option.get("name", "")))  # fmt: skip

    walk(pyxform_form.get("children", []))
    return problems


def read(file: BinaryIO | bytes) -> Form:  # noqa: C901 (to split, issue 22)
    """The form in the workbook, or ``XLSFormError`` listing every problem with sheet, row and column."""
    data = file if isinstance(file, bytes) else file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise XLSFormError([Problem("", 0, "", _("The file is larger than 10 MB."))])
    try:
        sheets = read_sheets(data, MAX_ROWS)
    except SheetError as error:
        raise XLSFormError(error.problems) from None
    if "survey" not in sheets and len(sheets) == 1:  # a lone sheet is the survey, as pyxform reads it
        sheets["survey"] = next(iter(sheets.values()))
    survey = _canonical(sheets.get("survey"), COLUMN_ALIASES)
    if survey is None or "type" not in survey.headers or "name" not in survey.headers:
        raise XLSFormError(
            [Problem("survey", 1, "", _("The workbook needs a survey sheet with type and name columns."))]
        )
    problems: list[Problem] = []
    choices: dict[str, list[Choice]] = {}
    choice_sheet = _canonical(sheets.get("choices"), CHOICE_COLUMN_ALIASES)
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
    skipped: set[str] = set()
    for number, cells in survey.rows:
        raw_type = re.sub(r"\s+", " ", cells.get("type", "")).strip()
        if not raw_type and not cells.get("name"):
            continue  # a comment row, which pyxform skips too
        kind, list_name, or_other = _type(raw_type)
        if raw_type.lower() in METADATA_TYPES:
            skipped.add(cells.get("name", ""))
            continue
        if raw_type.lower() in REPEAT_TYPES:
            problems.append(Problem(*survey.where(number, "type"), _(
                "ownpath does not support repeats (%(type)s): each question is answered once.") % {
                "type": raw_type}))  # fmt: skip
            continue
        if raw_type.lower() in ("end_repeat", "end repeat", "end loop", "end_loop"):
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
        if or_other and list_name in choices:
            # pyxform's "or_other": an option "other" and a text question shown when it is chosen.
            if not any(c.name == "other" for c in choices[list_name]):
                choices[list_name].append(Choice("other", {"default": "Other"}))
            other = f"{name}_other"
            if other in names:
                problems.append(Problem(*survey.where(number, "type"), _(
                    "The name %(name)s is used twice (also row %(row)s).") % {"name": other, "row": names[other]}))  # fmt: skip
                continue
            names[other] = number
            cells_of[other] = (number, {"relevant": f"selected(${{{name}}}, 'other')"})
            questions.append(Question(name=other, type="text", row=number, labels={"default": "Specify other."},
                                      group=questions[-1].group))  # fmt: skip
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
    pyxform_form: dict = {}
    if not problems:
        problems, pyxform_form = _pyxform(data)
    if problems:
        raise XLSFormError(problems)
    settings_sheet = _canonical(sheets.get("settings"), SETTINGS_ALIASES)
    settings = dict(settings_sheet.rows[0][1]) if settings_sheet is not None and settings_sheet.rows else {}
    texts = [*(q.labels for q in questions), *(q.hints for q in questions), *(q.constraint_messages for q in questions),
             *(c.labels for options in choices.values() for c in options)]  # fmt: skip
    languages = list(dict.fromkeys(lang for text in texts for lang in text if lang != "default"))
    unnamed = [lang for lang in languages if not LANGUAGE_CODE.match(lang)]
    if unnamed:
        sheet, header = next((sheet, h) for sheet in (survey, choice_sheet) if sheet is not None
                             for h in sheet.headers if "::" in h and _language(h.split("::", 1)[1]) == unnamed[0])  # fmt: skip
        raise XLSFormError([Problem(*sheet.where(1, header), _(
            "Give the language's code in brackets, e.g. label::Polski (pl): %(language)s is not one ownpath knows.")
            % {"language": unnamed[0]})])  # fmt: skip
    form = Form(title=settings.get("form_title", ""), form_id=settings.get("form_id", ""), languages=languages,
                questions=questions, choices=choices)  # fmt: skip
    losses = _losses(form, pyxform_form, survey, skipped)
    if losses:
        raise XLSFormError(losses)
    return form
