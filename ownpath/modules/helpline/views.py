"""Pages of the helpline: the operator's console, contacts, callbacks, knowledge base, web chat, statistics.

Views read input with forms, call a service or a selector, and render; every refusal is shown in the
user's language and saves nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ownpath.core import charts
from ownpath.core import selectors as core_selectors
from ownpath.core.choices import AuditAction, Channel
from ownpath.core.concurrency import form_unchanged, version_form
from ownpath.core.db import replica_reads
from ownpath.core.languages import RTL_LANGUAGES, language_name
from ownpath.core.models import Organisation, User
from ownpath.core.rules import may
from ownpath.core.services import audit
from ownpath.core.tabular import csv_response
from ownpath.core.views import nothing_saved, refuse, require_perm
from ownpath.modules.helpline import forms, selectors, services
from ownpath.modules.helpline.choices import CRISIS_CHECKLIST, ArticleStatus, ChatStatus
from ownpath.modules.helpline.models import Article, Chat, ChatMessage, Contact, Topic
from ownpath.modules.helpline.rules import HELPLINE_ROLES, SUPERVISOR_ROLES


def _acting_for(request: HttpRequest, roles: Any) -> Organisation:
    """The helpline the user acts for (chosen in the header, else their first); 403 when there is none."""
    organisation = core_selectors.acting_organisation(request.user, request.session, roles=roles)
    if organisation is None:
        raise PermissionDenied
    return organisation


def _helpline(request: HttpRequest) -> Organisation:
    """The helpline the user acts for."""
    return _acting_for(request, HELPLINE_ROLES)


def _supervised(request: HttpRequest) -> Organisation:
    """The helpline the user supervises and acts for."""
    return _acting_for(request, SUPERVISOR_ROLES)


def _contact_or_404(request: HttpRequest, contact_id: int) -> Contact:
    contact = Contact.objects.filter(pk=contact_id).select_related("operator", "interpreter").first()
    if contact is None or not request.user.has_perm("helpline.view_contact", contact):
        raise Http404(_("No such contact, or not one you may see."))
    return contact


def widget_context(request: HttpRequest) -> dict[str, Any]:
    ids = [o.pk for o in selectors.helplines_of(request.user)]
    return {
        "languages_now": selectors.languages_on_duty(ids),
        "waiting_chats": selectors.waiting_chats(request.user).count(),
        "open_callbacks": selectors.callbacks_for(request.user).filter(due_at__lte=timezone.now()).count(),
    }


# --- Console and contacts ---------------------------------------------------------------------------------


@login_required
@require_GET
def console(request: HttpRequest) -> HttpResponse:
    require_perm(request, "helpline.work")
    helpline = _helpline(request)
    language = (request.GET.get("language") or "").strip()[:8]
    ids = [o.pk for o in selectors.helplines_of(request.user)]
    recent = list(selectors.contacts_for(request.user).select_related("operator").prefetch_related("topics")[:20])
    audit.record(
        request.user,
        AuditAction.LIST,
        channel=Channel.UI,
        object_type="helpline.contact",
        organisation_id=helpline.pk,
        detail={"contact_ids": [c.pk for c in recent]},
    )
    return render(
        request,
        "helpline/console.html",
        {
            "helpline": helpline,
            "open": selectors.is_open(helpline),
            "language": language,
            "language_label": language_name(language) if language else "",
            "on_duty": selectors.on_duty(ids, language=language) if language else selectors.on_duty(ids),
            "languages_now": selectors.languages_on_duty(ids),
            "waiting": selectors.waiting_chats(request.user)[:20],
            "my_chats": selectors.my_chats(request.user),
            "callbacks": selectors.callbacks_for(request.user).filter(assigned_to_id=request.user.pk)[:20],
            "recent": recent,
            "language_choices": forms._languages(),
        },
    )


def _suggestions(request: HttpRequest, data: Any) -> dict[str, Any]:
    language = (data.get("language") or "").strip()[:8]
    keywords = (data.get("keywords") or "")[:200]
    topic_ids = [t for t in data.getlist("topics") if str(t).isdigit()]
    topics = list(Topic.objects.filter(pk__in=topic_ids))
    chosen_articles = set(data.getlist("articles"))
    chosen_services = {value.partition("|")[0] for value in data.getlist("services")}
    if not language:
        return {"articles": [], "services": [], "chosen_articles": chosen_articles, "chosen_services": chosen_services}
    return {
        "articles": selectors.suggest(
            language, keywords, [t.code for t in topics], fallback_language=get_language() or "en"
        ),
        "services": selectors.suggest_services(language, keywords, topics),
        "chosen_articles": chosen_articles,
        "chosen_services": chosen_services,
        "caller_language": language_name(language),
    }


def _chosen_services(data: Any) -> list[dict[str, str]]:
    out = []
    for value in data.getlist("services"):
        ident, _sep, name = value.partition("|")
        if ident:
            out.append({"id": ident, "name": name})
    return out


def _contact_values(form: forms.ContactForm, data: Any) -> dict[str, Any]:
    values = {
        name: form.cleaned_data[name]
        for name in (
            "channel",
            "language",
            "started_at",
            "ended_at",
            "urgency",
            "risk",
            "outcome",
            "information",
            "notes",
        )
    }
    values["topics"] = list(form.cleaned_data["topics"])
    values["articles"] = list(
        Article.objects.filter(pk__in=[a for a in data.getlist("articles") if services.is_uuid(a)])
    )
    values["services"] = _chosen_services(data)
    return values


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "helpline.work")
    helpline = _helpline(request)
    now = timezone.localtime().replace(second=0, microsecond=0)
    if request.method == "POST":
        form = forms.ContactForm(request.POST)
        if "suggest" not in request.POST and form.is_valid():
            try:
                contact = services.save_contact(
                    request.user,
                    helpline,
                    _contact_values(form, request.POST),
                    caller_number=form.cleaned_data["caller_number"],
                )
            except (ValidationError, PermissionDenied) as error:
                refuse(request, error, form)
            else:
                messages.success(request, _("The contact was saved."))
                return redirect("helpline:contact", contact.pk)
    else:
        form = forms.ContactForm(
            initial={
                "started_at": now,
                "language": request.GET.get("language", ""),
                "channel": request.GET.get("channel", "phone"),
            }
        )
    suggestions = _suggestions(request, request.POST if request.method == "POST" else request.GET)
    return render(
        request,
        "helpline/contact_form.html",
        {"form": form, "helpline": helpline, **suggestions},
        status=400 if request.method == "POST" and "suggest" not in request.POST else 200,
    )


@login_required
@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """The suggestion pane, refreshed by htmx while the operator types."""
    require_perm(request, "helpline.work")
    return render(request, "helpline/suggestions.html", _suggestions(request, request.GET))


@login_required
@require_GET
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = services.read_contact(request.user, _contact_or_404(request, contact_id))
    earlier = selectors.earlier_contacts(contact)
    done = {item["item"] for item in contact.crisis_checklist}
    edit = forms.ContactForm(
        initial={
            "channel": contact.channel,
            "language": contact.language,
            "started_at": timezone.localtime(contact.started_at),
            "ended_at": timezone.localtime(contact.ended_at) if contact.ended_at else None,
            "topics": list(contact.topics.all()),
            "urgency": contact.urgency,
            "risk": contact.risk,
            "outcome": contact.outcome,
            "information": contact.information,
            "notes": contact.notes,
        }
    )
    version_form(edit, contact, services.CONTACT_FIELDS)
    crisis_form = forms.CrisisForm(initial={"done": list(done)})
    version_form(crisis_form, contact, ["crisis_checklist"])
    centres = (
        Organisation.objects.exclude(pk=contact.organisation_id)
        .filter(memberships__role__in=["counsellor"], memberships__is_active=True)
        .distinct()
        .order_by("name")
    )
    return render(
        request,
        "helpline/contact.html",
        {
            "contact": contact,
            "earlier": earlier,
            "edit_form": edit,
            "crisis_form": crisis_form,
            "crisis_items": [(key, label, key in done) for key, label in CRISIS_CHECKLIST.items()],
            "handover_form": forms.HandoverForm(organisations=centres),
            "callback_form": forms.CallbackForm(initial={"language": contact.language}),
            "interpreters": selectors.interpreters_for(contact.organisation_id, contact.language),
            "chat": getattr(contact, "chat", None),
        },
    )


@login_required
@require_POST
def contact_edit(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact_or_404(request, contact_id)
    form = forms.ContactForm(request.POST)
    version_form(form, contact, services.CONTACT_FIELDS)
    if form.is_valid():
        values = _contact_values(form, request.POST)
        if not request.POST.getlist("articles"):
            values.pop("articles")
        if not request.POST.getlist("services"):
            values.pop("services")
        try:
            with form_unchanged(form, contact) as stored:
                services.save_contact(
                    request.user,
                    stored.organisation,
                    values,
                    contact=stored,
                    caller_number=form.cleaned_data["caller_number"],
                )
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("The contact was saved."))
    else:
        messages.error(request, nothing_saved(form))
    return redirect("helpline:contact", contact.pk)


@login_required
@require_POST
def contact_crisis(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact_or_404(request, contact_id)
    form = forms.CrisisForm(request.POST)
    version_form(form, contact, ["crisis_checklist"])
    try:
        if not form.is_valid():
            raise ValidationError(nothing_saved(form))
        with form_unchanged(form, contact, {}) as stored:
            services.tick_crisis(request.user, stored, form.cleaned_data.get("done", []))
    except (ValidationError, PermissionDenied) as error:
        refuse(request, error)
    else:
        messages.success(request, _("The crisis checklist was saved."))
    return redirect("helpline:contact", contact.pk)


@login_required
@require_POST
def contact_handover(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact_or_404(request, contact_id)
    form = forms.HandoverForm(request.POST, organisations=Organisation.objects.all())
    if not form.is_valid():
        messages.error(
            request,
            nothing_saved(form),
        )
        return redirect("helpline:contact", contact.pk)
    data = form.cleaned_data
    try:
        services.hand_over(
            request.user,
            contact,
            to_organisation=data["to_organisation"],
            consent_given=data["consent_given"],
            consent_statement=data["consent_statement"],
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            best_time=data["best_time"],
            summary=data["summary"],
        )
    except (ValidationError, PermissionDenied) as error:
        refuse(request, error)
    else:
        messages.success(
            request, _("The caller was handed over to %(centre)s.") % {"centre": data["to_organisation"].name}
        )
    return redirect("helpline:contact", contact.pk)


@login_required
@require_POST
def contact_callback(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact_or_404(request, contact_id)
    form = forms.CallbackForm(request.POST)
    if form.is_valid():
        try:
            services.request_callback(
                request.user,
                contact.organisation,
                language=form.cleaned_data["language"],
                due_at=form.cleaned_data["due_at"],
                phone=form.cleaned_data["phone"],
                topic=form.cleaned_data["topic"],
                contact=contact,
            )
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error)
        else:
            messages.success(request, _("The callback was arranged."))
    else:
        messages.error(
            request,
            nothing_saved(form),
        )
    return redirect("helpline:contact", contact.pk)


@login_required
@require_POST
def contact_interpreter(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact_or_404(request, contact_id)
    interpreter = User.objects.filter(pk=request.POST.get("interpreter") or 0).first()
    try:
        if interpreter is None:
            raise ValidationError(_("Choose an interpreter."))
        services.request_interpreter(request.user, contact, interpreter)
    except (ValidationError, PermissionDenied) as error:
        refuse(request, error)
    else:
        messages.success(
            request, _("%(name)s was asked to join.") % {"name": interpreter.get_full_name() or interpreter}
        )
    return redirect("helpline:contact", contact.pk)


@login_required
@require_POST
def contact_join(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None or contact.interpreter_requested_id != request.user.pk:
        raise Http404
    services.join_as_interpreter(request.user, contact)
    messages.success(request, _("You joined the contact as its interpreter."))
    chat = getattr(contact, "chat", None)
    return redirect("helpline:chat_operator", chat.pk) if chat else redirect("helpline:interpret", contact.pk)


@login_required
@require_GET
def interpret(request: HttpRequest, contact_id: int) -> HttpResponse:
    """What an interpreter who was asked to join sees: the contact's language and topics, and a join button."""
    contact = Contact.objects.filter(pk=contact_id).prefetch_related("topics").first()
    if contact is None or request.user.pk not in (contact.interpreter_requested_id, contact.interpreter_id):
        raise Http404
    return render(request, "helpline/interpret.html", {"contact": contact})


