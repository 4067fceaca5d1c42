"""The navigator in a real browser at 390x844, in Ukrainian: a migrant's and an employer's interview, with
axe-core on every page. The pages address the migrant as "you", explain the answer (the trace), show the
rule's dates, give the employer a dated timeline, and show no country code or English office name."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.test_browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GEORGIAN = {
    "citizenship": "GE",
    "residence_title": "national_visa",
    "visa_purpose": "06",
    "legal_stay": True,
    "has_karta_polaka": False,
    "full_time_student_pl": False,
    "graduate_in_country": False,
    "existing_declaration": False,
    "work_kind": "standard",
    "employer_in_country": True,
    "duration_months": 12,
    "working_time_fte": 1,
}
MOLDOVAN = {**GEORGIAN, "citizenship": "MD", "residence_title": "visa_free", "visa_purpose": None}
ENGLISH_OFFICES = ("Voivode", "County labour office", "Polish consulate", "Office for Foreigners")


def answer_all(page: Any, answers: dict[str, Any]) -> list[str]:
    """Answers every question; axe-core checks one question page of each kind of field (list, yes/no,
    number: the same template otherwise) and the result."""
    questions: list[str] = []
    checked: set[str] = set()
    for _ in range(20):
        page.wait_for_load_state()
        if "/result/" in page.url:
            break
        fact = page.locator("form[data-fact]").get_attribute("data-fact")
        questions.append(page.locator("form[data-fact] label").first.inner_text())
        value = answers[fact]
        kind = type(value).__name__
        if kind not in checked:
            checked.add(kind)
            assert_accessible(page)
        if isinstance(value, bool):
            page.check("#id_answer_0" if value else "#id_answer_1")
        elif isinstance(value, int | float):
            page.fill("#id_answer", str(value))
        else:
            page.select_option("#id_answer", value)
        page.click("button[type=submit].primary")
    assert "/result/" in page.url
    assert_accessible(page)
    return questions


def start(page: Any, base: str, audience: str, as_of: str, start_date: str = "") -> None:
    page.context.add_cookies([{"name": "django_language", "value": "uk", "url": base}])
    page.goto(f"{base}/navigator/{audience}/")
    assert_accessible(page)
    page.fill("#id_as_of", as_of)
    if start_date:
        page.fill("#id_start_date", start_date)
    page.click("button[type=submit].primary")


def assert_in_reader_language(text: str) -> None:
    assert not re.search(r"\b(GE|MD|PL|IN)\b", text), "a bare country code is shown"
    assert not any(name in text for name in ENGLISH_OFFICES), "an English office name is shown"


def test_a_migrant_in_ukrainian_is_addressed_as_you_and_sees_why(live_server: Any, page: Any) -> None:
    base = live_server.url
    start(page, base, "migrant", "2026-02-01")
    questions = answer_all(page, GEORGIAN)
    assert questions[0].startswith("Яке у вас громадянство?") and "працівник" not in " ".join(questions)
    text = page.locator("main").inner_text()
    assert "Дозвіл на роботу типу A" in text and "Польща" in text and "Грузія" in text
    assert "Чому така відповідь" in text and "Правила, що застосовуються" in text
    assert "чинне з 2025-06-01" in text and "Dz.U. 2025 poz. 621" in text
    assert "Ще не перевірено юристом." in text and "400 PLN" in text
    assert "Воєвода" in text and "Urząd Wojewódzki" in text
    assert page.locator('bdi[lang="pl"]', has_text="Urząd Wojewódzki").count() >= 1
    assert_in_reader_language(text.replace("Urząd Wojewódzki", "").replace("Konsulat RP", ""))
    page.goto(f"{base}/navigator/migrant/result/?view=print")
    assert_accessible(page)


def test_an_employer_in_ukrainian_gets_a_dated_timeline(live_server: Any, page: Any) -> None:
    base = live_server.url
    start(page, base, "employer", "2026-03-02", start_date="2026-04-01")
    answer_all(page, {k: v for k, v in MOLDOVAN.items() if v is not None})
    text = page.locator("main").inner_text()
    assert "Заява роботодавця" in text and "Графік" in text
    timeline = page.locator("[data-timeline]").inner_text()
    assert "2026-04-01" in timeline and "2026-04-08" in timeline and "2026-04-15" in timeline
    assert "400 PLN" in timeline and "Повітовий центр зайнятості" in timeline
    assert "Ви (роботодавець)" in text and "Молдова" in text
    assert "Правила, що теж підходять, але поступаються" in text
    assert_in_reader_language(text.replace("Powiatowy Urząd Pracy", "").replace("Konsulat RP", ""))
