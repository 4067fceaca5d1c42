from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "navigator test JURISDICTION | navigator assess FILE.json | navigator texts -: run the rule cases, "
        "assess facts, or rewrite rule_texts.py for translation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["test", "assess", "texts"])
        parser.add_argument("target", help="a jurisdiction (PL) for test, a JSON file for assess")
        parser.add_argument("--jurisdiction", default="PL")
        parser.add_argument("--as-of", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        from ownpath.modules.navigator import cases
        from ownpath.modules.navigator.engine import assess
        from ownpath.modules.navigator.facts import FactError

        if options["action"] == "texts":
            from ownpath.modules.navigator.texts import TEXTS_FILE, render

            TEXTS_FILE.write_text(render(), encoding="utf-8")
            self.stdout.write(f"Wrote {TEXTS_FILE}")
            return
        if options["action"] == "test":
            try:
                run = cases.run(options["target"])
            except (KeyError, FileNotFoundError) as error:
                raise CommandError(f"No rules or cases for {options['target']}") from error
            for name in run.passed:
                self.stdout.write(f"ok    {name}")
            for problem in run.failed + run.uncovered:
                self.stdout.write(f"FAIL  {problem}")
            self.stdout.write(f"{len(run.passed)} passed, {len(run.failed)} failed, {len(run.uncovered)} coverage gaps")
            if not run.ok:
                raise CommandError("navigator cases failed")
            return
        path = Path(options["target"])
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"{path}: {error}") from error
        facts = document.get("facts", document) if isinstance(document, dict) else None
        if not isinstance(facts, dict):
            raise CommandError(f"{path}: expected a JSON object of facts")
        as_of = options["as_of"] or document.get("as_of", "")
        try:
            result = assess(
                document.get("jurisdiction", options["jurisdiction"]),
                {k: v for k, v in facts.items() if k not in ("as_of", "jurisdiction")},
                date.fromisoformat(as_of) if as_of else None,
            )
        except FactError as error:
            raise CommandError(str(error)) from error
        except (KeyError, ValueError) as error:
            raise CommandError(f"{error}") from error
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
