"""Pages of the booking module: the public booking flow (no account needed), staff pages, CVs.

Views are thin: they read through selectors, write through services, and show a refused write as a
message in the reader's language with nothing saved.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ownpath.core import access
from ownpath.core import selectors as core_selectors
from ownpath.core.choices import AuditAction, Channel, Role
from ownpath.core.concurrency import form_unchanged, version_form
from ownpath.core.languages import LANGUAGE_CODES, language_choices, language_name
from ownpath.core.models import Organisation, Person, User
from ownpath.core.services import audit
from ownpath.core.views import nothing_saved, person_or_404, refuse, require_perm
from ownpath.modules.booking import links, selectors, services
from ownpath.modules.booking.availability import Slot, find_slots
from ownpath.modules.booking.choices import EmployerAnswer
from ownpath.modules.booking.forms import (
    AnswerForm,
    ContactForm,
    CVForm,
    HoursForm,
    ProfileForm,
    ServiceForm,
    TimeOffForm,
    WaitForm,
    valid_zone,
    zone_choices,
)
from ownpath.modules.booking.models import CV, BookableService, Booking, CVSending, TimeOff, WeeklyHours

UI = Channel.UI


def _language(request: HttpRequest) -> str:
    code = request.GET.get("language") or request.POST.get("language") or get_language() or "en"
    return code if code in LANGUAGE_CODES else (get_language() or "en")


def _zone(request: HttpRequest) -> str:
    return valid_zone(request.GET.get("tz") or request.POST.get("tz") or "")


def _week(request: HttpRequest) -> date:
    today = timezone.localdate()
    try:
        week = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        week = today
    return max(week, today)


def _group(slots: list[Slot], zone: str) -> list[tuple[date, list[tuple[datetime, Slot]]]]:
    """One choice per start time (the best slot at it), grouped by the reader's calendar day."""
    tz = zoneinfo.ZoneInfo(zone)
    best: dict[datetime, Slot] = {}
    for slot in slots:
        best.setdefault(slot.start, slot)
    days: dict[date, list[tuple[datetime, Slot]]] = {}
    for start, slot in sorted(best.items()):
        local = start.astimezone(tz)
        days.setdefault(local.date(), []).append((local, slot))
    return list(days.items())


def _person_param(request: HttpRequest) -> Person | None:
    raw = request.GET.get("person") or request.POST.get("person") or ""
    if not raw.isdigit() or not request.user.is_authenticated:
        return None
    return person_or_404(request, int(raw))


def _booked_for(request: HttpRequest) -> Person | None:
    """Whom a booking is for: the person staff chose (``?person=``), or the signed-in person's own record,
    so that what they book shows in their own space."""
    if not request.user.is_authenticated or access.is_staff_account(request.user):
        return _person_param(request)
    return core_selectors.own_record(request.user)


def _week_context(
    request: HttpRequest, service: BookableService, language: str, ignore: int | None = None
) -> dict[str, Any]:
    week = _week(request)
    zone = _zone(request)
    staff_booking = request.user.is_authenticated and services.is_staff_of(request.user, service.organisation_id)
    slots = find_slots(
        service,
        language=language,
        start=week,
        end=week + timedelta(days=6),
        ignore_booking=ignore,
        check_notice=not staff_booking,
        distinct_times=True,
    )
    params = {k: v for k, v in request.GET.items() if k != "week"}
    params.update({"language": language, "tz": zone})
    return {
        "service": service,
        "language": language,
        "language_label": language_name(language),
        "zone": zone,
        "zones": zone_choices(),
        "languages": language_choices(),
        "days": _group(slots, zone),
        "week": week,
        "week_end": week + timedelta(days=6),
        "next_week": "?" + urlencode({**params, "week": (week + timedelta(days=7)).isoformat()}),
        "previous_week": "?" + urlencode({**params, "week": (week - timedelta(days=7)).isoformat()})
        if week > timezone.localdate()
        else "",
        "params": params,
    }


# --- The public booking flow -------------------------------------------------------------------------


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "booking/start.html",
        {
            "organisations": selectors.bookable_by_organisation(),
            "language": _language(request),
            "languages": language_choices(),
            "person": _person_param(request),
        },
    )


@require_GET
def slots(request: HttpRequest, service_id: int) -> HttpResponse:
    service = get_object_or_404(BookableService, pk=service_id, is_active=True)
    context = _week_context(request, service, _language(request))
    context["person"] = _person_param(request)
    return render(request, "booking/slots.html", context)


