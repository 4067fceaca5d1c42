"""What every operation of the JSON API keeps to, whichever module wrote it (see docs/api.md):

- **permission before validation**: a request whose body or query is invalid still runs the view's own
  look-ups and permission checks first, so another organisation's record answers 404 (or 403), never a
  422 that would tell the caller the record exists; nothing the view did before it needed the invalid
  values is kept;
- **a path that does not fit** (``/people/abc``) is a 404 in the one error shape, like a route that does
  not exist;
- **the published OpenAPI declares every answer**: each operation lists the error statuses it can give,
  all with the one ``Error`` schema.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterator
from typing import Any, NoReturn

import pydantic
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationErrorContext
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation
from ninja.utils import normalize_path
from pydantic import Field as PydanticField


class _InvalidInputTouched(BaseException):
    """Raised when a view reaches a value that failed validation. A BaseException, so that no
    ``except Exception`` in a view or service swallows it."""


class _Invalid:
    """Stands for a parameter that failed validation while the view runs its permission checks: any use
    of it stops the view."""

    __slots__ = ()

    def _stop(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise _InvalidInputTouched

    __getattr__ = __getitem__ = __iter__ = __len__ = __bool__ = __int__ = __index__ = __float__ = _stop
    __str__ = __repr__ = __format__ = __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = _stop
    __contains__ = __call__ = __add__ = __radd__ = _stop


_INVALID = _Invalid()


def _is_not_yours(exc: BaseException) -> bool:
    """An answer that says "not found" or "not allowed": it wins over the invalid body."""
    if isinstance(exc, Http404 | PermissionDenied):
        return True
    return isinstance(exc, HttpError) and exc.status_code in (401, 403, 404)


def _run_permission_first(self: Operation, request: HttpRequest, **kw: Any) -> HttpResponseBase:
    error = self._run_checks(request)
    if error:
        return error
    try:
        temporal_response = self.api.create_temporal_response(request)
        values: dict[str, Any] = {}
        contexts: list[ValidationErrorContext] = []
        malformed: HttpError | None = None
        nul_errors: list[dict[str, Any]] = []
        for model in self.models:
            try:
                resolved = dict(model.resolve(request, self.api, kw))
                for name, value in resolved.items():
                    where = _nul_in(value)
                    if where is not None:  # PostgreSQL cannot store it, and no person types it
                        source = model.__ninja_param_source__
                        if source == "path":
                            raise Http404
                        nul_errors.append({"loc": (source, name, *where), "msg": _NUL_MESSAGE(), "type": "nul"})
                        resolved[name] = _INVALID
                values.update(resolved)
            except pydantic.ValidationError as exc:
                if model.__ninja_param_source__ == "path":
                    raise Http404 from exc  # a path that does not fit is a route that does not exist
                contexts.append(ValidationErrorContext(pydantic_validation_error=exc, model=model))
                values.update(dict.fromkeys(model.model_fields, _INVALID))
            except HttpError as exc:
                if exc.status_code != 400:
                    raise
                malformed = exc  # the body is not JSON at all
                values.update(dict.fromkeys(model.model_fields, _INVALID))
        if self.signature.response_arg:
            values[self.signature.response_arg] = temporal_response
        if contexts or malformed is not None or nul_errors:
            errors = self.api.validation_error_from_error_contexts(contexts).errors if contexts else []
            invalid: Exception = malformed or NinjaValidationError([*errors, *nul_errors])
            raise _permission_answer(self, request, values) or invalid
        result = self.view_func(request, **values)
        if self.stream_format:
            return self._stream_response(request, result, temporal_response)
        return self._result_to_response(request, result, temporal_response)
    except Exception as e:
        return self.api.on_exception(request, e)


def _NUL_MESSAGE() -> str:
    return gettext("Text must not contain the NUL character (0x00).")


def _nul_in(value: Any) -> tuple[Any, ...] | None:
    """Where in ``value`` (a parameter: text, a schema, lists and dicts of them) a NUL character is."""
    if isinstance(value, str):
        return () if "\x00" in value else None
    if isinstance(value, pydantic.BaseModel):
        items: Any = ((name, getattr(value, name)) for name in type(value).model_fields)
    elif isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple | set):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return (key,)
        inner = _nul_in(item)
        if inner is not None:
            return (key, *inner)
    return None


class _Rollback(Exception):
    pass


def _permission_answer(self: Operation, request: HttpRequest, values: dict[str, Any]) -> Exception | None:
    """Runs the view with the invalid parameters standing in, inside a transaction that is rolled back
    unless the view answers 401/403/404 before it reaches them (then what it recorded, e.g. a denied
    access in the audit log, is kept). Returns that answer, or None when the 422/400 should be given."""
    found: Exception | None = None
    try:
        with transaction.atomic():
            try:
                self.view_func(request, **values)
            except _InvalidInputTouched:
                raise _Rollback from None
            except Exception as exc:
                if not _is_not_yours(exc):
                    raise _Rollback from exc
                found = exc
            else:
                raise _Rollback  # the view did not need the invalid values: still nothing is kept
    except _Rollback:
        return None
    return found


def permission_first(run: Any) -> Any:
    """A ninja "view" decorator (``api.add_decorator(permission_first, mode="view")``): the operation
    runs as ``_run_permission_first``. It replaces ninja's own ``Operation.run`` (same steps, in the same
    order, but invalid parameters no longer stop the request before the view's permission checks)."""
    return types.MethodType(_run_permission_first, run.__self__)


