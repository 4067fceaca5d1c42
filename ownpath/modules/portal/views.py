"""The public portal: find services in your language, read them, print a leaflet, say what is wrong.

No sign-in to read. Phone-first and light: server-rendered, no script, each page well under 100 KB.
It reads the directory through the registry (``directory.finder``), never by importing it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ownpath.core import access
from ownpath.core import selectors as core_selectors
from ownpath.core.db import replica_reads
from ownpath.core.languages import language_choices
from ownpath.core.registry import registry
from ownpath.core.views import errors_text

RADII = [(1, "1 km"), (2, "2 km"), (5, "5 km"), (10, "10 km"), (25, "25 km"), (50, "50 km")]


def _finder() -> Any:
    finder = registry.capability("directory.finder")
    if finder is None:
        raise Http404
    return finder


class FinderForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("What are you looking for?"), required=False, max_length=100)
    need = forms.ChoiceField(label=gettext_lazy("Kind of help"), required=False)
    speaks = forms.ChoiceField(label=gettext_lazy("Staff speak"), required=False)
    postcode = forms.CharField(label=gettext_lazy("Near postcode"), required=False, max_length=12)
    near = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)
    radius = forms.TypedChoiceField(label=gettext_lazy("Within"), choices=RADII, coerce=int, initial=5, required=False)
    open_now = forms.BooleanField(label=gettext_lazy("Open now"), required=False)
    free = forms.BooleanField(label=gettext_lazy("Free of charge"), required=False)

    def __init__(self, *args: Any, needs: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", gettext_lazy("Any")), *needs]  # type: ignore[attr-defined]
        self.fields["speaks"].choices = [("", gettext_lazy("Any language")), *language_choices()]  # type: ignore[attr-defined]

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data.get("postcode", "").strip()
        if postcode and not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z -]{1,10}", postcode):
            raise forms.ValidationError(_("Enter a postcode such as 80-827."))
        return postcode

    def clean_near(self) -> tuple[float, float] | None:
        raw = self.cleaned_data.get("near", "").strip()
        if not raw:
            return None
        try:
            lat, lon = (float(part) for part in raw.split(","))
        except ValueError as error:
            raise forms.ValidationError(_("A place is given as latitude,longitude.")) from error
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise forms.ValidationError(_("Those coordinates are not on Earth."))
        return lat, lon


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    finder = _finder()
    form = FinderForm(needs=finder.needs())
    return render(request, "portal/home.html", {"form": form, "needs": finder.needs()})


@require_GET
@replica_reads
def service_finder(request: HttpRequest) -> HttpResponse:
    finder = _finder()
    form = FinderForm(request.GET or None, needs=finder.needs())
    results: list[Any] = []
    total = 0
    page = max(1, int(request.GET["page"])) if request.GET.get("page", "").isdigit() else 1
    searched = bool(request.GET) and form.is_valid()
    if searched:
        data = form.cleaned_data
        params = {
            "q": data["q"],
            "need": data["need"],
            "speaks": data["speaks"],
            "postcode": data["postcode"],
            "near": data["near"],
            "radius_km": float(data["radius"] or 5) if (data["postcode"] or data["near"]) else None,
            "open_now": data["open_now"],
            "free": data["free"],
        }
        results, total = finder.search(params, get_language() or "en", limit=20, offset=(page - 1) * 20)
    query = {k: v for k, v in request.GET.items() if k != "page"}
    return render(
        request,
        "portal/finder.html",
        {
            "form": form,
            "results": results,
            "total": total,
            "searched": searched,
            # how many filters (beside the words) narrow the results, shown on the collapsed filters button
            "filters_used": sum(
                1 for name in ("need", "speaks", "postcode", "near", "open_now", "free") if request.GET.get(name)
            ),
            "page": page,
            "next_url": f"?{urlencode({**query, 'page': page + 1})}" if page * 20 < total else "",
            "previous_url": f"?{urlencode({**query, 'page': page - 1})}" if page > 1 else "",
            "status": 400 if request.GET and not form.is_valid() else 200,
        },
        status=400 if request.GET and not form.is_valid() else 200,
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("How helpful was it?"),
        choices=[("", "—"), *[(n, "★" * n) for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    information_wrong = forms.BooleanField(label=gettext_lazy("The information on this page is wrong"), required=False)


@require_GET
def service_page(request: HttpRequest, service_id: str) -> HttpResponse:
    view = _finder().service(service_id, get_language() or "en")
    if view is None:
        raise Http404(_("No such service."))
    chosen = request.session.get("portal_leaflet", [])
    bookable_at = registry.capability("booking.bookable_at")  # None when booking is not enabled
    language = get_language() or "en"
    bookable = [
        (label, url + "?" + urlencode({"language": language}))
        for label, url in (bookable_at or (lambda _o: []))(view.owner_id)
    ]
    return render(
        request,
        "portal/service.html",
        {
            "s": view,
            "feedback_form": FeedbackForm(),
            "in_leaflet": view.id in chosen,
            "leaflet_count": len(chosen),
            "bookable": bookable,
        },
    )


@require_POST
def feedback(request: HttpRequest, service_id: str) -> HttpResponse:
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Nothing was sent: %(errors)s") % {"errors": errors_text(form)},
        )
        return redirect("portal:service", service_id)
    try:
        _finder().leave_feedback(
            service_id,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
            information_wrong=form.cleaned_data["information_wrong"],
            language=get_language() or "",
        )
    except LookupError as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you. The organisation will read it."))
    return redirect("portal:service", service_id)


@require_POST
def leaflet_toggle(request: HttpRequest, service_id: str) -> HttpResponse:
    if _finder().service(service_id, "en") is None:
        raise Http404
    chosen = list(request.session.get("portal_leaflet", []))
    if service_id in chosen:
        chosen.remove(service_id)
        messages.success(request, _("Removed from your leaflet."))
    elif len(chosen) >= 20:
        messages.error(request, _("A leaflet holds at most 20 services."))
    else:
        chosen.append(service_id)
        messages.success(request, _("Added to your leaflet."))
    request.session["portal_leaflet"] = chosen
    return redirect("portal:service", service_id)


@require_GET
def leaflet(request: HttpRequest) -> HttpResponse:
    """The chosen services as a page to print, or as a PDF (``?format=pdf``) in the reader's language."""
    ids = request.GET.getlist("s") or request.session.get("portal_leaflet", [])
    items = _finder().services(ids, get_language() or "en")
    if request.GET.get("format") != "pdf":
        return render(request, "portal/leaflet.html", {"items": items, "ids": ids})
    if not items:
        messages.error(request, _("Choose at least one service for the leaflet."))
        return redirect("portal:leaflet")
    html = render_to_string("portal/leaflet_pdf.html", {"items": items}, request=request)
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ownpath-leaflet-{get_language()}.pdf"'
    return response


