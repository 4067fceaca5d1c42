"""Django's migrate, run as the schema's owner when OWNPATH_OWNER_DATABASE_URL is set; the application's
role is then granted what it needs (``ownpath.core.dbroles``)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate

from ownpath.core.dbroles import grant_application_role, owner_connection


class Command(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        with owner_connection(options["database"]) as application_role:
            super().handle(*args, **options)
            if application_role and not options.get("plan") and not options.get("check_unapplied"):
                for warning in grant_application_role(application_role, options["database"]):
                    self.stderr.write(f"Warning: {warning}")
                if options["verbosity"]:
                    self.stdout.write(f"Granted role {application_role} the application's privileges.")
