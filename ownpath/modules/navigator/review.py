"""The legal review of rules: a rule is reviewed when a legal adviser marked exactly its current text as
reviewed (``RuleReview`` with the rule's content hash), or when the rule file itself names a reviewer and a
date with ``status: reviewed``. Everything else is unreviewed and says so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ownpath.modules.navigator.models import RuleReview
from ownpath.modules.navigator.rulebook import Rule, jurisdictions, rulebook


@dataclass(frozen=True)
class ReviewState:
    rule: Rule
    jurisdiction: str
    status: str  # reviewed | changed | never
    reviewer: str
    reviewed_on: date | None
    last_checked: date | None  # the latest date a citation was checked against its source

    @property
    def age_days(self) -> int | None:
        last = self.reviewed_on or self.last_checked
        return (date.today() - last).days if last else None


def _last_checked(rule: Rule) -> date | None:
    dates = [date.fromisoformat(str(c["checked"])) for c in rule.citations if c.get("checked")]
    return max(dates) if dates else None


def states(rule_ids: set[str] | None = None) -> list[ReviewState]:
    latest: dict[str, RuleReview] = {}
    reviews = RuleReview.objects.select_related("reviewer").order_by("rule_id", "-reviewed_at")
    if rule_ids is not None:
        reviews = reviews.filter(rule_id__in=rule_ids)
    for review in reviews:
        latest.setdefault(review.rule_id, review)
    out = []
    for jurisdiction in jurisdictions():
        for rule in rulebook(jurisdiction):
            if rule_ids is not None and rule.id not in rule_ids:
                continue
            found = latest.get(rule.id)
            if found is not None and found.content_hash == rule.content_hash:
                out.append(
                    ReviewState(
                        rule,
                        jurisdiction,
                        "reviewed",
                        str(found.reviewer or ""),
                        found.reviewed_at.date(),
                        _last_checked(rule),
                    )
                )
            elif rule.review.get("status") == "reviewed" and rule.review.get("reviewer") and rule.review.get("date"):
                out.append(
                    ReviewState(
                        rule,
                        jurisdiction,
                        "reviewed",
                        rule.review["reviewer"],
                        date.fromisoformat(str(rule.review["date"])),
                        _last_checked(rule),
                    )
                )
            else:
                status = "changed" if found is not None else "never"
                out.append(
                    ReviewState(
                        rule,
                        jurisdiction,
                        status,
                        str(found.reviewer or "") if found else "",
                        found.reviewed_at.date() if found else None,
                        _last_checked(rule),
                    )
                )
    return out


def state_of(rule_id: str) -> ReviewState | None:
    found = states({rule_id})
    return found[0] if found else None
