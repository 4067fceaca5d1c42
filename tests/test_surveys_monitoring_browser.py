"""Surveys and monitoring in a real browser on a phone: a coordinator imports an XLSForm in three languages
with skip logic (a circular one is refused first, with its cell named), opens it and makes a link; one person
answers in Arabic (right to left), another in Polish, where the skip logic opens a question on the same
page; the results show as charts. The monitoring dashboard, an indicator, the checklist and the open-data
page follow. axe-core checks every page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ownpath.core.choices import OrganisationKind, Role
from ownpath.modules.monitoring import aggregate, facts
from ownpath.modules.surveys.models import Response, Survey, hash_key
from tests.conftest import World
from tests.factories import OrganisationFactory
from tests.test_browser import assert_accessible, sign_in
from tests.test_xlsform import SURVEY, workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _import(page: object, base: str, data: bytes) -> None:
    page.goto(f"{base}/surveys/new/")  # type: ignore[attr-defined]
    page.set_input_files("#id_file", files=[{"name": "form.xlsx", "mimeType": XLSX, "buffer": data}])  # type: ignore[attr-defined]
    page.select_option("#import-form #id_audience", "migrants")  # type: ignore[attr-defined]
    page.fill("#import-form #id_min_group_size", "5")  # type: ignore[attr-defined]
    page.click("#import-form button[type=submit]")  # type: ignore[attr-defined]


def test_an_xlsform_is_imported_answered_in_arabic_and_polish_and_charted(
    live_server: object, page: object, browser: object, world: World
) -> None:
    coordinator = world.users[Role.MIGRATION_TEAM_COORDINATOR]
    base = live_server.url  # type: ignore[attr-defined]
    sign_in(page, base, coordinator.email)
    circular = [row[:] for row in SURVEY]
    circular[1][5] = "${hours} > 10"
    _import(page, base, workbook(circular))
    assert "row 2, column F (relevant)" in page.inner_text("#import-problems")  # type: ignore[attr-defined]
    assert_accessible(page)
    assert not Survey.objects.exists()
    _import(page, base, workbook(SURVEY))
    page.wait_for_url("**/surveys/*-*/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.click("text=Open for answers")  # type: ignore[attr-defined]
    page.fill("#id_label", "leaflet")  # type: ignore[attr-defined]
    page.click("#link-form button[type=submit]")  # type: ignore[attr-defined]
    link = page.inner_text("main li code")  # type: ignore[attr-defined]
    assert "/surveys/a/" in link

    arabic = browser.new_context(**PHONE).new_page()  # type: ignore[attr-defined]
    arabic.goto(link + "?lang=ar")
    assert arabic.get_attribute("html", "dir") == "rtl"
    assert_accessible(arabic)
    arabic.click("button[type=submit].primary")
    assert "هل تعمل؟" in arabic.inner_text("main")
    assert_accessible(arabic)
    arabic.get_by_label("نعم").check()
    arabic.click("button[value=next]")
    arabic.fill("input[name=hours]", "95")
    arabic.click("button[value=next]")
    assert arabic.locator(".error").count() == 1  # the constraint (at most 80 hours)
    assert_accessible(arabic)
    arabic.fill("input[name=hours]", "38")
    arabic.click("button[value=next]")
    assert arabic.locator("#thanks").count() == 1 and arabic.get_attribute("html", "dir") == "rtl"

    polish = browser.new_context(**PHONE).new_page()  # type: ignore[attr-defined]
    polish.goto(link + "?lang=pl")
    polish.click("button[type=submit].primary")
    assert "Czy pracujesz?" in polish.inner_text("main") and polish.get_attribute("html", "lang") == "pl"
    polish.get_by_label("Nie").check()
    polish.click("button[value=next]")
    assert polish.locator("input[name=hours]").count() == 0  # skipped: only for those who work
    polish.get_by_label("Inne").check()
    polish.click("button[value=next]")
    assert "Inna przeszkoda" in polish.inner_text("main")  # "other" chosen: the follow-up question
    assert_accessible(polish)
    polish.fill("textarea[name=other]", "Brak opieki nad dzieckiem")
    polish.click("button[value=next]")
    assert polish.locator("#thanks").count() == 1

    survey = Survey.objects.get()
    assert sorted(r.language for r in Response.objects.filter(submitted_on__isnull=False)) == ["ar", "pl"]
    for n, answers in enumerate([{"works": "yes", "hours": 20}, {"works": "no", "barriers": ["language"]},
                                 {"works": "yes", "hours": 40}]):  # fmt: skip
        Response.objects.create(survey=survey, resume_hash=hash_key(f"b{n}"), language="en", answers=answers,
                                submitted_on=date.today())  # fmt: skip
    page.goto(f"{base}/surveys/{survey.pk}/results/?by=works")  # type: ignore[attr-defined]
    assert page.locator("svg.chart").count() >= 2  # type: ignore[attr-defined]
    assert "suppressed" in page.inner_text("main")  # type: ignore[attr-defined]
    assert_accessible(page)


def test_the_monitoring_pages_are_accessible(live_server: object, page: object, world: World) -> None:
    town = OrganisationFactory(name="Harbour Town", kind=OrganisationKind.MUNICIPALITY, parent=world.county)
    other = OrganisationFactory(name="Hill Town", kind=OrganisationKind.MUNICIPALITY, parent=world.county)
    start = date.today() - timedelta(days=400)
    for n in range(160):
        on = start + timedelta(days=n * 2)
        facts.record(
            "served", f"b:{n}", occurred_on=on, person_id=-(n % 60) - 1, organisation_id=(town, other)[n % 2].pk
        )
        if n % 3 == 0:
            facts.record("employed", f"b:e:{n}", occurred_on=on + timedelta(days=40), person_id=-(n % 60) - 1,
                         organisation_id=town.pk)  # fmt: skip
    aggregate.rebuild()
    base = live_server.url  # type: ignore[attr-defined]
    sign_in(page, base, world.users[Role.MIGRATION_TEAM_COORDINATOR].email)
    page.goto(f"{base}/monitoring/?area={world.county.pk}&kind=q")  # type: ignore[attr-defined]
    assert page.locator("svg.chart").count() >= 5  # type: ignore[attr-defined]
    assert_accessible(page)
    page.click("text=People served")  # type: ignore[attr-defined]
    assert "Harbour Town" in page.inner_text("main")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.goto(f"{base}/monitoring/checklist/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.click(f"a[href*='/monitoring/checklist/{town.pk}/'] >> nth=0")  # type: ignore[attr-defined]
    page.select_option("#id_status", "in_progress")  # type: ignore[attr-defined]
    page.click("#entry-form button[type=submit]")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.goto(f"{base}/monitoring/open-data/")  # type: ignore[attr-defined]
    assert "Harbour Town" in page.inner_text("main")  # type: ignore[attr-defined]
    assert_accessible(page)
