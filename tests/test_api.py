"""The JSON API: authentication, permissions, audit, and one error shape for every failure."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ownpath.core.choices import Role
from ownpath.core.models import ApiToken, AuditEvent, Person
from tests.conftest import World, signed_in


def bearer(world: World, role: str = Role.COUNSELLOR) -> Client:
    _token, key = ApiToken.issue(world.users[role], "tests")
    return Client(headers={"Authorization": f"Bearer {key}"})


def assert_error_shape(response: object, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.content  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


def test_openapi_is_published(db: None) -> None:
    spec = Client().get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.") and "/api/v1/people/" in spec["paths"]


def test_anonymous_and_bad_tokens_get_401(world: World) -> None:
    assert_error_shape(Client().get("/api/v1/people/"), 401, "unauthenticated")
    bad = Client(headers={"Authorization": "Bearer op_nonsense"})
    assert_error_shape(bad.get("/api/v1/people/"), 401, "unauthenticated")


def test_token_lists_only_visible_people_and_audits_the_list(world: World) -> None:
    response = bearer(world).get("/api/v1/people/")
    assert response.status_code == 200
    ids = [p["id"] for p in response.json()["items"]]
    assert world.person.pk in ids and world.other_person.pk not in ids
    event = AuditEvent.objects.filter(action="list", channel="api").latest("at")
    assert world.person.pk in event.detail["person_ids"]


def test_session_auth_works_too_and_roles_without_casework_get_403(world: World) -> None:
    assert signed_in(world.users[Role.COUNSELLOR]).get(f"/api/v1/people/{world.person.pk}").status_code == 200
    assert_error_shape(bearer(world, Role.TRAINER).get("/api/v1/people/"), 403, "forbidden")


def test_unknown_and_invisible_ids_are_404(world: World) -> None:
    client = bearer(world)
    assert_error_shape(client.get("/api/v1/people/999999"), 404, "not_found")
    assert_error_shape(client.get(f"/api/v1/people/{world.other_person.pk}"), 404, "not_found")


def test_create_offers_duplicates_first_then_creates_when_confirmed(world: World) -> None:
    client = bearer(world)
    payload = {
        "given_name": "Aleksander",
        "family_name": "Szewczenko",
        "birth_date": "1988-04-12",
        "citizenships": ["UA"],
    }
    response = client.post("/api/v1/people/", payload, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["candidates"][0]["id"] == world.person.pk
    response = client.post("/api/v1/people/", {**payload, "confirm_new": True}, content_type="application/json")
    assert response.status_code == 201 and response.json()["citizenships"] == ["UA"]
    assert AuditEvent.objects.filter(person_id=response.json()["id"], action="create", channel="api").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"given_name": "A", "family_name": "B", "birth_date": "2025-02-30"}, "birth_date"),
        ({"given_name": "A", "family_name": "B", "birth_date": "2999-01-01"}, "birth_date"),
        ({"given_name": "A", "family_name": "B", "citizenships": ["XX"]}, "citizenships"),
        ({"given_name": "A", "family_name": "B", "languages": [{"language": "klingon", "level": "B1"}]}, "languages"),
        ({"given_name": "A", "family_name": "B", "languages": [{"language": "uk", "level": "Z9"}]}, "languages"),
        ({"given_name": "A" * 500, "family_name": "B"}, "given_name"),
        ({"given_name": "", "family_name": ""}, ""),
    ],
)
def test_invalid_values_get_422_with_the_field_named_and_save_nothing(
    world: World, body: dict[str, object], field: str
) -> None:
    before = Person.objects.count()
    error = assert_error_shape(
        bearer(world).post("/api/v1/people/", {**body, "confirm_new": True}, content_type="application/json"),
        422,
        "invalid",
    )
    assert any(field in d["field"] for d in error["details"])  # type: ignore[union-attr]
    assert Person.objects.count() == before


def test_broken_json_gets_400_and_saves_nothing(world: World) -> None:
    before = Person.objects.count()
    response = bearer(world).post("/api/v1/people/", "{not json", content_type="application/json")
    assert_error_shape(response, 400, "bad_request")
    assert Person.objects.count() == before


def test_script_injection_is_stored_as_text_and_returned_escaped(world: World) -> None:
    client = bearer(world)
    evil = "<script>alert(1)</script>"
    response = client.post(
        "/api/v1/people/",
        {"given_name": evil, "family_name": "Test", "confirm_new": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    person_id = response.json()["id"]
    page = signed_in(world.users[Role.COUNSELLOR]).get(f"/people/{person_id}/")
    assert evil not in page.content.decode() and "&lt;script&gt;" in page.content.decode()


def test_patch_changes_and_audits_only_what_changed(world: World) -> None:
    response = bearer(world).patch(
        f"/api/v1/people/{world.person.pk}",
        json.dumps({"city": "Gdynia"}),
        content_type="application/json",
        headers={"If-Match": bearer(world).get(f"/api/v1/people/{world.person.pk}")["ETag"]},
    )
    assert response.status_code == 200
    event = AuditEvent.objects.filter(person_id=world.person.pk, action="update").latest("at")
    assert event.fields == ["city"] and event.channel == "api"
    assert_error_shape(
        bearer(world, Role.CULTURAL_MEDIATOR).patch(
            f"/api/v1/people/{world.person.pk}", json.dumps({"city": "X"}), content_type="application/json"
        ),
        403,
        "forbidden",
    )


def test_export_through_the_api_is_for_the_holders_admin(world: World) -> None:
    assert (
        bearer(world, Role.ORG_ADMIN).get(f"/api/v1/people/{world.person.pk}/export").json()["person"]["id"]
        == world.person.pk
    )
    assert_error_shape(bearer(world).get(f"/api/v1/people/{world.person.pk}/export"), 403, "forbidden")


def test_tokens_are_issued_once_expire_and_can_be_revoked(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    user = world.users[Role.COUNSELLOR]
    page = signed_in(user).post("/tokens/", {"name": "CRM sync", "days": "30"})
    key = page.context["new_key"]
    assert key.startswith("op_") and ApiToken.objects.get(user=user).key_hash != key
    client = Client(headers={"Authorization": f"Bearer {key}"})
    assert client.get("/api/v1/me").json()["email"] == user.email
    assert signed_in(user).post("/tokens/", {"name": "", "days": "9999"}).status_code == 400
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_error_shape(client.get("/api/v1/me"), 401, "unauthenticated")
    token = ApiToken.objects.get(user=user)
    signed_in(user).post(f"/tokens/{token.pk}/revoke/")
    assert not ApiToken.objects.filter(user=user).exists()


def test_unknown_routes_wrong_methods_and_huge_ids_keep_the_error_shape(world: World) -> None:
    client = bearer(world)
    assert_error_shape(client.get("/api/v1/people/abc"), 404, "not_found")
    assert_error_shape(client.get("/api/v1/people/99999999999999999999999"), 404, "not_found")
    response = client.delete(f"/api/v1/people/{world.person.pk}")
    assert_error_shape(response, 405, "method_not_allowed")
    assert Person.objects.filter(pk=world.person.pk).exists()
    assert_error_shape(client.get("/api/v1/people/?page=abc"), 422, "invalid")
    assert_error_shape(
        client.post("/api/v1/people/", "{" * 100_000, content_type="application/json"), 400, "bad_request"
    )
