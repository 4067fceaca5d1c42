"""Pages of the mentoring module: the coordinator's desk, mentors, mentees, match runs, pairs with their
contract, meetings and reviews; a mentor's own pairs; the parties' private contract page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ownpath.core.choices import AuditAction, Channel
from ownpath.core.concurrency import form_unchanged, version_form
from ownpath.core.languages import RTL_LANGUAGES, language_name
from ownpath.core.models import Organisation, Person
from ownpath.core.rules import may
from ownpath.core.services import audit
from ownpath.core.views import refuse, require_perm
from ownpath.modules.mentoring import forms, selectors, services
from ownpath.modules.mentoring.choices import ContractStatus, MenteeStatus, MentorStatus, Party, RunStatus
from ownpath.modules.mentoring.models import MatchRun, Mentee, Mentor, Pair, Proposal, Review

PROFILE_FIELDS = (
    "gender", "preferred_language", "languages", "country_of_origin", "lived_experience", "sector", "municipality",
    "latitude", "longitude", "availability",
)  # fmt: skip


def _programme(request: HttpRequest) -> Organisation:
    """The programme the coordinator works for (the first, or ``?programme=``)."""
    ids = selectors.programmes_of(request.user)
    if not ids:
        raise PermissionDenied
    wanted = request.GET.get("programme") or request.POST.get("programme")
    chosen = int(wanted) if wanted and wanted.isdigit() and int(wanted) in ids else min(ids)
    return Organisation.objects.get(pk=chosen)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    require_perm(request, "mentoring.coordinate")
    programme = _programme(request)
    pairs = (
        Pair.objects.filter(organisation=programme)
        .select_related("mentor", "mentee__person")
        .order_by("status", "-created_at")
    )
    lapsed = [(p, since) for p, since, _over in services.lapsed(organisation_id=programme.pk)]
    audit.record_list(
        request.user, [m.person for m in selectors.mentees_of({programme.pk})], channel=Channel.UI, purpose="mentoring"
    )
    return render(
        request,
        "mentoring/home.html",
        {
            "programme": programme,
            "mentors": selectors.mentors_of({programme.pk}).order_by("status", "name"),
            "mentees": selectors.mentees_of({programme.pk}).order_by("status", "created_at"),
            "pairs": pairs,
            "lapsed": lapsed,
            "reviews": Review.objects.filter(
                pair__organisation=programme, done_on__isnull=True, due_on__lte=timezone.localdate() + timedelta(days=7)
            ).select_related("pair__mentor"),
            "draft": MatchRun.objects.filter(organisation=programme, status=RunStatus.DRAFT).first(),
            "free": services.free_places(programme.pk),
        },
    )


def _profile_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: data[k] for k in PROFILE_FIELDS if k in data}
    return values


@login_required
@require_http_methods(["GET", "POST"])
def mentor_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "mentoring.coordinate")
    programme = _programme(request)
    form = forms.MentorForm(request.POST or None, initial={"capacity": 1, "preferred_language": get_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        from ownpath.core.models import User

        try:
            mentor = services.create_mentor(
                request.user,
                programme,
                {
                    **_profile_values(data),
                    **{
                        k: data[k]
                        for k in ("name", "email", "phone", "kind", "profession", "capacity", "wants_mentee_gender")
                    },
                    "user": User.objects.filter(email__iexact=data["email"]).first(),
                },
            )
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("Mentor added."))
            return redirect("mentoring:mentor", mentor.pk)
    return render(request, "mentoring/mentor_form.html", {"form": form, "programme": programme})


@login_required
@require_http_methods(["GET", "POST"])
def mentor(request: HttpRequest, mentor_id: str) -> HttpResponse:
    found = get_object_or_404(Mentor, pk=mentor_id)
    if not may(request.user, "mentoring.coordinate_at", found.organisation_id):
        raise Http404(_("No such mentor, or not one you may see."))
    initial = {
        f: getattr(found, f)
        for f in (*PROFILE_FIELDS, "name", "email", "phone", "kind", "profession", "capacity", "wants_mentee_gender")
    }
    form = forms.MentorForm(initial=initial, prefix="profile")
    version_form(form, found, list(initial))
    training_form = forms.TrainingForm(prefix="training")
    status_form = forms.StatusForm(initial={"status": found.status}, prefix="status")
    version_form(status_form, found, ["status"])
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "profile":
                form = forms.MentorForm(request.POST, initial=initial, prefix="profile")
                version_form(form, found, list(initial))
                if form.is_valid():
                    data = form.cleaned_data
                    values = {
                        **_profile_values(data),
                        **{
                            k: data[k]
                            for k in ("name", "phone", "kind", "profession", "capacity", "wants_mentee_gender")
                        },
                    }
                    with form_unchanged(form, found, values) as stored:
                        services.update_mentor(request.user, stored, values)
                    messages.success(request, _("Saved."))
                    return redirect("mentoring:mentor", found.pk)
            elif action == "training":
                training_form = forms.TrainingForm(request.POST, prefix="training")
                if training_form.is_valid():
                    services.record_training(request.user, found, **training_form.cleaned_data)
                    messages.success(request, _("Training recorded."))
                    return redirect("mentoring:mentor", found.pk)
            elif action == "check_training":
                if services.refresh_training(found):
                    messages.success(request, _("The mentor path is completed."))
                else:
                    messages.warning(request, _("No completed mentor path found for this mentor yet."))
                return redirect("mentoring:mentor", found.pk)
            elif action == "approve":
                services.approve(request.user, found)
                messages.success(request, _("Approved: the mentor can now be matched."))
                return redirect("mentoring:mentor", found.pk)
            elif action == "status":
                status_form = forms.StatusForm(request.POST, prefix="status")
                version_form(status_form, found, ["status"])
                if status_form.is_valid():
                    with form_unchanged(status_form, found) as stored:
                        services.set_mentor_status(request.user, stored, status_form.cleaned_data["status"])
                    return redirect("mentoring:mentor", found.pk)
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, form, training_form, status_form)
    audit.record(request.user, AuditAction.READ, channel=Channel.UI, obj=found, organisation_id=found.organisation_id)
    return render(
        request,
        "mentoring/mentor.html",
        {
            "mentor": found,
            "form": form,
            "training_form": training_form,
            "status_form": status_form,
            "pairs": found.pairs.select_related("mentee__person").order_by("-created_at"),
            "matchable": found.matchable,
            "active": MentorStatus.ACTIVE,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mentee_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "mentoring.coordinate")
    programme = _programme(request)
    people = [(str(p.pk), p.display_name) for p in selectors.registrable_people(programme)]
    form = forms.NewMenteeForm(request.POST or None, people=people, initial={"preferred_language": "uk"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = get_object_or_404(Person, pk=data["person"])
        values = {
            **_profile_values(data),
            **{k: data[k] for k in ("wants_peer", "wants_mentor_gender", "goals_summary")},
        }
        if not values.get("languages"):
            values.pop("languages", None)
        try:
            mentee = services.register_mentee(request.user, programme, person, values)
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("%(name)s is waiting for a mentor.") % {"name": person.display_name})
            return redirect("mentoring:mentee", mentee.pk)
    return render(request, "mentoring/mentee_form.html", {"form": form, "programme": programme, "people": people})


@login_required
@require_http_methods(["GET", "POST"])
def mentee(request: HttpRequest, mentee_id: str) -> HttpResponse:
    found = get_object_or_404(Mentee.objects.select_related("person"), pk=mentee_id)
    if not may(request.user, "mentoring.coordinate_at", found.organisation_id):
        raise Http404(_("No such mentee, or not one you may see."))
    initial = {f: getattr(found, f) for f in (*PROFILE_FIELDS, "wants_peer", "wants_mentor_gender", "goals_summary")}
    form = forms.MenteeForm(request.POST or None, initial=initial)
    version_form(form, found, list(initial))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {
            **_profile_values(data),
            **{k: data[k] for k in ("wants_peer", "wants_mentor_gender", "goals_summary")},
        }
        try:
            with form_unchanged(form, found, values) as stored:
                services.update_mentee(request.user, stored, values)
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("mentoring:mentee", found.pk)
    audit.record(
        request.user,
        AuditAction.READ,
        channel=Channel.UI,
        obj=found,
        organisation_id=found.organisation_id,
        person=found.person,
        purpose="mentoring",
    )
    options = services.alternatives(found) if found.status == MenteeStatus.WAITING else []
    return render(
        request,
        "mentoring/mentee.html",
        {"mentee": found, "form": form, "options": options, "pairs": found.pairs.select_related("mentor")},
    )


@login_required
@require_http_methods(["POST"])
def run_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "mentoring.coordinate")
    programme = _programme(request)
    try:
        run = services.run_match(request.user, programme)
    except (ValidationError, PermissionDenied) as error:
        refuse(request, error)
        return redirect("mentoring:home")
    return redirect("mentoring:run", run.pk)


@login_required
@require_http_methods(["GET", "POST"])
def run(request: HttpRequest, run_id: str) -> HttpResponse:
    found = get_object_or_404(MatchRun, pk=run_id)
    if not may(request.user, "mentoring.coordinate_at", found.organisation_id):
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                pairs = services.publish(request.user, found)
                messages.success(
                    request, _("Published: %(count)s pairs now agree their contracts.") % {"count": len(pairs)}
                )
                return redirect("mentoring:home")
            proposal = get_object_or_404(Proposal, pk=request.POST.get("proposal"), run=found)
            if action == "adjust":
                services.adjust(request.user, proposal, get_object_or_404(Mentor, pk=request.POST.get("mentor")))
                messages.success(request, _("Changed."))
            elif action == "drop":
                services.drop_proposal(request.user, proposal)
                messages.success(request, _("Removed from this match."))
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error)
        return redirect("mentoring:run", found.pk)
    proposals = list(found.proposals.select_related("mentee__person", "mentor"))
    audit.record_list(request.user, [p.mentee.person for p in proposals], channel=Channel.UI, purpose="mentoring")
    mentors = list(Mentor.objects.filter(pk__in=list(services.free_places(found.organisation_id))).order_by("name"))
    matched = {p.mentee_id for p in proposals}
    left = (
        Mentee.objects.filter(organisation_id=found.organisation_id, status=MenteeStatus.WAITING)
        .exclude(pk__in=matched)
        .select_related("person")
    )
    return render(
        request,
        "mentoring/run.html",
        {
            "run": found,
            "proposals": proposals,
            "mentors": mentors,
            "left": left,
            "draft": found.status == RunStatus.DRAFT,
        },
    )


def _pair(request: HttpRequest, pair_id: str) -> Pair:
    found = get_object_or_404(Pair.objects.select_related("mentor", "mentee__person"), pk=pair_id)
    if not request.user.has_perm("mentoring.view_pair", found):
        raise Http404(_("No such pair, or not one you may see."))
    return found


def _contracts_of(pair: Pair) -> list[Any]:
    """What a new contract version is written against: the pair's versions and their states."""
    return list(pair.contracts.order_by("version").values_list("version", "status"))