def operations(api: NinjaAPI) -> Iterator[tuple[str, Operation]]:
    """Every operation ``api`` serves, with its path as the OpenAPI publishes it."""
    root = api.get_root_path({})
    for bound_router in api._get_bound_routers():
        for path, path_view in bound_router.path_operations.items():
            full = normalize_path("/" + root + "/".join([i for i in (bound_router.prefix, path) if i]))
            for operation in path_view.operations:
                yield re.sub(r"{[^}:]+:", "{", full), operation


# --- The published OpenAPI ------------------------------------------------------------------------------


class ErrorDetail(Schema):
    field: str = PydanticField(description="The field at fault, dotted; empty for the whole request")
    message: str = PydanticField("", description="What is wrong with it (422)")
    stored: str | None = PydanticField(None, description="412: the value the other save stored")
    sent: str | None = PydanticField(None, description="412: the value this request sent")


class ErrorBody(Schema):
    code: str = PydanticField(description="Stable, for programs: not_found, invalid, csrf_failed, …")
    message: str = PydanticField(description="For people, in the request's language")
    details: list[ErrorDetail]


class Error(Schema):
    """The one shape of every error of this API. A view whose own errors are unusual (a 410 for an
    expired link) declares them with it: ``response={200: BookingOut, 410: Error}``."""

    error: ErrorBody


_ERROR_DESCRIPTIONS = {
    400: "The body is not JSON (or not parseable at all)",
    401: "No valid session or bearer token",
    403: "Not allowed for the caller's roles, or a session request without its CSRF token",
    404: "No such record, none the caller may see, or an id that does not fit the path",
    409: "A conflict with what is stored",
    412: "The record changed since the ETag sent in If-Match; `details` shows the other save's values",
    428: "If-Match is missing: send the ETag of your last read (or `*` to overwrite deliberately)",
    422: "Invalid values; `details` names each field",
    429: "Too many requests; try again after Retry-After seconds",
}


def requires_if_match(operation: Operation) -> bool:
    """Whether the operation changes an existing record only with ``If-Match`` (every PATCH must)."""
    names = operation.view_func.__code__.co_names
    return "required_if_match" in names or "unchanged_since_read" in names


def error_statuses(operation: Operation) -> set[int]:
    """The error statuses an operation can answer with (beside those its view declares)."""
    statuses = {404}
    sources = {model.__ninja_param_source__ for model in operation.models}
    if operation.auth_callbacks:
        statuses |= {401, 403}
    if sources - {"path"}:
        statuses.add(422)
    if "body" in sources:
        statuses.add(400)
    if "if_match" in operation.view_func.__code__.co_names:
        statuses.add(412)  # a change sent with a stale ETag (ownpath.core.concurrency)
    if requires_if_match(operation):
        statuses |= {412, 428}  # If-Match required: stale (412) or missing (428)
    if operation.throttle_objects or getattr(operation.view_func, "_ownpath_throttled", False):
        statuses.add(429)
    return statuses


_IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": "The ETag of your last read of the record (`*`: overwrite whatever is stored)",
    "schema": {"type": "string"},
}


class ContractAPI(NinjaAPI):
    """django-ninja's API, publishing every error status each operation can give."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = Error.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error_schema.pop("$defs", {}))
        components["Error"] = error_schema
        ref = {"$ref": "#/components/schemas/Error"}
        for path, operation in operations(self):
            for method in operation.methods:
                spec = schema["paths"].get(path, {}).get(method.lower())
                if spec is None:
                    continue
                if requires_if_match(operation):
                    parameters = spec.setdefault("parameters", [])
                    if not any(p.get("name") == "If-Match" for p in parameters):
                        parameters.append(_IF_MATCH)
                responses = spec.setdefault("responses", {})
                declared = {str(code) for code in responses}
                for status in sorted(error_statuses(operation)):
                    if str(status) not in declared:
                        responses[status] = {
                            "description": _ERROR_DESCRIPTIONS[status],
                            "content": {"application/json": {"schema": ref}},
                        }
        return schema


@csrf_exempt  # it changes nothing; Django's HTML CSRF page must not answer in its place
def not_found_view(request: HttpRequest) -> HttpResponse:
    """Any path under /api/ that no operation answers: the one error shape, in every environment (with
    DEBUG on too, where Django would show its HTML page). A GET missing only its trailing slash is still
    redirected, as Django's APPEND_SLASH did before this catch-all existed."""
    from django.http import HttpResponsePermanentRedirect
    from django.urls import Resolver404, resolve

    from ownpath.core.views import api_error

    if request.method in ("GET", "HEAD") and not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found_view:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    return api_error(404)
