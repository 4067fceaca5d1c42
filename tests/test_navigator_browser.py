"""The employer's interview in a real browser: a Georgian worker on 30 November and on 1 December 2025."""

from __future__ import annotations

import pytest

from tests.test_browser import assert_accessible
from tests.test_navigator import GEORGIAN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_interview(page: object, base: str, as_of: str) -> str:
    page.goto(f"{base}/navigator/employer/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.fill("#id_as_of", as_of)  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    for _ in range(15):
        page.wait_for_load_state()  # type: ignore[attr-defined]
        if "/result/" in page.url:  # type: ignore[attr-defined]
            break
        fact = page.locator("form[data-fact]").get_attribute("data-fact")  # type: ignore[attr-defined]
        value = GEORGIAN[fact]
        if isinstance(value, bool):
            page.check("#id_answer_0" if value else "#id_answer_1")  # type: ignore[attr-defined]
        elif isinstance(value, int):
            page.fill("#id_answer", str(value))  # type: ignore[attr-defined]
        else:
            page.select_option("#id_answer", value)  # type: ignore[attr-defined]
        assert_accessible(page)
        page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    assert "/result/" in page.url  # type: ignore[attr-defined]
    assert_accessible(page)
    return page.locator("main").inner_text()  # type: ignore[attr-defined]


def test_a_georgian_worker_before_and_after_1_december_2025(live_server: object, page: object) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    before = run_interview(page, base, "2025-11-30")
    assert "Employer's declaration (oświadczenie)" in before and "Dz.U. 2025 poz. 621" in before
    assert "400 PLN" in before and "not yet been reviewed" in before
    page.goto(f"{base}/navigator/employer/result/?view=print")  # type: ignore[attr-defined]
    assert_accessible(page)
    after = run_interview(page, base, "2025-12-01")
    assert "Work permit type A" in after and "Dz.U. 2025 poz. 621" in after
    assert "oświadczenie" not in after.split("The law")[0]
