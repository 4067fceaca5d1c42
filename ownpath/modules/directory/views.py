"""Staff pages of the directory: entries, import with progress, translations, XLIFF, coverage."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ownpath.core import access
from ownpath.core import selectors as core_selectors
from ownpath.core.concurrency import (
    form_unchanged,
    refresh_version,
    unchanged_since,
    version_form,
    version_of,
    versioned,
)
from ownpath.core.languages import language_name
from ownpath.core.models import Translation, TranslationStatus
from ownpath.core.views import nothing_saved, require_perm
from ownpath.modules.directory import services, xliff
from ownpath.modules.directory.models import TEXTS_MODULE, Closure, ImportJob, Service
from ownpath.modules.directory.rules import EDITOR_ROLES

MAX_IMPORT_BYTES = 50 * 1024 * 1024


@require_GET
def hsds_profile(request: HttpRequest) -> HttpResponse:
    text = (
        "ownpath HSDS 3.0 profile\n\n"
        "This API serves Open Referral HSDS 3.0 without changes to the schemas.\n"
        "Texts are given in the language each record was written in; translations are served to people by\n"
        "the portal. Holiday closures are an ownpath addition and are not part of this API.\n"
        "Specification: https://docs.openreferral.org/en/latest/\n"
    )
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("HSDS file"),
        help_text=gettext_lazy("HSDS JSON, a CSV table, or a ZIP of the tabular package."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of the texts"))
    keep_invalid_coordinates = forms.BooleanField(
        label=gettext_lazy("Import locations whose coordinates are impossible, leaving them off maps"),
        required=False,
        help_text=gettext_lazy("Otherwise a latitude beyond ±90 or a longitude beyond ±180 stops the import."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("The JSON file holds"),
        required=False,
        choices=[
            ("", gettext_lazy("Recognise from the file name or the contents")),
            ("service", gettext_lazy("Services")),
            ("organization", gettext_lazy("Organizations")),
            ("location", gettext_lazy("Locations")),
            ("service_at_location", gettext_lazy("Services at locations")),
            ("taxonomy", gettext_lazy("Taxonomies")),
            ("taxonomy_term", gettext_lazy("Taxonomy terms")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.conf import settings

        self.fields["language"].choices = settings.LANGUAGES  # type: ignore[attr-defined]


class ServiceForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=300)
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    application_process = forms.CharField(
        label=gettext_lazy("How to apply"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    eligibility_description = forms.CharField(
        label=gettext_lazy("Who can use it"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    fees_description = forms.CharField(label=gettext_lazy("Costs"), required=False, max_length=1000)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[
            ("active", gettext_lazy("Active")),
            ("inactive", gettext_lazy("Inactive")),
            ("temporarily closed", gettext_lazy("Temporarily closed")),
            ("defunct", gettext_lazy("Closed for good")),
        ],
    )
    minor = forms.BooleanField(label=gettext_lazy("Minor edit (translations stay current)"), required=False)


DAYS = [
    ("MO", gettext_lazy("Monday")),
    ("TU", gettext_lazy("Tuesday")),
    ("WE", gettext_lazy("Wednesday")),
    ("TH", gettext_lazy("Thursday")),
    ("FR", gettext_lazy("Friday")),
    ("SA", gettext_lazy("Saturday")),
    ("SU", gettext_lazy("Sunday")),
]


class FactsForm(forms.Form):
    languages = forms.MultipleChoiceField(label=gettext_lazy("Staff speak"), required=False)
    fee = forms.DecimalField(label=gettext_lazy("Fee (0 if free)"), required=False, max_digits=8, decimal_places=2)
    days = forms.MultipleChoiceField(
        label=gettext_lazy("Open on"), choices=DAYS, widget=forms.CheckboxSelectMultiple, required=False
    )
    opens = forms.TimeField(label=gettext_lazy("Opens"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(
        label=gettext_lazy("Closes"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    address_1 = forms.CharField(label=gettext_lazy("Street and number"), required=False, max_length=200)
    postal_code = forms.CharField(label=gettext_lazy("Postcode"), required=False, max_length=20)
    city = forms.CharField(label=gettext_lazy("City"), required=False, max_length=120)
    latitude = forms.FloatField(label=gettext_lazy("Latitude"), required=False)
    longitude = forms.FloatField(label=gettext_lazy("Longitude"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ownpath.core.languages import language_choices

        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["languages"].widget.attrs["size"] = 6


def _facts_initial(service: Service) -> dict[str, Any]:
    data = service.data
    schedule = next((s for s in data.get("schedules") or [] if isinstance(s, dict)), {})
    cost = next((c for c in data.get("cost_options") or [] if isinstance(c, dict)), {})
    sal = service.service_at_locations.select_related("location").first()
    location = sal.location if sal else None
    address = next((a for a in (location.data.get("addresses") or []) if isinstance(a, dict)), {}) if location else {}
    return {
        "languages": service.language_codes,
        "fee": cost.get("amount"),
        "days": [d.strip() for d in str(schedule.get("byday") or "").split(",") if d.strip()],
        "opens": (schedule.get("opens_at") or "")[:5] or None,
        "closes": (schedule.get("closes_at") or "")[:5] or None,
        "address_1": address.get("address_1", ""),
        "postal_code": address.get("postal_code", ""),
        "city": address.get("city", ""),
        "latitude": location.latitude if location else None,
        "longitude": location.longitude if location else None,
    }


@login_required
@require_POST
def facts_save(request: HttpRequest, service_id: str) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("organization"), pk=service_id)
    require_perm(request, "directory.change_service", service)
    form = FactsForm(request.POST)
    version_form(form, service, ["data"], extra=_facts_initial)
    if form.is_valid():
        try:
            with form_unchanged(form, service) as stored:
                services.edit_facts(request.user, stored, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, nothing_saved(error))
        else:
            messages.success(request, _("The changes were saved."))
    else:
        messages.error(
            request,
            nothing_saved(form),
        )
    return redirect("directory:service_edit", service.pk)


class ClosureForm(forms.Form):
    starts = forms.DateField(
        label=gettext_lazy("Closed from"), widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )
    ends = forms.DateField(
        label=gettext_lazy("Closed until"), widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts") and data.get("ends") and data["ends"] < data["starts"]:
            raise forms.ValidationError(_("The closure cannot end before it starts."))
        return data


@login_required
@require_GET
def entries(request: HttpRequest) -> HttpResponse:
    require_perm(request, "directory.manage")
    services_qs = Service.objects.select_related("organization").order_by("name")
    if "network_admin" not in access.all_roles(request.user):
        services_qs = services_qs.filter(
            organization__owner_id__in=access.organisations_with_roles(request.user, EDITOR_ROLES)
        )
    q = request.GET.get("q", "").strip()[:100]
    if q:
        services_qs = services_qs.filter(Q(name__icontains=q) | Q(organization__name__icontains=q))
    from django.core.paginator import Paginator

    page = Paginator(services_qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/entries.html",
        {"page": page, "q": q, "jobs": ImportJob.objects.filter(created_by_id=request.user.pk)[:5]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest) -> HttpResponse:
    require_perm(request, "directory.import")
    form = ImportForm(request.POST or None, request.FILES or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", _("The file is larger than 50 MB."))
        else:
            owner = core_selectors.acting_organisation(request.user, request.session)
            job = services.start_import(
                request.user,
                upload.name,
                upload.read(),
                owner=owner,
                language=form.cleaned_data["language"],
                kind=form.cleaned_data["kind"],
                keep_invalid_coordinates=form.cleaned_data["keep_invalid_coordinates"],
            )
            return redirect("directory:import_job", job.pk)
    return render(request, "directory/import.html", {"form": form}, status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=job_id)
    if job.created_by_id != request.user.pk:
        raise Http404
    template = "directory/import_progress.html" if request.headers.get("HX-Request") else "directory/import_job.html"
    return render(request, template, {"job": job})


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: str) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("organization"), pk=service_id)
    require_perm(request, "directory.change_service", service)
    initial = {k: service.data.get(k, "") for k in ServiceForm.base_fields if k != "minor"}
    form = ServiceForm(request.POST or None, initial=initial)
    versioned(form, services.service_version(service))
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k not in ("minor", "version")}
        try:
            services.edit_service(
                request.user,
                service,
                values,
                minor=form.cleaned_data["minor"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            refresh_version(form, error)
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("directory:service_edit", service.pk)
    rows = list(Translation.objects.of(TEXTS_MODULE, "service", service.id).order_by("field", "language"))
    for row in rows:  # each translation's form carries the version it was shown at (core.concurrency)
        row.edit_version = version_of(row, TRANSLATION_FIELDS)  # type: ignore[attr-defined]
    facts_form = FactsForm(initial=_facts_initial(service))
    version_form(facts_form, service, ["data"], extra=_facts_initial)
    return render(
        request,
        "directory/service_edit.html",
        {
            "service": service,
            "form": form,
            "translations": rows,
            "closure_form": ClosureForm(),
            "facts_form": facts_form,
            "closures": service.closures.all(),
            "feedback": service.feedback.all()[:20],
            "languages": [(code, language_name(code)) for code in services.languages()],
        },
        status=400 if request.method == "POST" else 200,
    )


TRANSLATION_FIELDS = ("text", "status")


@login_required
@require_POST
def translation_save(request: HttpRequest, translation_id: int) -> HttpResponse:
    translation = get_object_or_404(Translation, pk=translation_id, module=TEXTS_MODULE, entity="service")
    service = get_object_or_404(Service, pk=translation.entity_id)
    require_perm(request, "directory.change_service", service)
    text = request.POST.get("text", "")[:10000]
    try:
        with unchanged_since(translation, request.POST.get("version"), TRANSLATION_FIELDS, submitted={"text": text}):
            services.set_translation(
                request.user, "service", service.id, translation.field, translation.language, text, status="human"
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The translation was saved."))
    return redirect("directory:service_edit", service.pk)


@login_required
@require_POST
def machine_translate(request: HttpRequest, service_id: str) -> HttpResponse:
    service = get_object_or_404(Service, pk=service_id)
    require_perm(request, "directory.change_service", service)
    language = request.POST.get("language", "")
    if language not in services.languages():
        messages.error(request, _("Choose a language."))
    else:
        count = services.machine_translate(request.user, service, language)
        if count:
            messages.success(
                request,
                _("%(count)s texts were machine-translated; readers see them labelled as such.") % {"count": count},
            )
        else:
            messages.error(
                request,
                _("No machine translation: none is configured, the server did not answer, or nothing was missing."),
            )
    return redirect("directory:service_edit", service.pk)


@login_required
@require_POST
def closure_add(request: HttpRequest, service_id: str) -> HttpResponse:
    service = get_object_or_404(Service, pk=service_id)
    require_perm(request, "directory.change_service", service)
    form = ClosureForm(request.POST)
    if form.is_valid():
        Closure.objects.create(service=service, **form.cleaned_data)
        messages.success(request, _("The closure was added."))
    else:
        messages.error(
            request,
            nothing_saved(form),
        )
    return redirect("directory:service_edit", service.pk)


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    require_perm(request, "directory.translate")
    report = services.coverage()
    rows = []
    for language, counts in report.items():
        total = sum(counts.values()) or 1
        done = counts["original"] + counts["human"] + counts["machine"]
        rows.append(
            {
                "language": language,
                "name": language_name(language),
                "counts": counts,
                "percent": round(100 * done / total),
            }
        )
    return render(request, "directory/coverage.html", {"rows": rows, "statuses": TranslationStatus.choices})


@login_required
@require_GET
def xliff_export(request: HttpRequest) -> HttpResponse:
    require_perm(request, "directory.translate")
    language = request.GET.get("language", "")
    if language not in services.languages():
        raise Http404
    body = xliff.export(language)
    response = HttpResponse(body, content_type="application/xliff+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ownpath-directory-{language}.xlf"'
    return response


@login_required
@require_POST
def xliff_import(request: HttpRequest) -> HttpResponse:
    require_perm(request, "directory.translate")
    upload = request.FILES.get("file")
    if upload is None or (upload.size or 0) > MAX_IMPORT_BYTES:
        messages.error(request, _("Choose an XLIFF file of at most 50 MB."))
        return redirect("directory:coverage")
    try:
        result = xliff.import_(request.user, upload.read())
    except (ValueError, PermissionDenied, ValidationError) as error:
        messages.error(request, _("Nothing was imported: %(reason)s") % {"reason": error})
    else:
        messages.success(request, _("%(count)s translations were imported.") % {"count": result.updated})
        for problem in result.problems[:20]:
            messages.warning(request, problem)
    return redirect("directory:coverage")


@login_required
@require_GET
def export_package(request: HttpRequest) -> HttpResponse:
    """The whole directory as the HSDS 3.0 tabular data package (a ZIP of CSV files)."""
    import io
    import zipfile

    from ownpath.modules.directory import hsds
    from ownpath.modules.directory.models import (
        DirectoryOrganization,
        Location,
        PackageRow,
        ServiceAtLocation,
        Taxonomy,
        TaxonomyTerm,
    )

    require_perm(request, "directory.manage")
    files = hsds.export_package(
        DirectoryOrganization.objects.all(),
        Service.objects.all(),
        Location.objects.all(),
        ServiceAtLocation.objects.all(),
        Taxonomy.objects.all(),
        TaxonomyTerm.objects.select_related("taxonomy"),
        PackageRow.objects.all(),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, raw in sorted(files.items()):
            archive.writestr(name, raw)
        archive.write(hsds.HSDS_DIR / "datapackage.json", "datapackage.json")
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="ownpath-directory-hsds.zip"'
    return response
