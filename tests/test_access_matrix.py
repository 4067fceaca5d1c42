"""Every view, as every role and as an anonymous visitor: the expected answer, nothing more."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ownpath.core.access import CASEWORK_ROLES, EDITOR_ROLES
from ownpath.core.choices import Role
from ownpath.core.models import AuditEvent
from tests.conftest import World, signed_in

ROLES = [role.value for role in Role] + ["ngo_counsellor", "anonymous"]
AT_CENTRE = {r.value for r in Role} - {
    Role.NETWORK_ADMIN,
    Role.EMPLOYER_CONTACT,
    Role.MIGRATION_TEAM_COORDINATOR,
    Role.AUDITOR,
}


def casework(role: str) -> bool:
    return role in CASEWORK_ROLES or role == "ngo_counsellor"


def sees_person(role: str) -> bool:
    return role in CASEWORK_ROLES and role in AT_CENTRE


def expect(view: str, role: str) -> int:
    if role == "anonymous":
        return {
            "home": 200,
            "healthz": 200,
            "openapi": 200,
            "api_people": 401,
            "api_person": 401,
            "styleguide": 404,  # staff only outside development
            "calendar_feed": 404,  # the key is the password: a wrong one is not found, for everyone
        }.get(view, 302)
    if view == "home":
        return 302
    if view in (
        "dashboard",
        "organisations",
        "organisation",
        "notifications",
        "search",
        "healthz",
        "openapi",
        "api_tokens",
        "styleguide",
        "calendar",
    ):
        return 200
    if view == "calendar_feed":
        return 404
    if view in ("organisation_create", "organisation_edit"):
        return 200 if role == Role.NETWORK_ADMIN else 403
    if view in ("people", "person_create", "person_duplicates", "api_people"):
        return 200 if casework(role) else 403
    if view in ("person", "api_person"):
        return 200 if sees_person(role) else 404
    if view == "person_edit":
        return (200 if role in EDITOR_ROLES else 403) if sees_person(role) else 404
    if view == "own_export":  # no staff account is a person's own account
        return 404
    if view in ("person_export", "person_export_json", "person_erase", "person_subject_export"):
        return (200 if role == Role.ORG_ADMIN else 403) if sees_person(role) else 404
    if view == "audit":
        return 200 if role == Role.AUDITOR else 403
    if view == "background_tasks":
        return 200 if role == Role.NETWORK_ADMIN else 403
    raise AssertionError(view)


def urls(world: World) -> dict[str, str]:
    pid = world.person.pk
    return {
        "home": reverse("core:home"),
        "healthz": reverse("healthz"),
        "openapi": "/api/v1/openapi.json",
        "dashboard": reverse("core:dashboard"),
        "people": reverse("core:people"),
        "person_create": reverse("core:person_create"),
        "person_duplicates": reverse("core:person_duplicates") + "?given_name=Oleksandr&family_name=Shevchenko",
        "person": reverse("core:person", args=[pid]),
        "person_edit": reverse("core:person_edit", args=[pid]),
        "person_export": reverse("core:person_export", args=[pid]),
        "person_export_json": reverse("core:person_export_json", args=[pid]),
        "person_erase": reverse("core:person_erase", args=[pid]),
        "person_subject_export": reverse("core:person_subject_export", args=[pid]),
        "own_export": reverse("core:own_export"),
        "organisations": reverse("core:organisations"),
        "api_tokens": reverse("core:api_tokens"),
        "organisation": reverse("core:organisation", args=[world.centre.pk]),
        "organisation_create": reverse("core:organisation_create"),
        "organisation_edit": reverse("core:organisation_edit", args=[world.centre.pk]),
        "audit": reverse("core:audit"),
        "background_tasks": reverse("core:background_tasks"),
        "notifications": reverse("core:notifications"),
        "search": reverse("core:search") + "?q=Shevchenko",
        "styleguide": reverse("core:styleguide"),
        "calendar": reverse("core:calendar"),
        "calendar_feed": reverse("core:calendar_feed", args=["not-a-key"]),
        "api_people": "/api/v1/people/",
        "api_person": f"/api/v1/people/{pid}",
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_view_answers_each_role_as_expected(world: World, role: str) -> None:
    client = Client() if role == "anonymous" else signed_in(world.users[role])
    failures = []
    for view, url in urls(world).items():
        response = client.get(url)
        wanted = expect(view, role)
        if response.status_code != wanted:
            failures.append(f"{view} as {role}: {response.status_code}, expected {wanted}")
        elif wanted == 302 and role == "anonymous":
            assert "/accounts/login/" in response["Location"]
    assert not failures, "\n".join(failures)


def test_the_matrix_covers_every_named_page(world: World) -> None:
    from ownpath.core.urls import urlpatterns

    post_only = {
        "note_add",
        "consent_add",
        "consent_withdraw",
        "switch_organisation",
        "background_add",
        "member_add",
        "membership_end",
        "api_token_revoke",
        "own_consent_withdraw",
        "person_message",
    }
    assert {p.name for p in urlpatterns} - post_only <= set(urls(world))
    assert post_only | {
        "person_erase",
        "person_subject_export",
        "notifications",
        "api_tokens",
        "background_tasks",
    } == set(POST_VIEWS)


def test_reading_a_person_is_audited_and_refusals_reveal_nothing(world: World) -> None:
    counsellor = world.users[Role.COUNSELLOR]
    before = AuditEvent.objects.filter(person_id=world.person.pk, action="read").count()
    signed_in(counsellor).get(reverse("core:person", args=[world.person.pk]))
    event = AuditEvent.objects.filter(person_id=world.person.pk, action="read").latest("at")
    assert AuditEvent.objects.filter(person_id=world.person.pk, action="read").count() == before + 1
    assert event.actor_id == counsellor.pk and event.channel == "ui" and event.purpose == "casework"
    response = signed_in(world.users["ngo_counsellor"]).get(reverse("core:person", args=[world.person.pk]))
    assert response.status_code == 404
    assert "Шевченко" not in response.content.decode()


def test_staff_without_a_second_factor_must_set_one_up(world: World) -> None:
    from allauth.mfa.models import Authenticator

    user = world.users[Role.COUNSELLOR]
    Authenticator.objects.filter(user=user).delete()
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("core:people"))
    assert response.status_code == 302 and "/accounts/2fa/totp/activate" in response["Location"]


POST_VIEWS = [
    "note_add",
    "consent_add",
    "consent_withdraw",
    "background_add",
    "person_erase",
    "person_subject_export",
    "switch_organisation",
    "notifications",
    "member_add",
    "membership_end",
    "api_token_revoke",
    "api_tokens",
    "background_tasks",
    "own_consent_withdraw",
    "person_message",
]


def expect_post(view: str, role: str) -> int:
    """Status of a POST with an empty (invalid) body: nothing but ending a role is written by these."""
    if role == "anonymous":
        return 302
    if view in ("switch_organisation", "notifications"):
        return 302
    if view == "api_tokens":
        return 400
    if view == "api_token_revoke":
        return 404
    if view == "own_consent_withdraw":  # a staff account is nobody's own record
        return 403
    if view == "background_tasks":  # an empty form changes nothing and comes back with a message
        return 302 if role == Role.NETWORK_ADMIN else 403
    if view in ("member_add", "membership_end"):
        return 302 if role in (Role.NETWORK_ADMIN, Role.ORG_ADMIN) else 403
    if not sees_person(role):
        return 404
    if view in ("note_add", "person_message"):
        return 302
    if view in ("consent_add", "consent_withdraw", "background_add"):
        return 302 if role in EDITOR_ROLES else 403
    if view in ("person_erase", "person_subject_export"):
        return 400 if role == Role.ORG_ADMIN else 403
    raise AssertionError(view)


@pytest.mark.parametrize("role", ROLES)
def test_every_form_endpoint_answers_each_role_and_changes_nothing(world: World, role: str) -> None:
    from ownpath.core.models import ApiToken, Consent, Person, PersonNote
    from ownpath.core.services import consent as consent_service

    consent = consent_service.give_consent(
        world.users[Role.COUNSELLOR],
        world.person,
        recipients=[world.ngo],
        purpose="referral",
        scope=["identity"],
        evidence="Form 1",
    )
    pid = world.person.pk
    mentor_role = world.users[Role.MENTOR].memberships.get()
    someone_elses_token, _key = ApiToken.issue(
        world.users[Role.AUDITOR] if role != Role.AUDITOR else world.users[Role.TRAINER], "x"
    )
    posts = {
        "api_tokens": reverse("core:api_tokens"),
        "api_token_revoke": reverse("core:api_token_revoke", args=[someone_elses_token.pk]),
        "member_add": reverse("core:member_add", args=[world.centre.pk]),
        "membership_end": reverse("core:membership_end", args=[mentor_role.pk]),
        "note_add": reverse("core:note_add", args=[pid]),
        "consent_add": reverse("core:consent_add", args=[pid]),
        "consent_withdraw": reverse("core:consent_withdraw", args=[consent.pk]),
        "background_add": reverse("core:background_add", args=[pid, "need"]),
        "person_erase": reverse("core:person_erase", args=[pid]),
        "person_subject_export": reverse("core:person_subject_export", args=[pid]),
        "switch_organisation": reverse("core:switch_organisation"),
        "notifications": reverse("core:notifications"),
        "background_tasks": reverse("core:background_tasks"),
        "own_consent_withdraw": reverse("core:own_consent_withdraw", args=[consent.pk]),
        "person_message": reverse("core:person_message", args=[pid]),
    }
    client = Client() if role == "anonymous" else signed_in(world.users[role])
    failures = []
    for view, url in posts.items():
        status = client.post(url, {}).status_code
        if status != expect_post(view, role):
            failures.append(f"POST {view} as {role}: {status}, expected {expect_post(view, role)}")
    assert not failures, "\n".join(failures)
    assert not PersonNote.objects.exists() and Consent.objects.get().withdrawn_at is None
    assert not world.person.messages.exists()
    assert not Person.objects.get(pk=pid).is_anonymised and not world.person.needs.exists()
    assert ApiToken.objects.filter(pk=someone_elses_token.pk).exists()
    mentor_role.refresh_from_db()
    assert mentor_role.is_active is (role not in (Role.NETWORK_ADMIN, Role.ORG_ADMIN))


def test_every_page_that_shows_names_audits_them(world: World) -> None:
    from ownpath.core.models import Person

    counsellor = world.users[Role.COUNSELLOR]
    Person.objects.filter(pk=world.person.pk).update(assigned_counsellor=counsellor)
    client = signed_in(counsellor)
    for url, purpose in (
        (reverse("core:dashboard"), "dashboard"),
        (reverse("core:search") + "?q=Shevchenko", "search"),
        (reverse("core:people"), "casework"),
        (reverse("core:person_duplicates") + "?given_name=Oleksandr&family_name=Shevchenko", "duplicate_check"),
    ):
        client.get(url)
        event = AuditEvent.objects.filter(action="list", purpose=purpose).latest("at")
        assert world.person.pk in event.detail["person_ids"] and event.actor_id == counsellor.pk, url


def test_the_api_documentation_is_served_without_a_cdn(db: None) -> None:
    html = Client().get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn." not in html


def test_the_second_factor_cannot_be_skipped_through_the_api_or_the_admin(world: World) -> None:
    from allauth.mfa.models import Authenticator

    user = world.users[Role.COUNSELLOR]
    Authenticator.objects.filter(user=user).delete()
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/api/v1/people/")
    assert response.status_code == 403 and response.json()["error"]["code"] == "second_factor_required"
    admin_login = Client().get("/admin/login/")
    assert admin_login.status_code == 302 and admin_login["Location"].startswith("/accounts/login/")
