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
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from ownpath.core import uploads
from ownpath.core.models import ApiToken
from ownpath.core.registry import registry


class TokenAuth(HttpBearer):
    """``Authorization: Bearer op_...``; only the token's hash is stored."""

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

api = NinjaAPI(
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
        429: "throttled",
    }
    message = str(exc)
    if exc.status_code == 400:
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
