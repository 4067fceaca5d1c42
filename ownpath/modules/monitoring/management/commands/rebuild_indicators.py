from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from ownpath.modules.monitoring import aggregate


class Command(BaseCommand):
    help = "Recompute monitoring's indicators from scratch (all, or those named), with their suppression."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("keys", nargs="*", help="indicator keys (default: every active indicator)")

    def handle(self, *args: Any, keys: list[str], **options: Any) -> None:
        started = time.perf_counter()
        built = aggregate.rebuild(keys or None)
        for key, cells in built.items():
            self.stdout.write(f"{key}: {cells} cells")
        self.stdout.write(f"rebuilt {len(built)} indicators in {time.perf_counter() - started:.1f} s")
