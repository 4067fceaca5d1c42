"""Views of core. Thin: they validate with forms, call services and selectors, and render."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ownpath.core import access, selectors
from ownpath.core.choices import Channel, SensitiveGroup
from ownpath.core.concurrency import form_unchanged, refresh_version, version_form, versioned
from ownpath.core.forms import (
    ApiTokenForm,
    AuditFilterForm,
    ConsentForm,
    EraseForm,
    LanguageFormSet,
    MemberForm,
    NeedForm,
    NoteForm,
    OrganisationForm,
    PeopleFilterForm,
    PersonForm,
    QualificationForm,
    SubjectExportForm,
    WithdrawConsentForm,
    WorkExperienceForm,
    languages_from,
)
from ownpath.core.models import ApiToken, Consent, Membership, Organisation, Person
from ownpath.core.registry import registry
from ownpath.core.services import audit, gdpr
from ownpath.core.services import consent as consent_service
from ownpath.core.services import notifications as notification_service
from ownpath.core.services import organisations as organisation_service
from ownpath.core.services import people as people_service


def require_perm(request: HttpRequest, permission: str, obj: Any = None) -> None:
    """403 unless the user has ``permission`` (on ``obj``). Modules' views use it too."""
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def person_or_404(request: HttpRequest, person_id: int) -> Person:
    """The person if the user may see them; otherwise 404, so that ids do not reveal who exists."""
    person = selectors.get_person_for(request.user, person_id)
    if person is None:
        raise Http404(_("No such person, or not one you may see."))
    return person


def errors_text(form: Any) -> str:
    return " ".join(str(message) for messages_ in form.errors.values() for message in messages_)


def nothing_saved(problem: ValidationError | Any) -> str:
    """The message of a refusal: "Nothing was saved:" and every reason, from a service's ValidationError or
    from an invalid form."""
    text = " ".join(problem.messages) if isinstance(problem, ValidationError) else errors_text(problem)
    return _("Nothing was saved: %(errors)s") % {"errors": text}


def add_errors(form: Any, error: ValidationError) -> None:
    refresh_version(form, error)
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def refuse(request: HttpRequest, error: ValidationError | PermissionDenied, *forms: Any) -> None:
    """Tell the user, in their language, why a service refused a write; nothing was saved.

    A ValidationError marks the fields of the bound ``forms``; a PermissionDenied that carries a message
    (a refusal that depends on the data, such as a missing consent) is shown as it is; one without a
    message is raised again, for the 403 page.
    """
    if isinstance(error, ValidationError):
        for form in forms:
            if form is not None and form.is_bound:
                add_errors(form, error)
        messages.error(request, nothing_saved(error))
    elif str(error):
        messages.error(request, str(error))
    else:
        raise error


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:
        database = "error"
    status = "ok" if database == "ok" else "error"
    return JsonResponse({"status": status, "checks": {"database": database}}, status=200 if status == "ok" else 503)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return render(request, "core/home.html")


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("core.view_dashboard"):
        # Someone without a staff role (a person with their own account) starts at the first page the
        # enabled modules offer them, such as their own path.
        for item in registry.menu_items:
            if item.permission and request.user.has_perm(item.permission):
                return redirect(item.url_name)
        public = [item for item in registry.menu_items if item.permission is None]
        if public:
            return redirect(public[0].url_name)
        raise PermissionDenied
    widgets = []
    for widget in registry.dashboard_widgets:
        if widget.permission and not request.user.has_perm(widget.permission):
            continue
        context = dict(widget.context(request)) if widget.context else {}
        widgets.append({"widget": widget, "html": render_to_string(widget.template, context, request=request)})
    return render(request, "core/dashboard.html", {"widgets": widgets})


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    require_perm(request, "core.list_people")
    form = PeopleFilterForm(request.GET or None)
    result = selectors.people_for(request.user).none()
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        result = selectors.search_people(
            request.user,
            query=data.get("q", ""),
            residence_status=data.get("residence_status", ""),
            citizenship=data.get("citizenship", ""),
            language=data.get("language", ""),
            expiring_within_days=60 if data.get("expiring") else None,
        )
    page = Paginator(result, 25).get_page(request.GET.get("page"))
    audit.record_list(request.user, page.object_list, channel=Channel.UI)
    template = "core/people_results.html" if request.headers.get("HX-Request") else "core/people.html"
    return render(request, template, {"form": form, "page": page})


