from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print one demo login per role, with its TOTP secret and the current code."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.OWNPATH_DEMO:
            raise CommandError("There are no demo logins here: OWNPATH_DEMO is off.")
        from ownpath.core.demo import CLIENT_EMAIL, DEMO_PASSWORD, current_code, demo_accounts

        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"{'e-mail':42} {'role':34} {'TOTP secret':34} {'code':6}  organisation")
        for email, role, organisation, secret in demo_accounts():
            code = current_code(secret)
            self.stdout.write(f"{email:42} {role:34} {secret:34} {code}  {organisation}")
        self.stdout.write(f"{CLIENT_EMAIL:42} {'client (own path, no second factor)':34}")
        self.stdout.write(
            "Add a secret to any authenticator app, or get a fresh code with: "
            ".venv/bin/python manage.py demo_totp EMAIL"
        )
