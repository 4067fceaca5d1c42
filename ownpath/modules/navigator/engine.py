"""The engine: facts and a date in, the route out, with obligations, fees, citations and a full trace.

Deterministic and free of side effects. Every rule in effect on the date is evaluated. A true rule decides
unless another true rule takes precedence over it (``Rule.beats``: an explicit override with its reason, or
a stronger tier: EU law, then bars, exemptions, the notification, refusals, routes). When a rule that could
still decide (or beat the one that does) depends on facts not given, the result names the next question
instead of guessing. Fees come from the pack's dated fee tables, so the law of the date is applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from ownpath.modules.navigator import logic
from ownpath.modules.navigator.facts import FACTS, clean
from ownpath.modules.navigator.rulebook import TIER_RANK, Pack, Rule, pack


@dataclass(slots=True)
class TraceLine:
    rule: str
    title: str
    in_effect: bool
    read: list[str]
    result: str  # matched | not_matched | unknown | not_in_effect
    overridden_by: list[str] = field(default_factory=list)
    because: list[str] = field(default_factory=list)  # one reason per rule in overridden_by
    tier: str = ""
    effective_from: str = ""
    effective_to: str | None = None
    missing: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "title": self.title,
            "tier": self.tier,
            "in_effect": self.in_effect,
            "effective_from": self.effective_from,
            "effective_to": self.effective_to,
            "read": self.read,
            "missing": self.missing,
            "result": self.result,
            "overridden_by": self.overridden_by,
            "because": self.because,
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
    trace_source: Any  # _Trace
    next_question: dict[str, Any] | None
    last_reviewed: str | None
    ground: str = ""
    while_: str = ""
    effective_from: str | None = None
    effective_to: str | None = None
    review: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    # While a question is open: the route the rules that already hold would give (it may still change).
    provisional_rule: str | None = None
    provisional_route: str | None = None
    pending_routes: tuple[str, ...] = ()  # the routes the rules still open could give

    @property
    def trace(self) -> list[TraceLine]:
        return self.trace_source.build()  # type: ignore[no-any-return]

    def as_dict(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.jurisdiction,
            "as_of": self.as_of,
            "route": self.route,
            "rule": self.rule,
            "summary": self.summary,
            "outcome": {"route": self.route, "ground": self.ground or None, "while": self.while_ or None},
            "effective_from": self.effective_from,
            "effective_to": self.effective_to,
            "obligations": self.obligations,
            "fees": self.fees,
            "citations": self.citations,
            "review": self.review,
            "reviewed": self.review.get("status") == "reviewed",
            "trace": [t.as_dict() for t in self.trace],
            "next_question": self.next_question,
            "provisional": {"route": self.provisional_route, "rule": self.provisional_rule}
            if self.provisional_route
            else None,
            "last_reviewed": self.last_reviewed,
        }


def _derived(facts: dict[str, Any], jurisdiction: str) -> dict[str, Any]:
    """Facts that follow from others: the employer's country says whether it has its seat here."""
    if "employer_country" in facts and "employer_in_country" not in facts:
        facts["employer_in_country"] = facts["employer_country"] == jurisdiction
    return facts


def assess(jurisdiction: str, raw_facts: dict[str, Any], as_of: date | None = None) -> Assessment:
    """Raises FactError for an unknown or contradictory fact, KeyError for an unknown jurisdiction."""
    code = jurisdiction.upper()
    rules_pack = pack(code)
    facts = _derived(clean(raw_facts), code)
    on = as_of or timezone.localdate()
    values = {**facts, "as_of": on.isoformat()}
    evaluated: list[tuple[Rule, Any, logic.Reading]] = []
    matched: list[Rule] = []
    unknown: list[tuple[Rule, logic.Reading]] = []
    for rule in rules_pack.in_effect(on):
        reading = logic.Reading()
        value = rule.test(values, reading)
        evaluated.append((rule, value, reading))
        if value is logic.UNKNOWN:
            unknown.append((rule, reading))
        elif value is True:
            matched.append(rule)
    beaten: dict[str, list[tuple[str, str]]] = {}
    if len(matched) > 1:
        for winner in matched:
            for loser in matched:
                if winner is not loser:
                    reason = winner.beats(loser)
                    if reason:
                        beaten.setdefault(loser.id, []).append((winner.id, reason))
    deciding = [r for r in matched if r.id not in beaten]
    trace = _Trace(rules_pack, on, evaluated, beaten)
    # A rule still unknown matters unless a true rule beats it, or it would only confirm the route already
    # decided without beating the rule that decides. Those that matter are asked about first.
    relevant = [
        (r, reading)
        for r, reading in unknown
        if not any(m.beats(r) for m in matched)
        and (not deciding or any(d.route != r.route for d in deciding) or any(r.beats(d) for d in deciding))
    ]
    if relevant:
        name = next((n for _r, reading in relevant for n in reading.missing if n in FACTS), None)
        question = _question(name, code) if name else None
        result = _result(code, on, None, trace, question, rules_pack, facts)
        if deciding:
            provisional = min(deciding, key=lambda r: TIER_RANK[r.tier])
            result.provisional_rule, result.provisional_route = provisional.id, provisional.route
        result.pending_routes = tuple(dict.fromkeys(r.route for r, _reading in relevant))
        return result
    if not deciding:
        return _result(code, on, None, trace, None, rules_pack, facts)
    decided = min(deciding, key=lambda r: TIER_RANK[r.tier])
    return _result(code, on, decided, trace, None, rules_pack, facts)


