"""Pages of the counselling module. Thin: forms check input, services write, selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ownpath.core import access
from ownpath.core import selectors as core_selectors
from ownpath.core.choices import Channel, SensitiveGroup
from ownpath.core.concurrency import form_unchanged, refresh_version, version_form, versioned
from ownpath.core.models import Organisation, Person
from ownpath.core.services import audit
from ownpath.core.services import people as people_service
from ownpath.core.views import add_errors, nothing_saved, person_or_404, require_perm, submit_to_tab
from ownpath.modules.counselling import selectors, services
from ownpath.modules.counselling.choices import Barrier, OutcomeKind
from ownpath.modules.counselling.forms import (
    AssessmentForm,
    CaseloadFilterForm,
    ChecklistForm,
    FollowUpForm,
    GoalForm,
    IntakeForm,
    LegalAnswerForm,
    LegalRequestForm,
    OutcomeForm,
    RecognitionForm,
    ReferralAnswerForm,
    ReferralForm,
    SessionForm,
    StepForm,
    StepStatusForm,
)
from ownpath.modules.counselling.models import FollowUp, LegalRequest, Recognition, Referral, Session, Step, Suggestion


def _acting_organisation(request: HttpRequest) -> Organisation:
    organisation = core_selectors.acting_organisation(request.user, request.session)
    if organisation is None:
        raise PermissionDenied
    return organisation


def _visible_step(request: HttpRequest, step_id: int) -> Step:
    step = get_object_or_404(Step.objects.select_related("person", "responsible_organisation"), pk=step_id)
    person_or_404(request, step.person_id)
    return step


def _person_url(person_id: int, tab: str) -> str:
    return f"{reverse('core:person', args=[person_id])}?tab={tab}"


# --- Lists ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    require_perm(request, "counselling.view_caseload")
    form = CaseloadFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    load = selectors.caseload(
        request.user,
        page=request.GET.get("page"),
        attention_only=bool(data.get("attention")),
        several_barriers=bool(data.get("barriers")),
    )
    audit.record_list(
        request.user,
        [row.person for row in load.rows] + [s.person for s in load.sessions_today],
        channel=Channel.UI,
        purpose="caseload",
    )
    legal = list(selectors.open_legal_requests(request.user)[:20])
    return render(request, "counselling/caseload.html", {"load": load, "form": form, "legal_requests": legal})


@login_required
@require_GET
def supervision(request: HttpRequest) -> HttpResponse:
    require_perm(request, "counselling.supervise")
    organisations = selectors.supervised_organisations(request.user)
    chosen = request.GET.get("organisation")
    organisation = organisations.filter(pk=chosen).first() if chosen and chosen.isdigit() else organisations.first()
    if organisation is None:
        raise Http404
    view = selectors.supervision(request.user, organisation)
    return render(
        request,
        "counselling/supervision.html",
        {
            "view": view,
            "organisations": organisations,
            "barrier_rows": [(label, view.barrier_counts.get(key, 0)) for key, label in Barrier.choices],
            "outcome_rows": [
                (label, [view.outcomes_by_barriers[key][b] for b in ("0", "1", "2+")])
                for key, label in OutcomeKind.choices
            ],
        },
    )


@login_required
@require_GET
def referrals(request: HttpRequest) -> HttpResponse:
    require_perm(request, "counselling.view_caseload")
    received, sent = selectors.referrals_for(request.user)
    received_list, sent_list = list(received[:100]), list(sent[:100])
    audit.record_list(
        request.user, [r.person for r in received_list + sent_list], channel=Channel.UI, purpose="referrals"
    )
    return render(
        request,
        "counselling/referrals.html",
        {"received": received_list, "sent": sent_list, "answer_form": ReferralAnswerForm()},
    )


@login_required
@require_GET
def steps_we_own(request: HttpRequest) -> HttpResponse:
    """Steps our organisation carries out in other organisations' plans: see and update them."""
    require_perm(request, "counselling.view_caseload")
    steps = selectors.steps_we_own(request.user)
    audit.record_list(request.user, [s.person for s in steps], channel=Channel.UI, purpose="path_steps")
    return render(request, "counselling/steps_we_own.html", {"steps": steps})


