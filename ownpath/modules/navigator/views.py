"""Guided interviews (the migrant's and the employer's), the result page, and the legal review of rules.

One question per page, only those the engine says matter; the answers live in the session until the
result is shown. Works without JavaScript.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_countries import countries

from ownpath.modules.navigator import labels
from ownpath.modules.navigator.engine import assess
from ownpath.modules.navigator.facts import FACTS, FactError, clean
from ownpath.modules.navigator.models import RuleReview
from ownpath.modules.navigator.rulebook import jurisdictions, rulebook

AUDIENCES = {"migrant": gettext_lazy("Can I work?"), "employer": gettext_lazy("Can I employ this person?")}
SESSION = "navigator"


class StartForm(forms.Form):
    jurisdiction = forms.ChoiceField(label=gettext_lazy("Country of work"))
    as_of = forms.DateField(
        label=gettext_lazy("As of"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("The day the answer is for: usually today, or the day work starts."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = {"PL": gettext_lazy("Poland"), "LT": gettext_lazy("Lithuania"), "FI": gettext_lazy("Finland")}
        self.fields["jurisdiction"].choices = [(j, names.get(j, j)) for j in jurisdictions()]  # type: ignore[attr-defined]


def _fact_field(name: str) -> forms.Field:
    fact = FACTS[name]
    label = fact.question
    if fact.kind == "country":
        return forms.ChoiceField(label=label, choices=[("", "—"), *list(countries)])
    if fact.kind == "bool":
        return forms.TypedChoiceField(
            label=label,
            choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
            coerce=lambda v: v == "yes",
            widget=forms.RadioSelect,
        )
    if fact.kind == "number":
        return forms.IntegerField(label=label, min_value=0, max_value=120)
    if fact.kind == "date":
        return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"])
    return forms.ChoiceField(
        label=label, choices=[("", "—"), *[(c, labels.CHOICE_LABELS.get(c, c)) for c in fact.choices]]
    )


def _state(request: HttpRequest, audience: str) -> dict[str, Any]:
    state = request.session.get(SESSION) or {}
    if state.get("audience") != audience:
        raise Http404
    return state


@require_GET
def start_page(request: HttpRequest) -> HttpResponse:
    return render(request, "navigator/start.html", {"audiences": AUDIENCES})


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, audience: str) -> HttpResponse:
    if audience not in AUDIENCES:
        raise Http404
    form = StartForm(request.POST or None, initial={"jurisdiction": "PL", "as_of": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        request.session[SESSION] = {
            "audience": audience,
            "jurisdiction": form.cleaned_data["jurisdiction"],
            "as_of": form.cleaned_data["as_of"].isoformat(),
            "facts": {},
        }
        return redirect("navigator:question", audience)
    return render(
        request,
        "navigator/form.html",
        {"form": form, "title": AUDIENCES[audience], "audience": audience},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def case(request: HttpRequest, audience: str) -> HttpResponse:
    """Opens the interview with facts given in the link (from a vacancy, an article or a match), so other pages
    link to the navigator's result instead of copying it. Facts that do not check out are refused."""
    if audience not in AUDIENCES:
        raise Http404
    params = request.GET.dict()
    jurisdiction = params.pop("jurisdiction", "PL").upper()
    as_of = params.pop("as_of", "")
    raw: dict[str, Any] = {}
    for name, value in params.items():
        kind = FACTS[name].kind if name in FACTS else None
        raw[name] = (
            (value == "True")
            if kind == "bool" and value in ("True", "False")
            else (float(value) if kind == "number" and value.replace(".", "", 1).isdigit() else value)
        )
    try:
        facts = clean(raw)
        on = date.fromisoformat(as_of) if as_of else timezone.localdate()
    except (FactError, ValueError) as error:
        messages.error(request, _("The link carries facts that cannot be used: %(error)s") % {"error": error})
        return redirect("navigator:start", audience)
    if jurisdiction not in jurisdictions():
        raise Http404
    request.session[SESSION] = {
        "audience": audience,
        "jurisdiction": jurisdiction,
        "as_of": on.isoformat(),
        "facts": facts,
    }
    return redirect("navigator:question", audience)


