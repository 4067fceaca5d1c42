"""Test cases as data (``cases/<JURISDICTION>.yaml``): each has a name, a date, facts and what to expect.

``run(jurisdiction)`` checks every case and that every rule in the rule book is matched by at least one
case and just missed (evaluated false) by another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ownpath.modules.navigator.engine import assess
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
    return list(yaml.safe_load(path.read_text(encoding="utf-8")) or [])


def run(jurisdiction: str) -> CaseRun:
    result = CaseRun()
    matched: set[str] = set()
    missed: set[str] = set()
    for case in load(jurisdiction):
        name = case["name"]
        assessment = assess(jurisdiction, case.get("facts", {}), date.fromisoformat(str(case["as_of"])))
        for line in assessment.trace:
            if line.result == "matched":
                matched.add(line.rule)
            elif line.result == "not_matched":
                missed.add(line.rule)
        problems = []
        expect = case.get("expect", {})
        if "route" in expect and assessment.route != expect["route"]:
            problems.append(f"route {assessment.route!r}, expected {expect['route']!r}")
        if "rule" in expect and assessment.rule != expect["rule"]:
            problems.append(f"rule {assessment.rule!r}, expected {expect['rule']!r}")
        if "fees" in expect and [f["amount"] for f in assessment.fees] != expect["fees"]:
            problems.append(f"fees {[f['amount'] for f in assessment.fees]}, expected {expect['fees']}")
        if "obligations" in expect and len(assessment.obligations) != expect["obligations"]:
            problems.append(f"{len(assessment.obligations)} obligations, expected {expect['obligations']}")
        if "next_question" in expect:
            asked = assessment.next_question["fact"] if assessment.next_question else None
            if asked != expect["next_question"]:
                problems.append(f"next question {asked!r}, expected {expect['next_question']!r}")
        (result.failed if problems else result.passed).append(f"{name}: {'; '.join(problems)}" if problems else name)
    for rule in rulebook(jurisdiction):
        if rule.id not in matched:
            result.uncovered.append(f"{rule.id}: no case matches it")
        if rule.id not in missed:
            result.uncovered.append(f"{rule.id}: no case just misses it")
    return result