def _chosen(request: HttpRequest) -> tuple[datetime | None, int | None]:
    raw = request.GET.get("start") or request.POST.get("start") or ""
    moment = parse_datetime(raw.replace(" ", "+"))
    if moment is not None and timezone.is_naive(moment):
        moment = None
    staff = request.GET.get("staff") or request.POST.get("staff") or ""
    return moment, int(staff) if staff.isdigit() else None


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, service_id: int) -> HttpResponse:
    service = get_object_or_404(BookableService, pk=service_id, is_active=True)
    language = _language(request)
    zone = _zone(request)
    moment, staff_id = _chosen(request)
    person = _booked_for(request)
    if moment is None:
        messages.error(request, _("Choose a time first."))
        return redirect(reverse("booking:slots", args=[service.pk]) + "?" + urlencode({"language": language}))
    initial: dict[str, Any] = {}
    if person is not None:
        initial = {"name": person.display_name, "email": person.email, "phone": person.phone}
    form = ContactForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                booking = services.book(
                    request.user,
                    service,
                    start=moment,
                    language=language,
                    contact=services.Contact(data["name"], data["email"], data["phone"], zone),
                    topic=data["topic"],
                    person=person,
                    staff_id=staff_id,
                    channel=UI,
                )
            except (ValidationError, PermissionDenied) as error:
                refuse(request, error, form)
                status = 400
            else:
                messages.success(request, _("Your appointment is booked. Keep this page's address to change it."))
                return redirect("booking:manage", token=links.manage_token(booking))
        else:
            messages.error(request, nothing_saved(form))
            status = 400
    return render(
        request,
        "booking/confirm.html",
        {
            "service": service,
            "form": form,
            "moment": services.local_time(moment, zone),
            "start_value": moment.isoformat(),
            "staff_id": staff_id or "",
            "language": language,
            "language_label": language_name(language),
            "zone": zone,
            "person": person,
        },
        status=status,
    )


def _booking_from_link(token: str) -> Booking:
    uid = links.read_manage_token(token)
    booking = Booking.objects.select_related("service", "organisation", "staff", "interpreter").filter(uid=uid).first()
    if booking is None:
        raise links.LinkError(_("This appointment no longer exists."))
    return booking


def _link_error(request: HttpRequest, error: links.LinkError) -> HttpResponse:
    return render(request, "booking/link_error.html", {"message": str(error)}, status=410)


@require_GET
def manage(request: HttpRequest, token: str) -> HttpResponse:
    try:
        booking = _booking_from_link(token)
    except links.LinkError as error:
        return _link_error(request, error)
    audit.record(
        None,
        AuditAction.READ,
        channel=UI,
        person_id=booking.person_id,
        organisation_id=booking.organisation_id,
        obj=booking,
        purpose="link",
    )
    return render(
        request,
        "booking/manage.html",
        {
            "booking": booking,
            "token": token,
            "details": services.describe(booking).splitlines(),
            "when": services.local_time(booking.starts_at, booking.time_zone),
        },
    )


@require_GET
def invitation_file(request: HttpRequest, token: str) -> HttpResponse:
    try:
        booking = _booking_from_link(token)
    except links.LinkError as error:
        return _link_error(request, error)
    method = "REQUEST" if booking.is_active else "CANCEL"
    response = HttpResponse(
        services.invitation(booking, method), content_type=f"text/calendar; charset=utf-8; method={method}"
    )
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response


@require_POST
def cancel_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        booking = _booking_from_link(token)
        services.cancel(None, booking, reason=request.POST.get("reason", "")[:300], via_link=True, channel=UI)
    except links.LinkError as error:
        return _link_error(request, error)
    except ValidationError as error:
        messages.error(request, nothing_saved(error))
        return redirect("booking:manage", token=token)
    messages.success(request, _("Your appointment is cancelled."))
    return render(request, "booking/cancelled.html", {"booking": booking})


@require_http_methods(["GET", "POST"])
def reschedule_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        booking = _booking_from_link(token)
    except links.LinkError as error:
        return _link_error(request, error)
    if request.method == "POST":
        moment, staff_id = _chosen(request)
        try:
            if moment is None:
                raise ValidationError(_("Choose a time first."))
            booking = services.reschedule(None, booking, start=moment, staff_id=staff_id, via_link=True, channel=UI)
        except ValidationError as error:
            messages.error(request, nothing_saved(error))
        else:
            messages.success(request, _("Your appointment has moved. We sent the new details."))
            return redirect("booking:manage", token=links.manage_token(booking))
    if "tz" not in request.GET:
        query = request.GET.copy()
        query["tz"] = booking.time_zone
        request.GET = query  # type: ignore[assignment]
    context = _week_context(request, booking.service, booking.language, ignore=booking.pk)
    context.update({"booking": booking, "token": token})
    return render(request, "booking/reschedule.html", context)


