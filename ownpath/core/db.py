"""Database helpers shared by long jobs and by the router of a primary with replicas."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

from django.db import connection, transaction

# On SQLite, the pause after each batch of a long job: a writer waiting for the lock (its busy handler
# retries every few milliseconds) gets its turn instead of waiting for the whole job.
SQLITE_TURN_SECONDS = 0.03


def in_batches[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Yield ``items`` in chunks of ``size``, each written inside its own transaction (an error in one
    rolls back that chunk only), so that a long job never holds the database's write lock for long."""
    for start in range(0, len(items), size):
        with transaction.atomic():
            yield items[start : start + size]
        if connection.vendor == "sqlite" and start + size < len(items):
            time.sleep(SQLITE_TURN_SECONDS)
