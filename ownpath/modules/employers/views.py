"""Pages of the employers module: the desk, an employer with its places, contacts, instructors, agreements and
vacancies; the vacancy form with ESCO pickers; public job pages with JobPosting JSON-LD; recruitment events
with interview slots and a public registration; the information package; good practices; hires."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ownpath.core import access
from ownpath.core.choices import AuditAction, Channel, OrganisationKind
from ownpath.core.concurrency import form_unchanged, version_form, versioned
from ownpath.core.esco import search
from ownpath.core.esco.search import preferred_labels
from ownpath.core.languages import language_choices
from ownpath.core.models import EscoConcept, Organisation, Person
from ownpath.core.registry import registry
from ownpath.core.services import audit, translations
from ownpath.core.views import person_or_404, refuse, require_perm
from ownpath.modules.employers import forms, jsonld, selectors, services
from ownpath.modules.employers.choices import AgreementStatus, SlotStatus, VacancyStatus
from ownpath.modules.employers.models import (
    Article,
    EventRegistration,
    FollowUp,
    GoodPractice,
    Hire,
    InterviewSlot,
    PartnershipAgreement,
    RecruitmentEvent,
    ShadowingVisit,
    Vacancy,
)


def _employer(request: HttpRequest, employer_id: int) -> Organisation:
    employer = get_object_or_404(Organisation, pk=employer_id, kind=OrganisationKind.EMPLOYER)
    if not services.manages_employer(request.user, employer.pk):
        raise Http404
    return employer


@login_required
def home(request: HttpRequest) -> HttpResponse:
    require_perm(request, "employers.employer_desk")
    staff = services.is_network_staff(request.user)
    employers = list(selectors.employers_for(request.user))
    vacancies = (
        Vacancy.objects.filter(employer__in=employers)
        .select_related("employer", "location")
        .order_by("status", "-created_at")
    )
    return render(request, "employers/home.html", {
        "staff": staff,
        "employers": employers,
        "vacancies": vacancies[:100],
        "events": selectors.upcoming_events() if staff else [],
        "follow_ups": selectors.follow_ups_due(request.user)[:50] if staff else [],
        "agreements": PartnershipAgreement.objects.filter(status=AgreementStatus.ACTIVE).select_related("employer", "partner")[:50] if staff else [],
        "visits": ShadowingVisit.objects.select_related("host")[:10] if staff else [],
        "form": forms.EmployerForm() if staff else None,
    })  # fmt: skip


@login_required
@require_POST
def employer_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "employers.work_with_employers")
    form = forms.EmployerForm(request.POST)
    if form.is_valid():
        try:
            employer = services.save_employer(request.user, form.cleaned_data)
        except ValidationError as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("Employer added."))
            return redirect("employers:employer", employer.pk)
    else:
        messages.error(request, _("Nothing was saved: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("employers:home")


def _profile_of(org: Organisation) -> list[Any]:
    """What the profile form edits beside the organisation's name and city (``core.concurrency``)."""
    profile = type(org).objects.filter(pk=org.pk).values_list(
        "employer_profile__nace_section", "employer_profile__nace_code", "employer_profile__size",
        "employer_profile__website", "employer_profile__description", "employer_profile__languages",
    ).first()  # fmt: skip
    return list(profile or [])


