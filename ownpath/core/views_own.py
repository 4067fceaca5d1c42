"""What a person does about their own record from their own account: withdraw a consent, download their data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ownpath.core import selectors
from ownpath.core.models import Consent, Person
from ownpath.core.services import consent as consent_service

# Stored as a code, not prose: staff read the withdrawal in their own language.
SELF_SERVICE = "self_service"


def _own_person(request: HttpRequest) -> Person:
    person = selectors.own_record(request.user)
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a record yet."))
    return person


def _back() -> HttpResponse:
    from django.urls import NoReverseMatch, reverse

    try:
        return redirect(reverse("portal:me") + "#consents")
    except NoReverseMatch:
        return redirect("core:home")


@login_required
@require_POST
def own_consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    person = _own_person(request)
    consent = get_object_or_404(Consent, pk=consent_id, person=person)
    try:
        consent_service.withdraw_consent(request.user, consent, evidence=SELF_SERVICE)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your consent is withdrawn. Nothing more is shared on its basis."))
    return _back()
