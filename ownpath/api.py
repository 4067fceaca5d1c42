"""The JSON API at /api/v1/: core's routers and those of the enabled modules, one error shape."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from ownpath.core import uploads
from ownpath.core.api import PreconditionRequired
from ownpath.core.api_contract import ContractAPI, permission_first
from ownpath.core.concurrency import StaleEdit
from ownpath.core.models import ApiToken
from ownpath.core.registry import registry


def _sends_authorization(request: HttpRequest) -> bool:
    return bool(request.headers.get("Authorization", "").strip())


class CsrfFailed(HttpError):
    """A signed-in browser's unsafe request without the CSRF token: refused before anything is read."""

    def __init__(self) -> None:
        super().__init__(403, "csrf_failed")


class SessionAuth(APIKeyCookie):
    """The signed-in browser's session cookie. Such a request is sent by a browser that may be on any
    page, so every unsafe one (POST, PATCH, PUT, DELETE) must carry the CSRF token (``X-CSRFToken``
    header with the ``csrftoken`` cookie's value), checked only once the session has named a user.

    A request with an ``Authorization`` header is not a browser's ambient credential: it is left to
    ``TokenAuth`` alone, never checked for CSRF and never signed in by a cookie that happens to ride
    along (a wrong token is a 401, not a fallback to the session)."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if _sends_authorization(request) or key is None:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise CsrfFailed
        return user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer op_...``; only the token's hash is stored. A script holds the token, no
    browser sends it by itself, so token requests never need a CSRF token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(token)).first()
        if found is None or not found.user.is_active:
            return None
        if found.expires_at is not None and found.expires_at <= timezone.now():
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class LimitedJsonParser(Parser):
    """Request bodies as JSON with the upload limits: the size Django accepts, at most 64 levels deep (a
    deeper body is refused before it is parsed; django-ninja answers 400 in the one error shape)."""

    def parse_body(self, request: HttpRequest) -> Any:
        return uploads.load_json(request.body, max_bytes=settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440)


# The interactive documentation is served from django-ninja's own static files (no CDN); Swagger UI sets
# inline styles, so its page alone may use them.
DOCS_CSP: dict[str, Any] = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}

api = ContractAPI(
    title="ownpath API",
    version="1",
    description="People, consent and the modules' resources. Sign in (session) or send `Authorization: Bearer <token>`.",
    urls_namespace="api",
    auth=[SessionAuth(), TokenAuth()],
    docs_url="/docs",
    docs_decorator=csp_override(DOCS_CSP),
    openapi_url="/openapi.json",
    parser=LimitedJsonParser(),
)
# Every operation checks permission before it looks at an invalid body or query (ownpath/core/api_contract.py).
api.add_decorator(permission_first, mode="view")


def error(request: HttpRequest, status: int, code: str, message: str, details: Any = None) -> HttpResponse:
    """Every API error has this one shape: ``{"error": {"code", "message", "details"}}``."""
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details or []}}, status=status
    )


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "payload", "query")),
            "message": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    return error(request, 422, "invalid", _("The request has invalid values."), details)


@api.exception_handler(DjangoValidationError)
def _django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        details = [{"field": f, "message": " ".join(m)} for f, m in exc.message_dict.items()]
    else:
        details = [{"field": "", "message": m} for m in exc.messages]
    return error(request, 422, "invalid", _("The request has invalid values."), details)


@api.exception_handler(StaleEdit)
def _stale(request: HttpRequest, exc: StaleEdit) -> HttpResponse:
    """A change made from an old version (``If-Match``): 412 with what the other save changed."""
    response = error(request, 412, "stale", exc.messages[0], exc.as_details())
    response["ETag"] = f'"{exc.version}"'
    return response


@api.exception_handler(PreconditionRequired)
def _precondition_required(request: HttpRequest, exc: PreconditionRequired) -> HttpResponse:
    """A change to an existing record without If-Match: 428, nothing written (docs/concurrency.md)."""
    return error(
        request,
        428,
        "precondition_required",
        _(
            "Send the ETag of your last read of this record in the If-Match header (or If-Match: * to"
            " overwrite whatever is stored). Nothing was changed."
        ),
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, "unauthenticated", _("Sign in or send a valid token."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(request, 403, "forbidden", str(exc) or _("You may not do this."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {
        400: "bad_request",
        401: "unauthenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        410: "gone",
        429: "throttled",
    }
    message = str(exc)
    if isinstance(exc, CsrfFailed):
        message = _(
            "The CSRF check failed: a signed-in browser must send the X-CSRFToken header with the csrftoken "
            "cookie's value. Scripts should send a bearer token instead. Nothing was changed."
        )
        return error(request, 403, "csrf_failed", message)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = _("The request body is not valid JSON.")
    return error(request, exc.status_code, codes.get(exc.status_code, "error"), message)


@api.get("/me", summary="Who is calling, with their roles per organisation", tags=["core"])
def me(request: HttpRequest) -> dict[str, Any]:
    from ownpath.core import access

    user = request.user
    return {
        "email": user.email,  # type: ignore[union-attr]
        "roles": {str(org): sorted(roles) for org, roles in access.roles_by_organisation(user).items()},
    }


for contribution in registry.api_routers:
    api.add_router(f"/{contribution.prefix}/", import_string(contribution.router))
