"""Wake-ups for the web chat's long polls.

A long poll (the caller's or the operator's) subscribes to keys - ``chat:<id>`` for one chat,
``operator:<user id>`` for every chat an operator holds - and sleeps on its own ``threading.Event``
without holding a database connection. A message posted in this process wakes exactly the polls subscribed
to its chat and operator when its transaction commits; nothing else is woken and nobody re-queries.

Other processes (several web workers) are reached through the database:

* on PostgreSQL the post sends ``NOTIFY ownpath_helpline_chat`` inside its transaction (so it is delivered
  only if the message is committed) and one listener thread per process turns notifications into wake-ups;
* on other databases one watcher thread per process asks once a second for messages newer than the last
  it saw (one query per process, not one per waiting poll).

The watcher thread starts with the first long poll when ``OWNPATH_CHAT_WATCH`` is true (the default outside
the test settings; a single-process deployment, like ``make run``, does not need it).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection, connections

logger = logging.getLogger(__name__)

CHANNEL = "ownpath_helpline_chat"


def keys_for(chat_id: Any, operator_id: Any) -> list[str]:
    """The subscription keys a message in this chat wakes."""
    keys = [f"chat:{chat_id}"]
    if operator_id:
        keys.append(f"operator:{operator_id}")
    return keys


class ChatHub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: dict[str, set[threading.Event]] = {}
        self._watcher: threading.Thread | None = None
        self._stopping = threading.Event()
        # Messages this process has already announced, so the polling watcher does not announce them again.
        self._announced: deque[int] = deque(maxlen=10_000)
        self._high_water: int | None = None
        self.process = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"

    # --- in this process ---------------------------------------------------------------------------

    def publish(self, keys: Iterable[str], message_id: int | None = None) -> int:
        """Wake the polls subscribed to any of ``keys``; returns how many were woken."""
        woken: set[threading.Event] = set()
        with self._lock:
            if message_id is not None:
                self._announced.append(message_id)
            for key in keys:
                woken.update(self._waiters.get(key, ()))
        for event in woken:
            event.set()
        return len(woken)

    @contextmanager
    def subscription(self, keys: Iterable[str]) -> Iterator[threading.Event]:
        keys = list(keys)
        event = threading.Event()
        with self._lock:
            for key in keys:
                self._waiters.setdefault(key, set()).add(event)
        try:
            yield event
        finally:
            with self._lock:
                for key in keys:
                    waiting = self._waiters.get(key)
                    if waiting is not None:
                        waiting.discard(event)
                        if not waiting:
                            del self._waiters[key]

    def waiting(self) -> int:
        with self._lock:
            return sum(len(w) for w in self._waiters.values())

    # --- across processes --------------------------------------------------------------------------

    def announce(self, chat_id: Any, operator_id: Any) -> None:
        """Called inside the posting transaction: tell the other processes (PostgreSQL only; the polling
        watcher of other databases finds the message by itself)."""
        if connection.vendor == "postgresql":
            payload = " ".join([self.process, str(chat_id), str(operator_id or "")])
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, payload])

    def received(self, payload: str) -> int:
        """A notification from the database: wake the polls it concerns unless this process sent it."""
        parts = payload.split(" ")
        if len(parts) != 3 or parts[0] == self.process:
            return 0
        return self.publish(keys_for(parts[1], parts[2]))

    def poll_once(self) -> int:
        """The polling watcher's one step: announce the messages newer than the last seen ones."""
        from ownpath.modules.helpline.models import ChatMessage

        if self._high_water is None:
            self._high_water = ChatMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            return 0
        rows = list(
            ChatMessage.objects.filter(pk__gt=self._high_water)
            .order_by("pk")
            .values_list("pk", "chat_id", "chat__operator_id")[:5000]
        )
        with self._lock:
            announced = set(self._announced)
        woken = 0
        for pk, chat_id, operator_id in rows:
            self._high_water = max(self._high_water, pk)
            if pk not in announced:
                woken += self.publish(keys_for(chat_id, operator_id))
        return woken

    def ensure_watching(self) -> None:
        if self._watcher is not None or not settings.OWNPATH_CHAT_WATCH:
            return
        with self._lock:
            if self._watcher is not None:
                return
            target = self._listen if connection.vendor == "postgresql" else self._poll
            self._watcher = threading.Thread(target=target, name="ownpath-chat-watch", daemon=True)
            self._watcher.start()

    def _poll(self) -> None:
        while not self._stopping.wait(1.0):
            try:
                self.poll_once()
            except Exception:  # the watcher must survive a database restart
                logger.exception("chat watcher: polling failed")
            finally:
                connections.close_all()

    def _listen(self) -> None:
        import psycopg
        import psycopg.conninfo

        if settings.OWNPATH_LISTEN_DATABASE_URL:
            # Straight to PostgreSQL: LISTEN needs a session of its own, which PgBouncer's transaction
            # pooling does not give (NOTIFY, sent inside the posting transaction, goes through it fine).
            import dj_database_url

            db = dj_database_url.parse(settings.OWNPATH_LISTEN_DATABASE_URL)
        else:
            db = settings.DATABASES["default"]
        params = {
            "dbname": db.get("NAME"),
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
            **{k: v for k, v in (db.get("OPTIONS") or {}).items() if isinstance(v, str | int) and k != "pool"},
        }
        conninfo = psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in params.items() if v is not None})
        while not self._stopping.is_set():
            try:
                with psycopg.connect(conninfo, autocommit=True) as listener:
                    listener.execute(f"LISTEN {CHANNEL}")
                    while not self._stopping.is_set():
                        for note in listener.notifies(timeout=5.0):
                            self.received(note.payload)
            except Exception:
                logger.exception("chat watcher: listening failed; retrying in 5 s")
                time.sleep(5)


hub = ChatHub()
