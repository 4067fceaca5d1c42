from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.OWNPATH_DEMO:
            raise CommandError("Demo accounts are disabled here.")
        from ownpath.core.demo import current_code, demo_accounts

        secrets = {email: secret for email, _r, _o, secret in demo_accounts()}
        if options["email"] not in secrets:
            raise CommandError(f"{options['email']} is not a demo account. Known: {', '.join(secrets)}")
        self.stdout.write(current_code(secrets[options["email"]]))
