"""Database helpers shared by long jobs and by the router of a primary with replicas."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

# On SQLite, the pause after each batch of a long job: a writer waiting for the lock (its busy handler
# retries every few milliseconds) gets its turn instead of waiting for the whole job.
SQLITE_TURN_SECONDS = 0.03


def in_batches[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Yield ``items`` in chunks of ``size``, each written inside its own transaction (an error in one
    rolls back that chunk only), so that a long job never holds the database's write lock for long."""
    for start in range(0, len(items), size):
        with transaction.atomic():
            yield items[start : start + size]
        if connection.vendor == "sqlite" and start + size < len(items):
            time.sleep(SQLITE_TURN_SECONDS)


# -- a primary with a streaming replica ------------------------------------------------------------------
# Reads go to the primary ("default") unless the code says they may be a moment stale (``replica_reads``)
# and the person has not written recently: someone who just saved something sees it on their next page,
# whichever app server answers (the pin is a cookie, and for signed-in users also a shared cache entry).

_stale_ok: ContextVar[bool] = ContextVar("ownpath_stale_ok", default=False)
_pinned: ContextVar[bool] = ContextVar("ownpath_pinned", default=False)
PIN_COOKIE = "ownpath_primary"


def replica_configured() -> bool:
    return "replica" in settings.DATABASES


class PrimaryReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _stale_ok.get() and not _pinned.get() and replica_configured():
            return "replica"
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        _pinned.set(True)  # a request that writes reads its own writes afterwards
        return None

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return db != "replica"


@contextmanager
def stale_reads() -> Iterator[None]:
    """Within this block, reads may come from the replica (unless the person is pinned to the primary)."""
    token = _stale_ok.set(True)
    try:
        yield
    finally:
        _stale_ok.reset(token)


def replica_reads[F: Callable[..., Any]](view: F) -> F:
    """A view whose reads may be a few seconds stale: reports, indicators, HSDS, portal search."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with stale_reads():
            return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def replica_urls(urls: Any) -> Any:
    """``include()``-able URLs (a django-ninja API's ``urls``) whose every view reads with ``replica_reads``."""
    patterns = urls[0] if isinstance(urls, tuple) else urls
    for pattern in patterns:
        pattern.callback = replica_reads(pattern.callback)
    return urls


def _pin_key(user_id: Any) -> str:
    return f"ownpath:pin:{user_id}"


class PrimaryPinMiddleware:
    """Pins a person to the primary for OWNPATH_REPLICA_PIN_SECONDS after a request that may have written."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        writes = request.method not in ("GET", "HEAD", "OPTIONS")
        pinned = writes or _cookie_pinned(request)
        user = getattr(request, "user", None)
        if not pinned and user is not None and user.is_authenticated and request.path.startswith("/api/"):
            pinned = bool(cache.get(_pin_key(user.pk)))  # token clients keep no cookies
        token = _pinned.set(pinned)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writes and response.status_code < 500:
            seconds = settings.OWNPATH_REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE, str(int(time.time()) + seconds), max_age=seconds, httponly=True, samesite="Lax",
                secure=request.is_secure(),
            )  # fmt: skip
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                cache.set(_pin_key(user.pk), 1, seconds)
        return response


def _cookie_pinned(request: HttpRequest) -> bool:
    try:
        return int(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False