# --- Callbacks --------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def callbacks(request: HttpRequest) -> HttpResponse:
    require_perm(request, "helpline.work")
    shown_phone: dict[int, str] = {}
    if request.method == "POST":
        callback = get_object_or_404(selectors.callbacks_for(request.user, status=""), pk=request.POST.get("id") or 0)
        if request.POST.get("action") == "reveal":
            shown_phone[callback.pk] = services.read_callback_phone(request.user, callback)
        else:
            form = forms.CloseCallbackForm(request.POST)
            try:
                if not form.is_valid():
                    raise ValidationError({"status": _("Choose what happened.")})
                services.close_callback(request.user, callback, form.cleaned_data["status"])
            except (ValidationError, PermissionDenied) as error:
                refuse(request, error)
            else:
                messages.success(request, _("The callback was closed."))
                return redirect("helpline:callbacks")
    open_ = list(selectors.callbacks_for(request.user).select_related("assigned_to")[:200])
    overdue = [c for c in open_ if c.due_at < timezone.now()]
    return render(
        request,
        "helpline/callbacks.html",
        {
            "callbacks": open_,
            "overdue": len(overdue),
            "shown_phone": shown_phone,
            "close_form": forms.CloseCallbackForm(),
        },
    )


# --- Operators, shifts, hours, topics ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    require_perm(request, "helpline.work")
    helpline = _helpline(request)
    current = getattr(request.user, "helpline_profile", None)
    if request.method == "POST" and request.POST.get("form") == "away":
        try:
            services.set_away(request.user, request.POST.get("away") == "1")
        except ValidationError as error:
            refuse(request, error)
        return redirect("helpline:profile")
    if request.method == "POST":
        form = forms.ProfileForm(request.POST)
        formset = forms.LanguageLevelFormSet(request.POST, prefix="lang")
        if form.is_valid() and formset.is_valid():
            pairs = [
                (f.cleaned_data["language"], f.cleaned_data["level"]) for f in formset if f.cleaned_data.get("language")
            ]
            try:
                services.set_operator_profile(
                    request.user,
                    request.user,  # type: ignore[arg-type]
                    helpline,
                    languages=pairs,
                    is_interpreter=form.cleaned_data["is_interpreter"],
                )
            except (ValidationError, PermissionDenied) as error:
                refuse(request, error, form)
            else:
                messages.success(request, _("Your languages were saved."))
                return redirect("helpline:profile")
    else:
        form = forms.ProfileForm(initial={"is_interpreter": bool(current and current.is_interpreter)})
        initial = (
            [{"language": lang.language, "level": lang.level} for lang in current.languages.all()] if current else []
        )
        formset = forms.LanguageLevelFormSet(prefix="lang", initial=initial)
    now = timezone.now()
    shifts = request.user.helpline_shifts.filter(ends_at__gt=now).order_by("starts_at")[:20]  # type: ignore[union-attr]
    return render(
        request, "helpline/profile.html", {"form": form, "formset": formset, "profile": current, "shifts": shifts}
    )


