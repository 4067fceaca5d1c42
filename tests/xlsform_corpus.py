"""XLSForm as pyxform reads it: each workbook of pyxform's own test suite (``tests/data/pyxform``) is read by
pyxform and by ownpath, and the outcome is one of

* ``pyxform refuses``: not a valid form; left out of the share;
* ``imported``: ownpath keeps every question, label, hint, option and expression pyxform reads (checked here
  against pyxform's own reading, independently of ``xlsform.read``), the survey can be answered to the end
  page by page, and its download passes pyxform and reads back equal;
* ``refused``: ownpath names the sheet, row and column of every problem and says what it does not support;
* ``silent loss`` / ``unlocated refusal`` / ``not answerable`` / ``round trip differs``: defects.

Used by ``tests/test_xlsform_corpus.py`` (CI) and ``bench/xlsform_corpus.py`` (the figures)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.utils.datastructures import MultiValueDict

CORPUS = Path(__file__).resolve().parent / "data" / "pyxform"
IMPORTED, REFUSED, PYXFORM_REFUSES = "imported", "refused", "pyxform refuses"
DEFECTS = ("silent loss", "unlocated refusal", "not answerable", "round trip differs")


@dataclass
class Outcome:
    name: str
    status: str
    details: list[str] = field(default_factory=list)


def forms() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".xls", ".xlsx"))


def pyxform_reading(data: bytes) -> dict | None:
    from pyxform.xls2xform import convert

    try:
        return convert(xlsform=io.BytesIO(data), validate=False, form_name="data")._pyxform or {}
    except Exception:
        return None


def _texts(value: Any) -> set[str]:
    if isinstance(value, dict):
        return {str(v).strip() for v in value.values() if str(v).strip()}
    return {str(value).strip()} if value not in (None, "") and str(value).strip() else set()


def _pyxform_questions(children: list[dict]) -> list[dict]:
    found = []
    for child in children:
        if child.get("type") in ("group", "repeat") or "children" in child:
            if child.get("name") != "meta":
                found += _pyxform_questions(child.get("children", []))
        elif "jr:preload" not in (child.get("bind") or {}):
            found.append(child)
    return found


def losses(reading: dict, questions: list[Any]) -> list[str]:
    """What pyxform reads in the form and the stored questions lack (metadata rows ownpath skips aside)."""
    from ownpath.modules.surveys.xlsform import METADATA_TYPES

    stored = {q.name: q for q in questions}
    lost = []
    for item in _pyxform_questions(reading.get("children", [])):
        name, bind = item.get("name", ""), item.get("bind") or {}
        if item.get("type") in METADATA_TYPES or item.get("type") in ("deviceid", "subscriberid", "simserial"):
            continue
        if name.startswith(("generated_table_list_label_", "reserved_name_for_field_list_labels_")):
            continue  # pyxform makes these up for a table-list group; they are not in the workbook
        question = stored.get(name)
        if question is None:
            lost.append(f"question {name} ({item.get('type')})")
            continue
        if not _texts(item.get("label")) <= set(question.labels.values()):
            lost.append(f"label of {name}: {item.get('label')!r} → {question.labels!r}")
        if not _texts(item.get("hint")) <= set(question.hints.values()):
            lost.append(f"hint of {name}")
        if not _texts(bind.get("jr:constraintMsg")) <= set(question.constraint_messages.values()):
            lost.append(f"constraint message of {name}")
        options = {c["name"]: c for c in question.choices}
        for option in item.get("choices") or []:
            mine = options.get(str(option.get("name")))
            if mine is None or not _texts(option.get("label")) <= set(mine["labels"].values()):
                lost.append(f"option {option.get('name')} of {name}")
        for column, field_name in (("relevant", "relevant"), ("constraint", "constraint"),
                                   ("calculate", "calculation")):  # fmt: skip
            if str(bind.get(column, "")).strip() and not getattr(question, field_name):
                lost.append(f"{column} of {name}")
        required = str(bind.get("required", "")).strip()
        if required and required not in ("false()", "no", "false") and not (question.required or question.required_if):
            lost.append(f"required of {name}")
    return lost


CANDIDATES = {
    "text": ["ok", "12345", "yes"],
    "integer": ["1", "0", "5", "18", "30", "100", "-1"],
    "decimal": ["1.5", "0", "10", "50", "100"],
    "date": [date.today().isoformat(), "2000-01-01", "1990-06-15", "2030-01-01"],
}


def answerable(survey: Any, questions: list[Any]) -> str:
    """'' when the survey can be answered to the end, page by page, as a respondent would; else why not."""
    from ownpath.modules.surveys import collect

    state = collect.State(survey, {}, questions)
    page_index = state.next_page(-1)
    steps = 0
    while page_index is not None:
        steps += 1
        if steps > 500:
            return "does not end"
        page = state.pages[page_index]
        shown = {q.name for q in state.shown(page)}
        tries: dict[str, int] = {}
        while True:
            posted: MultiValueDict = MultiValueDict()
            for question in page.questions:
                if question.name in shown and question.answered:
                    options = [c["name"] for c in question.choices] or CANDIDATES.get(question.type, ["ok"])
                    posted.setlist(question.name, [options[tries.get(question.name, 0) % len(options)]])
            result = collect.answer_page(state, page, posted, shown, survey.languages[0])
            if result.appeared:
                shown |= set(result.appeared)
                continue
            if not result.errors:
                break
            for name in result.errors:
                tries[name] = tries.get(name, 0) + 1
            if max(tries.values()) > 8:
                return f"page {page_index}: {result.errors}"
        page_index = state.next_page(page_index)
    return ""


def _shape(question: Any) -> tuple:
    return (question.name, question.type, question.labels, question.hints, question.choices, question.group,
            question.relevant, question.constraint, question.required, question.required_if, question.calculation,
            question.constraint_messages)  # fmt: skip


def check(path: Path) -> Outcome:
    from ownpath.modules.surveys import services, xlsform
    from ownpath.modules.surveys.export import to_xlsform
    from ownpath.modules.surveys.models import Survey

    data = path.read_bytes()
    reading = pyxform_reading(data)
    if reading is None:
        return Outcome(path.name, PYXFORM_REFUSES)
    try:
        form = xlsform.read(data)
    except xlsform.XLSFormError as error:
        unlocated = [str(p) for p in error.problems if not (p.sheet and p.row and p.column)]
        if unlocated:
            return Outcome(path.name, "unlocated refusal", unlocated)
        return Outcome(path.name, REFUSED, [str(p) for p in error.problems])
    survey = Survey(form_id=form.form_id or "form", titles={"en": form.title or "form"},
                    languages=form.languages or ["en"])  # fmt: skip
    questions = services.questions_from_form(form, survey)
    lost = losses(reading, questions)
    if lost:
        return Outcome(path.name, "silent loss", lost)
    why = answerable(survey, questions)
    if why:
        return Outcome(path.name, "not answerable", [why])
    exported = to_xlsform(survey, questions)
    if pyxform_reading(exported) is None:
        return Outcome(path.name, "round trip differs", ["pyxform refuses the download"])
    try:
        again = services.questions_from_form(xlsform.read(exported), survey)
    except xlsform.XLSFormError as error:
        return Outcome(path.name, "round trip differs", [str(p) for p in error.problems])
    differences = [f"{a.name}: {_shape(a)} != {_shape(b)}" for a, b in zip(questions, again, strict=False)
                   if _shape(a) != _shape(b)]  # fmt: skip
    if len(again) != len(questions) or differences:
        return Outcome(path.name, "round trip differs", differences or ["the number of questions"])
    return Outcome(path.name, IMPORTED)


def run() -> list[Outcome]:
    return [check(path) for path in forms()]
