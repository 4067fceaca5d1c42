"""The router of a primary with a replica: only reads that may be stale go to the replica, and never for
someone who has just written (the cluster test, bench/cluster.py, checks it against a real replica)."""

from __future__ import annotations

import time
from typing import Any

from django.test import RequestFactory

from ownpath.core import db
from ownpath.core.models import Person


def test_reads_go_to_the_replica_only_when_stale_reads_are_allowed_and_nobody_wrote(monkeypatch: Any) -> None:
    router = db.PrimaryReplicaRouter()
    db._pinned.set(False)  # (an earlier test's writes pinned this thread)
    with db.stale_reads():
        assert router.db_for_read(Person) is None  # no replica configured: the primary
    monkeypatch.setattr(db, "replica_configured", lambda: True)
    assert router.db_for_read(Person) is None  # an ordinary page reads the primary
    with db.stale_reads():
        assert router.db_for_read(Person) == "replica"
        token = db._pinned.set(False)
        router.db_for_write(Person)  # the request wrote: from now on it reads its own writes
        assert router.db_for_read(Person) is None
        db._pinned.reset(token)
    assert router.allow_migrate("replica", "core") is False and router.allow_migrate("default", "core") is not False


def test_a_write_pins_the_person_to_the_primary_for_a_while(settings: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(db, "replica_configured", lambda: True)
    settings.OWNPATH_REPLICA_PIN_SECONDS = 15
    seen: list[bool] = []

    def view(request: Any) -> Any:
        from django.http import HttpResponse

        seen.append(db._pinned.get())
        return HttpResponse("ok")

    middleware = db.PrimaryPinMiddleware(view)
    factory = RequestFactory()
    get = factory.get("/hsds/services")
    middleware(get)
    post = factory.post("/directory/services/new/")
    answer = middleware(post)
    pin = answer.cookies[db.PIN_COOKIE]
    assert pin["max-age"] == 15 and int(pin.value) > time.time()
    again = factory.get("/hsds/services")
    again.COOKIES[db.PIN_COOKIE] = pin.value
    middleware(again)
    expired = factory.get("/hsds/services")
    expired.COOKIES[db.PIN_COOKIE] = str(int(time.time()) - 1)
    middleware(expired)
    forged = factory.get("/hsds/services")
    forged.COOKIES[db.PIN_COOKIE] = "not a number"
    middleware(forged)
    assert seen == [False, True, True, False, False]