@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, audience: str) -> HttpResponse:
    state = _state(request, audience)
    result = assess(state["jurisdiction"], state["facts"], date.fromisoformat(state["as_of"]))
    if result.next_question is None:
        return redirect("navigator:result", audience)
    name = result.next_question["fact"]
    form = forms.Form(request.POST or None)
    form.fields["answer"] = _fact_field(name)
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data["answer"]
        facts = {**state["facts"], name: value.isoformat() if isinstance(value, date) else value}
        try:
            clean(facts)
        except FactError as error:
            form.add_error("answer", error.message)
        else:
            state["facts"] = facts
            request.session[SESSION] = state
            return redirect("navigator:question", audience)
    return render(
        request,
        "navigator/form.html",
        {
            "form": form,
            "title": AUDIENCES[audience],
            "audience": audience,
            "step": len(state["facts"]) + 1,
            "fact": name,
        },
        status=400 if request.method == "POST" else 200,
    )


def last_reviewed(jurisdiction: str) -> Any:
    current = {r.id: r.content_hash for r in rulebook(jurisdiction)}
    reviews = RuleReview.objects.filter(rule_id__in=list(current)).values_list("rule_id", "content_hash", "reviewed_at")
    dates = [at for rule_id, content, at in reviews if current.get(rule_id) == content]
    return max(dates) if dates and len({r for r, c, _a in reviews if current.get(r) == c}) == len(current) else None


@require_GET
def result(request: HttpRequest, audience: str) -> HttpResponse:
    state = _state(request, audience)
    assessment = assess(state["jurisdiction"], state["facts"], date.fromisoformat(state["as_of"]))
    if assessment.next_question is not None:
        return redirect("navigator:question", audience)
    answers = [
        (
            FACTS[name].question,
            labels.CHOICE_LABELS.get(value, value)
            if isinstance(value, str)
            else (_("Yes") if value is True else _("No") if value is False else value),
        )
        for name, value in state["facts"].items()
    ]
    template = "navigator/print.html" if request.GET.get("view") == "print" else "navigator/result.html"
    return render(
        request,
        template,
        {
            "a": assessment,
            "audience": audience,
            "route_label": labels.ROUTE_LABELS.get(assessment.route or "", _("No rule applies")),
            "summary": _(assessment.summary) if assessment.summary else "",
            "obligations": [
                {
                    **o,
                    "what": _(o["what"]),
                    "fee": {**o["fee"], "when": _(o["fee"]["when"]) if o["fee"].get("when") else ""}
                    if o.get("fee")
                    else None,
                    "who_label": labels.WHO.get(o["who"], o["who"]),
                    "relative": labels.RELATIVE.get(o.get("deadline", {}).get("relative_to", ""), ""),
                }
                for o in assessment.obligations
            ],
            "answers": answers,
            "reviewed": last_reviewed(state["jurisdiction"]),
        },
    )


# --- Legal review --------------------------------------------------------------------------------------


@login_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("navigator.review"):
        raise PermissionDenied
    rows: list[dict[str, Any]] = []
    for jurisdiction in jurisdictions():
        for rule in rulebook(jurisdiction):
            latest = RuleReview.objects.filter(rule_id=rule.id).select_related("reviewer").first()
            if latest is None:
                status = "never"
            elif latest.content_hash == rule.content_hash:
                status = "reviewed"
            else:
                status = "changed"
            rows.append({"rule": rule, "latest": latest, "status": status, "jurisdiction": jurisdiction})
    order = {"changed": 0, "never": 1, "reviewed": 2}
    rows.sort(key=lambda row: (order[row["status"]], row["rule"].id))
    return render(request, "navigator/review.html", {"rows": rows})


@login_required
@require_POST
def mark_reviewed(request: HttpRequest, rule_id: str) -> HttpResponse:
    if not request.user.has_perm("navigator.review"):
        raise PermissionDenied
    rule = next((r for j in jurisdictions() for r in rulebook(j) if r.id == rule_id), None)
    if rule is None:
        raise Http404
    RuleReview.objects.create(
        rule_id=rule.id,
        content_hash=rule.content_hash,
        reviewer_id=request.user.pk,
        note=request.POST.get("note", "")[:300],
    )
    messages.success(request, _("Marked as reviewed."))
    return redirect("navigator:review")
