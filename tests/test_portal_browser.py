"""The portal in a real browser on a phone: find an open Ukrainian-speaking legal advice service within
5 km, in Ukrainian; read a service in Arabic, right to left; print a leaflet; axe-core on every page."""

from __future__ import annotations

from datetime import time

import pytest

from ownpath.modules.directory import demo, taxonomy
from ownpath.modules.directory.models import OpeningHours, Service
from tests.factories import OrganisationFactory
from tests.test_browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(db: None) -> None:
    for slug, name, *_rest in demo.ORGANISATIONS:
        OrganisationFactory(slug=slug, name=name)
    demo.load()
    # Whatever the hour the suite runs, the Ukrainian legal advice is open; the Arabic one is not.
    legal = Service.objects.get(pk=demo._id("service", "legal-uk"))
    OpeningHours.objects.filter(service=legal).delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(service=legal, weekday=day, opens=time(0, 0), closes=time(23, 59, 59)) for day in range(7)
    )
    OpeningHours.objects.filter(service_id=demo._id("service", "legal-ar")).delete()


def choose_language(page: object, base: str, language: str) -> None:
    page.goto(f"{base}/portal/")  # type: ignore[attr-defined]
    page.select_option("#lang-switch", language)  # type: ignore[attr-defined]
    page.click("form.lang button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector(f"html[lang={language}]")  # type: ignore[attr-defined]


def test_find_open_ukrainian_legal_advice_within_5_km_in_ukrainian(
    live_server: object, page: object, directory: None
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    choose_language(page, base, "uk")
    assert page.locator("h1").inner_text() == "Знайдіть допомогу поруч"  # type: ignore[attr-defined]
    assert_accessible(page)
    page.goto(f"{base}/portal/services/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.select_option("#id_need", taxonomy.term_id("legal_advice"))  # type: ignore[attr-defined]
    page.select_option("#id_speaks", "uk")  # type: ignore[attr-defined]
    page.fill("#id_postcode", "80-827")  # type: ignore[attr-defined]
    page.select_option("#id_radius", "5")  # type: ignore[attr-defined]
    page.check("#id_open_now")  # type: ignore[attr-defined]
    page.click("form[role=search] button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("#results")  # type: ignore[attr-defined]
    results = page.locator("ul.steps > li")  # type: ignore[attr-defined]
    assert results.count() == 1
    card = results.first.inner_text()
    assert "Юридична консультація щодо перебування та роботи" in card and "Зараз відчинено" in card and "км" in card
    assert_accessible(page)
    results.first.locator("a").first.click()
    page.wait_for_selector("h1")  # type: ignore[attr-defined]
    assert "Юридична консультація" in page.locator("h1").inner_text()  # type: ignore[attr-defined]
    assert "Що взяти з собою" in page.content()  # type: ignore[attr-defined]
    assert_accessible(page)
    # Bad input is explained on the page, in Ukrainian.
    page.goto(f"{base}/portal/services/?postcode=%3C%3E")  # type: ignore[attr-defined]
    assert "Введіть поштовий індекс" in page.locator(".error-summary").inner_text()  # type: ignore[attr-defined]
    assert_accessible(page)


def test_read_a_service_in_arabic_and_print_a_leaflet(live_server: object, page: object, directory: None) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    choose_language(page, base, "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"  # type: ignore[attr-defined]
    assert_accessible(page)
    page.goto(f"{base}/portal/services/{demo._id('service', 'legal-ar')}/")  # type: ignore[attr-defined]
    assert page.locator("html").get_attribute("dir") == "rtl"  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == "استشارة قانونية بالعربية والإنجليزية"  # type: ignore[attr-defined]
    assert "مترجمة آليًا" in page.content()  # type: ignore[attr-defined]
    assert_accessible(page)
    page.click("form[action$='/leaflet/'] button")  # type: ignore[attr-defined]
    page.wait_for_selector(".msg.success")  # type: ignore[attr-defined]
    page.goto(f"{base}/portal/services/{demo._id('service', 'polish-a1')}/")  # type: ignore[attr-defined]
    page.click("form[action$='/leaflet/'] button")  # type: ignore[attr-defined]
    page.goto(f"{base}/portal/leaflet/")  # type: ignore[attr-defined]
    assert page.locator("ul.steps > li").count() == 2  # type: ignore[attr-defined]
    assert_accessible(page)
    href = page.locator("a.button").get_attribute("href")  # type: ignore[attr-defined]
    response = page.request.get(f"{base}/portal/leaflet/{href}")  # type: ignore[attr-defined]
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_a_person_signs_in_with_a_code_and_asks_for_the_link(
    live_server: object, page: object, directory: None
) -> None:
    import re

    from django.core import mail

    base = live_server.url  # type: ignore[attr-defined]
    choose_language(page, base, "ar")
    page.goto(f"{base}/portal/account/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.fill("#id_address", "not an address")  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    assert page.locator(".error-summary").is_visible()  # type: ignore[attr-defined]
    assert_accessible(page)
    page.fill("#id_address", "mariam@example.org")  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    page.wait_for_url("**/portal/account/code/")  # type: ignore[attr-defined]
    assert_accessible(page)
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    page.fill("#id_code", code)  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    page.wait_for_url("**/portal/account/")  # type: ignore[attr-defined]
    assert page.locator("#id_given_name").is_visible()  # type: ignore[attr-defined]
    assert page.locator("html").get_attribute("dir") == "rtl"  # type: ignore[attr-defined]
    assert_accessible(page)
