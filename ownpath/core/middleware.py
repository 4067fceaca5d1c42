"""Staff must have a second factor: until they set up TOTP, every page leads to its set-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ownpath.core import access

# Sign-in, the second factor's own set-up, static files, health and the language switch stay reachable.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/", "/favicon")
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
        if needs_check and user is not None and not access.is_staff_account(user):
            # A migrant's own account (``Person.account``) reaches only their own data; no second factor.
            needs_check = False
        if needs_check:
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                if request.path.startswith("/api/"):
                    message = _("Set up your second factor before using the API.")
                    body = {"error": {"code": "second_factor_required", "message": message, "details": []}}
                    return JsonResponse(body, status=403)
                return redirect("mfa_activate_totp")
            request.session[_SESSION_KEY] = True
        return self.get_response(request)


class ApiErrorShapeMiddleware:
    """Answers the API gives without raising (a wrong method) get the API's one JSON error shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code == 405
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            from ownpath.core.views import api_error

            shaped = api_error(405)
            if "Allow" in response:
                shaped["Allow"] = response["Allow"]
            return shaped
        return response


class RefusedInputMiddleware:
    """Bad input never reaches a person as a 500, whichever view it went through (docs/api.md, docs/concurrency.md).

    A model's own guard (``core.validators.check_instance``, run on every save), a service's rule or the
    database itself may refuse a value that a view did not check: an implausible date, a value too long
    for its column, a character the database cannot store. A view that catches ``ValidationError`` shows
    it on its form; for every other view this answers with the refusal in the reader's language, status
    400. The refused save itself wrote nothing (the guard runs before the row is written, and services
    write in one transaction, rolled back by the exception before this runs).
    The API has its own handlers (422 in the one JSON error shape, ``ownpath/api.py``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.core.exceptions import ValidationError
        from django.db import DataError
        from django.shortcuts import render

        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, ValidationError):
            problems = _refusals(exception)
        elif isinstance(exception, DataError) or _is_unstorable_text(exception):
            problems = [_("A value is too long, or holds a character that cannot be stored.")]
        else:
            return None
        return render(request, "core/refused.html", {"problems": problems}, status=400)


def _refusals(error: Any) -> list[str]:
    if hasattr(error, "error_dict"):
        return [" ".join(str(m) for m in messages) for messages in error.message_dict.values()]
    return [str(m) for m in error.messages]


def _is_unstorable_text(exception: Exception) -> bool:
    """psycopg refuses a NUL character in text before PostgreSQL sees it (a ValueError)."""
    return isinstance(exception, ValueError) and "NUL" in str(exception)
