"""The helpline in a real browser on a phone: an operator logs a Ukrainian call about unpaid wages, gets a
suggested article and a legal-advice service, records consent and hands the caller over, and the hand-over
appears at the counselling centre; in a second browser context a migrant chats with an operator."""

from __future__ import annotations

import pytest

from ownpath.core.models import Handover
from ownpath.modules.helpline.models import Contact
from tests.conftest import World
from tests.helpline_helpers import make_line, topic
from tests.test_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _directory() -> None:
    from ownpath.modules.directory import demo
    from tests.factories import OrganisationFactory

    for slug, name, *_rest in demo.ORGANISATIONS:
        OrganisationFactory(slug=slug, name=name)
    demo.load()


def test_a_ukrainian_call_is_handed_over_and_a_web_chat_runs(
    live_server: object, page: object, browser: object, world: World
) -> None:
    line = make_line(world)
    _directory()
    base = live_server.url  # type: ignore[attr-defined]
    sign_in(page, base, line.operator.email)
    page.goto(f"{base}/helpline/contacts/new/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.select_option("#id_language", "uk")  # type: ignore[attr-defined]
    page.check(f"input[name=topics][value='{topic('unpaid_wages').pk}']")  # type: ignore[attr-defined]
    page.fill("#id_keywords", "зарплата")  # type: ignore[attr-defined]
    # htmx refreshes the suggestions while the operator types: an article and a legal-advice service.
    page.wait_for_selector(f"#art-{line.article.pk}")  # type: ignore[attr-defined]
    page.wait_for_selector("input[name=services]")  # type: ignore[attr-defined]
    services_text = page.locator("#suggestions").inner_text()  # type: ignore[attr-defined]
    assert "Legal" in services_text or "legal" in services_text or "prawn" in services_text
    assert_accessible(page)
    page.check(f"#art-{line.article.pk}")  # type: ignore[attr-defined]
    page.locator("input[name=services]").first.check()  # type: ignore[attr-defined]
    page.fill("#id_information", "Explained how to claim wages in writing.")  # type: ignore[attr-defined]
    page.click("#contact-form button[type=submit]:not([name=suggest])")  # type: ignore[attr-defined]
    page.wait_for_url("**/helpline/contacts/*/")  # type: ignore[attr-defined]
    contact = Contact.objects.get()
    assert contact.language == "uk" and list(contact.articles.all()) == [line.article] and contact.services
    assert_accessible(page)

    page.click("text=Hand over to a counselling centre")  # type: ignore[attr-defined]
    page.select_option("#id_to_organisation", str(world.centre.pk))  # type: ignore[attr-defined]
    page.fill("#id_name", "Олена Коваль")  # type: ignore[attr-defined]
    page.fill("#id_phone", "+48 600 123 456")  # type: ignore[attr-defined]
    # Without the recorded consent the hand-over is refused and nothing is sent.
    page.click("form[action$='/handover/'] button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector(".messages .msg.error")  # type: ignore[attr-defined]
    assert Handover.objects.count() == 0
    page.click("text=Hand over to a counselling centre")  # type: ignore[attr-defined]
    page.select_option("#id_to_organisation", str(world.centre.pk))  # type: ignore[attr-defined]
    page.fill("#id_name", "Олена Коваль")  # type: ignore[attr-defined]
    page.fill("#id_phone", "+48 600 123 456")  # type: ignore[attr-defined]
    page.check("#id_consent_given")  # type: ignore[attr-defined]
    page.click("form[action$='/handover/'] button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector(".messages .msg.success")  # type: ignore[attr-defined]
    handover = Handover.objects.get()
    assert handover.to_organisation == world.centre

    counsellor_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)  # type: ignore[attr-defined]
    counsellor = counsellor_context.new_page()
    sign_in(counsellor, base, world.users["counsellor"].email)
    counsellor.goto(f"{base}/counselling/handovers/")
    counsellor.wait_for_selector(f"a[href='/counselling/handovers/{handover.pk}/']")
    assert_accessible(counsellor)
    counsellor.click(f"a[href='/counselling/handovers/{handover.pk}/']")
    counsellor.wait_for_selector("text=Олена")
    assert_accessible(counsellor)
    counsellor_context.close()

    # A migrant opens a web chat without an account, in a second browser context; the operator answers.
    migrant_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)  # type: ignore[attr-defined]
    migrant = migrant_context.new_page()
    migrant.goto(f"{base}/helpline/chat/")
    migrant.select_option("#id_language", "uk")
    assert_accessible(migrant)
    migrant.click("form.stack button[type=submit] >> nth=0")
    migrant.wait_for_url("**/helpline/chat/*/")
    migrant.fill("#id_text", "Добрий день! Роботодавець не платить.")
    migrant.click("#chat-form button[type=submit]:not([name=action])")
    migrant.wait_for_selector("text=Роботодавець не платить")
    assert_accessible(migrant)

    page.goto(f"{base}/helpline/chats/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.click("form[action$='/pick/'] button")  # type: ignore[attr-defined]
    page.wait_for_url("**/helpline/chats/*/")  # type: ignore[attr-defined]
    page.wait_for_selector("text=Роботодавець не платить")  # type: ignore[attr-defined]
    page.fill("#id_text", "Вітаю! Розкажіть, будь ласка, більше.")  # type: ignore[attr-defined]
    page.click("#chat-form button[type=submit]:not([name=action])")  # type: ignore[attr-defined]
    migrant.wait_for_selector("text=Розкажіть, будь ласка, більше", timeout=10000)  # arrives by long poll
    migrant.fill("#id_text", "Два місяці.")
    migrant.click("#chat-form button[type=submit]:not([name=action])")
    page.wait_for_selector("text=Два місяці", timeout=10000)  # type: ignore[attr-defined]
    assert_accessible(page)
    migrant_context.close()
    chat_contact = Contact.objects.get(channel="web_chat")
    assert chat_contact.operator == line.operator and chat_contact.chat.messages.filter(sender="caller").count() == 2
