"""Pages of the matching module: the "Jobs and CV" tab of a person (profile, ESCO skills and occupations,
free text mapped to ESCO, JSON Resume import and export, the printable CV, matching vacancies), the
candidates of a vacancy with explanations and legal routes, and employers' proposals."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ownpath.core import uploads
from ownpath.core.choices import CEFRLevel
from ownpath.core.concurrency import form_unchanged, version_form
from ownpath.core.esco import search
from ownpath.core.languages import RTL_LANGUAGES, language_choices
from ownpath.core.models import Person
from ownpath.core.registry import registry
from ownpath.core.views import person_or_404, refuse, require_perm
from ownpath.modules.matching import services
from ownpath.modules.matching.choices import Evidence, HoursWanted
from ownpath.modules.matching.models import CandidateProfile, Proposal

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProfileForm(forms.Form):
    headline = forms.CharField(label=gettext_lazy("Headline"), max_length=200, required=False)
    available_from = forms.DateField(label=gettext_lazy("Available from"), required=False, widget=DATE)
    hours = forms.ChoiceField(label=gettext_lazy("Hours"), choices=HoursWanted.choices)
    max_commute_km = forms.IntegerField(label=gettext_lazy("Will travel up to (km)"), min_value=0, max_value=500)
    willing_to_relocate = forms.BooleanField(label=gettext_lazy("Willing to move for work"), required=False)
    latitude = forms.FloatField(label=gettext_lazy("Latitude of home"), required=False)
    longitude = forms.FloatField(label=gettext_lazy("Longitude of home"), required=False)
    has_karta_polaka = forms.BooleanField(label=gettext_lazy("Holds a Karta Polaka"), required=False)
    full_time_student = forms.BooleanField(label=gettext_lazy("Full-time student in the country"), required=False)
    visa_purpose = forms.CharField(label=gettext_lazy("National visa purpose code"), max_length=2, required=False)
    is_active = forms.BooleanField(label=gettext_lazy("Looking for work"), required=False)


class Links:
    """Offered to other modules (``matching.links``): where to find candidates for a vacancy."""

    def vacancy_url(self, vacancy_id: int) -> str:
        return reverse("matching:vacancy", args=[vacancy_id])


links = Links()


def person_tab(request: HttpRequest, person: Person) -> dict[str, Any]:
    profile = CandidateProfile.objects.filter(person=person).first()
    language = get_language() or "en"
    skills = list(profile.skills.select_related("skill")) if profile else []
    occupations = list(profile.occupations.select_related("occupation")) if profile else []
    labels = search.preferred_labels([s.skill_id for s in skills] + [o.occupation_id for o in occupations], language)
    initial = {"hours": "any", "max_commute_km": 30, "is_active": True}
    if profile:
        initial = {f: getattr(profile, f) for f in ProfileForm.base_fields}
    profile_form = ProfileForm(initial=initial)
    version_form(profile_form, profile, list(ProfileForm.base_fields))
    return {
        "profile": profile, "profile_form": profile_form,
        "skills": [(s, labels.get(s.skill_id, s.skill.uri)) for s in skills],
        "occupations": [(o, labels.get(o.occupation_id, o.occupation.uri)) for o in occupations],
        "evidence": Evidence.choices, "languages": language_choices(),
    }  # fmt: skip


@login_required
@require_POST
def profile_action(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "core.change_person", person)
    action = request.POST.get("action", "")
    language = get_language() or "en"
    try:
        if action == "profile":
            form = ProfileForm(request.POST)
            profile = CandidateProfile.objects.filter(person=person).first()
            version_form(form, profile, list(ProfileForm.base_fields))
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            with form_unchanged(form, profile, values):
                services.save_profile(request.user, person, values)
        elif action == "skill":
            services.add_skill(
                request.user, person, request.POST.get("uri", ""), evidence=request.POST.get("evidence", "self")
            )
        elif action == "remove_skill":
            services.remove_skill(request.user, person, int(request.POST.get("skill", "0") or 0))
        elif action == "occupation":
            services.add_occupation(
                request.user, person, request.POST.get("uri", ""), request.POST.get("years", "0") or "0"
            )
        elif action == "free_text":
            texts = [t for t in request.POST.get("texts", "").replace(";", "\n").splitlines() if t.strip()]
            added, unmapped = services.add_free_text_skills(request.user, person, texts, language=request.POST.get("language") or language,
                                                            evidence=request.POST.get("evidence", "self"))  # fmt: skip
            messages.info(request, _("%(added)s skills found in ESCO; not found: %(missing)s") % {
                "added": len(added), "missing": ", ".join(unmapped) or "—"})  # fmt: skip
        elif action == "import":
            upload = request.FILES.get("resume")
            if upload is None:
                raise ValidationError(_("Choose a JSON Resume file."))
            if (upload.size or 0) > 1_000_000:
                raise ValidationError(_("The file is larger than 1 MB."))
            # At most 1 MB and 64 levels deep, by the file's bytes (a JSON Resume is 4 levels deep).
            data = uploads.load_json(upload.read(1_000_001), max_bytes=1_000_000)
            report = services.import_resume(
                request.user, person, data, language=request.POST.get("language") or language
            )
            messages.info(request, _("Imported: %(work)s jobs, %(edu)s qualifications, %(lang)s languages, %(skills)s skills; not found in ESCO: %(missing)s") % {
                "work": report["work"], "edu": report["education"], "lang": report["languages"], "skills": len(report["skills"]),
                "missing": ", ".join(report["unmapped"]) or "—"})  # fmt: skip
            if report["other_name"]:
                messages.warning(request, _("The CV is in the name of %(name)s, which does not match this record. Check that it belongs to this person.") % {"name": report["other_name"]})  # fmt: skip
        else:
            raise Http404
    except ValidationError as error:
        refuse(request, error)
    else:
        if action not in ("free_text", "import"):
            messages.success(request, _("Saved."))
    return redirect(reverse("core:person", args=[person.pk]) + "?tab=jobs")


@login_required
@require_GET
def esco_search(request: HttpRequest) -> JsonResponse:
    """Picker suggestions for staff (JSON): labels in the user's language, then English, typo-tolerant."""
    from ownpath.core.access import is_staff_account

    if not is_staff_account(request.user):
        raise PermissionDenied
    kind = request.GET.get("kind", "skill")
    hits = search.search(request.GET.get("q", ""), kind=kind if kind in ("skill", "occupation") else "skill",
                         language=get_language() or "en", limit=10)  # fmt: skip
    return JsonResponse(
        {"results": [{"uri": h.uri, "label": h.label, "matched": h.matched, "score": h.score} for h in hits]}
    )