@login_required
@require_http_methods(["GET", "POST"])
def shifts(request: HttpRequest) -> HttpResponse:
    require_perm(request, "helpline.supervise")
    helpline = _supervised(request)
    staff = (
        User.objects.filter(
            memberships__organisation=helpline,
            memberships__is_active=True,
            memberships__role__in=list(HELPLINE_ROLES),
        )
        .distinct()
        .order_by("first_name", "last_name")
    )
    form = forms.ShiftForm(users=staff)
    if request.method == "POST":
        if request.POST.get("delete"):
            shift = get_object_or_404(helpline.helpline_shifts, pk=request.POST["delete"])  # type: ignore[attr-defined]
            services.delete_shift(request.user, shift)
            messages.success(request, _("The shift was removed."))
            return redirect("helpline:shifts")
        form = forms.ShiftForm(request.POST, users=staff)
        if form.is_valid():
            try:
                services.add_shift(
                    request.user,
                    helpline,
                    form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                    starts_at=form.cleaned_data["starts_at"],
                    ends_at=form.cleaned_data["ends_at"],
                )
            except (ValidationError, PermissionDenied) as error:
                refuse(request, error, form)
            else:
                messages.success(request, _("The shift was added."))
                return redirect("helpline:shifts")
    now = timezone.now()
    coming = helpline.helpline_shifts.filter(ends_at__gt=now, starts_at__lt=now + timedelta(days=14)).select_related(
        "user"
    )  # type: ignore[attr-defined]
    return render(
        request,
        "helpline/shifts.html",
        {"form": form, "shifts": coming, "helpline": helpline},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def hours(request: HttpRequest) -> HttpResponse:
    require_perm(request, "helpline.supervise")
    helpline = _supervised(request)
    hours_form, closure_form, message_form = forms.HoursForm(), forms.ClosureForm(), forms.MessageForm()
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "hours":
                hours_form = forms.HoursForm(request.POST)
                if hours_form.is_valid():
                    rows = [(h.weekday, h.opens, h.closes) for h in selectors.weekly_hours(helpline)]
                    rows.append(
                        (
                            hours_form.cleaned_data["weekday"],
                            hours_form.cleaned_data["opens"],
                            hours_form.cleaned_data["closes"],
                        )
                    )
                    services.set_opening_hours(request.user, helpline, rows)
                    messages.success(request, _("The opening hours were saved."))
                    return redirect("helpline:hours")
            elif which == "remove_hours":
                rows = [
                    (h.weekday, h.opens, h.closes)
                    for h in selectors.weekly_hours(helpline)
                    if str(h.pk) != request.POST.get("id")
                ]
                services.set_opening_hours(request.user, helpline, rows)
                return redirect("helpline:hours")
            elif which == "closure":
                closure_form = forms.ClosureForm(request.POST)
                if closure_form.is_valid():
                    services.add_closure(request.user, helpline, **closure_form.cleaned_data)
                    messages.success(request, _("The closure was saved."))
                    return redirect("helpline:hours")
            elif which == "message":
                message_form = forms.MessageForm(request.POST)
                if message_form.is_valid():
                    services.set_out_of_hours_message(
                        request.user, helpline, message_form.cleaned_data["language"], message_form.cleaned_data["text"]
                    )
                    messages.success(request, _("The message was saved."))
                    return redirect("helpline:hours")
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, hours_form, closure_form, message_form)
    return render(
        request,
        "helpline/hours.html",
        {
            "helpline": helpline,
            "hours": selectors.weekly_hours(helpline),
            "closures": helpline.helpline_closures.filter(ends__gte=timezone.localdate()),  # type: ignore[attr-defined]
            "messages_": helpline.helpline_messages.all(),  # type: ignore[attr-defined]
            "hours_form": hours_form,
            "closure_form": closure_form,
            "message_form": message_form,
            "open": selectors.is_open(helpline),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def topics(request: HttpRequest) -> HttpResponse:
    require_perm(request, "helpline.supervise")
    helpline = _supervised(request)
    form = forms.TopicForm()
    if request.method == "POST":
        try:
            if request.POST.get("toggle"):
                topic = get_object_or_404(Topic, pk=request.POST["toggle"])
                services.set_topic_active(request.user, helpline.pk, topic, not topic.active)
                return redirect("helpline:topics")
            form = forms.TopicForm(request.POST)
            if form.is_valid():
                services.add_topic(request.user, helpline.pk, name=form.cleaned_data["name"])
                messages.success(request, _("The topic was added."))
                return redirect("helpline:topics")
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, form)
    return render(
        request,
        "helpline/topics.html",
        {"form": form, "topics": Topic.objects.all()},
        status=400 if request.method == "POST" else 200,
    )


# --- Knowledge base ---------------------------------------------------------------------------------------


@login_required
@require_GET
def articles(request: HttpRequest) -> HttpResponse:
    require_perm(request, "helpline.work")
    language = request.GET.get("language") or get_language() or "en"
    status = request.GET.get("status", "")
    rows = selectors.articles(
        language=language, text=request.GET.get("q", "")[:200], status=status if status in ArticleStatus.values else ""
    )
    return render(
        request,
        "helpline/articles.html",
        {
            "rows": rows,
            "q": request.GET.get("q", ""),
            "language": language,
            "statuses": ArticleStatus.choices,
            "status": status,
            "language_choices": forms.TranslateForm().fields["language"].choices,  # type: ignore[attr-defined]
        },
    )


ARTICLE_FIELDS = ("keywords", "topics", "status")


def _article_texts(article: Article) -> Any:
    """What an article's edit form changes outside its row: the title and body in its source language."""
    return selectors.article_texts(article, article.source_language)


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, article_id: str | None = None) -> HttpResponse:
    require_perm(request, "helpline.edit_articles")
    article = get_object_or_404(Article, pk=article_id) if article_id else None
    organisation = article.organisation if article else _helpline(request)
    if request.method == "POST":
        form = forms.ArticleForm(request.POST)
        version_form(form, article, ARTICLE_FIELDS, extra=_article_texts)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with form_unchanged(form, article):
                    article = services.save_article(
                        request.user,
                        organisation,
                        title=data["title"],
                        body=data["body"],
                        language=data["language"] if article is None else article.source_language,
                        keywords=data["keywords"],
                        topics=data["topics"],
                        status=data["status"],
                        article=article,
                        minor=data["minor"],
                    )
            except (ValidationError, PermissionDenied) as error:
                refuse(request, error, form)
            else:
                messages.success(request, _("The article was saved."))
                return redirect("helpline:article", article.pk)
    elif article is not None:
        texts = selectors.article_texts(article, article.source_language)
        form = forms.ArticleForm(
            initial={
                "title": texts.get("title", ("", ""))[0],
                "body": texts.get("body", ("", ""))[0],
                "language": article.source_language,
                "keywords": article.keywords,
                "topics": list(article.topics.all()),
                "status": article.status,
            }
        )
        form.fields["language"].disabled = True
        version_form(form, article, ARTICLE_FIELDS, extra=_article_texts)
    else:
        form = forms.ArticleForm(initial={"language": get_language(), "status": ArticleStatus.DRAFT})
    return render(
        request,
        "helpline/article_form.html",
        {"form": form, "article": article},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def article_detail(request: HttpRequest, article_id: str) -> HttpResponse:
    require_perm(request, "helpline.work")
    article = get_object_or_404(Article, pk=article_id)
    language = request.GET.get("language") or get_language() or "en"
    texts = selectors.article_texts(article, language)
    title, title_status = texts.get("title", ("", "original"))
    body, _status = texts.get("body", ("", "original"))
    shown = article.source_language if title_status == "original_fallback" else language
    return render(
        request,
        "helpline/article.html",
        {
            "article": article,
            "title": title,
            "body": body,
            "status": title_status,
            "shown_language": shown,
            "shown_rtl": shown in RTL_LANGUAGES,
            "language": language,
            "statuses": services.translation_status(article),
            "translate_form": forms.TranslateForm(
                initial={"language": language if language != article.source_language else ""}
            ),
        },
    )


@login_required
@require_POST
def article_translate(request: HttpRequest, article_id: str) -> HttpResponse:
    require_perm(request, "helpline.edit_articles")
    article = get_object_or_404(Article, pk=article_id)
    form = forms.TranslateForm(request.POST)
    if form.is_valid():
        try:
            services.translate_article(
                request.user,
                article,
                form.cleaned_data["language"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("The translation was saved."))
            return redirect(
                reverse("helpline:article", args=[article.pk]) + f"?language={form.cleaned_data['language']}"
            )
    else:
        messages.error(
            request,
            nothing_saved(form),
        )
    return redirect("helpline:article", article.pk)


# --- Web chat: the operator's side ------------------------------------------------------------------------


@login_required
@require_GET
def chats(request: HttpRequest) -> HttpResponse:
    require_perm(request, "helpline.work")
    return render(
        request,
        "helpline/chats.html",
        {"waiting": selectors.waiting_chats(request.user), "mine": selectors.my_chats(request.user)},
    )


@login_required
@require_POST
def chat_pick(request: HttpRequest, chat_id: str) -> HttpResponse:
    chat = get_object_or_404(selectors.waiting_chats(request.user).model, pk=chat_id)
    try:
        services.pick_up_chat(request.user, chat)
    except (ValidationError, PermissionDenied) as error:
        refuse(request, error)
        return redirect("helpline:chats")
    return redirect("helpline:chat_operator", chat.pk)


def _operator_chat(request: HttpRequest, chat_id: str) -> Chat:
    chat = Chat.objects.filter(pk=chat_id).select_related("contact").first()
    if chat is None:
        raise Http404
    contact = chat.contact
    if request.user.pk not in (
        chat.operator_id,
        getattr(contact, "interpreter_id", None),
    ) and not may(request.user, "helpline.supervise_at", chat.organisation_id):
        raise Http404
    return chat


def _message_json(message: ChatMessage, viewer: str) -> dict[str, Any]:
    return {
        "id": message.pk,
        "sender": message.sender,
        "mine": message.sender == viewer,
        "label": str(ChatMessage.Sender(message.sender).label),
        "text": message.shown,
        "at": timezone.localtime(message.created_at).strftime("%H:%M"),
    }


def _log(chat: Chat, viewer: str) -> dict[str, Any]:
    shown = [_message_json(m, viewer) for m in chat.messages.all()]
    return {"messages_": shown, "last_id": shown[-1]["id"] if shown else 0}


@login_required
@require_http_methods(["GET", "POST"])
def chat_operator(request: HttpRequest, chat_id: str) -> HttpResponse:
    chat = _operator_chat(request, chat_id)
    sender = ChatMessage.Sender.OPERATOR if chat.operator_id == request.user.pk else ChatMessage.Sender.INTERPRETER
    form = forms.ChatMessageForm()
    if request.method == "POST":
        form = forms.ChatMessageForm(request.POST)
        try:
            if request.POST.get("action") == "close":
                services.close_chat(request.user, chat)
                messages.success(request, _("The chat has ended. Complete the contact record."))
                return redirect("helpline:contact", chat.contact_id) if chat.contact_id else redirect("helpline:chats")
            form.is_valid()
            services.send_message(chat, form.cleaned_data.get("text", ""), sender=sender, author=request.user)
        except (ValidationError, PermissionDenied) as error:
            if request.headers.get("X-Requested-With") == "fetch":
                return JsonResponse({"error": " ".join(getattr(error, "messages", [str(error)]))}, status=400)
            refuse(request, error, form)
        else:
            if request.headers.get("X-Requested-With") == "fetch":
                return JsonResponse({"ok": True})
            return redirect("helpline:chat_operator", chat.pk)
    if chat.contact_id:
        audit.record(
            request.user,
            AuditAction.READ,
            channel=Channel.UI,
            obj=chat,
            organisation_id=chat.organisation_id,
            fields=["messages"],
        )
    return render(
        request,
        "helpline/chat_operator.html",
        {
            "chat": chat,
            "form": form,
            "poll_url": request.path + "poll/",
            "rtl": chat.language in RTL_LANGUAGES,
            **_log(chat, sender),
        },
    )


@login_required
@require_GET
def chat_operator_poll(request: HttpRequest, chat_id: str) -> JsonResponse:
    chat = _operator_chat(request, chat_id)
    sender = ChatMessage.Sender.OPERATOR if chat.operator_id == request.user.pk else ChatMessage.Sender.INTERPRETER
    return _poll(request, sender, chat)


def _poll(request: HttpRequest, viewer: str, chat: Chat) -> JsonResponse:
    from django.conf import settings

    try:
        after = int(request.GET.get("after", "0"))
        wait = min(
            float(request.GET.get("wait", settings.OWNPATH_CHAT_WAIT_SECONDS)), settings.OWNPATH_CHAT_WAIT_SECONDS
        )
    except ValueError:
        return JsonResponse({"error": _("Bad request.")}, status=400)
    found = services.wait_for_messages(after, wait, chat=chat)
    status = Chat.objects.filter(pk=chat.pk).values_list("status", flat=True).first()
    return JsonResponse({"messages": [_message_json(m, viewer) for m in found], "status": status})


# --- Web chat and callbacks: the caller's side (no account) ----------------------------------------------


@require_http_methods(["GET", "POST"])
def chat_start(request: HttpRequest) -> HttpResponse:
    helplines = selectors.public_helplines()
    language = get_language() or "en"
    form = forms.ChatStartForm(initial={"language": language}, helplines=helplines)
    callback_form = forms.PublicCallbackForm(initial={"language": language})
    if request.method == "POST":
        form = forms.ChatStartForm(request.POST, helplines=helplines)
        if form.is_valid():
            helpline = form.cleaned_data["helpline"] or helplines.first()
            try:
                if helpline is None:
                    raise ValidationError(_("No helpline takes chats at the moment."))
                client_id = request.COOKIES.get("ownpath_chat_client") or ""
                _chat, token = services.open_chat(helpline, language=form.cleaned_data["language"], client_id=client_id)
            except ValidationError as error:
                refuse(request, error, form)
            else:
                response = redirect("helpline:chat_room", token)
                if not client_id:
                    import secrets

                    response.set_cookie(
                        "ownpath_chat_client",
                        secrets.token_urlsafe(16),
                        max_age=365 * 86400,
                        httponly=True,
                        samesite="Lax",
                        secure=request.is_secure(),
                    )
                return response
    status_rows = [
        {
            "helpline": h,
            "open": selectors.is_open(h),
            "message": selectors.out_of_hours_message(h, language),
            "next": selectors.next_opening(h),
            "hours": selectors.weekly_hours(h),
        }
        for h in helplines
    ]
    return render(
        request,
        "helpline/chat_start.html",
        {
            "form": form,
            "callback_form": callback_form,
            "rows": status_rows,
            "any_open": any(r["open"] for r in status_rows),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def callback_request(request: HttpRequest) -> HttpResponse:
    """A caller asks to be called back (e.g. while the line is closed)."""
    form = forms.PublicCallbackForm(request.POST)
    helpline = selectors.public_helplines().first()
    if form.is_valid() and helpline is not None:
        try:
            services.request_callback(
                None,
                helpline,
                language=form.cleaned_data["language"],
                due_at=form.cleaned_data["due_at"],
                phone=form.cleaned_data["phone"],
                channel=Channel.UI,
            )
        except ValidationError as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("Thank you. We will call you back at the time you chose."))
    else:
        messages.error(request, nothing_saved(form) if form.errors else _("No helpline takes callbacks at the moment."))
    return redirect("helpline:chat_start")


def _caller_chat(token: str) -> Chat:
    chat = services.chat_for_token(token)
    if chat is None:
        raise Http404(_("This chat does not exist or has been deleted."))
    return chat


@require_http_methods(["GET", "POST"])
def chat_room(request: HttpRequest, token: str) -> HttpResponse:
    chat = _caller_chat(token)
    form = forms.ChatMessageForm()
    if request.method == "POST":
        form = forms.ChatMessageForm(request.POST)
        try:
            if request.POST.get("action") == "close":
                services.close_chat(None, chat)
                return redirect("helpline:chat_room", token)
            form.is_valid()
            services.send_message(chat, form.cleaned_data.get("text", ""), sender=ChatMessage.Sender.CALLER)
        except ValidationError as error:
            if request.headers.get("X-Requested-With") == "fetch":
                return JsonResponse({"error": " ".join(error.messages)}, status=400)
            refuse(request, error, form)
        else:
            if request.headers.get("X-Requested-With") == "fetch":
                return JsonResponse({"ok": True})
            return redirect("helpline:chat_room", token)
    response = render(
        request,
        "helpline/chat_room.html",
        {
            "chat": chat,
            "form": form,
            "poll_url": request.path + "poll/",
            "rtl": chat.language in RTL_LANGUAGES,
            "closed": chat.status == ChatStatus.CLOSED,
            **_log(chat, ChatMessage.Sender.CALLER),
        },
    )
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def chat_room_poll(request: HttpRequest, token: str) -> JsonResponse:
    chat = _caller_chat(token)
    return _poll(request, ChatMessage.Sender.CALLER, chat)


# --- Statistics -------------------------------------------------------------------------------------------


def _stats_range(request: HttpRequest) -> tuple[Any, Any, forms.StatsForm]:
    form = forms.StatsForm(request.GET or None)
    today = timezone.localdate()
    start, end = today - timedelta(days=29), today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        if end < start:
            messages.error(request, _("The end of the period is before its start; showing the last 30 days."))
            start, end = today - timedelta(days=29), today
    return start, end, form


@login_required
@require_GET
@replica_reads
def stats(request: HttpRequest) -> HttpResponse:
    require_perm(request, "helpline.supervise")
    start, end, form = _stats_range(request)
    ids = [o.pk for o in selectors.supervised_by(request.user)]
    data = selectors.statistics(ids, start, end)
    for table in data["tables"]:
        table.chart = charts.bars(table.title, [charts.Point(label, n) for label, n in table.rows])  # type: ignore[attr-defined]
    return render(request, "helpline/stats.html", {"form": form, **data, "query": request.GET.urlencode()})


@login_required
@require_GET
@replica_reads
def stats_csv(request: HttpRequest) -> HttpResponse:
    require_perm(request, "helpline.supervise")
    start, end, _form = _stats_range(request)
    ids = [o.pk for o in selectors.supervised_by(request.user)]
    data = selectors.statistics(ids, start, end)
    hidden = _("suppressed")
    rows: list[list[Any]] = []
    for table in data["tables"]:
        rows += [[table.key, label, hidden if n is None else n] for label, n in table.rows]
        rows.append([table.key, "total", hidden if table.total is None else table.total])
    unanswered = data["unanswered_callbacks"]
    rows.append(["callbacks", "unanswered", hidden if unanswered is None else unanswered])
    response = csv_response(f"helpline-{start}-{end}.csv", ["table", "category", "contacts"], rows)
    audit.record(
        request.user,
        AuditAction.EXPORT,
        channel=Channel.UI,
        object_type="helpline.statistics",
        detail={"start": str(start), "end": str(end)},
    )
    return response
