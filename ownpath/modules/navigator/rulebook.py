"""Rules as data: one folder per jurisdiction under ``rules/``, each file a YAML list of rules.

Every rule is checked against ``RULE_SCHEMA`` and its condition against the logic subset when loaded; a
broken file stops start-up with a message naming the file and the line of the rule.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from ownpath.modules.navigator import logic
from ownpath.modules.navigator.facts import FACTS

RULES_DIR = Path(__file__).resolve().parent / "rules"
CASES_DIR = Path(__file__).resolve().parent / "cases"
ROUTES = (
    "no_permit_needed",
    "notification",
    "oswiadczenie",
    "work_permit_a",
    "work_permit_b",
    "work_permit_e",
    "seasonal_permit",
    "work_permit",
    "labour_market_decision",
    "residence_permit_for_work",
    "not_allowed",
)
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
RULE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "title", "when", "outcome", "citations", "effective_from", "review"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": r"^[a-z]{2}\.[a-z0-9_]+$"},
        "title": {"type": "string", "minLength": 3},
        "when": {},
        "outcome": {
            "type": "object",
            "required": ["route"],
            "additionalProperties": False,
            "properties": {"route": {"enum": list(ROUTES)}, "summary": {"type": "string"}},
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
                            "relative_to": {"enum": ["start_of_work", "registration", "end_of_work", "decision"]},
                        },
                    },
                    "fee": {
                        "type": "object",
                        "required": ["amount", "currency"],
                        "additionalProperties": False,
                        "properties": {
                            "amount": {"type": "number", "minimum": 0},
                            "currency": {"type": "string"},
                            "when": {"type": "string"},
                        },
                    },
                    "office": {"type": "string"},
                    "channel": {"type": "string"},
                },
            },
        },
        "citations": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["act", "journal", "source_type", "checked"],
                "additionalProperties": False,
                "properties": {
                    "act": {"type": "string"},
                    "journal": {"type": "string"},
                    "article": {"type": "string"},
                    "url": {"type": "string"},
                    "source_type": {"enum": ["statute", "regulation", "official_guidance", "secondary"]},
                    "checked": _DATE,
                },
            },
        },
        "effective_from": _DATE,
        "effective_to": _DATE,
        "overrides": {"type": "array", "items": {"type": "string"}},
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


class RuleFileError(Exception):
    """A rule file that cannot be used: the message names the file and the line."""


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    when: Any
    route: str
    summary: str
    obligations: tuple[dict[str, Any], ...]
    citations: tuple[dict[str, Any], ...]
    effective_from: date
    effective_to: date | None
    overrides: tuple[str, ...]
    review: dict[str, Any]
    source: str  # file:line
    content_hash: str = ""  # of the rule's text: a review applies to exactly this version

    def in_effect(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


def _facts_named(condition: Any) -> set[str]:
    if isinstance(condition, dict):
        ((operator, arguments),) = condition.items()
        if operator == "var":
            return {arguments}
        return set().union(*(_facts_named(a) for a in (arguments if isinstance(arguments, list) else [arguments])))
    if isinstance(condition, list):
        return set().union(*(_facts_named(a) for a in condition)) if condition else set()
    return set()


def load_file(path: Path) -> list[Rule]:
    import yaml
    from jsonschema import Draft202012Validator

    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else "?"
        raise RuleFileError(f"{path}:{line}: not valid YAML: {getattr(error, 'problem', error)}") from error
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
        rules.append(
            Rule(
                id=item["id"],
                title=item["title"],
                when=item["when"],
                route=item["outcome"]["route"],
                summary=item["outcome"].get("summary", ""),
                obligations=tuple(item.get("obligations", [])),
                citations=tuple(item["citations"]),
                effective_from=effective_from,
                effective_to=effective_to,
                overrides=tuple(item.get("overrides", [])),
                review=item["review"],
                source=where,
                content_hash=hashlib.sha256(
                    json.dumps({k: v for k, v in item.items() if k != "review"}, sort_keys=True, default=str).encode()
                ).hexdigest(),
            )
        )
    return rules


@cache
def rulebook(jurisdiction: str) -> tuple[Rule, ...]:
    folder = RULES_DIR / jurisdiction.upper()
    if not folder.is_dir():
        raise KeyError(jurisdiction)
    rules: list[Rule] = []
    for path in sorted(folder.glob("*.yaml")):
        rules.extend(load_file(path))
    ids = [r.id for r in rules]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuleFileError(f"{folder}: rule ids used twice: {sorted(duplicates)}")
    for rule in rules:
        for target in rule.overrides:
            if target not in ids:
                raise RuleFileError(f"{rule.source}: overrides unknown rule {target!r}")
    return tuple(rules)


def jurisdictions() -> list[str]:
    return sorted(p.name for p in RULES_DIR.iterdir() if p.is_dir())
