from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Load the invented demo network (idempotent), or disable its accounts with --disable."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--disable", action="store_true", help="Deactivate every demo account.")

    def handle(self, *args: Any, **options: Any) -> None:
        from ownpath.core.models import User

        if options["disable"]:
            count = User.objects.filter(is_demo=True).update(is_active=False)
            self.stdout.write(f"Disabled {count} demo account(s).")
            return
        if not settings.OWNPATH_DEMO:
            raise CommandError("Demo data is refused here: OWNPATH_DEMO is off (it is always off in production).")
        from ownpath.core.demo import load_demo
        from ownpath.core.registry import registry

        result = load_demo()
        self.stdout.write(
            f"Demo network ready: {result['organisations']} organisations, {result['accounts']} accounts, "
            f"{result['people_created']} people created this time."
        )
        for loader in registry.demo_loaders:
            self.stdout.write(loader())
