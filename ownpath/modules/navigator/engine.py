"""The engine: facts and a date in, the route out, with obligations, fees, citations and a full trace.

Deterministic and free of side effects. A rule decides when its condition is true on the date and no
other true rule overrides it. When a rule that could still decide (or override the one that does) depends
on facts not given, the result names the next question instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from ownpath.modules.navigator import logic
from ownpath.modules.navigator.facts import FACTS, clean
from ownpath.modules.navigator.rulebook import Rule, rulebook


@dataclass
class TraceLine:
    rule: str
    title: str
    in_effect: bool
    read: list[str]
    result: str  # matched | not_matched | unknown | not_in_effect
    overridden_by: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "title": self.title,
            "in_effect": self.in_effect,
            "read": self.read,
            "result": self.result,
            "overridden_by": self.overridden_by,
        }


@dataclass
class Assessment:
    jurisdiction: str
    as_of: str
    route: str | None
    rule: str | None
    summary: str
    obligations: list[dict[str, Any]]
    fees: list[dict[str, Any]]
    citations: list[dict[str, Any]]
    trace: list[TraceLine]
    next_question: dict[str, Any] | None
    last_reviewed: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.jurisdiction,
            "as_of": self.as_of,
            "route": self.route,
            "rule": self.rule,
            "summary": self.summary,
            "obligations": self.obligations,
            "fees": self.fees,
            "citations": self.citations,
            "trace": [t.as_dict() for t in self.trace],
            "next_question": self.next_question,
            "last_reviewed": self.last_reviewed,
        }


def assess(jurisdiction: str, raw_facts: dict[str, Any], as_of: date | None = None) -> Assessment:
    """Raises FactError for an unknown or contradictory fact, KeyError for an unknown jurisdiction."""
    rules = rulebook(jurisdiction)
    facts = clean(raw_facts)
    on = as_of or timezone.localdate()
    values = {**facts, "as_of": on.isoformat()}
    results: dict[str, Any] = {}
    trace: list[TraceLine] = []
    missing_by_rule: dict[str, list[str]] = {}
    for rule in rules:
        if not rule.in_effect(on):
            trace.append(TraceLine(rule.id, rule.title, False, [], "not_in_effect"))
            continue
        reading = logic.Reading()
        value = logic.evaluate(rule.when, values, reading)
        results[rule.id] = value
        label = "unknown" if value is logic.UNKNOWN else ("matched" if value else "not_matched")
        trace.append(TraceLine(rule.id, rule.title, True, [r for r in reading.read if r != "as_of"], label))
        if value is logic.UNKNOWN:
            missing_by_rule[rule.id] = reading.missing
    by_id = {r.id: r for r in rules}
    matched = [r for r in rules if results.get(r.id) is True]
    overridden: dict[str, list[str]] = {}
    for rule in matched:
        for target in rule.overrides:
            overridden.setdefault(target, []).append(rule.id)
    for line in trace:
        line.overridden_by = overridden.get(line.rule, []) if line.result == "matched" else []
    deciding = [r for r in matched if r.id not in overridden]
    # A rule still unknown could decide or override: ask for what it needs first.
    pending = [by_id[rid] for rid in missing_by_rule]
    # An unknown rule matters unless a true rule overrides it, or it would only confirm the route already
    # decided (same route, overriding nothing that decides). Those that matter are asked about first.
    relevant = [
        r
        for r in pending
        if not any(r.id in m.overrides for m in matched)
        and (not deciding or any(d.route != r.route for d in deciding) or any(d.id in r.overrides for d in deciding))
    ]
    if relevant:
        needed = [name for r in relevant for name in missing_by_rule[r.id]]
        name = next((n for n in needed if n in FACTS), None)
        question = (
            {
                "fact": name,
                "question": str(FACTS[name].question),
                "kind": FACTS[name].kind,
                "choices": list(FACTS[name].choices),
            }
            if name
            else None
        )
        return _result(jurisdiction, on, None, trace, question, rules)
    if not deciding:
        return _result(jurisdiction, on, None, trace, None, rules)
    decided = sorted(deciding, key=lambda r: -len(r.overrides))[0]
    return _result(jurisdiction, on, decided, trace, None, rules)


def _result(
    jurisdiction: str,
    on: date,
    rule: Rule | None,
    trace: list[TraceLine],
    question: dict[str, Any] | None,
    rules: tuple[Rule, ...],
) -> Assessment:
    reviewed = [str(r.review["date"]) for r in rules if r.review.get("status") == "reviewed" and r.review.get("date")]
    obligations = list(rule.obligations) if rule else []
    return Assessment(
        jurisdiction=jurisdiction.upper(),
        as_of=on.isoformat(),
        route=rule.route if rule else None,
        rule=rule.id if rule else None,
        summary=rule.summary if rule else "",
        obligations=obligations,
        fees=[{**o["fee"], "for": o["what"]} for o in obligations if "fee" in o],
        citations=list(rule.citations) if rule else [],
        trace=trace,
        next_question=question,
        last_reviewed=max(reviewed) if reviewed else None,
    )