@require_http_methods(["GET", "POST"])
def waiting_list(request: HttpRequest, service_id: int) -> HttpResponse:
    service = get_object_or_404(BookableService, pk=service_id, is_active=True)
    language = _language(request)
    person = _person_param(request)
    today = timezone.localdate()
    form = WaitForm(request.POST or None, initial={"earliest": today, "latest": today + timedelta(days=30)})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.join_waiting_list(
                    request.user,
                    service,
                    language=language,
                    contact=services.Contact(data["name"], data["email"], data["phone"]),
                    earliest=data["earliest"],
                    latest=data["latest"],
                    person=person,
                    channel=UI,
                )
            except (ValidationError, PermissionDenied) as error:
                refuse(request, error, form)
            else:
                messages.success(request, _("You are on the waiting list. We will write as soon as a time is free."))
                return redirect("booking:start")
        else:
            messages.error(request, nothing_saved(form))
    return render(
        request,
        "booking/waiting.html",
        {
            "service": service,
            "form": form,
            "language": language,
            "language_label": language_name(language),
            "person": person,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        _entry, moment = links.read_offer_token(token)
    except links.LinkError as error:
        return _link_error(request, error)
    if request.method == "POST":
        try:
            booking = services.take_offer(token, channel=UI)
        except links.LinkError as error:
            return _link_error(request, error)
        except ValidationError as error:
            messages.error(request, nothing_saved(error))
            return redirect("booking:start")
        messages.success(request, _("Your appointment is booked. Keep this page's address to change it."))
        return redirect("booking:manage", token=links.manage_token(booking))
    return render(request, "booking/offer.html", {"when": services.local_time(moment, "")})


@require_http_methods(["GET", "POST"])
def cv_drop(request: HttpRequest) -> HttpResponse:
    organisations = services.cv_organisations()
    own = getattr(request.user, "person", None) if request.user.is_authenticated else None
    initial: dict[str, Any] = {"language": get_language()}
    if own is not None:
        initial.update(
            {
                "name": own.display_name,
                "email": own.email or getattr(request.user, "email", ""),
                "phone": own.phone,
                "organisation": own.organisation_id,
            }
        )
    form = CVForm(request.POST or None, request.FILES or None, organisations=organisations, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.drop_cv(
                    request.user,
                    data["organisation"],
                    file=data["file"],
                    filename=data["file"].name,
                    language=data["language"],
                    contact=services.Contact(data["name"], data["email"], data["phone"]),
                    message=data["message"],
                    person=own,
                    channel=UI,
                )
            except ValidationError as error:
                refuse(request, error, form)
            else:
                messages.success(request, _("Thank you: your CV was received. A counsellor will contact you."))
                return redirect("booking:start")
        else:
            messages.error(request, nothing_saved(form))
    return render(
        request, "booking/cv_drop.html", {"form": form, "own": own}, status=400 if request.method == "POST" else 200
    )


@require_POST
@login_required
def cv_from_profile(request: HttpRequest) -> HttpResponse:
    own = getattr(request.user, "person", None)
    person = own if own is not None else _person_param(request)
    if person is None:
        raise Http404
    try:
        cv = services.build_cv_from_profile(request.user, person, person.organisation, channel=UI)
    except (ValidationError, PermissionDenied) as error:
        refuse(request, error)
    else:
        messages.success(
            request,
            _("A CV was made from the profile and left with %(organisation)s.")
            % {"organisation": cv.organisation.name},
        )
    if own is None:
        return redirect(reverse("core:person", args=[person.pk]) + "?tab=appointments")
    return redirect("booking:cv_drop")


# --- Staff pages -------------------------------------------------------------------------------------


def _orgs(request: HttpRequest, roles: Any = access.CASEWORK_ROLES) -> list[Organisation]:
    ids = access.organisations_with_roles(request.user, roles)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


@login_required
@require_GET
def appointments(request: HttpRequest) -> HttpResponse:
    require_perm(request, "booking.view_appointments")
    upcoming, recent = selectors.appointments_for(request.user)
    audit.record_list(request.user, [b.person for b in [*upcoming, *recent] if b.person is not None], channel=UI)
    return render(
        request, "booking/appointments.html", {"upcoming": upcoming, "recent": recent, "sides": services.Side.choices}
    )


@login_required
@require_POST
def appointment_action(request: HttpRequest, booking_id: int, action: str) -> HttpResponse:
    booking = get_object_or_404(Booking.objects.select_related("service"), pk=booking_id)
    require_perm(request, "booking.view_booking", booking)
    try:
        if action == "attended":
            services.record_attendance(request.user, booking, attended=True, channel=UI)
        elif action == "missed":
            services.record_attendance(
                request.user, booking, attended=False, missed_by=request.POST.get("missed_by", ""), channel=UI
            )
        elif action == "cancel":
            services.cancel(request.user, booking, reason=request.POST.get("reason", "")[:300], channel=UI)
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as error:
        refuse(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect("booking:appointments")


@login_required
@require_http_methods(["GET", "POST"])
def hours(request: HttpRequest) -> HttpResponse:
    require_perm(request, "booking.set_hours")
    user = cast(User, request.user)
    organisations = _orgs(request, set(Role.values))
    profile = services.profile_of(user)
    profile_form = ProfileForm(
        initial={
            "languages": profile.languages,
            "time_zone": profile.time_zone,
            "is_interpreter": profile.is_interpreter,
        }
    )
    hours_form = HoursForm(organisations=organisations)
    off_form = TimeOffForm(organisations=organisations)
    status = 200
    if request.method == "POST":
        what = request.POST.get("form")
        try:
            if what == "profile":
                profile_form = ProfileForm(request.POST)
                if not profile_form.is_valid():
                    raise ValidationError(profile_form.errors.get_json_data() and _("Check the marked fields."))
                services.save_profile(request.user, **profile_form.cleaned_data)
            elif what == "hours":
                hours_form = HoursForm(request.POST, organisations=organisations)
                if not hours_form.is_valid():
                    raise ValidationError(_("Check the marked fields."))
                data = dict(hours_form.cleaned_data)
                services.add_hours(user, user, data.pop("organisation"), data)
            elif what == "time_off":
                off_form = TimeOffForm(request.POST, organisations=organisations)
                if not off_form.is_valid():
                    raise ValidationError(_("Check the marked fields."))
                services.add_time_off(user, user, off_form.cleaned_data)
            elif what == "delete_hours":
                services.delete_hours(request.user, get_object_or_404(WeeklyHours, pk=request.POST.get("id", 0)))
            elif what == "delete_time_off":
                services.delete_time_off(request.user, get_object_or_404(TimeOff, pk=request.POST.get("id", 0)))
            else:
                raise Http404
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, profile_form, hours_form, off_form)
            status = 400
        else:
            messages.success(request, _("Saved."))
            return redirect("booking:hours")
    return render(
        request,
        "booking/hours.html",
        {
            "profile_form": profile_form,
            "hours_form": hours_form,
            "off_form": off_form,
            "my_hours": WeeklyHours.objects.filter(user=user).select_related("organisation", "service"),
            "my_time_off": TimeOff.objects.filter(user=user, ends_at__gte=timezone.now()),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def services_page(request: HttpRequest, service_id: int | None = None) -> HttpResponse:
    require_perm(request, "booking.manage_services")
    organisations = _orgs(request, {Role.ORG_ADMIN})
    service = get_object_or_404(BookableService, pk=service_id, organisation__in=organisations) if service_id else None
    form = ServiceForm(request.POST or None, instance=service)
    version_form(form, service)
    chosen = request.POST.get("organisation", "")
    if request.method == "POST":
        organisation = (
            service.organisation if service else next((o for o in organisations if str(o.pk) == chosen), None)
        )
        try:
            if organisation is None:
                raise ValidationError(_("Choose the organisation."))
            if not form.is_valid():
                raise ValidationError(_("Check the marked fields."))
            with form_unchanged(form, service) as stored:
                values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
                services.save_service(request.user, organisation, values, stored)
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("booking:services")
    return render(
        request,
        "booking/services.html",
        {
            "form": form,
            "service": service,
            "organisations": organisations,
            "services": BookableService.objects.filter(organisation__in=organisations).select_related("organisation"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    require_perm(request, "booking.view_appointments")
    days = 90
    rows = services.attendance_statistics(
        access.organisations_with_roles(request.user, access.CASEWORK_ROLES), timezone.now() - timedelta(days=days)
    )
    return render(request, "booking/stats.html", {"rows": rows, "days": days})


@login_required
@require_GET
def cvs(request: HttpRequest) -> HttpResponse:
    require_perm(request, "booking.view_cvs")
    found = selectors.cvs_for(request.user)
    audit.record_list(request.user, [cv.person for cv in found if cv.person is not None], channel=UI)
    return render(request, "booking/cvs.html", {"cvs": found})


@login_required
@require_http_methods(["GET", "POST"])
def cv_detail(request: HttpRequest, cv_id: int) -> HttpResponse:
    cv = get_object_or_404(CV.objects.select_related("organisation", "person", "counsellor"), pk=cv_id)
    require_perm(request, "booking.view_cv", cv)
    if request.method == "POST":
        what = request.POST.get("form")
        try:
            if what == "status":
                services.update_cv(request.user, cv, status=request.POST.get("status", ""), channel=UI)
            elif what == "person":
                raw = request.POST.get("person", "")
                person = person_or_404(request, int(raw)) if raw.isdigit() else None
                if person is None:
                    raise ValidationError(_("Choose the person."))
                services.update_cv(request.user, cv, person=person, channel=UI)
            elif what == "review":
                raw = request.POST.get("booking", "")
                found = Booking.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
                if found is None:
                    raise ValidationError(_("Choose the appointment."))
                services.update_cv(request.user, cv, review_booking=found, channel=UI)
            elif what == "send":
                employers = list(
                    Organisation.objects.filter(
                        pk__in=[int(v) for v in request.POST.getlist("employers") if v.isdigit()]
                    )
                )
                services.send_cv(request.user, cv, employers, channel=UI)
            elif what == "answer":
                sending = get_object_or_404(CVSending, pk=request.POST.get("sending", 0), cv=cv)
                services.answer_cv(
                    request.user,
                    sending,
                    answer=request.POST.get("answer", ""),
                    note=request.POST.get("note", ""),
                    channel=UI,
                )
            else:
                raise Http404
        except (ValidationError, PermissionDenied) as error:
            refuse(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect("booking:cv", cv_id=cv.pk)
    audit.record(
        request.user, AuditAction.READ, channel=UI, person_id=cv.person_id, organisation_id=cv.organisation_id, obj=cv
    )
    return render(request, "booking/cv.html", selectors.cv_context(request.user, cv))


@login_required
@require_GET
def cv_file(request: HttpRequest, cv_id: int) -> HttpResponse:
    cv = get_object_or_404(CV, pk=cv_id)
    require_perm(request, "booking.view_cv", cv)
    return _file_response(services.cv_file(request.user, cv, channel=UI), cv)


def _file_response(data: bytes, cv: CV) -> HttpResponse:
    response = HttpResponse(data, content_type=cv.content_type)
    response["Content-Disposition"] = f'attachment; filename="{cv.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def received(request: HttpRequest) -> HttpResponse:
    require_perm(request, "booking.view_received_cvs")
    sendings = selectors.received_for(request.user)
    audit.record_list(
        request.user, [s.cv.person for s in sendings if s.cv.person is not None], channel=UI, purpose="cv_to_employer"
    )
    return render(request, "booking/received.html", {"sendings": sendings, "form": AnswerForm()})


@login_required
@require_http_methods(["GET", "POST"])
def received_item(request: HttpRequest, sending_id: int) -> HttpResponse:
    sending = get_object_or_404(
        CVSending.objects.select_related("cv", "employer"), pk=sending_id, withdrawn_at__isnull=True
    )
    require_perm(request, "booking.answer_cv", sending)
    if request.method == "GET":
        return _file_response(services.received_cv_file(request.user, sending, channel=UI), sending.cv)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose an answer."))
        services.answer_cv(
            request.user, sending, answer=form.cleaned_data["answer"], note=form.cleaned_data["note"], channel=UI
        )
    except (ValidationError, PermissionDenied) as error:
        refuse(request, error)
    else:
        messages.success(request, _("Thank you: your answer was sent to the centre."))
    return redirect("booking:received")


def person_tab(request: HttpRequest, person: Person) -> dict[str, Any]:
    bookings = list(
        Booking.objects.filter(person=person)
        .select_related("service", "staff", "interpreter")
        .order_by("-starts_at")[:30]
    )
    person_cvs = list(CV.objects.filter(person=person).prefetch_related("sendings__employer"))
    audit.record_read(request.user, person, channel=UI, fields=["bookings", "cvs"])
    return {
        "bookings": bookings,
        "person_cvs": person_cvs,
        "services": BookableService.objects.filter(is_active=True).select_related("organisation"),
        "answers": EmployerAnswer,
    }