def _duplicates_for(request: HttpRequest, data: dict[str, Any]) -> people_service.DuplicateSearch:
    return people_service.duplicates_for_values(request.user, data)


@login_required
@require_GET
def person_duplicates(request: HttpRequest) -> HttpResponse:
    """The live duplicate check of the create form (htmx): who might this already be?"""
    require_perm(request, "core.add_person")
    form = PersonForm(request.GET)
    form.is_valid()
    data = {k: form.cleaned_data.get(k) for k in (*people_service.NAME_FIELDS, "birth_date")}
    found = _duplicates_for(request, data)
    audit.record_list(request.user, [c.person for c in found.visible], channel=Channel.UI, purpose="duplicate_check")
    return render(request, "core/person_duplicates.html", {"duplicates": found})


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "core.add_person")
    organisation = selectors.acting_organisation(request.user, request.session)
    if organisation is None or not access.roles_at(request.user, organisation.pk) & access.CASEWORK_ROLES:
        raise PermissionDenied
    form = PersonForm(request.POST or None, organisation=organisation)
    languages = LanguageFormSet(request.POST or None, prefix="lang")
    duplicates = None
    if request.method == "POST" and form.is_valid() and languages.is_valid():
        try:
            person = people_service.create_person(
                request.user,
                organisation,
                form.service_values(),
                languages=languages_from(languages),
                confirm_new=bool(form.cleaned_data.get("confirm_new")),
            )
        except people_service.PossibleDuplicates as possible:
            duplicates = possible.found
            form.add_error(None, possible.messages[0])
            audit.record_list(
                request.user, [c.person for c in duplicates.visible], channel=Channel.UI, purpose="duplicate_check"
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The person was added."))
            return redirect("core:person", person.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "core/person_form.html",
        {
            "form": form,
            "languages": languages,
            "duplicates": duplicates,
            "organisation": organisation,
            "creating": True,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "core.change_person", person)
    form = PersonForm(request.POST or None, instance=person, organisation=person.organisation)
    versioned(form, people_service.person_version(person))
    initial = [{"language": lang.language, "level": lang.level} for lang in person.languages.all()]
    languages = LanguageFormSet(request.POST or None, prefix="lang", initial=initial)
    if request.method == "POST" and form.is_valid() and languages.is_valid():
        values = {name: form.cleaned_data.get(name) for name in form.Meta.fields}
        # Validating a ModelForm writes the new values onto the instance; reload it so that the service
        # compares them with what is stored and audits exactly the fields that change.
        person.refresh_from_db()
        try:
            people_service.update_person(
                request.user,
                person,
                values,
                languages=languages_from(languages),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("core:person", person.pk)
    if request.method == "GET":
        audit.record_read(request.user, person, channel=Channel.UI, fields=form.Meta.fields)
    return render(
        request,
        "core/person_form.html",
        {"form": form, "languages": languages, "person": person, "creating": False},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "core.view_person", person)
    tabs = [tab for tab in registry.person_tabs if request.user.has_perm(tab.permission, person)]
    wanted = request.GET.get("tab") or "overview"
    current = next((tab for tab in tabs if tab.key == wanted), None)
    if current is None:
        raise Http404(_("No such tab."))
    context = dict(current.context(request, person)) if current.context else {}
    context["person"] = person
    tab_html = render_to_string(current.template, context, request=request)
    audit.record_read(request.user, person, channel=Channel.UI, fields=[f"tab:{current.key}"])
    return render(
        request,
        "core/person.html",
        {
            "person": person,
            "tabs": tabs,
            "current": current,
            "tab_html": tab_html,
            "scopes": access.scopes_for(request.user, person),
        },
    )


def submit_to_tab(
    request: HttpRequest, person: Person, tab: str, form: Any, save: Callable[[dict[str, Any]], object], done: str
) -> HttpResponse:
    """Save a form posted from a tab of the person page through ``save``, say what happened, go back.

    A refusal by the service (a rule broken, or a permission that depends on the data, such as a missing
    consent) is shown on the tab in the user's language; nothing is saved then.
    """
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error)
        else:
            messages.success(request, done)
    else:
        messages.error(request, nothing_saved(form))
    return redirect(f"{reverse('core:person', args=[person.pk])}?tab={tab}")


@login_required
@require_POST
def note_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "core.add_note", person)
    organisation = selectors.acting_organisation(request.user, request.session)
    if organisation is None:
        raise PermissionDenied

    def save(data: dict[str, Any]) -> object:
        return people_service.add_note(
            request.user, person, data["group"], data["body"], organisation=organisation, channel=Channel.UI
        )

    return submit_to_tab(request, person, "notes", NoteForm(request.POST), save, _("The note was saved."))


@login_required
@require_POST
def person_message(request: HttpRequest, person_id: int) -> HttpResponse:
    """Write to the person; they read it in their own space."""
    from ownpath.core.own_space import PersonMessageForm
    from ownpath.core.services import person_messages

    person = person_or_404(request, person_id)
    require_perm(request, "core.add_note", person)

    def save(data: dict[str, Any]) -> object:
        return person_messages.send(request.user, person, data["body"], channel=Channel.UI)

    return submit_to_tab(request, person, "messages", PersonMessageForm(request.POST), save, _("The message was sent."))


_BACKGROUND_FORMS = {"qualification": QualificationForm, "work": WorkExperienceForm, "need": NeedForm}


@login_required
@require_POST
def background_add(request: HttpRequest, person_id: int, kind: str) -> HttpResponse:
    """Add a qualification, a work experience or a need from the background tab."""
    if kind not in _BACKGROUND_FORMS:
        raise Http404
    person = person_or_404(request, person_id)
    require_perm(request, "core.change_person", person)
    form = _BACKGROUND_FORMS[kind](request.POST, prefix=kind)

    def save(data: dict[str, Any]) -> object:
        if kind == "need":
            return people_service.add_need(request.user, person, data["kind"], data["details"], channel=Channel.UI)
        return people_service.add_background(request.user, person, form.save(commit=False), channel=Channel.UI)

    return submit_to_tab(request, person, "background", form, save, _("The changes were saved."))


@login_required
@require_POST
def consent_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "core.manage_consent", person)

    def save(data: dict[str, Any]) -> object:
        return consent_service.give_consent(
            request.user,
            person,
            recipients=data["recipients"],
            purpose=data["purpose"],
            scope=data["scope"],
            evidence=data["evidence"],
        )

    form = ConsentForm(request.POST, person=person)
    return submit_to_tab(request, person, "consent", form, save, _("The consent was recorded."))


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = get_object_or_404(Consent, pk=consent_id)
    person = person_or_404(request, consent.person_id)
    require_perm(request, "core.manage_consent", person)

    def save(data: dict[str, Any]) -> object:
        return consent_service.withdraw_consent(request.user, consent, evidence=data["evidence"])

    form = WithdrawConsentForm(request.POST)
    return submit_to_tab(request, person, "consent", form, save, _("The withdrawal was recorded."))


