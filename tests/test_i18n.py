"""Every screen in every language: system texts kept as message ids and read in the reader's language,
dates/times/numbers by locale, names of languages and countries from CLDR, no raw codes."""

from __future__ import annotations

import importlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy

from ownpath.core import messages
from ownpath.core.choices import Role
from ownpath.core.languages import country_name, language_choices, language_name
from ownpath.core.models import Notification
from ownpath.core.services.notifications import notify_each
from tests.conftest import World, signed_in

WARSAW = ZoneInfo("Europe/Warsaw")


# Dates, times and numbers by locale ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "short", "time"),
    [
        ("pl", "03.12.2026", "14:05"),
        ("en", "03/12/2026", "14:05"),  # en-GB, not 12/03/2026
        ("uk", "03.12.2026", "14:05"),
        ("ru", "03.12.2026", "14:05"),
    ],
)
def test_dates_and_times_are_written_by_locale_in_24_hours(language: str, short: str, time: str) -> None:
    moment = datetime(2026, 12, 3, 14, 5)
    with translation.override(language):
        assert date_format(date(2026, 12, 3), "SHORT_DATE_FORMAT") == short
        assert date_format(moment, "TIME_FORMAT") == time
        assert time in date_format(moment, "DATETIME_FORMAT")
        assert "p.m." not in date_format(moment, "SHORT_DATETIME_FORMAT")


def test_polish_long_date_and_arabic_times_are_24_hour() -> None:
    moment = datetime(2026, 12, 3, 21, 30)
    with translation.override("pl"):
        assert date_format(date(2026, 12, 3)) == "03.12.2026"
        assert number_format(1234.5, decimal_pos=1, force_grouping=True) == "1\xa0234,5"
    with translation.override("ar"):
        written = date_format(moment, "DATETIME_FORMAT")
        assert "21:30" in written and "م" not in written.split("،")[-1]  # no "9:30 م"


# Names of languages and countries from CLDR -----------------------------------------------------------------


def test_language_and_country_names_come_from_cldr_in_the_readers_language() -> None:
    with translation.override("pl"):
        assert language_name("uk") == "ukraiński"
        assert language_name("ti") == "tigrinia"  # CLDR knows it; not the code
        assert country_name("BY") == "Białoruś"
        names = dict(language_choices())
        assert names["ar"] == "Arabski"  # a list starts with a capital
    with translation.override("ar"):
        assert language_name("uk") == "الأوكرانية"
        assert country_name("UA") == "أوكرانيا"
    with translation.override("uk"):
        assert language_name("prs")  # not in CLDR: our own catalogue
        assert language_name("prs") != "prs"
    assert language_name("xx-unknown") == "xx-unknown"  # an unknown code is shown, never an error


# Notifications: message ids + parameters --------------------------------------------------------------------


def test_a_notification_is_read_in_each_readers_language_and_follows_a_switch(world: World) -> None:
    counsellor = world.users[Role.COUNSELLOR]
    counsellor.preferred_language = "pl"
    counsellor.save()
    notify_each(
        [counsellor],
        gettext_lazy("A residence title expires on %(date)s"),
        body=gettext_lazy("Language: %(language)s. Open the contact to join."),
        language=messages.language("uk"),
        date=date(2026, 12, 3),
    )
    notification = Notification.objects.get(user=counsellor)
    assert notification.title_id == "A residence title expires on %(date)s"
    assert notification.params == {"date": {"$date": "2026-12-03"}, "language": {"$language": "uk"}}
    assert notification.title == "Tytuł pobytowy wygasa 03.12.2026"  # as first written, in the user's language
    with translation.override("ar"):
        assert notification.heading == "ينتهي سند الإقامة في 03\u200f/12\u200f/2026"
        assert "الأوكرانية" in notification.text and "uk" not in notification.text
    with translation.override("uk"):
        assert notification.heading == "Підстава перебування спливає 03.12.2026"
    with translation.override("en"):
        assert notification.heading == "A residence title expires on 03/12/2026"
        assert notification.text == "Language: Ukrainian. Open the contact to join."

    # The page shows it in the language the reader has switched to, not the one it was written in.
    client = signed_in(counsellor)
    client.cookies["django_language"] = "uk"
    page = client.get("/notifications/")
    assert "Підстава перебування спливає 03.12.2026" in page.content.decode()


