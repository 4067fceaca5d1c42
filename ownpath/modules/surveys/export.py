"""A survey back to XLSForm (``survey``, ``choices`` and ``settings`` sheets), readable by ``xlsform.read``,
pyxform and ODK tools. Scales go out as ``select_one`` with the ``likert`` appearance, which is how they
come back in."""

from __future__ import annotations

from ownpath.core.languages import language_name
from ownpath.core.tabular import xlsx_bytes
from ownpath.modules.surveys.models import Question, QuestionType, Survey


def _header(column: str, code: str) -> str:
    return f"{column}::{language_name(code)} ({code})"


def to_xlsform(survey: Survey, questions: list[Question] | None = None) -> bytes:
    """The survey as an XLSForm workbook (``questions``: not yet saved ones instead of the stored ones)."""
    languages = survey.languages or ["en"]
    questions = list(survey.questions.all()) if questions is None else questions
    survey_header = ["type", "name"]
    for column in ("label", "hint", "constraint_message"):
        survey_header += [_header(column, code) for code in languages]
    survey_header += ["relevant", "constraint", "required", "calculation", "appearance"]
    rows: list[list[str]] = []
    blank = [""] * (len(survey_header) - 2)
    open_groups: list[str] = []
    for question in questions:
        path = question.group.split("/") if question.group else []
        shared = 0
        while shared < min(len(path), len(open_groups)) and path[shared] == open_groups[shared]:
            shared += 1
        while len(open_groups) > shared:  # close the groups this question is not in, innermost first
            open_groups.pop()
            rows.append(["end_group", "", *blank])
        for name in path[shared:]:  # and open the ones it is in
            open_groups.append(name)
            rows.append(["begin_group", name, *blank])
        kind = question.type
        list_name = question.list_name or question.name
        if kind == QuestionType.SCALE:
            kind = f"select_one {list_name}"
        elif kind in (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE):
            kind = f"{kind} {list_name}"
        row = [kind, question.name]
        for texts in (question.labels, question.hints, question.constraint_messages):
            row += [texts.get(code, "") for code in languages]
        required = "yes" if question.required else question.required_if
        row += [question.relevant, question.constraint, required, question.calculation,
                "likert" if question.type == QuestionType.SCALE else ""]  # fmt: skip
        rows.append(row)
    rows += [["end_group", "", *blank] for _group in open_groups]
    choice_header = ["list_name", "name"] + [_header("label", code) for code in languages]
    choice_rows: list[list[str]] = []
    seen: set[str] = set()
    for question in questions:
        list_name = question.list_name or question.name
        if question.has_choices and list_name not in seen:
            seen.add(list_name)
            for choice in question.choices:
                choice_rows.append(
                    [list_name, choice["name"]] + [choice.get("labels", {}).get(c, "") for c in languages]
                )
    settings = [
        ["form_title", "form_id", "default_language"],
        [survey.title(languages[0]), survey.form_id, f"{language_name(languages[0])} ({languages[0]})"],
    ]
    return xlsx_bytes(
        [
            ("survey", survey_header, rows),
            ("choices", choice_header, choice_rows),
            ("settings", settings[0], settings[1:]),
        ]
    )
