from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "navigator test JURISDICTION | navigator assess FILE.json | navigator texts - | navigator report [JURISDICTION]: "
        "run the rule cases, assess facts, rewrite rule_texts.py for translation, or list the rules by review "
        "status and by the age of their last check."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["test", "assess", "texts", "report"])
        parser.add_argument(
            "target", nargs="?", default="", help="a jurisdiction (PL) for test and report, a JSON file for assess"
        )
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
        if options["action"] == "report":
            self._report(options["target"].upper())
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

    def _report(self, jurisdiction: str) -> None:
        from ownpath.modules.navigator.review import states

        rows = [s for s in states() if not jurisdiction or s.jurisdiction == jurisdiction]
        order = {"changed": 0, "never": 1, "reviewed": 2}
        labels = {"changed": "CHANGED since review", "never": "NEVER reviewed", "reviewed": "reviewed"}
        for status in sorted(order, key=order.get):  # type: ignore[arg-type]
            group = sorted((s for s in rows if s.status == status), key=lambda s: -(s.age_days or 10**6))
            self.stdout.write(f"{labels[status]}: {len(group)}")
            for s in group:
                age = f"{s.age_days} days" if s.age_days is not None else "never checked"
                who = f" by {s.reviewer} on {s.reviewed_on}" if s.reviewer else ""
                self.stdout.write(f"  {s.rule.id:<42} last check {age}{who}  ({s.rule.source.rsplit('/', 1)[-1]})")
        reviewed = sum(1 for s in rows if s.status == "reviewed")
        self.stdout.write(f"{reviewed} of {len(rows)} rules reviewed")