def _contract_form(pair: Pair, data: Any = None) -> forms.ContractForm:
    languages = list(dict.fromkeys([pair.mentor.preferred_language, pair.mentee.preferred_language]))
    written = get_language() or "pl"
    translate_to = [(code, language_name(code)) for code in languages if code != written]
    form = forms.ContractForm(
        data,
        translate_to=translate_to,
        prefix="contract",
        initial={"language": written, "weeks": 16, "meet_every_days": 14, "contact_forms": ["in_person"]},
    )
    # Two coordinators renegotiating at once: the second proposal, written against a contract that has
    # moved on, is refused instead of silently superseding the first (core.concurrency).
    version_form(form, pair, ["status"], extra=_contracts_of)
    return form


def _pair_contract(request: HttpRequest, found: Pair, page: dict[str, Any]) -> HttpResponse | None:
    if not page["coordinator"]:
        raise PermissionDenied
    page["contract_form"] = contract_form = _contract_form(found, request.POST)
    if contract_form.is_valid():
        data = contract_form.cleaned_data
        with form_unchanged(contract_form, found, {}) as stored:
            written, tokens = services.write_contract(
                request.user,
                stored,
                goals=[data["goal_1"], data["goal_2"], data["goal_3"]],
                rules=data["rules"],
                weeks=data["weeks"],
                meet_every_days=data["meet_every_days"],
                contact_forms=data["contact_forms"],
                confidentiality=data["confidentiality"],
                language=data["language"],
                translated=contract_form.translated(),
            )
        page["links"] = {
            party: request.build_absolute_uri(reverse("mentoring:contract", args=[token]))
            for party, token in tokens.items()
        }
        messages.success(
            request,
            _("Contract version %(version)s proposed: give each party their link.") % {"version": written.version},
        )
        page["shown"] = written
    return None