@login_required
@require_GET
def my_path(request: HttpRequest) -> HttpResponse:
    """The person's own path, in the language they chose, for their own account only."""
    require_perm(request, "counselling.view_own_path")
    person, path = selectors.own_path(request.user)
    if person is None:
        raise Http404
    audit.record_read(request.user, person, channel=Channel.UI, fields=["path"], purpose="own_record")
    return render(request, "counselling/my_path.html", {"person": person, **path})


# --- Intake and assessment -----------------------------------------------------------------------------


@login_required
@require_POST
def intake_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "counselling.change_path", person)
    organisation = _acting_organisation(request)

    def save(data: dict[str, Any]) -> object:
        return services.record_intake(request.user, person, organisation, data, channel=Channel.UI)

    form = IntakeForm(request.POST, prefix="intake")
    return submit_to_tab(request, person, "assessment", form, save, _("The intake was recorded."))


@login_required
@require_POST
def assessment_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "counselling.change_path", person)
    organisation = _acting_organisation(request)
    may_write_health = access.can_read_group(request.user, person, SensitiveGroup.HEALTH)

    def save(data: dict[str, Any]) -> object:
        return services.record_assessment(request.user, person, organisation, data, channel=Channel.UI)

    form = AssessmentForm(request.POST, prefix="assessment", may_write_health=may_write_health)
    return submit_to_tab(
        request, person, "path", form, save, _("The assessment was saved. Review the suggested steps.")
    )


@login_required
@require_POST
def suggestion_decide(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    suggestion = get_object_or_404(Suggestion, pk=suggestion_id)
    person = person_or_404(request, suggestion.person_id)
    require_perm(request, "counselling.change_path", person)
    accept = request.POST.get("decision") == "accept"
    if request.POST.get("decision") not in ("accept", "drop"):
        messages.error(request, _("Choose to accept or drop the suggestion."))
        return redirect(_person_url(person.pk, "path"))
    try:
        services.decide_suggestion(
            request.user, suggestion, accept=accept, organisation=person.organisation, channel=Channel.UI
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The step was added to the path.") if accept else _("The suggestion was dropped."))
    return redirect(_person_url(person.pk, "path"))


# --- Path ----------------------------------------------------------------------------------------------


@login_required
@require_POST
def goal_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "counselling.change_path", person)

    def save(data: dict[str, Any]) -> object:
        return services.add_goal(request.user, person, data, channel=Channel.UI)

    return submit_to_tab(request, person, "path", GoalForm(request.POST, prefix="goal"), save, _("The goal was added."))


def _form_page(
    request: HttpRequest, person: Person, form: Any, save: Any, *, title: str, done: str, tab: str
) -> HttpResponse:
    """A form on a page of its own (large forms stay off the person page): typed values survive errors."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(_person_url(person.pk, tab))
    if request.method == "GET":
        audit.record_read(request.user, person, channel=Channel.UI, fields=["name"])
    return render(
        request,
        "counselling/person_form.html",
        {"form": form, "person": person, "title": title, "tab": tab},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "counselling.change_path", person)

    def save(data: dict[str, Any]) -> object:
        return services.add_step(request.user, person, data, channel=Channel.UI)

    form = StepForm(request.POST or None, prefix="step", person=person)
    return _form_page(request, person, form, save, title=_("Add a step"), done=_("The step was added."), tab="path")


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request: HttpRequest, step_id: int) -> HttpResponse:
    """Change a step: the holder's editors change everything, the responsible organisation its progress."""
    step = _visible_step(request, step_id)
    require_perm(request, "counselling.update_step", step)
    person = step.person
    full = request.user.has_perm("counselling.change_path", person)
    form: Any
    if full:
        form = StepForm(request.POST or None, instance=step, person=person)
    else:
        initial = {k: getattr(step, k) for k in ("status", "actual_start", "actual_end", "result")}
        form = StepStatusForm(request.POST or None, initial=initial)
    versioned(form, services.step_version(step))
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data.get(name) for name in form.fields if name != "version"}
        step.refresh_from_db()
        try:
            services.update_step(
                request.user, step, values, channel=Channel.UI, expected_version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            if request.user.has_perm("counselling.view_path", person):
                return redirect(_person_url(person.pk, "path"))
            return redirect("counselling:referrals")  # a receiver without the path in its consent
    if request.method == "GET":
        audit.record_read(request.user, person, channel=Channel.UI, fields=["path_step"])
    return render(
        request,
        "counselling/step_form.html",
        {
            "step": step,
            "person": person,
            "form": form,
            "checklist_form": _checklist_form(step) if step.checklist else None,
            "history": selectors.step_history(step),
            "perms_view_path": request.user.has_perm("counselling.view_path", person),
        },
        status=400 if request.method == "POST" else 200,
    )


def _checklist_form(step: Step, data: Any = None) -> ChecklistForm:
    """The ticks, with the version of the checklist they were shown at (core.concurrency)."""
    form = ChecklistForm(data, step=step)
    version_form(form, step, ["checklist"])
    return form


@login_required
@require_POST
def step_checklist(request: HttpRequest, step_id: int) -> HttpResponse:
    step = _visible_step(request, step_id)
    require_perm(request, "counselling.update_step", step)

    form = _checklist_form(step, request.POST)

    def save(data: dict[str, Any]) -> object:
        with form_unchanged(form, step, {}) as stored:
            return services.set_checklist(request.user, stored, data["done"], channel=Channel.UI)

    return submit_to_tab(request, step.person, "path", form, save, _("The checklist was saved."))


# --- Sessions ------------------------------------------------------------------------------------------


def _note_groups(request: HttpRequest, person: Person) -> list[str]:
    return [g for g in SensitiveGroup.values if access.can_read_group(request.user, person, g)]


@login_required
@require_POST
def session_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "counselling.hold_session", person)
    organisation = _acting_organisation(request)

    def save(data: dict[str, Any]) -> object:
        values = {k: v for k, v in data.items() if k not in ("note", "note_group")}
        return services.record_session(
            request.user,
            person,
            organisation,
            values,
            note_group=data.get("note_group") or SensitiveGroup.GENERAL,
            note=data.get("note") or "",
            channel=Channel.UI,
        )

    form = SessionForm(request.POST, prefix="session", person=person, groups=_note_groups(request, person))
    return submit_to_tab(request, person, "sessions", form, save, _("The session was recorded."))


