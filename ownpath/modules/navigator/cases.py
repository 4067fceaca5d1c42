"""Test cases as data (``cases/<JURISDICTION>.yaml``): each has a name, a date, facts and what to expect.

``run(jurisdiction)`` checks every case, that every rule in the rule book is matched by at least one case
and just missed (evaluated false) by another, and that every declared override has a case in which both
rules hold and the overriding one wins. An item without a name only holds YAML anchors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ownpath.modules.navigator.engine import Assessment, assess
from ownpath.modules.navigator.rulebook import CASES_DIR, rulebook


@dataclass
class CaseRun:
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.uncovered


def load(jurisdiction: str) -> list[dict[str, Any]]:
    import yaml

    path = CASES_DIR / f"{jurisdiction.upper()}.yaml"
    return [c for c in (yaml.safe_load(path.read_text(encoding="utf-8")) or []) if "name" in c]


def _cited(assessment: Assessment) -> str:
    parts = [f"{c['journal']} {c.get('article', '')}" for c in assessment.citations]
    parts += [
        f"{f['citation']['journal']} {f['citation'].get('article', '')}" for f in assessment.fees if f.get("citation")
    ]
    return " | ".join(parts)


def check(assessment: Assessment, expect: dict[str, Any]) -> list[str]:
    problems = []
    for key, actual in (
        ("route", assessment.route),
        ("rule", assessment.rule),
        ("ground", assessment.ground or None),
        ("while", assessment.while_ or None),
    ):
        if key in expect and actual != expect[key]:
            problems.append(f"{key} {actual!r}, expected {expect[key]!r}")
    if "fees" in expect and [f["amount"] for f in assessment.fees] != expect["fees"]:
        problems.append(f"fees {[f['amount'] for f in assessment.fees]}, expected {expect['fees']}")
    if "obligations" in expect and len(assessment.obligations) != expect["obligations"]:
        problems.append(f"{len(assessment.obligations)} obligations, expected {expect['obligations']}")
    if "next_question" in expect:
        asked = assessment.next_question["fact"] if assessment.next_question else None
        if asked != expect["next_question"]:
            problems.append(f"next question {asked!r}, expected {expect['next_question']!r}")
    cited = _cited(assessment)
    problems += [f"no citation of {text!r} in {cited!r}" for text in expect.get("cites", []) if text not in cited]
    lines = {t.rule: t for t in assessment.trace}
    for loser, winner in (expect.get("beats") or {}).items():
        line = lines.get(loser)
        if line is None or line.result != "matched" or winner not in line.overridden_by:
            problems.append(f"{loser} should hold and be overridden by {winner}")
    return problems


def run(jurisdiction: str) -> CaseRun:
    result = CaseRun()
    matched: set[str] = set()
    missed: set[str] = set()
    beaten: set[tuple[str, str]] = set()
    for case in load(jurisdiction):
        name = case["name"]
        assessment = assess(jurisdiction, case.get("facts", {}), date.fromisoformat(str(case["as_of"])))
        for line in assessment.trace:
            if line.result == "matched":
                matched.add(line.rule)
                beaten.update((winner, line.rule) for winner in line.overridden_by)
            elif line.result == "not_matched":
                missed.add(line.rule)
        problems = check(assessment, case.get("expect", {}))
        (result.failed if problems else result.passed).append(f"{name}: {'; '.join(problems)}" if problems else name)
    for rule in rulebook(jurisdiction):
        if rule.id not in matched:
            result.uncovered.append(f"{rule.id}: no case matches it")
        if rule.id not in missed:
            result.uncovered.append(f"{rule.id}: no case just misses it")
        for target in rule.overrides:
            if (rule.id, target) not in beaten:
                result.uncovered.append(f"{rule.id} overrides {target}: no case shows it")
    return result