def _pair_link(request: HttpRequest, found: Pair, page: dict[str, Any]) -> HttpResponse | None:
    if page["shown"] is None:
        return None
    if not page["coordinator"]:
        raise PermissionDenied
    party = request.POST.get("party", "")
    if party not in Party.values:
        raise ValidationError(_("Unknown answer."))
    token = services.new_link(request.user, page["shown"], party)
    page["links"] = {party: request.build_absolute_uri(reverse("mentoring:contract", args=[token]))}
    return None


def _pair_meeting(request: HttpRequest, found: Pair, page: dict[str, Any]) -> HttpResponse | None:
    page["meeting_form"] = form = forms.MeetingForm(request.POST, goals=page["goals"], prefix="meeting")
    if not form.is_valid():
        return None
    data = form.cleaned_data
    services.log_meeting(
        request.user,
        found,
        held_on=data["held_on"],
        minutes=data["minutes"],
        form=data["form"],
        topics=data["topics"],
        progress=form.progress(),
    )
    messages.success(request, _("Meeting logged."))
    return redirect("mentoring:pair", found.pk)


def _pair_fit(request: HttpRequest, found: Pair, page: dict[str, Any]) -> HttpResponse | None:
    page["fit_form"] = form = forms.FitForm(request.POST, prefix="fit")
    if not form.is_valid():
        return None
    services.record_fit(request.user, found, **form.cleaned_data)
    messages.success(request, _("Saved."))
    return redirect("mentoring:pair", found.pk)


