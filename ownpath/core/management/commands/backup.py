"""``manage.py backup``: a consistent copy of the database in one file (docs/backups.md).

PostgreSQL: ``pg_dump --format=custom``, as the schema's owner when ``OWNPATH_OWNER_DATABASE_URL`` is set (the
application's role cannot read the audit log's partitions directly). SQLite: ``VACUUM INTO``. Sensitive
fields stay encrypted in the file; the keys (``OWNPATH_ENCRYPTION_KEYS``) are not in it and must be kept
elsewhere: without them the notes in a backup cannot be read, by a thief or by you.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from ownpath.core.dbroles import owner_connection


class Command(BaseCommand):
    help = "Write a backup of the database to one file (pg_dump's custom format on PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="File to write (default: var/backups/ownpath-<UTC time>.dump).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        suffix = "dump" if connection.vendor == "postgresql" else "sqlite3"
        output = Path(options["output"] or Path(settings.BASE_DIR) / "var" / "backups" / f"ownpath-{stamp}.{suffix}")
        if output.exists():
            raise CommandError(f"{output} exists already; a backup never overwrites a file")
        output.parent.mkdir(parents=True, exist_ok=True)
        if connection.vendor == "postgresql":
            with owner_connection(options["database"]):
                self._pg_dump(dict(connection.settings_dict), output)
        elif connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [str(output)])
        else:
            raise CommandError(f"no backup for a {connection.vendor} database")
        output.chmod(0o600)
        self.stdout.write(f"Wrote {output} ({output.stat().st_size} bytes).")
        self.stdout.write("Sensitive fields are encrypted in it: keep OWNPATH_ENCRYPTION_KEYS safe and apart from it.")

    def _pg_dump(self, db: dict[str, Any], output: Path) -> None:
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise CommandError("pg_dump is not installed (Debian: postgresql-client)")
        command = [pg_dump, "--format=custom", f"--file={output}", f"--dbname={db['NAME']}"]
        if db.get("HOST"):
            command.append(f"--host={db['HOST']}")
        if db.get("PORT"):
            command.append(f"--port={db['PORT']}")
        if db.get("USER"):
            command.append(f"--username={db['USER']}")
        env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
        if db.get("PASSWORD"):
            env["PGPASSWORD"] = str(db["PASSWORD"])
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            output.unlink(missing_ok=True)
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
