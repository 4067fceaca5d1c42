"""Rules as data: one folder per jurisdiction under ``rules/``, each file a YAML list of rules, plus
``fees.yaml`` (dated fee tables) in the same folder.

Every rule is checked against ``RULE_SCHEMA`` and its condition against the logic subset when loaded; a
broken file stops start-up with a message naming the file and the line of the rule.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from ownpath.modules.navigator import logic
from ownpath.modules.navigator.facts import FACTS
from ownpath.modules.navigator.labels import OFFICES

RULES_DIR = Path(__file__).resolve().parent / "rules"
CASES_DIR = Path(__file__).resolve().parent / "cases"
FEES_FILE = "fees.yaml"
ROUTES = (
    "no_permit_needed",
    "notification",
    "oswiadczenie",
    "work_permit_a",
    "work_permit_b",
    "work_permit_c",
    "work_permit_d",
    "work_permit_e",
    "seasonal_permit",
    "work_permit",
    "labour_market_decision",
    "residence_permit_for_work",
    "blue_card",
    "seasonal_work_certificate",
    "not_allowed",
    "not_allowed_while",
    "refused",
)
# Precedence, strongest first. A true rule of a stronger tier beats a true rule of a weaker one; a refusal
# beats only the rules it names in ``overrides`` (a refusal ground belongs to particular permits).
TIERS = ("union", "bar", "exemption", "notification", "refusal", "route")
TIER_RANK = {tier: rank for rank, tier in enumerate(TIERS)}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_CITATION = {
    "type": "object",
    "required": ["act", "journal", "source_type", "checked"],
    "additionalProperties": False,
    "properties": {
        "act": {"type": "string"},
        "journal": {"type": "string"},
        "article": {"type": "string"},
        "url": {"type": "string"},
        "source_type": {"enum": ["statute", "regulation", "eu_law", "official_guidance", "secondary"]},
        "checked": _DATE,
        "verified": {"type": "boolean"},
        "note": {"type": "string"},
    },
}
RULE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "title", "tier", "when", "outcome", "citations", "effective_from", "review"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": r"^[a-z]{2}\.[a-z0-9_]+$"},
        "title": {"type": "string", "minLength": 3},
        "tier": {"enum": list(TIERS)},
        "when": {},
        "outcome": {
            "type": "object",
            "required": ["route"],
            "additionalProperties": False,
            "properties": {
                "route": {"enum": list(ROUTES)},
                "summary": {"type": "string"},
                "ground": {"type": "string"},
                "while": {"type": "string"},
            },
        },
        "obligations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["who", "what"],
                "additionalProperties": False,
                "properties": {
                    "who": {"enum": ["employer", "worker"]},
                    "what": {"type": "string"},
                    "deadline": {
                        "type": "object",
                        "required": ["days", "relative_to"],
                        "additionalProperties": False,
                        "properties": {
                            "days": {"type": "integer"},
                            "relative_to": {
                                "enum": ["start_of_work", "registration", "end_of_work", "decision", "change"]
                            },
                            "before": {"type": "boolean"},
                        },
                    },
                    "fee": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "table": {"type": "string"},
                            "longer": {"type": "string"},
                            "amount": {"type": "number", "minimum": 0},
                            "currency": {"type": "string"},
                            "when": {"type": "string"},
                        },
                    },
                    "office": {"enum": sorted(OFFICES)},
                    "channel": {"type": "string"},
                    "form": {"type": "string"},
                    "link": {"type": "string"},
                },
            },
        },
        "citations": {"type": "array", "minItems": 1, "items": _CITATION},
        "effective_from": _DATE,
        "effective_to": _DATE,
        "overrides": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["rule", "because"],
                "additionalProperties": False,
                "properties": {"rule": {"type": "string"}, "because": {"type": "string"}},
            },
        },
        "review": {
            "type": "object",
            "required": ["status"],
            "additionalProperties": False,
            "properties": {
                "status": {"enum": ["draft", "reviewed", "needs_review"]},
                "reviewer": {"type": "string"},
                "date": _DATE,
                "note": {"type": "string"},
            },
        },
    },
}
FEE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "required": ["currency", "from", "citation"],
            "additionalProperties": False,
            "properties": {
                "amount": {"type": ["number", "null"], "minimum": 0},
                "currency": {"type": "string"},
                "from": _DATE,
                "to": _DATE,
                "citation": _CITATION,
            },
        },
    },
}


class RuleFileError(Exception):
    """A rule file that cannot be used: the message names the file and the line."""


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    tier: str
    when: Any
    route: str
    summary: str
    ground: str
    while_: str
    obligations: tuple[dict[str, Any], ...]
    citations: tuple[dict[str, Any], ...]
    effective_from: date
    effective_to: date | None
    overrides: dict[str, str]  # rule id → why this rule beats it
    review: dict[str, Any]
    source: str  # file:line
    content_hash: str = ""  # of the rule's text: a review applies to exactly this version
    test: Any = None  # the condition compiled once (logic.compile_condition)
    effective_from_iso: str = ""
    effective_to_iso: str | None = None

    def in_effect(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def beats(self, other: Rule) -> str | None:
        """Why this rule takes precedence over ``other`` when both are true, or None. An explicit override
        names its reason; otherwise a stronger tier wins (except a refusal, which beats only what it names)."""
        if other.id in self.overrides:
            return self.overrides[other.id]
        if self.id in other.overrides:
            return None
        if self.tier != "refusal" and TIER_RANK[self.tier] < TIER_RANK[other.tier]:
            return f"tier:{self.tier}"
        return None


@dataclass(frozen=True)
class FeeVersion:
    amount: float | None
    currency: str
    valid_from: date
    valid_to: date | None
    citation: dict[str, Any]


def _facts_named(condition: Any) -> set[str]:
    if isinstance(condition, dict):
        ((operator, arguments),) = condition.items()
        if operator == "var":
            return {arguments}
        return set().union(*(_facts_named(a) for a in (arguments if isinstance(arguments, list) else [arguments])))
    if isinstance(condition, list):
        return set().union(*(_facts_named(a) for a in condition)) if condition else set()
    return set()


def _load_yaml(path: Path) -> tuple[Any, Any]:
    import yaml

    text = path.read_text(encoding="utf-8")
    try:
        return yaml.compose(text), yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else "?"
        raise RuleFileError(f"{path}:{line}: not valid YAML: {getattr(error, 'problem', error)}") from error


def load_file(path: Path) -> list[Rule]:
    from jsonschema import Draft202012Validator

    node, data = _load_yaml(path)
    if not isinstance(data, list):
        raise RuleFileError(f"{path}:1: a rule file is a list of rules")
    lines = [item.start_mark.line + 1 for item in node.value] if node is not None else []
    validator = Draft202012Validator(RULE_SCHEMA)
    rules = []
    for index, item in enumerate(data):
        where = f"{path}:{lines[index] if index < len(lines) else '?'}"
        errors = sorted(validator.iter_errors(item), key=lambda e: list(e.absolute_path))
        if errors:
            field = ".".join(str(p) for p in errors[0].absolute_path) or "rule"
            raise RuleFileError(f"{where}: {field}: {errors[0].message}")
        try:
            logic.check(item["when"])
        except logic.LogicError as error:
            raise RuleFileError(f"{where}: {error}") from error
        unknown = _facts_named(item["when"]) - set(FACTS) - {"as_of"}
        if unknown:
            raise RuleFileError(f"{where}: unknown facts {sorted(unknown)}")
        effective_to = date.fromisoformat(item["effective_to"]) if item.get("effective_to") else None
        effective_from = date.fromisoformat(item["effective_from"])
        if effective_to is not None and effective_to < effective_from:
            raise RuleFileError(f"{where}: effective_to is before effective_from")
        outcome = item["outcome"]
        if outcome["route"] == "refused" and not outcome.get("ground"):
            raise RuleFileError(f"{where}: outcome.ground: a refusal names its ground")
        if outcome["route"] == "not_allowed_while" and not outcome.get("while"):
            raise RuleFileError(f"{where}: outcome.while: say while what work is not allowed")
        rules.append(
            Rule(
                id=item["id"],
                title=item["title"],
                tier=item["tier"],
                when=item["when"],
                route=outcome["route"],
                summary=outcome.get("summary", ""),
                ground=outcome.get("ground", ""),
                while_=outcome.get("while", ""),
                obligations=tuple(item.get("obligations", [])),
                citations=tuple(item["citations"]),
                effective_from=effective_from,
                effective_to=effective_to,
                overrides={o["rule"]: o["because"] for o in item.get("overrides", [])},
                review=item["review"],
                source=where,
                content_hash=hashlib.sha256(
                    json.dumps({k: v for k, v in item.items() if k != "review"}, sort_keys=True, default=str).encode()
                ).hexdigest(),
                test=logic.compile_condition(item["when"]),
                effective_from_iso=effective_from.isoformat(),
                effective_to_iso=effective_to.isoformat() if effective_to else None,
            )
        )
    return rules


def load_fees(path: Path) -> dict[str, tuple[FeeVersion, ...]]:
    from jsonschema import Draft202012Validator

    if not path.exists():
        return {}
    _node, loaded = _load_yaml(path)
    data = {k: v for k, v in (loaded or {}).items() if not str(k).startswith("x-")}  # x-…: shared anchors
    errors = sorted(Draft202012Validator(FEE_SCHEMA).iter_errors(data or {}), key=lambda e: list(e.absolute_path))
    if errors:
        field = ".".join(str(p) for p in errors[0].absolute_path) or "fees"
        raise RuleFileError(f"{path}: {field}: {errors[0].message}")
    tables: dict[str, tuple[FeeVersion, ...]] = {}
    for name, versions in (data or {}).items():
        parsed = sorted(
            (
                FeeVersion(
                    amount=v.get("amount"),
                    currency=v["currency"],
                    valid_from=date.fromisoformat(v["from"]),
                    valid_to=date.fromisoformat(v["to"]) if v.get("to") else None,
                    citation=v["citation"],
                )
                for v in versions
            ),
            key=lambda f: f.valid_from,
        )
        for earlier, later in pairwise(parsed):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                raise RuleFileError(f"{path}: {name}: versions overlap ({earlier.valid_from} and {later.valid_from})")
        tables[name] = tuple(parsed)
    return tables


@dataclass(frozen=True)
class Pack:
    rules: tuple[Rule, ...]
    fees: dict[str, tuple[FeeVersion, ...]]
    by_id: dict[str, Rule]
    _by_date: dict[date, tuple[Rule, ...]] = field(default_factory=dict, compare=False, repr=False)

    def in_effect(self, on: date) -> tuple[Rule, ...]:
        """The rules in force on the date, in file order (remembered per date: a handful of dates are asked)."""
        cache = self._by_date
        found = cache.get(on)
        if found is None:
            if len(cache) > 512:
                cache.clear()
            found = cache[on] = tuple(r for r in self.rules if r.in_effect(on))
        return found

    def fee_on(self, table: str, on: date) -> FeeVersion | None:
        for version in self.fees.get(table, ()):
            if version.valid_from <= on and (version.valid_to is None or on <= version.valid_to):
                return version
        return None


@cache
def pack(jurisdiction: str) -> Pack:
    folder = RULES_DIR / jurisdiction.upper()
    if not folder.is_dir():
        raise KeyError(jurisdiction)
    rules: list[Rule] = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name != FEES_FILE:
            rules.extend(load_file(path))
    fees = load_fees(folder / FEES_FILE)
    ids = [r.id for r in rules]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuleFileError(f"{folder}: rule ids used twice: {sorted(duplicates)}")
    for rule in rules:
        for target in rule.overrides:
            if target not in ids:
                raise RuleFileError(f"{rule.source}: overrides unknown rule {target!r}")
        for obligation in rule.obligations:
            for key in ("table", "longer"):
                table = obligation.get("fee", {}).get(key)
                if table and table not in fees:
                    raise RuleFileError(f"{rule.source}: unknown fee table {table!r}")
    return Pack(tuple(rules), fees, {r.id: r for r in rules})


def rulebook(jurisdiction: str) -> tuple[Rule, ...]:
    return pack(jurisdiction).rules


def jurisdictions() -> list[str]:
    return sorted(p.name for p in RULES_DIR.iterdir() if p.is_dir())
