"""Guided interviews (the migrant's and the employer's), the result page, and the legal review of rules.

One question per page, only those the engine says matter; the answers live in the session until the
result is shown. The migrant is addressed as "you"; the employer is asked the start date and gets a dated
timeline. Country names come from CLDR (Babel) in the reader's language. Works without JavaScript.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ownpath.modules.navigator import labels
from ownpath.modules.navigator.engine import Assessment, assess
from ownpath.modules.navigator.facts import FACTS, FactError, clean, country_codes
from ownpath.modules.navigator.models import RuleReview
from ownpath.modules.navigator.review import state_of, states
from ownpath.modules.navigator.rulebook import jurisdictions, pack, rulebook

AUDIENCES = {"migrant": gettext_lazy("Can I work?"), "employer": gettext_lazy("Can I employ this person?")}
SESSION = "navigator"


@cache
def _territories(language: str) -> dict[str, str]:
    from babel import Locale, UnknownLocaleError

    try:
        return dict(Locale.parse(language.replace("-", "_")).territories)
    except (UnknownLocaleError, ValueError):
        return dict(Locale.parse("en").territories)


def country_name(code: str) -> str:
    """The country's name from CLDR in the reader's language (never the bare code when CLDR knows it)."""
    return _territories(get_language() or "en").get(code, code)


def country_choices() -> list[tuple[str, str]]:
    names = _territories(get_language() or "en")
    return sorted(((c, names.get(c, c)) for c in country_codes()), key=lambda item: item[1].casefold())


class StartForm(forms.Form):
    jurisdiction = forms.ChoiceField(label=gettext_lazy("Country of work"))
    as_of = forms.DateField(
        label=gettext_lazy("As of"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy(
            "The day the answer is for: usually today. Past and future dates use the law of that day."
        ),
    )

    def __init__(self, *args: Any, audience: str = "migrant", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = [(j, country_name(j)) for j in jurisdictions()]  # type: ignore[attr-defined]
        if audience == "employer":
            self.fields["start_date"] = forms.DateField(
                label=gettext_lazy("When does the work start?"),
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                input_formats=["%Y-%m-%d"],
                help_text=gettext_lazy("The timeline of what to do by when is counted from this day."),
            )


def _fact_field(name: str, audience: str, jurisdiction: str) -> forms.Field:
    fact = FACTS[name]
    label = fact.question_you if audience == "migrant" else fact.question
    help_text = fact.help
    if fact.kind == "country":
        return forms.ChoiceField(label=label, choices=[("", "—"), *country_choices()], help_text=help_text)
    if fact.kind == "bool":
        return forms.TypedChoiceField(
            label=label,
            choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
            coerce=lambda v: v == "yes",
            widget=forms.RadioSelect,
            help_text=help_text,
        )
    if fact.kind == "number":
        if fact.maximum is not None and fact.maximum <= 1:
            return forms.FloatField(
                label=label,
                min_value=0,
                max_value=fact.maximum,
                help_text=help_text,
                localize=True,
                widget=forms.NumberInput(attrs={"step": "0.05", "inputmode": "decimal"}),
            )
        return forms.IntegerField(label=label, min_value=0, max_value=int(fact.maximum or 120), help_text=help_text)
    if fact.kind == "date":
        return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"])
    choices = [(c, labels.choice_label(name, c)) for c in fact.choices_for(jurisdiction)]
    return forms.ChoiceField(label=label, choices=[("", "—"), *choices], help_text=help_text)


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
    form = StartForm(
        request.POST or None, audience=audience, initial={"jurisdiction": "PL", "as_of": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        facts = {"start_date": form.cleaned_data["start_date"].isoformat()} if "start_date" in form.cleaned_data else {}
        request.session[SESSION] = {
            "audience": audience,
            "jurisdiction": form.cleaned_data["jurisdiction"],
            "as_of": form.cleaned_data["as_of"].isoformat(),
            "facts": facts,
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
        if kind == "bool" and value in ("True", "False", "true", "false"):
            raw[name] = value.lower() == "true"
        elif kind == "number":
            try:
                raw[name] = float(value)
            except ValueError:
                raw[name] = value
        else:
            raw[name] = value
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
    form.fields["answer"] = _fact_field(name, audience, state["jurisdiction"])
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


def _answer(name: str, value: Any) -> Any:
    kind = FACTS[name].kind if name in FACTS else ""
    if kind == "country":
        return country_name(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if kind == "choice":
        return labels.choice_label(name, value)
    if isinstance(value, float):
        return number_format(value)
    return value


def _reason(because: str) -> str:
    return str(labels.TIER_REASONS[because]) if because in labels.TIER_REASONS else _(because)


def _trace(a: Assessment) -> dict[str, list[dict[str, Any]]]:
    titles = {r.id: _(r.title) for r in rulebook(a.jurisdiction)}
    groups: dict[str, list[dict[str, Any]]] = {"applied": [], "overridden": [], "not_applied": [], "not_in_effect": []}
    for line in a.trace:
        item = {
            "rule": line.rule,
            "title": titles[line.rule],
            "from": line.effective_from,
            "to": line.effective_to,
            "read": [FACTS[n].question_you if n in FACTS else n for n in line.read],
        }
        if line.result == "matched" and line.overridden_by:
            item["by"] = [
                {"title": titles[w], "because": _reason(r)}
                for w, r in zip(line.overridden_by, line.because, strict=True)
            ]
            groups["overridden"].append(item)
        elif line.result == "matched":
            groups["applied"].append(item)
        elif line.result == "not_in_effect":
            groups["not_in_effect"].append(item)
        else:
            groups["not_applied"].append(item)
    return groups


def _citation(c: dict[str, Any]) -> dict[str, Any]:
    return {**c, "act": _(c["act"])}


def _obligation(o: dict[str, Any], audience: str) -> dict[str, Any]:
    office = labels.OFFICES.get(o.get("office", ""))
    fee = o.get("fee")
    return {
        **o,
        "what": _(o["what"]),
        "who_label": labels.WHO[audience].get(o["who"], o["who"]),
        "relative": labels.RELATIVE.get(o.get("deadline", {}).get("relative_to", ""), ""),
        "office": office,
        "fee": {
            **fee,
            "when": _(fee["when"]) if fee.get("when") else "",
            "citation": _citation(fee["citation"]) if fee.get("citation") else None,
        }
        if fee
        else None,
    }


@require_GET
def result(request: HttpRequest, audience: str) -> HttpResponse:
    state = _state(request, audience)
    a = assess(state["jurisdiction"], state["facts"], date.fromisoformat(state["as_of"]))
    if a.next_question is not None:
        return redirect("navigator:question", audience)
    obligations = [_obligation(o, audience) for o in a.obligations]
    timeline = sorted((o for o in obligations if o.get("due")), key=lambda o: o["due"])
    review = state_of(a.rule) if a.rule else None
    template = "navigator/print.html" if request.GET.get("view") == "print" else "navigator/result.html"
    return render(
        request,
        template,
        {
            "a": a,
            "audience": audience,
            "country": country_name(a.jurisdiction),
            "route_label": labels.ROUTE_LABELS.get(a.route or "", _("No rule applies")),
            "route_kind": labels.ROUTE_KIND.get(a.route or "", "route"),
            "rule_title": _(pack(a.jurisdiction).by_id[a.rule].title) if a.rule else "",
            "summary": _(a.summary) if a.summary else "",
            "ground": labels.GROUNDS.get(a.ground, a.ground) if a.ground else "",
            "while": labels.WHILE.get(a.while_, a.while_) if a.while_ else "",
            "obligations": obligations,
            "timeline": timeline if audience == "employer" else [],
            "citations": [_citation(c) for c in a.citations],
            "trace": _trace(a),
            "answers": [
                (FACTS[n].question_you if audience == "migrant" else FACTS[n].question, _answer(n, v))
                for n, v in state["facts"].items()
                if n in FACTS
            ],
            "review": review,
        },
    )


# --- Legal review --------------------------------------------------------------------------------------


@login_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("navigator.review"):
        raise PermissionDenied
    order = {"changed": 0, "never": 1, "reviewed": 2}
    rows = sorted(states(), key=lambda s: (order[s.status], s.rule.id))
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