@login_required
@require_GET
def resume_export(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "core.change_person", person)
    data = services.export_resume(request.user, person, language=request.GET.get("lang") or get_language() or "en")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="resume-{person.pk}.json"'
    return response


@login_required
@require_GET
def cv_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
    """A printable CV in the person's language, or the employer's (``?lang=``)."""
    from django.utils import translation
    from weasyprint import HTML

    person = person_or_404(request, person_id)
    require_perm(request, "core.change_person", person)
    language = request.GET.get("lang") or person.preferred_language or "en"
    if language not in dict(language_choices()):
        raise Http404
    with translation.override(language):
        # Everything in the document's language: language names, levels and skill labels included.
        data = services.export_resume(request.user, person, language=language)
        levels = dict(CEFRLevel.choices)
        for spoken in data["languages"]:
            spoken["fluency_label"] = str(levels.get(spoken.get("fluency"), spoken.get("fluency", "")))
        html = render_to_string(
            "matching/cv_pdf.html", {"cv": data, "language": language, "rtl": language in RTL_LANGUAGES}
        )
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cv-{person.pk}-{language}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def vacancy(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    """Candidates for a vacancy among the people the counsellor may see, explained."""
    require_perm(request, "matching.match")
    language = get_language() or "en"
    if request.method == "POST":
        person = person_or_404(request, int(request.POST.get("person", "0") or 0))
        try:
            services.propose(request.user, vacancy_id, person, language=language)
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error)
        else:
            messages.success(
                request,
                _("Proposed to the employer; the employer sees a pseudonymous profile until the person consents."),
            )
        return redirect("matching:vacancy", vacancy_id)
    try:
        data, rows = services.candidates_for(request.user, vacancy_id, language=language)
    except ValidationError:
        raise Http404 from None
    proposed = dict(Proposal.objects.filter(vacancy_id=vacancy_id).values_list("person_id", "pk"))
    for row in rows:
        row["proposal"] = proposed.get(row["person"].pk)
    return render(request, "matching/vacancy.html", {"v": data, "rows": rows})


@login_required
@require_GET
def person_jobs(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "matching.match")
    rows = services.vacancies_for(request.user, person, language=get_language() or "en")
    proposals = dict(Proposal.objects.filter(person=person).values_list("vacancy_id", "pk"))
    for row in rows:
        row["proposal"] = proposals.get(row["vacancy"]["id"])
    return render(request, "matching/person_jobs.html", {"person": person, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def proposal(request: HttpRequest, proposal_id: int) -> HttpResponse:
    p = get_object_or_404(Proposal.objects.select_related("person", "employer"), pk=proposal_id)
    language = get_language() or "en"
    counsellor = request.user.has_perm("core.change_person", p.person)
    employer = services._employer_contact(request.user, p.employer_id)
    if not counsellor and not employer:
        raise Http404
    vacancies = registry.capability("employers.vacancies")
    v = vacancies.get(p.vacancy_id) if vacancies else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "consent" and counsellor:
                services.record_consent(request.user, p, evidence=request.POST.get("evidence", ""))
                messages.success(request, _("The consent was recorded; the employer now sees the profile."))
            elif action == "invite" and employer:
                services.invite(request.user, p, int(request.POST.get("slot", "0") or 0))
                messages.success(request, _("The candidate was invited to the interview."))
            elif action == "decline" and employer:
                services.decline(request.user, p)
            else:
                raise Http404
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error)
        return redirect("matching:proposal", p.pk)
    context: dict[str, Any] = {"p": p, "v": v, "counsellor": counsellor, "employer": employer}
    if employer:
        context["view"] = services.employer_view(request.user, p, language=language)
        context["slots"] = vacancies.open_slots(p.employer_id) if vacancies and context["view"]["consented"] else []
    else:
        context["consented"] = services.may_see_profile(p)
    return render(request, "matching/proposal.html", context)


@login_required
@require_GET
def proposals(request: HttpRequest) -> HttpResponse:
    require_perm(request, "matching.receive_proposals")
    rows = services.proposals_for_employer(request.user)
    vacancies = registry.capability("employers.vacancies")
    titles = {v["id"]: v["title"] for v in vacancies.many({p.vacancy_id for p in rows})} if vacancies else {}
    return render(request, "matching/proposals.html", {"rows": [(p, titles.get(p.vacancy_id, "")) for p in rows]})
