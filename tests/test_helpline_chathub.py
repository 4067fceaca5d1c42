"""The web chat's wake-ups (ownpath.modules.helpline.chathub): a long poll is woken by a message for its
chat or its operator and by nothing else, across threads, and across processes through the database."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

from ownpath.modules.helpline import chathub, services
from ownpath.modules.helpline.models import ChatMessage
from tests.conftest import World
from tests.helpline_helpers import make_line


def test_a_message_wakes_only_the_polls_of_its_chat_and_operator() -> None:
    hub = chathub.ChatHub()
    with (
        hub.subscription(["chat:a"]) as chat_a,
        hub.subscription(["chat:b"]) as chat_b,
        hub.subscription(["operator:7"]) as operator,
    ):
        assert hub.waiting() == 3
        assert hub.publish(chathub.keys_for("a", 7)) == 2
        assert chat_a.is_set() and operator.is_set() and not chat_b.is_set()
        assert hub.publish(chathub.keys_for("c", None)) == 0
    assert hub.waiting() == 0 and hub.publish(["chat:a"]) == 0


def test_a_notification_from_another_process_wakes_and_one_from_this_process_does_not() -> None:
    hub = chathub.ChatHub()
    with hub.subscription(["chat:a"]) as event:
        assert hub.received(f"{hub.process} a ") == 0  # this process already woke its polls on commit
        assert hub.received("malformed") == 0
        assert not event.is_set()
        assert hub.received("4242-otherproc a 9") == 1
        assert event.is_set()


@pytest.mark.django_db(transaction=True)
def test_a_waiting_poll_returns_the_message_as_soon_as_it_is_committed(world: World) -> None:
    line = make_line(world)
    chat, _token = services.open_chat(line.org, language="uk")
    after = ChatMessage.objects.filter(chat=chat).order_by("-pk").values_list("pk", flat=True).first() or 0
    result: dict[str, Any] = {}

    def poll() -> None:
        started = time.monotonic()
        result["found"] = [m.text for m in services.wait_for_messages(after, 30, chat=chat)]
        result["seconds"] = time.monotonic() - started
        connection.close()

    waiter = threading.Thread(target=poll)
    waiter.start()
    for _ in range(100):  # until the poll is subscribed
        if chathub.hub.waiting():
            break
        time.sleep(0.05)
    services.send_message(chat, "Добрий день", sender="caller")
    waiter.join(40)
    assert result["found"] == ["Добрий день"]
    assert result["seconds"] < 15  # woken by the message, not by the 30-second timeout
    # Nothing new: the poll answers empty when its time is up.
    last = ChatMessage.objects.filter(chat=chat).order_by("-pk").values_list("pk", flat=True).first()
    assert services.wait_for_messages(last or 0, 0.1, chat=chat) == []


@pytest.mark.django_db(transaction=True)
def test_the_polling_watcher_announces_messages_posted_by_other_processes(world: World) -> None:
    line = make_line(world)
    chat, _token = services.open_chat(line.org, language="uk")
    hub = chathub.ChatHub()
    hub.poll_once()  # remembers where the messages end
    with hub.subscription([f"chat:{chat.pk}"]) as event:
        # Written "elsewhere": straight into the table, so no wake-up in this process.
        ChatMessage.objects.create(chat=chat, sender="caller", text="from another worker")
        assert hub.poll_once() == 1 and event.is_set()
        event.clear()
        assert hub.poll_once() == 0 and not event.is_set()  # announced once only


@pytest.mark.django_db(transaction=True)
def test_postgresql_notifications_wake_polls_in_other_processes(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    line = make_line(world)
    chat, _token = services.open_chat(line.org, language="uk")
    listening = chathub.ChatHub()
    sending = chathub.ChatHub()  # stands for another worker process
    with override_settings(OWNPATH_CHAT_WATCH=True), listening.subscription([f"chat:{chat.pk}"]) as event:
        listening.ensure_watching()
        try:
            for _ in range(50):  # the listener needs a moment to LISTEN; announce until it hears
                sending.announce(chat.pk, None)
                if event.wait(0.2):
                    break
            assert event.is_set()
        finally:
            listening._stopping.set()