@login_required
@require_http_methods(["GET", "POST"])
def employer(request: HttpRequest, employer_id: int) -> HttpResponse:
    org = _employer(request, employer_id)
    staff = services.is_network_staff(request.user)
    profile = getattr(org, "employer_profile", None)
    partners = [(o.pk, o.name) for o in Organisation.objects.exclude(kind=OrganisationKind.EMPLOYER).order_by("name")]
    action = request.POST.get("action", "")
    bound: dict[str, Any] = {}
    post = request.POST if request.method == "POST" else None
    form_classes = {"location": forms.LocationForm, "contact": forms.ContactForm, "instructor": forms.InstructorForm,
                    "visit": forms.ShadowingForm}  # fmt: skip
    built = {name: cls(post if action == name else None, prefix=name) for name, cls in form_classes.items()}
    built["profile"] = forms.EmployerForm(post if action == "profile" else None, prefix="profile", initial={
        "name": org.name, "city": org.city, "nace_section": getattr(profile, "nace_section", ""),
        "nace_code": getattr(profile, "nace_code", ""), "size": getattr(profile, "size", ""),
        "website": getattr(profile, "website", ""), "description": getattr(profile, "description", ""),
        "languages": getattr(profile, "languages", []),
    })  # fmt: skip
    version_form(built["profile"], org, ["name", "city"], extra=_profile_of)
    built["agreement"] = forms.AgreementForm(
        post if action == "agreement" else None, prefix="agreement", partners=partners
    )
    if request.method == "POST":
        form = built.get(action)
        savers = {
            "location": lambda d: services.add_location(request.user, org, d),
            "contact": lambda d: services.add_contact(request.user, org, d),
            "instructor": lambda d: services.add_instructor(request.user, org, d),
            "visit": lambda d: services.record_shadowing_visit(request.user, org, d),
            "profile": lambda d: services.save_employer(request.user, d, org),
            "agreement": lambda d: services.create_agreement(
                request.user, org, get_object_or_404(Organisation, pk=d["partner"]), d
            ),
        }
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                if action == "profile":
                    with form_unchanged(form, org):
                        savers[action](form.cleaned_data)
                else:
                    savers[action](form.cleaned_data)
            except ValidationError as error:
                refuse(request, error, form)
            else:
                messages.success(request, _("Saved."))
                return redirect("employers:employer", org.pk)
        else:
            messages.error(request, _("Nothing was saved: %(errors)s") % {"errors": form.errors.as_text()})
        bound = {"open": action}
    return render(request, "employers/employer.html", {
        "employer": org, "profile": profile, "staff": staff, "forms": built, **bound,
        "locations": org.employer_locations.all(), "contacts": org.employer_contacts.all(),
        "instructors": org.workplace_instructors.all(),
        "agreements": PartnershipAgreement.objects.filter(employer=org).select_related("partner"),
        "vacancies": Vacancy.objects.filter(employer=org).select_related("location"),
        "visits": ShadowingVisit.objects.filter(host=org),
        "hires": Hire.objects.filter(employer=org).select_related("person", "vacancy") if staff else [],
        "renew_form": forms.RenewForm(),
    }, status=400 if bound else 200)  # fmt: skip