# --- People's own accounts -----------------------------------------------------------------------------


class AddressForm(forms.Form):
    address = forms.CharField(
        label=gettext_lazy("E-mail or mobile phone number"),
        max_length=254,
        help_text=gettext_lazy("We send you a code. No password needed."),
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Code"),
        regex=r"^\s*[0-9]{6}\s*$",
        error_messages={"invalid": gettext_lazy("The code has six digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ClaimForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        from ownpath.modules.portal.models import AccountClaim

        model = AccountClaim
        fields = ["organisation", "given_name", "family_name", "birth_date", "message"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ownpath.core.choices import OrganisationKind
        from ownpath.core.models import Organisation

        self.fields["organisation"].queryset = Organisation.objects.exclude(  # type: ignore[attr-defined]
            kind__in=[OrganisationKind.METROPOLIS, OrganisationKind.COUNTY, OrganisationKind.EMPLOYER]
        )
        self.fields["birth_date"].input_formats = ["%Y-%m-%d"]  # type: ignore[attr-defined]


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """Sign in with a code; once signed in, ask for the account to be linked to your record."""
    from ownpath.modules.portal import accounts
    from ownpath.modules.portal.models import AccountClaim

    if request.user.is_authenticated and access.is_staff_account(request.user):
        return redirect("core:dashboard")
    if request.user.is_authenticated:
        form = ClaimForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                accounts.claim(request.user, form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Sent. A counsellor will check it and link your account."))
                return redirect("portal:account")
        return render(
            request,
            "portal/account.html",
            {
                "form": form,
                "linked": hasattr(request.user, "person"),
                "claims": AccountClaim.objects.filter(user=request.user)[:5],
                "pages": [
                    item for item in registry.menu_items if item.permission and request.user.has_perm(item.permission)
                ],
            },
            status=400 if request.method == "POST" else 200,
        )
    address_form = AddressForm(request.POST or None)
    if request.method == "POST" and address_form.is_valid():
        try:
            _channel, address = accounts.request_code(address_form.cleaned_data["address"])
        except ValidationError as error:
            address_form.add_error(None, error)
        else:
            request.session["portal_address"] = address
            return redirect("portal:verify")
    return render(
        request, "portal/sign_in.html", {"form": address_form}, status=400 if request.method == "POST" else 200
    )


@require_GET
def me(request: HttpRequest) -> HttpResponse:
    """The person's own space: every module's section about them (path, appointments, CV, messages, consents,
    their data), gathered through core's registry; before the account is linked, a plain explanation."""
    if not request.user.is_authenticated:
        return redirect("portal:account")
    if access.is_staff_account(request.user):
        return redirect("core:dashboard")
    person = core_selectors.own_record(request.user)
    sections = []
    if person is not None:
        for section in registry.own_space_sections:
            context = section.context(request, person)
            if context is not None:
                html = render_to_string(section.template, {"person": person, **context}, request=request)
                sections.append((section, html))
    return render(request, "portal/me.html", {"person": person, "sections": sections})


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import login

    from ownpath.modules.portal import accounts

    address = request.session.get("portal_address")
    if not address:
        return redirect("portal:account")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.verify_code(address, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session.pop("portal_address", None)
            return redirect("portal:account")
    return render(
        request,
        "portal/verify.html",
        {"form": form, "address": address},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def claims(request: HttpRequest) -> HttpResponse:
    """Counsellors: people asking for their account to be linked to their record."""
    from ownpath.core.services import people as people_service
    from ownpath.modules.portal import accounts

    if not request.user.has_perm("core.list_people"):
        raise PermissionDenied
    pending = list(accounts.claims_for(request.user)[:50])
    rows = []
    for item in pending:
        # The core duplicate check: the name in any script or spelling, the birth date weighing in.
        found = people_service.find_duplicates(
            request.user, f"{item.given_name} {item.family_name}", birth_date=item.birth_date, limit=20
        )
        candidates = [
            c.person
            for c in found.visible
            if c.person.organisation_id == item.organisation_id and c.person.account_id is None
        ][:5]
        rows.append((item, candidates))
    from ownpath.core.choices import Channel
    from ownpath.core.services import audit

    audit.record_list(
        request.user, [p for _c, people in rows for p in people], channel=Channel.UI, purpose="account_claims"
    )
    return render(request, "portal/claims.html", {"rows": rows})


@login_required
@require_POST
def claim_decide(request: HttpRequest, claim_id: int) -> HttpResponse:
    from django.shortcuts import get_object_or_404

    from ownpath.modules.portal import accounts
    from ownpath.modules.portal.models import AccountClaim

    item = get_object_or_404(AccountClaim, pk=claim_id)
    person = None
    if request.POST.get("person", "").isdigit():
        person = core_selectors.get_person_for(request.user, int(request.POST["person"]))
        if person is None:
            raise Http404
    elif request.POST.get("decision") != "reject":
        messages.error(request, _("Choose the person, or say that nobody matches."))
        return redirect("portal:claims")
    try:
        accounts.decide(request.user, item, person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise
    else:
        messages.success(request, _("The account was linked.") if person else _("The request was declined."))
    return redirect("portal:claims")
