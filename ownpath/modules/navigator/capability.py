"""What the navigator offers other modules through core (``registry.capability("navigator.work_rights")``):
the route a worker with given facts needs for a job, as plain data in the reader's language."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ownpath.modules.navigator import labels
from ownpath.modules.navigator.engine import assess, obligations_of
from ownpath.modules.navigator.facts import FactError
from ownpath.modules.navigator.rulebook import jurisdictions, pack

FREE_ROUTES = frozenset({"no_permit_needed", "notification"})


def work_rights(jurisdiction: str, facts: dict[str, Any], as_of: date | None = None) -> dict[str, Any]:
    """``{"status": free | route | not_allowed | unknown, "route", "label", "summary", "fees", "question", "url"}``.

    ``free``: the person may start (the employer may still have to notify). ``route``: a permit or declaration
    is needed first; ``fees`` says what it costs. ``unknown``: the facts are not enough; ``question`` says
    what to ask. ``url`` opens the navigator's full result with these facts.
    """
    code = jurisdiction.upper()
    if code not in jurisdictions():
        return {
            "status": "unknown",
            "route": None,
            "label": _("No rules for this country"),
            "summary": "",
            "fees": [],
            "question": "",
            "url": "",
        }
    try:
        result = assess(code, facts, as_of)
    except FactError as error:
        return {
            "status": "unknown",
            "route": None,
            "label": _("Facts not usable"),
            "summary": str(error),
            "fees": [],
            "question": "",
            "url": "",
        }
    url = reverse("navigator:case", args=["employer"]) + "?" + urlencode({"jurisdiction": code, **facts})
    provisional = result.provisional_route
    kind = labels.ROUTE_KIND.get(provisional or "", "route")
    if (
        result.next_question is not None
        and kind == "free"
        and all(labels.ROUTE_KIND.get(r, "route") == "free" for r in result.pending_routes)
    ):
        # Whatever the open question's answer, the person may start: show it as free.
        return {
            "status": "free",
            "route": provisional,
            "label": str(labels.ROUTE_LABELS.get(provisional or "", "")),
            "summary": "",
            "fees": [],
            "question": "",
            "url": url,
        }
    if result.next_question is not None and provisional and labels.ROUTE_KIND.get(provisional, "route") == "route":
        # The rules that hold already require a permit or a declaration; the open question may still free the
        # person or refuse the permit, so the match shows the route together with the question still open.
        on = as_of or timezone.localdate()
        rules_pack = pack(code)
        rule = rules_pack.by_id[result.provisional_rule or ""]
        fees = [
            f"{o['fee']['amount']:g} {o['fee']['currency']}"
            for o in obligations_of(rule, rules_pack, on, result.facts)
            if o.get("fee") and o["fee"].get("amount") is not None
        ]
        return {
            "status": "route",
            "route": provisional,
            "label": str(labels.ROUTE_LABELS.get(provisional, provisional)),
            "summary": _(rule.summary) if rule.summary else "",
            "fees": fees,
            "question": result.next_question["question"],
            "url": url,
        }
    if result.next_question is not None:
        return {
            "status": "unknown",
            "route": None,
            "label": _("Not known yet"),
            "summary": "",
            "fees": [],
            "question": result.next_question["question"],
            "url": url,
        }
    if result.route is None:
        return {
            "status": "unknown",
            "route": None,
            "label": _("No rule applies"),
            "summary": "",
            "fees": [],
            "question": "",
            "url": url,
        }
    kind = labels.ROUTE_KIND.get(result.route, "route")
    status = "free" if result.route in FREE_ROUTES else "not_allowed" if kind == "not_allowed" else "route"
    fees = [f"{fee['amount']} {fee['currency']}" for fee in result.fees if fee.get("amount") is not None]
    return {
        "status": status,
        "route": result.route,
        "label": str(labels.ROUTE_LABELS.get(result.route, result.route)),
        "summary": _(result.summary) if result.summary else "",
        "fees": fees,
        "question": "",
        "url": url,
    }
