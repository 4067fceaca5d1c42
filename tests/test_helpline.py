"""The helpline: contacts, returning callers, crisis, knowledge base, hand-over to counselling through core,
callbacks, who is on duty, web chat, statistics with suppression, retention, access and the API."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from ownpath.core.models import AuditEvent, Handover, Notification, Person
from ownpath.core.services import gdpr
from ownpath.core.services import people as people_service
from ownpath.modules.helpline import selectors, services
from ownpath.modules.helpline.models import Callback, Chat, ChatMessage, Contact
from tests.conftest import World, signed_in
from tests.helpline_helpers import Line, make_line, topic

NUMBER = "+48 600 123 456"


@pytest.fixture
def line(world: World) -> Line:
    return make_line(world)


def _call(line: Line, **values: object) -> Contact:
    base = {"channel": "phone", "language": "uk", "started_at": timezone.now() - timedelta(minutes=20)}
    base.update(values)
    number = str(base.pop("caller_number", ""))
    return services.save_contact(line.operator, line.org, base, caller_number=number)


# --- Contacts and returning callers --------------------------------------------------------------------


def test_a_returning_caller_is_recognised_without_the_number_being_stored(line: Line) -> None:
    first = _call(line, caller_number=NUMBER, topics=[topic("unpaid_wages")])
    second = _call(line, caller_number="+48600123456")  # written differently, same number
    assert second.caller_key and second.caller_key == first.caller_key
    assert selectors.earlier_contacts(second) == [first]
    # Nothing in the helpline's tables holds the number, in any spelling.
    with connection.cursor() as cursor:
        for table in ("helpline_contact", "helpline_callback", "helpline_chat", "core_auditevent"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608  (fixed table names)
            dump = json.dumps(cursor.fetchall(), default=str)
            assert "600123456" not in dump.replace(" ", "") and "600 123 456" not in dump
    page = signed_in(line.operator).get(reverse("helpline:contact", args=[second.pk])).content.decode()
    assert "Returning caller" in page and NUMBER not in page


def test_a_contact_ending_before_it_starts_is_refused_and_nothing_is_saved(line: Line) -> None:
    start = timezone.now() - timedelta(minutes=10)
    with override("en"), pytest.raises(ValidationError) as error:
        _call(line, started_at=start, ended_at=start - timedelta(minutes=1), topics=[topic("housing")])
    assert "cannot end before it starts" in str(error.value)
    assert Contact.objects.count() == 0


def test_an_unknown_language_code_is_refused_with_the_code_named(line: Line) -> None:
    with override("en"), pytest.raises(ValidationError) as error:
        _call(line, language="xx")
    assert "xx" in str(error.value) and Contact.objects.count() == 0


def test_notes_never_hold_a_phone_number(line: Line) -> None:
    with override("en"), pytest.raises(ValidationError) as error:
        _call(line, notes=f"Call her back on {NUMBER}")
    assert "phone numbers" in str(error.value) and Contact.objects.count() == 0


def test_notes_are_encrypted_at_rest(line: Line) -> None:
    contact = _call(line, notes="Works at a warehouse, afraid to lose the job.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM helpline_contact WHERE id = %s", [contact.pk])
        (stored,) = cursor.fetchone()
    assert "warehouse" not in stored
    assert Contact.objects.get(pk=contact.pk).notes.startswith("Works at")


def test_a_crisis_opens_the_checklist_and_alerts_the_supervisor(line: Line, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    contact = _call(line, risk="crisis", topics=[topic("psychological_crisis")])
    assert contact.crisis_opened_at is not None
    assert Notification.objects.filter(user=line.supervisor, url__endswith=f"/contacts/{contact.pk}/").exists()
    services.tick_crisis(line.operator, contact, ["safety", "psychologist", "not-an-item"])
    assert [i["item"] for i in Contact.objects.get(pk=contact.pk).crisis_checklist] == ["safety", "psychologist"]
    page = signed_in(line.operator).get(reverse("helpline:contact", args=[contact.pk])).content.decode()
    assert "Crisis protocol" in page and 'value="safety" id="crisis-safety" checked' in page


def test_every_read_of_a_contact_is_audited(line: Line) -> None:
    contact = _call(line)
    signed_in(line.operator).get(reverse("helpline:contact", args=[contact.pk]))
    assert AuditEvent.objects.filter(
        action="read", object_type="helpline.contact", object_id=str(contact.pk), actor_id=line.operator.pk
    ).exists()


# --- Knowledge base --------------------------------------------------------------------------------------


def test_suggestions_follow_typing_topics_and_the_callers_language(line: Line) -> None:
    assert [s.article for s in selectors.suggest("uk", "зарпл")] == [line.article]  # an unfinished word
    assert [s.article for s in selectors.suggest("uk", "", ["unpaid_wages"])] == [line.article]
    assert selectors.suggest("uk", "квартира") == []
    # Not yet in Polish: found through the fallback language, and flagged as such.
    found = selectors.suggest("pl", "зарплата", fallback_language="uk")
    assert found and not found[0].translated and found[0].language == "uk"
    services.translate_article(
        line.supervisor, line.article, "pl", title="Niewypłacone wynagrodzenie", body="Zapisuj godziny pracy."
    )
    found = selectors.suggest("pl", "wynagro")
    assert found and found[0].translated and found[0].title == "Niewypłacone wynagrodzenie"


def test_changing_the_original_makes_translations_outdated(line: Line) -> None:
    services.translate_article(line.supervisor, line.article, "pl", title="Wynagrodzenie", body="Tekst.")
    assert services.translation_status(line.article)["pl"] == "human"
    services.save_article(
        line.supervisor,
        line.org,
        title="Невиплачена зарплата",
        body="Новий текст.",
        language="uk",
        topics=[topic("unpaid_wages")],
        status="published",
        article=line.article,
    )
    assert services.translation_status(line.article)["pl"] == "outdated"
    # An outdated translation is not offered: the original is, flagged.
    shown = selectors.suggest("pl", "", ["unpaid_wages"])
    assert shown == [] or not shown[0].translated


# --- Hand-over to counselling through core ---------------------------------------------------------------


def _hand_over(line: Line, world: World, contact: Contact, **kwargs: object) -> Contact:
    values: dict[str, object] = {
        "to_organisation": world.centre,
        "consent_given": True,
        "consent_statement": "Agreed aloud to pass name, phone and reason to the centre.",
        "name": "Олена Коваль (Olena Koval)",
        "phone": NUMBER,
        "summary": "Two months unpaid.",
    }
    values.update(kwargs)
    return services.hand_over(line.operator, contact, **values)  # type: ignore[arg-type]


def test_a_hand_over_without_consent_is_refused_and_saves_nothing(line: Line, world: World) -> None:
    contact = _call(line)
    with override("en"), pytest.raises(ValidationError) as error:
        _hand_over(line, world, contact, consent_given=False)
    assert "agreed" in str(error.value)
    assert Handover.objects.count() == 0
    assert Contact.objects.get(pk=contact.pk).handover_id is None


def test_the_hand_over_appears_at_the_counselling_centre_and_its_answer_comes_back(
    line: Line,
    world: World,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    contact = _call(line, topics=[topic("unpaid_wages")])
    with django_capture_on_commit_callbacks(execute=True):
        _hand_over(line, world, contact)
    handover = Handover.objects.get()
    assert handover.to_organisation == world.centre and handover.source_ref == str(contact.pk)
    counsellor = world.users["counsellor"]
    assert Notification.objects.filter(
        user=counsellor, url=reverse("counselling:handover", args=[handover.pk])
    ).exists()
    client = signed_in(counsellor)
    assert "Unpaid wages" in client.get(reverse("counselling:handovers")).content.decode()
    # Someone of another organisation cannot see it.
    assert (
        signed_in(world.users["ngo_counsellor"]).get(reverse("counselling:handover", args=[handover.pk])).status_code
        == 404
    )
    page = client.get(reverse("counselling:handover", args=[handover.pk])).content.decode()
    assert "Олена" in page and "Olena" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("counselling:handover", args=[handover.pk]),
            {
                "decision": "accept",
                "given_name_native": "Олена",
                "family_name_native": "Коваль",
                "given_name": "Olena",
                "family_name": "Koval",
            },
        )
    person = Person.objects.get(given_name="Olena", family_name="Koval")
    assert response.status_code == 302 and person.organisation == world.centre and person.phone == NUMBER
    handover.refresh_from_db()
    assert handover.status == "accepted" and handover.person == person and handover.contact_phone == ""
    assert Contact.objects.get(pk=contact.pk).handover_status == "accepted"


def test_a_declined_hand_over_needs_a_reason(line: Line, world: World) -> None:
    contact = _call(line)
    _hand_over(line, world, contact)
    handover = Handover.objects.get()
    client = signed_in(world.users["counsellor"])
    response = client.post(reverse("counselling:handover", args=[handover.pk]), {"decision": "decline", "reason": ""})
    assert response.status_code == 400
    assert Handover.objects.get().status == "open"


# --- Operators, callbacks, opening hours ---------------------------------------------------------------


def test_who_can_take_a_call_in_tigrinya_now(line: Line) -> None:
    found = selectors.on_duty([line.org.pk], language="ti")
    assert [d.user for d in found] == [line.interpreter] and found[0].interprets and found[0].level == "native"
    assert selectors.on_duty([line.org.pk], language="so") == []
    page = signed_in(line.operator).get(reverse("helpline:console") + "?language=ti").content.decode()
    assert "Senait" in page


def test_a_callback_goes_to_an_operator_who_speaks_the_language(line: Line) -> None:
    callback = services.request_callback(
        line.operator, line.org, language="uk", due_at=timezone.now() + timedelta(hours=1), phone=NUMBER
    )
    assert callback.assigned_to == line.operator
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM helpline_callback WHERE id = %s", [callback.pk])
        assert "600" not in cursor.fetchone()[0]
    with override("en"), pytest.raises(ValidationError):
        services.request_callback(
            line.operator, line.org, language="uk", due_at=timezone.now() - timedelta(days=1), phone=NUMBER
        )
    with pytest.raises(ValidationError):
        services.request_callback(line.operator, line.org, language="uk", due_at=timezone.now(), phone="call me")
    assert Callback.objects.count() == 1


def test_out_of_hours_the_chat_shows_the_message_in_the_callers_language(line: Line) -> None:
    from ownpath.modules.helpline.models import Closure, OutOfHoursMessage

    today = timezone.localdate()
    Closure.objects.create(organisation=line.org, starts=today, ends=today, reason="Holiday")
    OutOfHoursMessage.objects.create(organisation=line.org, language="uk", text="Лінія зачинена. Телефонуйте завтра.")
    client = Client()
    client.cookies["django_language"] = "uk"
    page = client.get(reverse("helpline:chat_start")).content.decode()
    assert "Лінія зачинена" in page
    with pytest.raises(ValidationError):
        services.open_chat(line.org, language="uk")


# --- Web chat ----------------------------------------------------------------------------------------------


def test_a_web_chat_without_an_account_becomes_a_contact_with_its_messages(line: Line) -> None:
    chat, token = services.open_chat(line.org, language="uk", client_id="device-1")
    assert services.chat_for_token(token) == chat and services.chat_for_token("forged") is None
    services.send_message(chat, "Добрий день", sender="caller")
    with pytest.raises(PermissionDenied):
        services.send_message(chat, "Not mine", sender="operator", author=line.supervisor)
    chat = services.pick_up_chat(line.operator, chat)
    with pytest.raises(ValidationError):
        services.pick_up_chat(line.supervisor, chat)
    assert chat.contact.channel == "web_chat" and chat.contact.operator == line.operator
    before = ChatMessage.objects.filter(chat=chat).order_by("pk").last().pk  # type: ignore[union-attr]
    services.send_message(chat, "Вітаю! Чим допомогти?", sender="operator", author=line.operator)
    found = services.wait_for_messages(before, 0, chat=chat)
    assert [m.text for m in found] == ["Вітаю! Чим допомогти?"]
    services.close_chat(None, chat)
    assert Contact.objects.get(pk=chat.contact_id).ended_at is not None
    with pytest.raises(ValidationError):
        services.send_message(chat, "more", sender="caller")
    # The same device opening a new chat later is a returning caller.
    again, _token = services.open_chat(line.org, language="uk", client_id="device-1")
    assert again.caller_key == chat.caller_key


def test_the_chat_pages_work_without_javascript(line: Line) -> None:
    client = Client()
    response = client.post(reverse("helpline:chat_start"), {"language": "uk", "helpline": line.org.pk})
    assert response.status_code == 302
    room = response["Location"]
    assert client.post(room, {"text": "Привіт"}).status_code == 302
    assert "Привіт" in client.get(room).content.decode()
    poll = client.get(room + "poll/?after=0&wait=0").json()
    assert [m["text"] for m in poll["messages"] if m["sender"] == "caller"] == ["Привіт"]
    assert Client().get("/helpline/chat/not-a-token/").status_code == 404


# --- Statistics, retention ---------------------------------------------------------------------------------


def test_statistics_suppress_small_counts_even_by_subtraction(line: Line) -> None:
    for _ in range(10):
        _call(line, language="uk", outcome="information")
    for _ in range(3):
        _call(line, language="ar", outcome="information")
    for _ in range(6):
        _call(line, language="ru", outcome="service")
    data = selectors.statistics([line.org.pk], timezone.localdate() - timedelta(days=1), timezone.localdate())
    languages = dict(next(t for t in data["tables"] if t.key == "language").rows)
    assert data["total"] == 19
    assert languages["Arabic"] is None  # 3: hidden
    assert languages["Russian"] is None  # the next smallest, so 19 - 10 does not reveal the 3
    assert languages["Ukrainian"] == 10
    csv_text = signed_in(line.supervisor).get(reverse("helpline:stats_csv")).content.decode()
    assert "language,Arabic,suppressed" in csv_text and ",3\r\n" not in csv_text
    page = signed_in(line.supervisor).get(reverse("helpline:stats"))
    assert page.status_code == 200 and "<svg" in page.content.decode()


def test_the_retention_sweep_scrubs_identifying_details_and_keeps_the_statistics(line: Line) -> None:
    old = _call(line, caller_number=NUMBER, notes="Warehouse in Pruszcz.", topics=[topic("housing")])
    chat, _token = services.open_chat(line.org, language="uk")
    services.send_message(chat, "Моє ім'я Олена", sender="caller")
    chat = services.pick_up_chat(line.operator, chat)
    long_ago = timezone.now() - timedelta(days=91)
    Contact.objects.filter(pk__in=[old.pk, chat.contact_id]).update(started_at=long_ago)
    recent = _call(line, caller_number=NUMBER, notes="Recent.")
    report = gdpr.build_retention_report()
    gdpr.apply_retention_report(report)
    old.refresh_from_db()
    assert old.notes == "" and old.caller_key == "" and old.details_erased_at is not None
    assert list(old.topics.values_list("code", flat=True)) == ["housing"] and old.language == "uk"
    assert not ChatMessage.objects.filter(chat=chat).exists()
    recent.refresh_from_db()
    assert recent.notes == "Recent." and recent.caller_key


# --- Access for every role, and the API --------------------------------------------------------------------


STAFF_PAGES = [
    "helpline:console",
    "helpline:contact_new",
    "helpline:callbacks",
    "helpline:articles",
    "helpline:chats",
    "helpline:profile",
]
SUPERVISOR_PAGES = ["helpline:shifts", "helpline:hours", "helpline:topics", "helpline:stats"]


def test_every_page_for_every_role(line: Line, world: World) -> None:
    contact = _call(line)
    anonymous = Client()
    for name in STAFF_PAGES + SUPERVISOR_PAGES:
        assert anonymous.get(reverse(name)).status_code == 302, name
        assert signed_in(world.users["employer_contact"]).get(reverse(name)).status_code == 403, name
        assert signed_in(line.supervisor).get(reverse(name)).status_code == 200, name
    for name in STAFF_PAGES:
        assert signed_in(line.operator).get(reverse(name)).status_code == 200, name
    for name in SUPERVISOR_PAGES:
        assert signed_in(line.operator).get(reverse(name)).status_code == 403, name
    # A contact is seen only by staff of its helpline: others get 404, so ids reveal nothing.
    url = reverse("helpline:contact", args=[contact.pk])
    assert signed_in(line.interpreter).get(url).status_code == 200
    for role in ("counsellor", "helpline_operator", "network_admin", "auditor", "employer_contact"):
        assert signed_in(world.users[role]).get(url).status_code == 404, role
    assert anonymous.get(url).status_code == 302
    assert anonymous.get(reverse("helpline:chat_start")).status_code == 200


def test_the_api_has_the_same_rules_and_refuses_bad_input(line: Line, world: World) -> None:
    client = signed_in(line.operator)
    response = client.post(
        "/api/v1/helpline/contacts",
        {"channel": "phone", "language": "uk", "topics": ["unpaid_wages"], "caller_number": NUMBER},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    contact_id = response.json()["id"]
    bad = client.post(
        "/api/v1/helpline/contacts", {"channel": "phone", "language": "zz"}, content_type="application/json"
    )
    assert bad.status_code in (400, 422) and "zz" in bad.content.decode()
    end_first = client.patch(
        f"/api/v1/helpline/contacts/{contact_id}",
        {"ended_at": (timezone.now() - timedelta(days=1)).isoformat()},
        content_type="application/json",
        headers={"If-Match": "*"},
    )
    assert end_first.status_code in (400, 422)
    assert Contact.objects.count() == 1 and Contact.objects.get().ended_at is None
    no_consent = client.post(
        f"/api/v1/helpline/contacts/{contact_id}/handover",
        {"to_organisation_id": world.centre.pk, "name": "Olena Koval", "phone": NUMBER},
        content_type="application/json",
    )
    assert no_consent.status_code in (400, 422) and Handover.objects.count() == 0
    suggestions = client.get("/api/v1/helpline/suggest", {"language": "uk", "topics": ["unpaid_wages"]}).json()
    assert suggestions["articles"][0]["id"] == str(line.article.pk)
    assert client.get(f"/api/v1/helpline/contacts/{contact_id}").json()["returning_caller"] is False
    assert Client().get("/api/v1/helpline/contacts").status_code == 401
    assert signed_in(world.users["counsellor"]).get(f"/api/v1/helpline/contacts/{contact_id}").status_code in (403, 404)
    assert signed_in(line.operator).get("/api/v1/helpline/stats").status_code == 403
    opened = Client().post("/api/v1/helpline/chats", {"language": "uk"}, content_type="application/json")
    assert opened.status_code == 201
    token = opened.json()["token"]
    sent = Client().post(
        f"/api/v1/helpline/chats/{token}/messages", {"text": "Привіт"}, content_type="application/json"
    )
    assert sent.status_code == 201
    assert Chat.objects.get().messages.filter(sender="caller").count() == 1


def test_a_hand_over_of_someone_already_on_record_offers_their_record_first(line: Line, world: World) -> None:
    counsellor = world.users["counsellor"]
    yusuf = people_service.create_person(
        counsellor, world.centre, {"given_name_native": "يوسف", "family_name_native": "الحمصي"}
    )
    _hand_over(line, world, _call(line), name="Youssef Alhomsi")
    handover = Handover.objects.get()
    client = signed_in(counsellor)
    url = reverse("counselling:handover", args=[handover.pk])
    accept = {"decision": "accept", "given_name": "Youssef", "family_name": "Alhomsi"}
    before = Person.objects.count()
    response = client.post(url, accept)
    page = response.content.decode()
    assert response.status_code == 400 and Person.objects.count() == before
    assert f'value="{yusuf.pk}"' in page and "يوسف" in page and Handover.objects.get().status == "open"
    response = client.post(url, {**accept, "existing": yusuf.pk})
    assert response.status_code == 302 and Person.objects.count() == before
    handover.refresh_from_db()
    yusuf.refresh_from_db()
    assert handover.status == "accepted" and handover.person == yusuf and yusuf.phone == NUMBER
