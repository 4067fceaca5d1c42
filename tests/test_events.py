"""The event catalogue: every published event is declared with a typed payload, handlers of undeclared
events fail the system check, a failing handler raises under tests, and docs/events.md is current."""

from __future__ import annotations

from typing import Any, TypedDict

import pytest
from django.core.management import call_command

from ownpath.core import events
from ownpath.core.checks import check_event_subscriptions, event_errors
from ownpath.core.registry import Event, registry
from ownpath.modules import available_modules


class Ping(TypedDict):
    n: int


def test_the_committed_events_doc_is_current() -> None:
    call_command("events_doc", "--check")  # `manage.py events_doc` rewrites it


def test_each_enabled_module_declares_what_it_publishes_and_every_subscription_is_declared() -> None:
    owners = {name.split(".", 1)[0] for name in registry.events}
    assert {"core", "counselling", "booking", "employers", "helpline", "training", "mentoring"} <= owners
    assert all(event.doc and event.required for event in registry.events.values())
    assert check_event_subscriptions() == []


def test_a_handler_of_an_undeclared_event_fails_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    # Counselling renames an event monitoring counts: the subscriber's old name is now an error.
    monkeypatch.setattr(registry, "event_handlers", {**registry.event_handlers, "counselling.session_hold": (print,)})
    (error,) = event_errors(registry, available_modules())
    assert error.id == "ownpath.E003" and "counselling.session_hold" in error.msg
    # A module present but not enabled in this deployment may be subscribed to: its events never come.
    monkeypatch.setattr(registry, "modules", {k: v for k, v in registry.modules.items() if k != "counselling"})
    assert event_errors(registry, available_modules()) == []
    # An owner that is no module at all is a typo.
    monkeypatch.setattr(registry, "event_handlers", {"counseling.session_held": (print,)})
    assert [e.id for e in event_errors(registry, available_modules())] == ["ownpath.E003"]


def test_publishing_an_undeclared_event_or_another_payload_raises() -> None:
    with pytest.raises(events.UndeclaredEvent):
        events.publish("counselling.no_such_event", person_id=1)
    with pytest.raises(TypeError, match=r"missing \['consent_id'\], undeclared \['name'\]"):
        events.publish(events.CONSENT_WITHDRAWN, person_id=1, purpose="x", name="Olena")


def test_a_failing_handler_raises_under_tests_and_is_only_logged_in_production(
    monkeypatch: pytest.MonkeyPatch, settings: Any, django_capture_on_commit_callbacks: Any, db: None
) -> None:
    seen: list[int] = []

    def broken(**payload: Any) -> None:
        raise RuntimeError("handler broke")

    monkeypatch.setattr(registry, "events", {**registry.events, "core.ping": Event("core.ping", Ping, "test")})
    monkeypatch.setattr(registry, "event_handlers", {"core.ping": (broken, lambda n: seen.append(n))})
    assert settings.OWNPATH_EVENTS_RAISE
    with pytest.raises(RuntimeError, match="handler broke"), django_capture_on_commit_callbacks(execute=True):
        events.publish("core.ping", n=1)
    settings.OWNPATH_EVENTS_RAISE = False
    with django_capture_on_commit_callbacks(execute=True):
        events.publish("core.ping", n=2)
    assert seen == [2]
