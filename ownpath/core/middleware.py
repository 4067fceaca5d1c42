"""Staff must have a second factor: until they set up TOTP, every page leads to its set-up."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/", "/api/", "/favicon")
_SESSION_KEY = "ownpath_has_second_factor"


class StaffSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        needs_check = (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not request.session.get(_SESSION_KEY)
        )
        if needs_check:
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                return redirect("mfa_activate_totp")
            request.session[_SESSION_KEY] = True
        return self.get_response(request)