def test_a_readers_own_words_are_kept_as_written(world: World) -> None:
    admin = world.users[Role.ORG_ADMIN]
    notify_each(
        [admin], gettext_lazy("Feedback on %(service)s"), body="Telefon nie działa", service="Legal advice", url=""
    )
    notification = Notification.objects.get(user=admin)
    assert notification.body_id == "" and notification.body == "Telefon nie działa"
    with translation.override("pl"):
        assert notification.text == "Telefon nie działa"
        assert notification.heading.endswith("Legal advice") and not notification.heading.startswith("Feedback")


def test_lazy_labels_as_parameters_are_translated_when_read(world: World) -> None:
    from ownpath.modules.helpline.choices import Risk

    user = world.users[Role.COUNSELLOR]
    notify_each(
        [user],
        gettext_lazy("Crisis on a helpline contact"),
        body=gettext_lazy("An operator marked a contact as %(risk)s. Please support them now."),
        risk=Risk.CRISIS.label,
    )
    notification = Notification.objects.get(user=user)
    assert notification.params["risk"] == {"$msg": "Psychological crisis"}
    with translation.override("pl"):
        polish = notification.text
    with translation.override("en"):
        english = notification.text
    assert "Psychological crisis" in english and "Kryzys psychiczny" in polish


def test_render_falls_back_when_a_translation_does_not_fit() -> None:
    assert messages.render("", {}, "as written") == "as written"
    assert messages.render("%(missing)s here", {}, "as written") == "as written"


# Rows written before: the data migrations recognise them -----------------------------------------------------


def test_the_migration_gives_ids_to_notifications_written_in_any_language(world: World) -> None:
    user = world.users[Role.COUNSELLOR]
    polish = Notification.objects.create(
        user=user, title="Tytuł pobytowy wygasa 2026-12-03", body="Zaplanuj z osobą wniosek o nowy tytuł na czas."
    )
    with translation.override("pl"):
        expected_body = str(gettext_lazy("Plan the application for a new title with the person in time."))
    Notification.objects.filter(pk=polish.pk).update(body=expected_body)
    english = Notification.objects.create(user=user, title="Appointment on 2026-12-08 10:00 cancelled")
    own_words = Notification.objects.create(user=user, title="Something a person wrote")
    migration = importlib.import_module("ownpath.core.migrations.0011_messages_by_id")
    migration.give_ids(django_apps, None)

    polish.refresh_from_db()
    assert polish.title_id == "A residence title expires on %(date)s"
    assert polish.body_id == "Plan the application for a new title with the person in time."
    assert polish.params == {"date": {"$date": "2026-12-03"}}
    with translation.override("uk"):
        assert polish.heading == "Підстава перебування спливає 03.12.2026"
    english.refresh_from_db()
    assert english.title_id == "Appointment on %(date)s cancelled"  # the longer text, not "Appointment on"
    with translation.override("pl"):
        assert "08.12.2026 10:00" in english.heading
    own_words.refresh_from_db()
    assert own_words.title_id == "" and own_words.heading == "Something a person wrote"


# Chat system messages ---------------------------------------------------------------------------------------


def test_chat_system_messages_are_read_in_each_sides_language(world: World) -> None:
    from ownpath.modules.helpline import services
    from ownpath.modules.helpline.models import Chat, ChatMessage

    chat = Chat.objects.create(organisation=world.ngo, language="uk", token_hash="t" * 64)
    operator = world.users["ngo_counsellor"]
    operator.first_name = "Iryna"
    with translation.override("en"):
        services._post(chat, ChatMessage.Sender.SYSTEM, gettext_lazy("%(name)s joined the chat."), name="Iryna")
    message = ChatMessage.objects.get(chat=chat)
    assert message.message_id == "%(name)s joined the chat." and message.params == {"name": "Iryna"}
    with translation.override("uk"):
        assert message.shown == "Iryna приєднується до чату."
    with translation.override("en"):
        assert message.shown == "Iryna joined the chat."

    old = ChatMessage.objects.create(chat=chat, sender="system", text="Iryna приєднується до чату.")
    migration = importlib.import_module("ownpath.modules.helpline.migrations.0003_messages_by_id")
    migration.give_ids(django_apps, None)
    old.refresh_from_db()
    assert old.message_id == "%(name)s joined the chat." and old.params == {"name": "Iryna"}
    with translation.override("ar"):
        assert old.shown != "Iryna joined the chat." and "Iryna" in old.shown