class _Trace:
    """The trace, built only when someone reads it (the API, the page, the cases), not for every question."""

    __slots__ = ("beaten", "evaluated", "lines", "on", "rules_pack")

    def __init__(self, rules_pack: Pack, on: date, evaluated: list[Any], beaten: dict[str, Any]) -> None:
        self.rules_pack, self.on, self.evaluated, self.beaten = rules_pack, on, evaluated, beaten
        self.lines: list[TraceLine] | None = None

    def build(self) -> list[TraceLine]:
        if self.lines is not None:
            return self.lines
        results = {rule.id: (value, reading) for rule, value, reading in self.evaluated}
        lines = []
        for rule in self.rules_pack.rules:
            if rule.id not in results:
                lines.append(
                    TraceLine(
                        rule.id,
                        rule.title,
                        False,
                        [],
                        "not_in_effect",
                        tier=rule.tier,
                        effective_from=rule.effective_from_iso,
                        effective_to=rule.effective_to_iso,
                    )
                )
                continue
            value, reading = results[rule.id]
            label = "unknown" if value is logic.UNKNOWN else ("matched" if value else "not_matched")
            line = TraceLine(
                rule.id,
                rule.title,
                True,
                [r for r in reading.read if r != "as_of"],
                label,
                tier=rule.tier,
                effective_from=rule.effective_from_iso,
                effective_to=rule.effective_to_iso,
            )
            if value is logic.UNKNOWN:
                line.missing = list(reading.missing)
            if label == "matched" and rule.id in self.beaten:
                line.overridden_by = [w for w, _r in self.beaten[rule.id]]
                line.because = [r for _w, r in self.beaten[rule.id]]
            lines.append(line)
        self.lines = lines
        return lines


def _question(name: str, jurisdiction: str) -> dict[str, Any]:
    fact = FACTS[name]
    return {
        "fact": name,
        "question": str(fact.question),
        "question_you": str(fact.question_you),
        "kind": fact.kind,
        "choices": list(fact.choices_for(jurisdiction)),
    }


def _due(start: date | None, deadline: dict[str, Any] | None) -> str | None:
    if start is None or not deadline or deadline["relative_to"] != "start_of_work":
        return None
    days = int(deadline["days"])
    return (start - timedelta(days=days) if deadline.get("before") else start + timedelta(days=days)).isoformat()


def obligations_of(rule: Rule, rules_pack: Pack, on: date, facts: dict[str, Any]) -> list[dict[str, Any]]:
    start = date.fromisoformat(facts["start_date"]) if "start_date" in facts else None
    out = []
    for item in rule.obligations:
        obligation = dict(item)
        fee = item.get("fee")
        if fee and "table" in fee:
            # A fee that differs with the length of the work: "longer" is the table for more than 3 months.
            table = fee["longer"] if fee.get("longer") and facts.get("duration_months", 0) > 3 else fee["table"]
            version = rules_pack.fee_on(table, on)
            obligation["fee"] = {
                "table": table,
                "amount": version.amount if version else None,
                "currency": version.currency if version else None,
                "valid_from": version.valid_from.isoformat() if version else None,
                "valid_to": version.valid_to.isoformat() if version and version.valid_to else None,
                "citation": version.citation if version else None,
                "when": fee.get("when", ""),
            }
        elif fee:
            obligation["fee"] = {**fee, "valid_from": None, "valid_to": None, "citation": None}
        due = _due(start, item.get("deadline"))
        if due:
            obligation["due"] = due
        elif start and not item.get("deadline") and item["who"] == "employer" and rule.route not in ("refused",):
            obligation["due"] = start.isoformat()
            obligation["by_start"] = True
        out.append(obligation)
    return out


def _result(
    jurisdiction: str,
    on: date,
    rule: Rule | None,
    trace: _Trace,
    question: dict[str, Any] | None,
    rules_pack: Pack,
    facts: dict[str, Any],
) -> Assessment:
    reviewed = [
        str(r.review["date"]) for r in rules_pack.rules if r.review.get("status") == "reviewed" and r.review.get("date")
    ]
    obligations = obligations_of(rule, rules_pack, on, facts) if rule else []
    return Assessment(
        jurisdiction=jurisdiction,
        as_of=on.isoformat(),
        route=rule.route if rule else None,
        rule=rule.id if rule else None,
        summary=rule.summary if rule else "",
        obligations=obligations,
        fees=[{**o["fee"], "for": o["what"]} for o in obligations if o.get("fee")],
        citations=list(rule.citations) if rule else [],
        trace_source=trace,
        next_question=question,
        last_reviewed=max(reviewed) if reviewed else None,
        ground=rule.ground if rule else "",
        while_=rule.while_ if rule else "",
        effective_from=rule.effective_from.isoformat() if rule else None,
        effective_to=rule.effective_to.isoformat() if rule and rule.effective_to else None,
        review=dict(rule.review) if rule else {},
        facts=facts,
    )
