"""``manage.py matching reindex``: rewrite every candidate's index row from the profiles and rebuild."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ownpath.modules.matching import services


class Command(BaseCommand):
    help = "Maintain the matching index."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["reindex"])

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{services.rebuild_vectors()} candidates indexed")
