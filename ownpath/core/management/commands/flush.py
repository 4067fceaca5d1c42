"""Django's flush (empties every table; the test runner uses it after transactional tests). On SQLite the
audit log's append-only triggers would refuse it, so they are lifted for its duration; on PostgreSQL flush
TRUNCATEs as the owner, which the row trigger does not see and the application's role may not do."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from ownpath.core.dbroles import sqlite_audit_triggers_lifted


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with sqlite_audit_triggers_lifted(options["database"]):
            super().handle(**options)
