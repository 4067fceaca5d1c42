"""Run by ``test_sqlite_writes_go_on_during_a_long_esco_load`` in a process of its own: an ESCO load in one
thread and a stream of small writes in another, on a SQLite file with the settings ``make run`` uses.
Prints a JSON line: the load's start and end, the writes that succeeded (with their times) and the errors."""

from __future__ import annotations

import json
import os
import sys
import threading
import time

import django

database, esco_dir = sys.argv[1], sys.argv[2]
os.environ.update({"DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "tests.settings"})
django.setup()

from django.db import OperationalError, connection, connections  # noqa: E402

from ownpath.core.esco import loader  # noqa: E402
from ownpath.core.esco.models import EscoConcept, EscoLabel, EscoRelation, EscoRelease  # noqa: E402

with connection.schema_editor() as editor:
    for model in (EscoConcept, EscoLabel, EscoRelation, EscoRelease):
        editor.create_model(model)

loading = threading.Event()
finished = threading.Event()
writes: list[float] = []
errors: list[str] = []


def writer() -> None:
    loading.wait(30)
    try:
        for _ in range(5000):  # bounded: the load ends long before
            if finished.is_set():
                break
            try:
                EscoRelease.objects.create(version="writer", languages=[], directory="", counts={})
                writes.append(time.monotonic())
            except OperationalError as exc:
                errors.append(str(exc))
            time.sleep(0.01)
    finally:
        connections.close_all()


thread = threading.Thread(target=writer)
thread.start()
started = time.monotonic()
loading.set()
report = loader.load(esco_dir, version="1.2.0")
ended = time.monotonic()
finished.set()
thread.join(30)
print(json.dumps({"started": started, "ended": ended, "writes": writes, "errors": errors[:5], "counts": report.counts}))
