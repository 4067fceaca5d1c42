"""The API's contract, for every operation the routers serve (enumerated, so a new endpoint is covered
without touching this file): CSRF by authentication scheme, permission before validation, routing errors in
the one error shape, unique schema names, and (tests/test_api_fuzz.py) schemathesis over all of it."""

from __future__ import annotations

import enum
import re
import types
import typing
from collections.abc import Iterator
from typing import Any

import pydantic
import pytest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test import Client, override_settings
from django.utils.crypto import get_random_string

from ownpath.api import api
from ownpath.core.api_contract import operations
from ownpath.core.choices import Role
from ownpath.core.models import ApiToken, AuditEvent, Person
from tests.conftest import World

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
WRITES = [(method, path, op) for path, op in operations(api) for method in op.methods if method in WRITE_METHODS]


def test_every_write_is_enumerated() -> None:
    # The enumeration is what makes the tests below cover new endpoints: it must see all the routers.
    assert len(WRITES) >= 60
    prefixes = {path.split("/")[3] for _m, path, _op in WRITES}
    assert {"people", "counselling", "training", "booking", "helpline", "mentoring", "employers"} <= prefixes


def _url(path: str, world: World) -> str:
    """Fills path parameters: the world's person where a person is named, an id nobody has elsewhere."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "person_id":
            return str(world.person.pk)
        return "x" * 20 if name in ("token", "code") else "987654321"

    return re.sub(r"{([^}]+)}", value, path)


def _csrf_secret() -> str:
    return get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)


def _session(world: World, *, token: str | None = None) -> Client:
    """A signed-in browser that enforces CSRF as a real one would (Django's test client otherwise skips
    the check); with ``token``, it has the csrftoken cookie and sends it back in X-CSRFToken."""
    client = Client(enforce_csrf_checks=True, headers={"X-CSRFToken": token} if token else {})
    client.force_login(world.users[Role.COUNSELLOR], backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["ownpath_has_second_factor"] = True
    session.save()
    if token:
        client.cookies["csrftoken"] = token
    return client


def _error_code(response: Any) -> str | None:
    if response.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            return str(body["error"]["code"])
    return None


def _send(client: Client, method: str, url: str) -> Any:
    return client.generic(method, url, "{}", content_type="application/json")


def test_session_writes_without_the_csrf_token_are_refused_and_change_nothing(world: World) -> None:
    client = _session(world)
    before = AuditEvent.objects.count(), Person.objects.count()
    wrong = []
    for method, path, op in WRITES:
        response = _send(client, method, _url(path, world))
        if op.auth_callbacks:
            if response.status_code != 403 or _error_code(response) != "csrf_failed":
                wrong.append((method, path, response.status_code, response.content[:200]))
        elif _error_code(response) == "csrf_failed":
            # A public operation (a signed booking link, the anonymous chat) takes no session at all.
            wrong.append((method, path, response.status_code, response.content[:200]))
    assert wrong == []
    assert (AuditEvent.objects.count(), Person.objects.count()) == before


def test_session_writes_with_the_csrf_token_and_token_writes_pass_the_check(world: World) -> None:
    session = _session(world, token=_csrf_secret())
    _token, key = ApiToken.issue(world.users[Role.COUNSELLOR], "tests")
    bearer = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key}"})
    both = _session(world)
    both.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    wrong_token = _session(world)
    wrong_token.defaults["HTTP_AUTHORIZATION"] = "Bearer op_not-a-token"
    wrong = []
    for method, path, op in WRITES:
        url = _url(path, world)
        with_token = _send(session, method, url)
        by_token = _send(bearer, method, url)
        # A bearer token wins over a session cookie riding along, and a wrong token never falls back to it.
        riding = _send(both, method, url)
        bad = _send(wrong_token, method, url)
        statuses = [r.status_code for r in (with_token, by_token, riding)]
        codes = [_error_code(r) for r in (with_token, by_token, riding)]
        if (
            "csrf_failed" in codes
            or "unauthenticated" in codes
            or 500 in statuses
            # The answer does not depend on the scheme: the same caller gets the same status either way.
            or len(set(statuses)) != 1
            or (op.auth_callbacks and _error_code(bad) != "unauthenticated")
        ):
            wrong.append((method, path, statuses, codes, _error_code(bad)))
    assert wrong == []


def test_a_bearer_token_write_really_writes_with_csrf_enforced(world: World) -> None:
    # The defect the fuzzing sweep found: PATCH /api/v1/people/<id> with a token answered "CSRF check failed".
    _token, key = ApiToken.issue(world.users[Role.COUNSELLOR], "tests")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key}"})
    etag = client.get(f"/api/v1/people/{world.person.pk}")["ETag"]
    response = client.patch(
        f"/api/v1/people/{world.person.pk}",
        {"city": "Gdynia"},
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert response.status_code == 200, response.content
    assert Person.objects.get(pk=world.person.pk).city == "Gdynia"


def test_a_session_write_with_its_csrf_token_really_writes(world: World) -> None:
    client = _session(world, token=_csrf_secret())
    etag = client.get(f"/api/v1/people/{world.person.pk}")["ETag"]
    response = client.patch(
        f"/api/v1/people/{world.person.pk}",
        {"city": "Sopot"},
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert response.status_code == 200, response.content
    assert Person.objects.get(pk=world.person.pk).city == "Sopot"
    stale = _session(world)
    stale.cookies["csrftoken"] = _csrf_secret()  # a cookie, but the header is missing
    response = stale.patch(f"/api/v1/people/{world.person.pk}", {"city": "Hel"}, content_type="application/json")
    assert response.status_code == 403 and _error_code(response) == "csrf_failed"
    assert Person.objects.get(pk=world.person.pk).city == "Sopot"


def test_session_reads_need_no_csrf_token(world: World) -> None:
    assert _session(world).get(f"/api/v1/people/{world.person.pk}").status_code == 200


# --- Permission before validation ---------------------------------------------------------------------

WRITES_ON_RECORDS = [w for w in WRITES if "{" in w[1] and w[2].auth_callbacks]


def test_an_invalid_body_for_a_record_the_caller_cannot_see_is_404_not_422(world: World) -> None:
    """Whatever the body, a record that does not exist for the caller is not found: the 422 would say
    that it exists. Checked with a body of the wrong type, with one that is not JSON, and with null."""
    _token, key = ApiToken.issue(world.users[Role.COUNSELLOR], "tests")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    before = AuditEvent.objects.exclude(action="denied").count()
    wrong = []
    for method, path, _op in WRITES_ON_RECORDS:
        url = re.sub(r"{person_id}", str(world.other_person.pk), path)
        url = re.sub(r"{[^}]+}", "987654321", url)
        for body in ('{"kind": ["not", "valid"], "title": {"x": 1}}', "[1, 2", "null"):
            response = client.generic(method, url, body, content_type="application/json")
            if response.status_code not in (403, 404) or _error_code(response) not in ("not_found", "forbidden"):
                wrong.append((method, path, body, response.status_code, response.content[:200]))
    assert wrong == []
    assert AuditEvent.objects.exclude(action="denied").count() == before


def test_another_organisations_person_with_an_invalid_body_is_404(world: World) -> None:
    _token, key = ApiToken.issue(world.users[Role.COUNSELLOR], "tests")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    other = world.other_person.pk
    for method, url in (
        ("PATCH", f"/api/v1/people/{other}"),
        ("POST", f"/api/v1/counselling/people/{other}/steps"),
        ("POST", f"/api/v1/counselling/people/{other}/sessions"),
    ):
        response = client.generic(
            method, url, '{"birth_date": "not a date", "kind": 7}', content_type="application/json"
        )
        assert response.status_code == 404 and _error_code(response) == "not_found", (url, response.content)
    # The caller's own record with the same body: the 422 names the fields.
    response = client.patch(
        f"/api/v1/people/{world.person.pk}", '{"birth_date": "not a date"}', content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["error"]["details"][0]["field"] == "birth_date"


def test_a_view_that_writes_before_it_reads_the_invalid_body_keeps_nothing(world: World) -> None:
    """The view runs with the invalid values standing in; what it did before touching them is undone."""
    _token, key = ApiToken.issue(world.users[Role.COUNSELLOR], "tests")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    before = AuditEvent.objects.count()
    response = client.patch(
        f"/api/v1/people/{world.person.pk}", '{"city": ["not", "text"]}', content_type="application/json"
    )
    assert response.status_code == 422
    assert AuditEvent.objects.count() == before  # the read the view audits on its way is rolled back too


# --- Routing errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
def test_paths_no_operation_answers_are_json_404_with_debug_on_or_off(world: World, debug: bool) -> None:
    _token, key = ApiToken.issue(world.users[Role.COUNSELLOR], "tests")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key}"})
    with override_settings(DEBUG=debug):
        for url in (
            "/api/v1/people/abc",
            "/api/v1/people/-1",
            "/api/v1/counselling/steps/1.5",
            "/api/v1/nothing-here",
            "/api/v2/people/",
            "/api/",
        ):
            for method in ("GET", "POST", "PATCH"):
                response = client.generic(method, url, "{}", content_type="application/json")
                assert response.status_code == 404, (method, url, response.content)
                assert _error_code(response) == "not_found"
        # A path that only misses its trailing slash still leads to the list.
        assert client.get("/api/v1/people").status_code == 301


def test_an_id_parameter_without_a_converter_that_does_not_fit_is_404(world: World) -> None:
    # /employers/jobs/{vacancy_id} is typed int by the view, not by the URL pattern.
    response = Client().get("/api/v1/employers/jobs/not-a-number")
    assert response.status_code == 404 and _error_code(response) == "not_found"


# --- The published OpenAPI ----------------------------------------------------------------------------


def _models_in(annotation: Any) -> Iterator[type]:
    origin = typing.get_origin(annotation)
    if origin is not None or isinstance(annotation, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _models_in(arg)
    elif isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel | enum.Enum):
        yield annotation


def _component_classes() -> dict[str, set[str]]:
    """Every class the OpenAPI names as a component, by name: models, nested models, enumerations."""
    seen: dict[str, set[str]] = {}
    todo: list[type] = []
    for _path, op in operations(api):
        todo.extend(op.models)
        todo.extend(m for m in op.response_models.values() if isinstance(m, type))
    done: set[type] = set()
    while todo:
        cls = todo.pop()
        if cls in done:
            continue
        done.add(cls)
        if not cls.__module__.startswith("ninja"):
            seen.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
        if issubclass(cls, pydantic.BaseModel):
            for field in cls.model_fields.values():
                todo.extend(_models_in(field.annotation))
    return seen


def test_schema_names_are_unique_across_modules() -> None:
    clashes = {name: sorted(where) for name, where in _component_classes().items() if len(where) > 1}
    assert clashes == {}
    spec = Client().get("/api/v1/openapi.json").json()
    assert "CounsellingSessionIn" not in spec["components"]["schemas"]  # the names are the classes' own
    session_post = spec["paths"]["/api/v1/counselling/people/{person_id}/sessions"]["post"]
    ref = session_post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert "note_group" in spec["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]


def test_every_operation_declares_its_error_statuses() -> None:
    spec = Client().get("/api/v1/openapi.json").json()
    assert spec["components"]["schemas"]["Error"]["required"] == ["error"]
    count = 0
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            count += 1
            declared = set(operation["responses"])
            assert "404" in declared, (method, path)
            if operation.get("security"):
                assert {"401", "403"} <= declared, (method, path)
            if operation.get("requestBody"):
                assert {"400", "422"} <= declared, (method, path)
    assert count == sum(len(op.methods) for _p, op in operations(api))


def test_text_with_a_nul_character_is_a_422_naming_the_field_not_a_server_error(world: World) -> None:
    # PostgreSQL refuses NUL in text: the fuzzer's longer sweep found it as 500s on three searches.
    _token, key = ApiToken.issue(world.users[Role.COUNSELLOR], "tests")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    for url in ("/api/v1/people/?q=a%00b", "/api/v1/employers/jobs?q=%00", "/api/v1/people/?residence_status=%00"):
        response = client.get(url)
        assert response.status_code == 422 and _error_code(response) == "invalid", (url, response.content)
    response = client.patch(
        f"/api/v1/people/{world.person.pk}", {"city": "Gda\x00nsk"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["error"]["details"][0]["field"] == "city"
    assert Person.objects.get(pk=world.person.pk).city != "Gda\x00nsk"
    # Permission still comes first: another organisation's person is not found, whatever the text.
    response = client.patch(
        f"/api/v1/people/{world.other_person.pk}", {"city": "\x00"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert client.get("/api/v1/training/certificates/a%00b").status_code == 404
