"""XLSForm import: a form in three languages with skip logic is read whole; a cycle in the skip logic, an
unknown question type, an unsupported expression, a reference to no question and a file that is not a
workbook are refused with the sheet, row and column named."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook

from ownpath.modules.surveys import xlsform
from ownpath.modules.surveys.expressions import holds

SURVEY = [
    ["type", "name", "label::English (en)", "label::Polski (pl)", "label::العربية (ar)", "relevant", "constraint",
     "required"],
    ["select_one yes_no", "works", "Do you work?", "Czy pracujesz?", "هل تعمل؟", "", "", "yes"],
    ["integer", "hours", "Hours a week", "Godzin tygodniowo", "ساعات في الأسبوع", "${works} = 'yes'",
     ". > 0 and . <= 80", ""],
    ["select_multiple barriers", "barriers", "What stands in the way?", "Co przeszkadza?", "ما العوائق؟",
     "${works} = 'no'", "", ""],
    ["text", "other", "Other barrier", "Inna przeszkoda", "عائق آخر", "selected(${barriers}, 'other')", "", ""],
]  # fmt: skip
CHOICES = [
    ["list_name", "name", "label::English (en)", "label::Polski (pl)", "label::العربية (ar)"],
    ["yes_no", "yes", "Yes", "Tak", "نعم"],
    ["yes_no", "no", "No", "Nie", "لا"],
    ["barriers", "language", "Language", "Język", "اللغة"],
    ["barriers", "other", "Other", "Inne", "أخرى"],
]


def workbook(survey: list[list[Any]], choices: list[list[Any]] = CHOICES) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    choice_sheet = book.create_sheet("choices")
    for row in choices:
        choice_sheet.append(row)
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id"])
    settings.append(["Work and barriers", "work_barriers"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_form_in_three_languages_with_skip_logic_is_read() -> None:
    form = xlsform.read(workbook(SURVEY))
    assert form.title == "Work and barriers" and form.languages == ["en", "pl", "ar"]
    works, hours, barriers, other = form.questions
    assert (
        works.required
        and works.labels["ar"] == "هل تعمل؟"
        and [c.name for c in form.choices["yes_no"]] == ["yes", "no"]
    )
    assert holds(hours.expressions["relevant"], {"works": "yes"}) and not holds(
        hours.expressions["relevant"], {"works": "no"}
    )
    assert not holds(hours.expressions["constraint"], {}, current="90")
    assert holds(other.expressions["relevant"], {"barriers": "language other"}) and barriers.list_name == "barriers"


def problems_of(data: bytes) -> list[xlsform.Problem]:
    with pytest.raises(xlsform.XLSFormError) as error:
        xlsform.read(data)
    return error.value.problems


def test_a_circle_in_the_skip_logic_is_refused_with_its_cell() -> None:
    rows = [row[:] for row in SURVEY]
    rows[1][5] = "${hours} > 10"  # works shown when hours … and hours shown when works …
    (problem,) = problems_of(workbook(rows))
    assert (problem.sheet, problem.row, problem.column) == ("survey", 2, "F (relevant)")
    assert "works" in problem.message and "hours" in problem.message


def test_an_unknown_question_type_is_refused_with_sheet_row_and_column() -> None:
    rows = [row[:] for row in SURVEY]
    rows[2][0] = "integr"
    problem = problems_of(workbook(rows))[0]
    assert (problem.sheet, problem.row, problem.column) == ("survey", 3, "A (type)") and "integr" in str(problem)


def test_every_problem_is_reported_at_once() -> None:
    rows = [row[:] for row in SURVEY]
    rows[2][5] = "format-date(today(), '%Y') = '2026'"
    rows[3][5] = "${nobody} = 'no'"
    rows[4][1] = "barriers"  # a name used twice
    found = {(p.row, p.column) for p in problems_of(workbook(rows))}
    assert found == {(3, "F (relevant)"), (4, "F (relevant)"), (5, "B (name)")}


def test_a_select_with_a_missing_list_is_refused() -> None:
    rows = [row[:] for row in SURVEY]
    rows[1][0] = "select_one yes_or_no"
    (problem,) = problems_of(workbook(rows))
    assert (problem.row, problem.column) == (2, "A (type)") and "yes_or_no" in problem.message


def test_a_file_that_is_not_a_workbook_is_refused() -> None:
    (problem,) = problems_of(b"type,name\ninteger,age\n")
    assert "xlsx" in problem.message


def test_odk_metadata_is_skipped_and_language_names_become_codes() -> None:
    rows = [["type", "name", "label::English", "label::Polski"], ["start", "start", "", ""],
            ["deviceid", "deviceid", "", ""], ["text", "city", "Your city, ${name}?", "Twoje miasto?"],
            ["text", "name", "Name", "Imię"]]  # fmt: skip
    form = xlsform.read(workbook(rows, [["list_name", "name", "label"]]))
    assert [q.name for q in form.questions] == ["city", "name"] and form.languages == ["en", "pl"]
    unknown = [["type", "name", "label::Klingon"], ["text", "city", "Where?"]]
    (problem,) = problems_of(workbook(unknown, [["list_name", "name", "label"]]))
    assert (problem.row, problem.column) == (1, "C (label::klingon)")
    filtered = [row[:] for row in SURVEY]
    filtered[0].append("choice_filter")
    filtered[3].append("filter = ${works}")
    (problem,) = problems_of(workbook(filtered))
    assert (problem.row, problem.column) == (4, "I (choice_filter)")