def _json_download(data: Any, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def person_export(request: HttpRequest, person_id: int, fmt: str = "html") -> HttpResponse:
    """Everything held that the administrator may read (sensitive groups through their lens)."""
    person = person_or_404(request, person_id)
    require_perm(request, "core.export_person", person)
    data = gdpr.export_person_data(request.user, person)
    if fmt == "json":
        return _json_download(data, f"person-{person.pk}.json")
    withheld = [label for value, label in SensitiveGroup.choices if value in data["withheld_groups"]]
    return render(request, "core/person_export.html", {"person": person, "data": data, "withheld": withheld})


@login_required
@require_http_methods(["GET", "POST"])
def person_subject_export(request: HttpRequest, person_id: int) -> HttpResponse:
    """The person's own copy, every group included, made by an administrator at the person's request."""
    person = person_or_404(request, person_id)
    require_perm(request, "core.export_person", person)
    form = SubjectExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = gdpr.export_for_subject(request.user, person, request_evidence=form.cleaned_data["request"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _json_download(data, f"person-{person.pk}-own-copy.json")
    return render(
        request,
        "core/person_subject_export.html",
        {"person": person, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def own_export(request: HttpRequest) -> HttpResponse:
    """A person signed in with their own account downloads everything held about them."""
    person = selectors.own_record(request.user)
    if person is None:
        raise Http404(_("Your account is not linked to a record."))
    return _json_download(gdpr.export_for_subject(request.user, person), "my-data.json")


@login_required
@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "core.erase_person", person)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            gdpr.erase_person(request.user, person, reason=form.cleaned_data["reason"])
        except gdpr.ErasureRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The record was erased."))
            return redirect("core:people")
    return render(
        request,
        "core/person_erase.html",
        {"person": person, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def organisations(request: HttpRequest) -> HttpResponse:
    require_perm(request, "core.view_organisations")
    roots = Organisation.objects.filter(parent__isnull=True).prefetch_related(
        "children__children__children", "networks"
    )
    return render(request, "core/organisations.html", {"roots": roots})


@login_required
@require_GET
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    require_perm(request, "core.view_organisations")
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), pk=organisation_id)
    can_manage = request.user.has_perm("core.manage_members", organisation)
    members = (
        organisation.memberships.select_related("user").order_by("-is_active", "user__last_name")
        if can_manage
        else None
    )
    return render(
        request,
        "core/organisation.html",
        {
            "organisation": organisation,
            "members": members,
            "can_manage": can_manage,
            "member_form": MemberForm() if can_manage else None,
            "can_edit": request.user.has_perm("core.manage_network"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, organisation_id: int | None = None) -> HttpResponse:
    require_perm(request, "core.manage_network")
    instance = get_object_or_404(Organisation, pk=organisation_id) if organisation_id else Organisation()
    form = OrganisationForm(request.POST or None, instance=instance)
    version_form(form, instance)
    if request.method == "POST" and form.is_valid():
        try:
            with form_unchanged(form, instance):
                saved = organisation_service.save_organisation(
                    request.user, form.save(commit=False), networks=form.cleaned_data["networks"]
                )
        except ValidationError as error:
            add_errors(form, error)
            refresh_version(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("core:organisation", saved.pk)
    return render(
        request,
        "core/organisation_form.html",
        {"form": form, "organisation": instance if organisation_id else None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def member_add(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    require_perm(request, "core.manage_members", organisation)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            organisation_service.add_member(request.user, organisation, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The role was given."))
    else:
        messages.error(request, nothing_saved(form))
    return redirect("core:organisation", organisation.pk)


@login_required
@require_POST
def membership_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("organisation"), pk=membership_id)
    require_perm(request, "core.manage_members", membership.organisation)
    try:
        organisation_service.end_membership(request.user, membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role was ended."))
    return redirect("core:organisation", membership.organisation_id)


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    require_perm(request, "core.view_audit")
    form = AuditFilterForm(request.GET or None)
    events = selectors.audit_events_for(request.user)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        if data["person"]:
            events = events.filter(person_id=data["person"])
        if data["actor"]:
            events = events.filter(actor_label__icontains=data["actor"])
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["since"]:
            events = events.filter(at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(at__date__lte=data["until"])
    elif request.GET:
        events = events.none()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit.html", {"form": form, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        notification_service.mark_read(request.user)  # type: ignore[arg-type]
        return redirect("core:notifications")
    return render(request, "core/notifications.html", {"notifications": request.user.notifications.all()[:100]})  # type: ignore[union-attr]


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    require_perm(request, "core.view_dashboard")
    query = request.GET.get("q", "").strip()[:200]
    sections = []
    if query:
        for provider in registry.search_providers:
            results = provider.search(request.user, query, 20)  # type: ignore[arg-type]
            sections.append({"provider": provider, "results": results})
    return render(request, "core/search.html", {"query": query, "sections": sections})


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: issue one (its key is shown once) or revoke one."""
    require_perm(request, "core.view_dashboard")
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = ApiToken.issue(
            request.user,  # type: ignore[arg-type]
            form.cleaned_data["name"],
            expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
        )
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user_id=request.user.pk or 0).order_by("-created_at")
    return render(
        request,
        "core/api_tokens.html",
        {"form": form, "tokens": tokens, "new_key": new_key},
        status=400 if request.method == "POST" and new_key is None else 200,
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user_id=request.user.pk)
    token.delete()
    messages.success(request, _("The token was revoked."))
    return redirect("core:api_tokens")


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    try:
        org_id = int(request.POST.get("organisation", ""))
    except ValueError:
        org_id = 0
    if org_id not in access.roles_by_organisation(request.user):
        messages.error(request, _("You do not work for that organisation."))
    else:
        request.session["ownpath_organisation"] = org_id
    return redirect("core:dashboard")


def api_error(status: int) -> JsonResponse:
    """The API's one error shape, for answers that Django gives before django-ninja is reached."""
    codes = {
        400: ("bad_request", _("The request could not be understood. Nothing was changed.")),
        403: ("forbidden", _("You may not do this.")),
        404: ("not_found", _("Not found.")),
        405: ("method_not_allowed", _("This method is not allowed here.")),
        500: ("server_error", _("Something went wrong. Nothing was saved.")),
    }
    code, message = codes.get(status, ("error", _("Request failed.")))
    return JsonResponse({"error": {"code": code, "message": message, "details": []}}, status=status)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The answer when the database cannot be reached (the primary cut off, a failover under way): the
    request changed nothing, and the person is told so instead of seeing a server error."""
    message = _("The database cannot be reached at the moment, so nothing was saved. Please try again in a minute.")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"error": {"code": "database_unavailable", "message": message, "details": []}}, status=503
        )
    else:
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = "30"
    return response


@require_GET
def styleguide(request: HttpRequest) -> HttpResponse:
    """Every component of the design system on one page (docs/design.md): for staff, or anyone in development."""
    from django.conf import settings

    from ownpath.core.icons import ICONS
    from ownpath.core.languages import language_choices

    if not (settings.DEBUG or (request.user.is_authenticated and access.is_staff_account(request.user))):
        raise Http404
    return render(
        request,
        "core/styleguide.html",
        {
            "icons": sorted(ICONS),
            "languages": language_choices(),
            "swatches": ["ink", "muted", "line", "surface", "accent", "accent-soft", "ok", "warn", "danger"],
            "tab": request.GET.get("tab", "one"),
        },
    )


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on every site whatever the page says; send them to the static file."""
    return redirect(static("ownpath/icons/favicon.ico"), permanent=True)


def error_page(status: int, template: str) -> Any:
    def view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        if status == 500 and isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
            return database_unavailable(request)
        if request.path.startswith("/api/"):
            return api_error(status)
        return render(request, template, status=status)

    return view


@login_required
@require_http_methods(["GET", "POST"])
def background_tasks(request: HttpRequest) -> HttpResponse:
    """The dead letter: tasks that failed every attempt, to run again or discard; and whether workers run."""
    from ownpath.core.queue import services as queue_service
    from ownpath.core.queue.models import QueuedTask

    require_perm(request, "core.manage_tasks")
    if request.method == "POST":
        action, task_id = request.POST.get("action"), request.POST.get("task", "")
        try:
            if action == "retry" and queue_service.retry(request.user, task_id):
                messages.success(request, _("The task was queued again."))
            elif action == "discard" and queue_service.discard(request.user, task_id):
                messages.success(request, _("The task was discarded."))
            else:
                messages.error(request, _("That task is no longer in the list of failed tasks."))
        except ValidationError:
            messages.error(request, _("That task is no longer in the list of failed tasks."))
        return redirect("core:background_tasks")
    failed = QueuedTask.objects.filter(status="FAILED").order_by("-finished_at")
    page = Paginator(failed, 50).get_page(request.GET.get("page"))
    return render(request, "core/background_tasks.html", {"page": page, **queue_service.overview()})
