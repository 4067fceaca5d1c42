"""The access matrix's targets: every named page of the URL conf and every operation of the OpenAPI schema.

Built from the URL conf and the schema at run time, so a new page or endpoint shows up here by itself and the
matrix test fails until ``tests/access_matrix_table.py`` declares who may use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# Third-party pages (sign-in, second factor, the admin) are allauth's and Django's, with their own tests.
EXEMPT_PREFIXES = ("admin:", "account_", "mfa_")
EXEMPT = {"set_language", "favicon"}
MISSING_INT = 987654321
MISSING_UUID = "00000000-0000-4000-8000-000000000000"
ROLES = [
    "network_admin",
    "org_admin",
    "counsellor",
    "psychologist",
    "legal_adviser",
    "cultural_mediator",
    "helpline_operator",
    "mentoring_coordinator",
    "mentor",
    "trainer",
    "employer_contact",
    "migration_team_coordinator",
    "auditor",
    "ngo_counsellor",
    "anonymous",
]


@dataclass(frozen=True)
class Target:
    key: str  # "namespace:name" for a page, "METHOD /api/v1/path" for an API operation
    path: str  # with placeholders: <converter:name> or {name}


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "api" or str(entry.pattern).startswith("^api/"):
                continue  # django-ninja's operations come from the OpenAPI schema
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, prefix + str(entry.pattern)


def _exempt(name: str) -> bool:
    return name.startswith(EXEMPT_PREFIXES) or name in EXEMPT


def pages() -> list[Target]:
    found = {name: path for name, path in _walk(get_resolver().url_patterns) if not _exempt(name)}
    return [Target(name, path) for name, path in sorted(found.items())]


def operations() -> list[Target]:
    from ownpath.api import api

    schema = api.get_openapi_schema()
    found = []
    for path, methods in schema["paths"].items():
        for method in methods:
            found.append(Target(f"{method.upper()} {path}", path))
    return sorted(found, key=lambda t: t.key)


def targets() -> list[Target]:
    return pages() + operations()


def fill(path: str, values: dict[str, Any]) -> str:
    """The path with its parameters filled: known objects where the world has them, else ids that exist
    nowhere (the refusal must then still be the right one, and never a 500)."""

    def page_param(match: re.Match[str]) -> str:
        converter, _sep, name = match.group(1).rpartition(":")
        if name in values:
            return str(values[name])
        return MISSING_UUID if converter == "uuid" else (str(MISSING_INT) if converter in ("int", "") else "x")

    def api_param(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return str(values[name])
        return MISSING_UUID if name in UUID_PARAMS else str(MISSING_INT)

    path = re.sub(r"<([^>]+)>", page_param, path)
    path = re.sub(r"\(\?P<([a-z0-9_]+)>[^)]*\)", lambda m: "x", path)
    path = path.replace("^", "").replace("$", "")
    return "/" + re.sub(r"\{([a-z0-9_]+)\}", api_param, path).lstrip("/")


UUID_PARAMS: set[str] = set()


def _api_uuid_params() -> None:
    from ownpath.api import api

    schema = api.get_openapi_schema()
    for methods in schema["paths"].values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("schema", {}).get("format") == "uuid":
                    UUID_PARAMS.add(parameter["name"])


def request(client: Client, target: Target, method: str, url: str) -> int:
    if method == "GET":
        return client.get(url).status_code
    if method == "POST":
        if target.key.startswith("POST /api/") or target.key.startswith("PATCH /api/"):
            call = client.post if method == "POST" else client.patch
            return call(url, "{}", content_type="application/json").status_code
        return client.post(url, {}).status_code
    if method == "PATCH":
        return client.patch(url, "{}", content_type="application/json").status_code
    raise AssertionError(method)


def method_of(target: Target, declared: str | None) -> str:
    if " " in target.key:
        return target.key.split(" ", 1)[0]
    return declared or "GET"