@login_required
@require_POST
def session_note_add(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(Session, pk=session_id)
    person = person_or_404(request, session.person_id)
    require_perm(request, "counselling.hold_session", person)
    group = request.POST.get("note_group") or SensitiveGroup.GENERAL
    try:
        if group not in _note_groups(request, person):
            raise PermissionDenied(_("Your role cannot write notes of this sensitivity."))
        services.add_session_note(request.user, session, group, request.POST.get("note", ""), channel=Channel.UI)
    except ValidationError as error:
        messages.error(request, nothing_saved(error))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The note was saved."))
    return redirect(_person_url(person.pk, "sessions"))


# --- Referrals -----------------------------------------------------------------------------------------


@login_required
@require_POST
def referral_send(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "counselling.send_referral", person)

    def save(data: dict[str, Any]) -> object:
        return services.send_referral(
            request.user,
            person,
            data["to_organisation"],
            service=data["service"],
            scope=data["scope"],
            message=data["message"],
            step=data["step"],
            answer_by=data["answer_by"],
            channel=Channel.UI,
        )

    form = ReferralForm(request.POST, prefix="referral", person=person)
    return submit_to_tab(request, person, "referrals", form, save, _("The referral was sent."))


@login_required
@require_POST
def referral_answer(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = get_object_or_404(Referral.objects.select_related("person", "to_organisation"), pk=referral_id)
    receiver = request.user.has_perm("counselling.answer_referral", referral)
    sender = request.user.has_perm("counselling.cancel_referral", referral)
    if not (receiver or sender):
        raise Http404
    form = ReferralAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, nothing_saved(form) if "version" in form.errors else _("Choose a decision."))
        return redirect("counselling:referrals")
    decision, text = form.cleaned_data["decision"], form.cleaned_data["text"]
    version = form.cleaned_data["version"]
    done = {
        "accept": _("The referral was accepted."),
        "reject": _("The referral was rejected."),
        "complete": _("The referral was completed."),
        "cancel": _("The referral was cancelled."),
    }
    try:
        if decision in ("accept", "reject"):
            services.answer_referral(
                request.user,
                referral,
                accept=decision == "accept",
                reason=text,
                channel=Channel.UI,
                expected_version=version,
            )
        elif decision == "complete":
            services.complete_referral(
                request.user, referral, feedback=text, channel=Channel.UI, expected_version=version
            )
        else:
            services.cancel_referral(request.user, referral, reason=text, channel=Channel.UI, expected_version=version)
    except ValidationError as error:
        messages.error(request, nothing_saved(error))
    except PermissionDenied:
        messages.error(request, _("You cannot make this decision on this referral."))
    else:
        messages.success(request, done[decision])
    return redirect("counselling:referrals")


# --- Recognition, legal help, outcomes -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def recognition_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "counselling.change_path", person)
    step_id = request.GET.get("step") or request.POST.get("step") or ""
    step = Step.objects.filter(pk=int(step_id), person=person).first() if step_id.isdigit() else None

    def save(data: dict[str, Any]) -> object:
        return services.add_recognition(request.user, person, data, step=step, channel=Channel.UI)

    form = RecognitionForm(request.POST or None, prefix="recognition", person=person)
    return _form_page(
        request,
        person,
        form,
        save,
        title=_("Start a recognition of a foreign qualification"),
        done=_("The recognition was recorded."),
        tab="path",
    )


@login_required
@require_http_methods(["GET", "POST"])
def recognition_edit(request: HttpRequest, recognition_id: int) -> HttpResponse:
    recognition = get_object_or_404(Recognition, pk=recognition_id)
    person = person_or_404(request, recognition.person_id)
    require_perm(request, "counselling.change_path", person)
    form = RecognitionForm(request.POST or None, instance=recognition, person=person)
    version_form(form, recognition, services.RECOGNITION_FIELDS)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data.get(name) for name in form.fields if name != "version"}
        try:
            with form_unchanged(form, recognition) as stored:
                services.update_recognition(request.user, stored, values, channel=Channel.UI)
        except ValidationError as error:
            add_errors(form, error)
            refresh_version(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(_person_url(person.pk, "path"))
    if request.method == "GET":
        audit.record_read(request.user, person, channel=Channel.UI, fields=["recognition"])
    return render(
        request,
        "counselling/recognition_form.html",
        {"form": form, "person": person, "recognition": recognition},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def legal_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "counselling.ask_legal", person)
    organisation = _acting_organisation(request)

    def save(data: dict[str, Any]) -> object:
        return services.request_legal_advice(
            request.user, person, organisation, data["question"], urgent=data["urgent"], channel=Channel.UI
        )

    form = LegalRequestForm(request.POST, prefix="legal")
    return submit_to_tab(request, person, "path", form, save, _("The question was sent to a legal adviser."))


@login_required
@require_http_methods(["GET", "POST"])
def legal_request(request: HttpRequest, request_id: int) -> HttpResponse:
    legal = get_object_or_404(LegalRequest.objects.select_related("person", "assigned_to"), pk=request_id)
    person = person_or_404(request, legal.person_id)
    if not request.user.has_perm("counselling.read_legal_request", legal):
        audit.record(request.user, "denied", channel=Channel.UI, person=person, obj=legal, fields=["legal_request"])
        raise PermissionDenied
    may_answer = request.user.has_perm("counselling.answer_legal_request", legal)
    form = LegalAnswerForm(request.POST or None) if may_answer else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            services.answer_legal_request(
                request.user, legal, form.cleaned_data["answer"], close=form.cleaned_data["close"], channel=Channel.UI
            )
            messages.success(request, _("The answer was saved."))
            return redirect("counselling:legal_request", legal.pk)
    audit.record_read(
        request.user, person, channel=Channel.UI, fields=["legal_request:question", "legal_request:answer"]
    )
    return render(
        request,
        "counselling/legal_request.html",
        {"legal": legal, "person": person, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def outcome_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "counselling.change_path", person)
    organisation = _acting_organisation(request)

    def save(data: dict[str, Any]) -> object:
        return services.record_outcome(request.user, person, organisation, data, channel=Channel.UI)

    form = OutcomeForm(request.POST, prefix="outcome")
    return submit_to_tab(
        request, person, "outcomes", form, save, _("The outcome was recorded; follow-ups are scheduled.")
    )


@login_required
@require_POST
def follow_up_record(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = get_object_or_404(FollowUp.objects.select_related("outcome"), pk=follow_up_id)
    person = person_or_404(request, follow_up.outcome.person_id)
    require_perm(request, "counselling.change_path", person)

    def save(data: dict[str, Any]) -> object:
        return services.record_follow_up(request.user, follow_up, data["status"], data["note"], channel=Channel.UI)

    form = FollowUpForm(request.POST, prefix=f"followup{follow_up.pk}")
    return submit_to_tab(request, person, "outcomes", form, save, _("The follow-up was recorded."))


# --- Hand-overs from the helpline (core.Handover; the helpline module is never imported) -------------


@login_required
@require_GET
def handovers(request: HttpRequest) -> HttpResponse:
    require_perm(request, "counselling.view_caseload")
    from ownpath.core.models import Handover

    orgs = access.organisations_with_roles(request.user, access.CASEWORK_ROLES)
    found = Handover.objects.filter(to_organisation_id__in=orgs).select_related("from_organisation", "to_organisation")
    return render(
        request,
        "counselling/handovers.html",
        {"open": found.filter(status="open"), "answered": found.exclude(status="open")[:30]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def handover_detail(request: HttpRequest, handover_id: int) -> HttpResponse:
    from ownpath.core.models import Handover
    from ownpath.core.services import handovers as handover_service
    from ownpath.modules.counselling.forms import HandoverAcceptForm, HandoverDeclineForm

    handover = Handover.objects.filter(pk=handover_id).select_related("from_organisation", "person").first()
    if handover is None or not handover_service.may_receive(request.user, handover):
        raise Http404(_("No such hand-over, or not one you may see."))
    accept_form, decline_form = HandoverAcceptForm(), HandoverDeclineForm()
    duplicates = None
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "decline":
                decline_form = HandoverDeclineForm(request.POST)
                if decline_form.is_valid():
                    handover_service.answer_handover(
                        request.user, handover, accept=False, reason=decline_form.cleaned_data["reason"]
                    )
                    messages.success(request, _("The hand-over was declined; the helpline is told."))
                    return redirect("counselling:handovers")
            else:
                accept_form = HandoverAcceptForm(request.POST)
                if accept_form.is_valid():
                    data = dict(accept_form.cleaned_data)
                    existing = None
                    if request.POST.get("existing", "").isdigit():
                        existing = core_selectors.get_person_for(request.user, int(request.POST["existing"]))
                        if existing is None:
                            raise Http404(_("No such person, or not one you may see."))
                    person = services.take_on_handover(
                        request.user,
                        handover,
                        {k: v for k, v in data.items() if k != "confirm_new" and v},
                        channel=Channel.UI,
                        confirm_new=bool(data.get("confirm_new")),
                        existing=existing,
                    )
                    if existing is not None:
                        messages.success(
                            request, _("The hand-over was accepted onto the existing record; the helpline is told.")
                        )
                    else:
                        messages.success(request, _("A record was opened; the helpline is told."))
                    return redirect("core:person", person.pk)
        except people_service.PossibleDuplicates as possible:
            duplicates = possible.found
            accept_form.add_error(None, possible.messages[0])
            audit.record_list(
                request.user, [c.person for c in duplicates.visible], channel=Channel.UI, purpose="duplicate_check"
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, ValidationError):
                add_errors(accept_form if request.POST.get("decision") != "decline" else decline_form, error)
                messages.error(request, nothing_saved(error))
            else:
                messages.error(request, str(error) or _("You cannot do this."))
    elif handover.status == "open":
        handover_service.read_handover(request.user, handover)
        accept_form = HandoverAcceptForm(initial=_name_initial(handover.contact_name))
    return render(
        request,
        "counselling/handover.html",
        {
            "handover": handover,
            "accept_form": accept_form,
            "decline_form": decline_form,
            "duplicates": duplicates,
        },
        status=400 if request.method == "POST" else 200,
    )


def _name_initial(name: str) -> dict[str, str]:
    """Split "Олена Коваль (Olena Koval)" or "Olena Koval" into the record's name fields."""
    from ownpath.core.names import detect_script

    main, _sep, latin = name.partition("(")
    parts = main.split()
    given, family = (parts[0], " ".join(parts[1:])) if len(parts) > 1 else (main.strip(), "")
    initial: dict[str, str] = {}
    if detect_script(main) == "Latn":
        initial.update(given_name=given, family_name=family)
    else:
        initial.update(given_name_native=given, family_name_native=family)
        latin_parts = latin.rstrip(") ").split()
        if len(latin_parts) > 1:
            initial.update(given_name=latin_parts[0], family_name=" ".join(latin_parts[1:]))
    return initial