@login_required
@require_POST
def agreement_action(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = get_object_or_404(PartnershipAgreement, pk=agreement_id)
    require_perm(request, "employers.work_with_employers")
    try:
        if request.POST.get("action") == "renew":
            form = forms.RenewForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            services.renew_agreement(request.user, agreement, months=form.cleaned_data["months"])
            messages.success(request, _("The agreement was renewed."))
        else:
            services.end_agreement(request.user, agreement)
            messages.success(request, _("The agreement was ended."))
    except ValidationError as error:
        refuse(request, error)
    return redirect("employers:employer", agreement.employer_id)


# -- vacancies
def _skill_state(request: HttpRequest, vacancy: Vacancy | None) -> dict[str, str]:
    """uri → essential | optional | omit, for the skills listed on the form."""
    if request.method == "POST":
        return {uri: request.POST.get(f"role:{uri}", "omit") for uri in request.POST.getlist("listed")}
    if vacancy is None:
        return {}
    return {s.skill.uri: "essential" if s.essential else "optional" for s in vacancy.skills.select_related("skill")}


@login_required
@require_http_methods(["GET", "POST"])
def vacancy_edit(request: HttpRequest, employer_id: int, vacancy_id: int | None = None) -> HttpResponse:
    org = _employer(request, employer_id)
    vacancy = get_object_or_404(Vacancy, pk=vacancy_id, employer=org) if vacancy_id else None
    language = get_language() or "en"
    locations = [(loc.pk, str(loc)) for loc in org.employer_locations.all()]
    initial: dict[str, Any] = {"language": language, "currency": "PLN", "places": 1}
    if vacancy:
        initial = {f: getattr(vacancy, f) for f in forms.VacancyForm.base_fields if hasattr(vacancy, f)}
        initial["location"] = vacancy.location_id
    action = request.POST.get("action", "")
    form = forms.VacancyForm(request.POST if action == "save" else (request.POST or None) and None, initial=initial,
                             locations=locations)  # fmt: skip
    if request.method == "POST" and action != "save":
        # Picker steps re-show the form with what was typed, without checking it yet.
        form = forms.VacancyForm(initial={**initial, **request.POST.dict()}, locations=locations)
    if vacancy is not None:
        # The version the editor started from travels through the picker steps (core.concurrency).
        versioned(form, request.POST.get("version") or services.vacancy_version(vacancy))
    occupation_uri = request.POST.get("occupation", vacancy.occupation.uri if vacancy else "")
    skills = _skill_state(request, vacancy)
    occupation_hits: list[search.Hit] = []
    skill_hits: list[search.Hit] = []
    status = 200
    if action == "find_occupation":
        occupation_hits = search.search(request.POST.get("occupation_q", ""), kind="occupation", language=language)
        if not occupation_hits:
            messages.info(request, _("No occupation matches; try another word."))
    elif action == "prefill":
        occupation = EscoConcept.objects.filter(uri=occupation_uri, kind="occupation").first()
        if occupation is None:
            messages.error(request, _("Choose an occupation first."))
        else:
            essential, optional = services.occupation_skills(occupation)
            skills = {**{c.uri: "essential" for c in essential}, **{c.uri: "optional" for c in optional}, **{
                u: r for u, r in skills.items() if r != "omit"}}  # fmt: skip
    elif action == "find_skill":
        skill_hits = search.search(request.POST.get("skill_q", ""), kind="skill", language=language)
        for hit in skill_hits:
            skills.setdefault(hit.uri, "omit")
    elif action == "save":
        if form.is_valid():
            values = dict(form.cleaned_data)
            values.pop("version", None)
            values["location"] = org.employer_locations.filter(pk=values["location"]).first()
            values["occupation"] = occupation_uri
            data = services.VacancyInput(
                values=values,
                essential=[u for u, r in skills.items() if r == "essential"],
                optional=[u for u, r in skills.items() if r == "optional"],
                languages=forms.language_rows(request.POST),
            )
            try:
                saved = services.save_vacancy(
                    request.user, org, data, vacancy, expected_version=form.cleaned_data.get("version")
                )
            except ValidationError as error:
                refuse(request, error, form)
                status = 400
            else:
                messages.success(request, _("The vacancy was saved."))
                return redirect("employers:vacancy", saved.pk)
        else:
            messages.error(request, _("Nothing was saved: %(errors)s") % {"errors": form.errors.as_text()})
            status = 400
    concept_ids = dict(EscoConcept.objects.filter(uri__in=[*skills, occupation_uri]).values_list("uri", "pk"))
    labels = preferred_labels(list(concept_ids.values()), language)
    skill_rows = sorted(
        ({"uri": u, "role": r, "label": labels.get(concept_ids.get(u, 0), u), "n": n} for n, (u, r) in enumerate(skills.items())),
        key=lambda row: ({"essential": 0, "optional": 1}.get(str(row["role"]), 2), str(row["label"])),
    )  # fmt: skip
    if vacancy and request.method == "GET":
        lang_rows = [(lang.language, lang.level, lang.required) for lang in vacancy.languages.all()]
    else:
        lang_rows = forms.language_rows(request.POST) if request.method == "POST" else [("pl", "A2", True)]
    lang_rows = (lang_rows + [("", "", False)] * forms.LANGUAGE_ROWS)[: forms.LANGUAGE_ROWS]
    return render(request, "employers/vacancy_form.html", {
        "employer": org, "vacancy": vacancy, "form": form, "occupation_uri": occupation_uri,
        "occupation_label": labels.get(concept_ids.get(occupation_uri, 0), ""), "occupation_hits": occupation_hits,
        "skill_hits": skill_hits, "skill_rows": skill_rows, "lang_rows": list(enumerate(lang_rows)),
        "cefr": forms.CEFR_CHOICES, "languages": language_choices(),
        "occupation_q": request.POST.get("occupation_q", ""), "skill_q": request.POST.get("skill_q", ""),
    }, status=status)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def vacancy(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    v = get_object_or_404(Vacancy.objects.select_related("employer", "location", "occupation"), pk=vacancy_id)
    if not services.manages_employer(request.user, v.employer_id):
        raise Http404
    if request.method == "POST":
        try:
            services.set_vacancy_status(request.user, v, request.POST.get("status", ""))
            messages.success(request, _("The vacancy is now: %(status)s.") % {"status": v.get_status_display()})
        except ValidationError as error:
            refuse(request, error)
        return redirect("employers:vacancy", v.pk)
    language = get_language() or "en"
    essential, optional = selectors.skill_rows(v, language)
    links = registry.capability("matching.links")
    return render(request, "employers/vacancy.html", {
        "v": v, "essential": essential, "optional": optional, "languages": v.languages.all(),
        "occupation": preferred_labels([v.occupation_id], language).get(v.occupation_id, v.occupation.uri),
        "matching_url": links.vacancy_url(v.pk) if links else "",
        "jsonld": jsonld.script(jsonld.job_posting(v, url=request.build_absolute_uri(reverse("employers:job", args=[v.pk])))),
        "statuses": VacancyStatus.choices,
    })  # fmt: skip


def jobs(request: HttpRequest) -> HttpResponse:
    """Public list of open vacancies."""
    q = request.GET.get("q", "")[:100]
    city = request.GET.get("city", "")[:100]
    return render(request, "employers/jobs.html", {"jobs": selectors.search_jobs(q, city)[:100], "q": q, "city": city})


def job(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    """Public page of one open vacancy, with its JobPosting for job-search engines."""
    v = get_object_or_404(selectors.open_vacancies(), pk=vacancy_id)
    language = get_language() or "en"
    essential, optional = selectors.skill_rows(v, language)
    return render(request, "employers/job.html", {
        "v": v, "essential": essential, "optional": optional, "languages": v.languages.all(),
        "occupation": preferred_labels([v.occupation_id], language).get(v.occupation_id, ""),
        "jsonld": jsonld.script(jsonld.job_posting(v, url=request.build_absolute_uri())),
    })  # fmt: skip


# -- recruitment events
@login_required
@require_http_methods(["GET", "POST"])
def events(request: HttpRequest) -> HttpResponse:
    require_perm(request, "employers.work_with_employers")
    form = forms.EventForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            organisers = access.organisations_with_roles(request.user, services.STAFF_ROLES)
            organiser = (
                Organisation.objects.filter(pk__in=organisers)
                .exclude(kind=OrganisationKind.EMPLOYER)
                .order_by("pk")
                .first()
            )
            try:
                event = services.create_event(request.user, organiser, form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                refuse(request, error, form)
                status = 400
            else:
                return redirect("employers:event", event.pk)
        else:
            messages.error(request, _("Nothing was saved: %(errors)s") % {"errors": form.errors.as_text()})
            status = 400
    return render(
        request, "employers/events.html", {"events": RecruitmentEvent.objects.all()[:100], "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def event(request: HttpRequest, event_id: int) -> HttpResponse:
    ev = get_object_or_404(RecruitmentEvent, pk=event_id)
    staff = services.is_network_staff(request.user)
    own = services.employers_of(request.user)
    if not staff and not ev.employers.filter(employer_id__in=own).exists():
        raise Http404
    employers = [(o.pk, o.name) for o in (selectors.employers_for(request.user))]
    vacancies = [
        (v.pk, f"{v.employer.name}: {v.title}")
        for v in Vacancy.objects.filter(employer_id__in=[e for e, _n in employers]).select_related("employer")
    ]
    action = request.POST.get("action", "")
    add_form = forms.EventEmployerForm(request.POST if action == "employer" else None, employers=employers, vacancies=vacancies,
                                       initial={"slots_from": ev.starts_at, "slots_until": ev.ends_at})  # fmt: skip
    status = 200
    if request.method == "POST":
        try:
            if action == "employer":
                if not add_form.is_valid():
                    raise ValidationError(add_form.errors.as_text())
                d = add_form.cleaned_data
                services.add_event_employer(
                    request.user, ev, get_object_or_404(Organisation, pk=d["employer"]),
                    vacancies=Vacancy.objects.filter(pk__in=d["vacancies"]), slot_minutes=d["slot_minutes"],
                    slots_from=d["slots_from"], slots_until=d["slots_until"],
                )  # fmt: skip
            elif action == "register":
                person = person_or_404(request, int(request.POST.get("person", "0") or 0))
                services.register_person(request.user, ev, person)
            elif action == "book":
                slot = get_object_or_404(InterviewSlot, pk=request.POST.get("slot"), event=ev)
                registration = get_object_or_404(EventRegistration, pk=request.POST.get("registration"), event=ev)
                services.book_slot(request.user, slot, registration)
            elif action == "outcome":
                registration = get_object_or_404(EventRegistration, pk=request.POST.get("registration"), event=ev)
                form = forms.OutcomeForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(form.errors.as_text())
                services.record_outcome(request.user, registration, attended=form.cleaned_data["attended"],
                                        outcome=form.cleaned_data["outcome"])  # fmt: skip
            else:
                raise Http404
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, add_form if action == "employer" else None)
            status = 400
        else:
            messages.success(request, _("Saved."))
            return redirect("employers:event", ev.pk)
    slots = ev.slots.select_related("employer", "registration", "vacancy")
    registrations = ev.registrations.all()
    if not staff:
        slots = slots.filter(employer_id__in=own)
        registrations = registrations.filter(slots__employer_id__in=own).distinct()
    listed = list(registrations)
    people = [r.person for r in listed if r.person is not None]
    audit.record_list(request.user, people, channel=Channel.UI, purpose="recruitment_event")
    clients = (
        Person.objects.filter(access.people_visible_to(request.user)).order_by("family_name")[:200] if staff else []
    )
    return render(request, "employers/event.html", {
        "ev": ev, "staff": staff, "slots": slots, "registrations": listed, "add_form": add_form,
        "participants": ev.employers.select_related("employer").prefetch_related("vacancies"), "clients": clients,
        "outcome_form": forms.OutcomeForm(), "open_slots": [s for s in slots if s.status == SlotStatus.OPEN],
    }, status=status)  # fmt: skip


@require_http_methods(["GET", "POST"])
def event_public(request: HttpRequest, event_id: int) -> HttpResponse:
    """The public page of an event: what, where, which employers and jobs; job seekers register here."""
    ev = get_object_or_404(RecruitmentEvent, pk=event_id)
    form = forms.SelfRegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.register_self(ev, language=get_language() or "", **form.cleaned_data)
            except ValidationError as error:
                refuse(request, error, form)
                status = 400
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, _("You are registered. The organisers will contact you."))
                return redirect("employers:event_public", ev.pk)
        else:
            status = 400
    participants = ev.employers.select_related("employer").prefetch_related("vacancies")
    return render(
        request, "employers/event_public.html", {"ev": ev, "form": form, "participants": participants}, status=status
    )


# -- information package, good practices
def articles(request: HttpRequest) -> HttpResponse:
    language = get_language() or "en"
    rows = [
        (a, translations.texts(services.MODULE, "article", a.pk, language))
        for a in Article.objects.filter(published=True)
    ]
    return render(request, "employers/articles.html", {"articles": rows})


def article(request: HttpRequest, key: str) -> HttpResponse:
    a = get_object_or_404(Article, key=key, published=True)
    language = get_language() or "en"
    texts = translations.texts(services.MODULE, "article", a.pk, language)
    case_url = ""
    if a.navigator_case and registry.capability("navigator.work_rights"):
        from urllib.parse import urlencode

        case_url = reverse("navigator:case", args=["employer"]) + "?" + urlencode(a.navigator_case)
    template = "employers/article_print.html" if request.GET.get("view") == "print" else "employers/article.html"
    return render(request, template, {"a": a, "texts": texts, "case_url": case_url, "language": language})


@login_required
@require_http_methods(["GET", "POST"])
def practices(request: HttpRequest) -> HttpResponse:
    require_perm(request, "employers.work_with_employers")
    form = forms.PracticeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_good_practice(request.user, {**form.cleaned_data, "language": get_language()})
            except ValidationError as error:
                refuse(request, error, form)
                status = 400
            else:
                messages.success(request, _("Saved."))
                return redirect("employers:practices")
        else:
            status = 400
    q = request.GET.get("q", "")[:100]
    rows = GoodPractice.objects.all()
    if q:
        rows = rows.filter(title__icontains=q) | rows.filter(summary__icontains=q)
    return render(request, "employers/practices.html", {"practices": rows, "form": form, "q": q}, status=status)


# -- hires
@login_required
@require_http_methods(["GET", "POST"])
def hire_new(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    require_perm(request, "core.change_person", person)
    employers = [(o.pk, o.name) for o in Organisation.objects.filter(kind=OrganisationKind.EMPLOYER).order_by("name")]
    form = forms.HireForm(request.POST or None)
    employer_id = request.POST.get("employer") or request.GET.get("employer") or ""
    vacancy_id = request.POST.get("vacancy") or request.GET.get("vacancy") or ""
    status = 200
    if request.method == "POST":
        employer = Organisation.objects.filter(
            pk=employer_id if employer_id.isdigit() else 0, kind=OrganisationKind.EMPLOYER
        ).first()
        vac = Vacancy.objects.filter(pk=vacancy_id).first() if vacancy_id.isdigit() else None
        if not form.is_valid() or employer is None:
            messages.error(
                request,
                _("Nothing was saved: %(errors)s") % {"errors": form.errors.as_text() or _("Choose an employer.")},
            )
            status = 400
        else:
            try:
                hire = services.record_hire(request.user, person, employer, vacancy=vac, **form.cleaned_data)
            except ValidationError as error:
                refuse(request, error, form)
                status = 400
            else:
                messages.success(request, _("The hire was recorded; follow-ups are due at 3 and 6 months."))
                return redirect("employers:hire", hire.pk)
    return render(request, "employers/hire_form.html", {"person": person, "form": form, "employers": employers,
                                                        "employer_id": employer_id, "vacancy_id": vacancy_id}, status=status)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def hire(request: HttpRequest, hire_id: int) -> HttpResponse:
    h = get_object_or_404(Hire.objects.select_related("employer", "vacancy"), pk=hire_id)
    person = person_or_404(request, h.person_id)
    require_perm(request, "core.change_person", person)
    form = forms.FollowUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        follow_up = get_object_or_404(FollowUp, pk=request.POST.get("follow_up"), hire=h)
        if form.is_valid():
            try:
                services.record_follow_up(request.user, follow_up, **form.cleaned_data)
            except ValidationError as error:
                refuse(request, error, form)
                status = 400
            else:
                messages.success(request, _("Saved."))
                return redirect("employers:hire", h.pk)
        else:
            status = 400
    audit.record(request.user, AuditAction.READ, channel=Channel.UI, person=person, obj=h, purpose="employment")
    return render(
        request,
        "employers/hire.html",
        {"h": h, "person": person, "form": form, "follow_ups": h.follow_ups.all()},
        status=status,
    )