def _pair_review(request: HttpRequest, found: Pair, page: dict[str, Any]) -> HttpResponse | None:
    page["review_form"] = form = forms.ReviewForm(request.POST, prefix="review")
    review = found.reviews.filter(done_on__isnull=True).order_by("due_on").first()
    if review is None or not form.is_valid():
        return None
    services.complete_review(request.user, review, form.cleaned_data["notes"])
    messages.success(request, _("Review recorded."))
    return redirect("mentoring:pair", found.pk)


def _pair_close(request: HttpRequest, found: Pair, page: dict[str, Any]) -> HttpResponse | None:
    page["close_form"] = form = forms.CloseForm(request.POST, prefix="close")
    if not form.is_valid():
        return None
    services.close(request.user, found, **form.cleaned_data)
    messages.success(request, _("The pair is closed."))
    return redirect("mentoring:pair", found.pk)


# One handler per action a pair's page posts (the form's ``action`` field).
PAIR_ACTIONS = {
    "contract": _pair_contract,
    "link": _pair_link,
    "meeting": _pair_meeting,
    "fit": _pair_fit,
    "review": _pair_review,
    "close": _pair_close,
}
FORMS = ("contract_form", "meeting_form", "fit_form", "review_form", "close_form")


@login_required
@require_http_methods(["GET", "POST"])
def pair(request: HttpRequest, pair_id: str) -> HttpResponse:
    found = _pair(request, pair_id)
    coordinator = may(request.user, "mentoring.coordinate_at", found.organisation_id)
    contract = services.current_contract(found)
    proposed = found.contracts.filter(status=ContractStatus.PROPOSED).order_by("-version").first()
    goals = []
    if contract is not None:
        texts = services.contract_texts(contract, get_language() or "en")
        goals = [(str(g.key), texts.get(f"goal_{g.order}", ("", ""))[0]) for g in contract.goals.all()]
    page: dict[str, Any] = {
        "coordinator": coordinator,
        "shown": contract or proposed,
        "goals": goals,
        "links": {},
        "contract_form": _contract_form(found),
        "meeting_form": forms.MeetingForm(
            goals=goals, prefix="meeting", initial={"held_on": timezone.localdate(), "form": "in_person"}
        ),
        "fit_form": forms.FitForm(prefix="fit"),
        "review_form": forms.ReviewForm(prefix="review"),
        "close_form": forms.CloseForm(prefix="close"),
    }
    handler = PAIR_ACTIONS.get(request.POST.get("action", "")) if request.method == "POST" else None
    if handler is not None:
        try:
            done = handler(request, found, page)
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, *(page[name] for name in FORMS))
        else:
            if done is not None:
                return done
    shown = page["shown"]
    links = page["links"]
    contract_form, meeting_form, fit_form, review_form, close_form = (page[name] for name in FORMS)
    audit.record(
        request.user,
        AuditAction.READ,
        channel=Channel.UI,
        obj=found,
        organisation_id=found.organisation_id,
        person=found.mentee.person,
        purpose="mentoring",
    )
    shown_texts = services.contract_texts(shown, get_language() or "en") if shown else {}
    return render(
        request,
        "mentoring/pair.html",
        {
            "pair": found,
            "coordinator": coordinator,
            "contract": shown,
            "contract_goals": [(g, shown_texts.get(f"goal_{g.order}", ("", ""))[0]) for g in shown.goals.all()]
            if shown
            else [],
            "contract_rules": shown_texts.get("rules", ("", ""))[0] if shown else "",
            "parties": list(shown.parties.all()) if shown else [],
            "links": links,
            "contract_form": contract_form,
            "meeting_form": meeting_form,
            "fit_form": fit_form,
            "review_form": review_form,
            "close_form": close_form,
            "meetings": found.meetings.prefetch_related("progress").order_by("-held_on"),
            "fit_checks": found.fit_checks.all(),
            "review": found.reviews.filter(done_on__isnull=True).order_by("due_on").first(),
            "reviews_done": found.reviews.filter(done_on__isnull=False).order_by("-done_on"),
            "can_log": coordinator or request.user.has_perm("mentoring.log_meeting", found),
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    require_perm(request, "mentoring.mentor")
    pairs = (
        Pair.objects.filter(mentor__user_id=int(request.user.pk or 0))
        .select_related("mentee__person")
        .order_by("-created_at")
    )
    return render(request, "mentoring/mine.html", {"pairs": pairs})


@require_http_methods(["GET", "POST"])
def contract(request: HttpRequest, token: str) -> HttpResponse:
    """A party's private page: the contract in their language (or another they choose), accept it, and
    after the first meeting say whether it is a good fit. No account needed."""
    party = services.party_for_token(token)
    if party is None:
        raise Http404(_("This link is not valid (any more). Ask your coordinator for a new one."))
    language = request.GET.get("lang") or party.language
    if language not in {code for code, _n in _languages()}:
        language = party.language
    found = party.contract
    pair = found.pair
    fit_form = forms.PublicFitForm(request.POST if request.POST.get("action") == "fit" else None)
    with translation.override(language):
        if request.method == "POST":
            try:
                if request.POST.get("action") == "accept":
                    services.accept(party, language=language)
                    messages.success(request, _("Thank you: you accepted the contract."))
                    return redirect(reverse("mentoring:contract", args=[token]) + f"?lang={language}")
                if request.POST.get("action") == "fit" and fit_form.is_valid():
                    services.record_fit(
                        None, pair, party.party, fit_form.cleaned_data["answer"], fit_form.cleaned_data["comment"]
                    )
                    messages.success(request, _("Thank you for your answer."))
                    return redirect(reverse("mentoring:contract", args=[token]) + f"?lang={language}")
            except ValidationError as error:
                refuse(request, error, fit_form)
        texts = services.contract_texts(found, language)
        response = render(
            request,
            "mentoring/contract_public.html",
            {
                "party": party,
                "contract": found,
                "pair": pair,
                "goals": [(g, texts.get(f"goal_{g.order}", ("", ""))) for g in found.goals.all()],
                "rules": texts.get("rules", ("", "")),
                "confidentiality": texts.get("confidentiality", ("", "")),
                "language": language,
                "languages": _languages(),
                "rtl": language in RTL_LANGUAGES,
                "fit_form": fit_form,
                "ask_fit": pair.meetings.exists() and not pair.fit_checks.filter(party=party.party).exists(),
                "other_accepted": found.parties.exclude(pk=party.pk).filter(accepted_at__isnull=False).exists(),
                "mentee_name": pair.mentee.person.given_name_native or pair.mentee.person.given_name,
            },
        )
    response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # the token never leaves the site; forms keep their Origin
    return response


def _languages() -> list[tuple[str, str]]:
    from django.conf import settings

    return [(code, language_name(code)) for code, _n in settings.LANGUAGES]


@login_required
def report(request: HttpRequest) -> HttpResponse:
    require_perm(request, "mentoring.coordinate")
    programme = _programme(request)
    today = timezone.localdate()
    form = forms.ReportForm(request.GET or None, initial={"start": today - timedelta(days=365), "end": today})
    start, end = today - timedelta(days=365), today
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        if end < start:
            form.add_error("end", _("The end is before the start."))
            start, end = today - timedelta(days=365), today
    return render(
        request,
        "mentoring/report.html",
        {"form": form, "programme": programme, "report": selectors.report(programme.pk, start, end)},
    )
