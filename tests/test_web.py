"""The web pages: forms refuse bad input clearly and save nothing; languages; health; settings; demo."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ownpath.core.choices import Role
from ownpath.core.models import Consent, Person, PersonNote
from ownpath.core.services import people as people_service
from ownpath.core.uploads import DOCX, PDF, PNG, validate_upload
from tests.conftest import World, signed_in

GOOD = {
    "given_name": "Ivan",
    "family_name": "Franko",
    "residence_status": "unknown",
    "confirm_new": "on",
    "lang-TOTAL_FORMS": "3",
    "lang-INITIAL_FORMS": "0",
    "lang-MIN_NUM_FORMS": "0",
    "lang-MAX_NUM_FORMS": "10",
}


def test_a_person_is_created_through_the_form(world: World) -> None:
    response = signed_in(world.users[Role.COUNSELLOR]).post(
        reverse("core:person_create"), {**GOOD, "lang-0-language": "uk", "lang-0-level": "native"}
    )
    assert response.status_code == 302
    person = Person.objects.get(family_name="Franko")
    assert person.organisation == world.centre and person.languages.get().language == "uk"


def test_the_form_offers_a_duplicate_in_another_script_before_creating(world: World) -> None:
    client = signed_in(world.users[Role.COUNSELLOR])
    data = {**GOOD, "given_name": "Aleksander", "family_name": "Szewczenko", "birth_date": "1988-04-12"}
    del data["confirm_new"]
    before = Person.objects.count()
    response = client.post(reverse("core:person_create"), data)
    assert response.status_code == 400 and Person.objects.count() == before
    assert reverse("core:person", args=[world.person.pk]) in response.content.decode()
    live = client.get(reverse("core:person_duplicates"), {"given_name": "Oleksandr", "family_name": "Shevchenko"})
    assert "Шевченко" in live.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"birth_date": "2025-02-30"}, "Enter a valid date"),
        ({"birth_date": "2999-01-01"}, "cannot be in the future"),
        ({"given_name": "", "family_name": ""}, "Enter the given and family name"),
        ({"email": "not-an-email"}, "valid email"),
        ({"given_name": "x" * 500}, "at most 120 characters"),
        ({"lang-0-language": "uk"}, "both a language and a level"),
        ({"lang-0-language": "xx", "lang-0-level": "B1"}, "Select a valid choice"),
        ({"citizenships": ["XX"]}, "Select a valid choice"),
        ({"household_children": "-3"}, "greater than or equal to 0"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(
    world: World, changes: dict[str, object], message: str
) -> None:
    before = Person.objects.count()
    response = signed_in(world.users[Role.COUNSELLOR]).post(reverse("core:person_create"), {**GOOD, **changes})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Person.objects.count() == before


def test_bad_input_messages_come_in_the_users_language(world: World) -> None:
    client = signed_in(world.users[Role.COUNSELLOR])
    client.cookies["django_language"] = "pl"
    response = client.post(reverse("core:person_create"), {**GOOD, "birth_date": "2999-01-01"})
    assert response.status_code == 400 and "Data urodzenia nie może być w przyszłości." in response.content.decode()


def test_an_oversized_request_is_refused_without_a_stack_trace(world: World) -> None:
    before = Person.objects.count()
    response = signed_in(world.users[Role.COUNSELLOR]).post(
        reverse("core:person_create"), {**GOOD, "city": "x" * 3_000_000}
    )
    assert response.status_code == 400 and b"Traceback" not in response.content
    assert Person.objects.count() == before


def test_injected_markup_is_escaped_on_every_page(world: World) -> None:
    client = signed_in(world.users[Role.COUNSELLOR])
    evil = '"><script>alert(1)</script>'
    client.post(reverse("core:person_create"), {**GOOD, "family_name": evil})
    person = Person.objects.get(family_name=evil)
    for url in (
        reverse("core:person", args=[person.pk]),
        reverse("core:people") + "?q=alert",
        reverse("core:search") + "?q=alert",
    ):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html


def test_notes_and_consent_forms_refuse_bad_input(world: World) -> None:
    client = signed_in(world.users[Role.COUNSELLOR])
    client.post(reverse("core:note_add", args=[world.person.pk]), {"group": "psychological", "body": "x"})
    client.post(reverse("core:note_add", args=[world.person.pk]), {"group": "general", "body": ""})
    assert not PersonNote.objects.exists()
    response = client.post(
        reverse("core:consent_add", args=[world.person.pk]),
        {"purpose": "referral", "scope": ["identity"], "evidence": "x"},
        follow=True,
    )
    assert not Consent.objects.exists() and "Nothing was saved" in response.content.decode()
    client.post(
        reverse("core:consent_add", args=[world.person.pk]),
        {"purpose": "referral", "scope": ["identity"], "evidence": "Form 7", "recipients": [world.ngo.pk]},
    )
    assert Consent.objects.get().evidence == "Form 7"


def test_erasure_through_the_page_needs_confirmation(world: World) -> None:
    client = signed_in(world.users[Role.ORG_ADMIN])
    response = client.post(reverse("core:person_erase", args=[world.person.pk]), {"reason": "Asked on 1 May"})
    assert response.status_code == 400 and not Person.objects.get(pk=world.person.pk).is_anonymised
    client.post(reverse("core:person_erase", args=[world.person.pk]), {"reason": "Asked on 1 May", "confirm": "on"})
    assert Person.objects.get(pk=world.person.pk).is_anonymised


@pytest.mark.parametrize(
    ("lang", "direction", "text"),
    [
        ("en", "ltr", "Your own path to work"),
        ("pl", "ltr", "Twoja własna droga do pracy"),
        ("uk", "ltr", "Ваш власний шлях до роботи"),
        ("ru", "ltr", "Ваш собственный путь к работе"),
        ("ar", "rtl", "طريقك الخاص إلى العمل"),
    ],
)
def test_the_start_page_speaks_every_migrant_language(db: None, lang: str, direction: str, text: str) -> None:
    client = Client()
    client.cookies["django_language"] = lang
    html = client.get("/").content.decode()
    assert f'lang="{lang}" dir="{direction}"' in html and text in html


def test_switching_language_keeps_the_page(db: None) -> None:
    response = Client().post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "ar"


def test_error_pages_are_friendly(db: None, settings: object) -> None:
    settings.DEBUG = False  # type: ignore[attr-defined]
    response = Client().get("/no/such/page/")
    assert response.status_code == 404 and "We cannot find this page" in response.content.decode()


def test_healthz_reports_the_database(db: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "checks": {"database": "ok"}}


def _settings_in(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OWNPATH_", "DJANGO_SETTINGS"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='ownpath.settings'; django.setup()",
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_secrets_or_with_demo() -> None:
    assert "OWNPATH_SECRET_KEY" in _settings_in({"OWNPATH_ENV": "production"}).stderr
    full = {
        "OWNPATH_ENV": "production",
        "OWNPATH_SECRET_KEY": "k" * 60,
        "OWNPATH_ENCRYPTION_KEYS": "Z" * 43 + "=",
        "DATABASE_URL": "postgres://u:p@localhost/x",
    }
    # Uploads go to object storage in production: a bucket, or one server on its own disk said explicitly.
    assert "OWNPATH_S3_BUCKET" in _settings_in(full).stderr
    assert _settings_in({**full, "OWNPATH_STORAGE": "filesystem"}).returncode == 0
    full["OWNPATH_S3_BUCKET"] = "ownpath-media"
    assert _settings_in(full).returncode == 0
    assert "OWNPATH_DEMO" in _settings_in({**full, "OWNPATH_DEMO": "true"}).stderr


def test_demo_accounts_cannot_sign_in_when_demo_is_off(world: World, settings: object) -> None:
    from django.core.exceptions import PermissionDenied

    from ownpath.core.auth import AccountAdapter

    user = world.users[Role.COUNSELLOR]
    user.is_demo = True
    settings.OWNPATH_DEMO = False  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied):
        AccountAdapter().pre_login(None, user)  # type: ignore[arg-type]


def test_the_demo_is_reproducible_and_idempotent(db: None) -> None:
    from ownpath.core.demo import load_demo

    first = load_demo()
    assert first["people_created"] >= 200 and first["organisations"] == 16 and first["accounts"] == 13
    names = sorted(Person.objects.values_list("given_name", "family_name"))
    assert load_demo()["people_created"] == 0
    assert sorted(Person.objects.values_list("given_name", "family_name")) == names
    scripts = set(Person.objects.values_list("native_script", flat=True))
    assert {"Cyrl", "Arab", "Geor", "Latn", "Ethi", "Deva"} <= scripts


def _docx(extra: dict[str, bytes] | None = None) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_uploads_are_judged_by_their_bytes_size_and_active_content() -> None:
    assert validate_upload(io.BytesIO(b"%PDF-1.7\n1 0 obj\n"), (PDF,)) == PDF
    assert validate_upload(_docx(), (PDF, DOCX)) == DOCX
    for data, allowed, message in [
        (io.BytesIO(b"MZ\x90\x00 pretend.pdf"), (PDF,), "not accepted"),
        (io.BytesIO(b"\x89PNG\r\n\x1a\n...."), (PDF,), "not accepted"),
        (io.BytesIO(b"%PDF-1.7 /OpenAction << /JS (app.alert(1)) >>"), (PDF,), "scripts or macros"),
        (_docx({"word/vbaProject.bin": b"macro"}), (DOCX,), "scripts or macros"),
        (io.BytesIO(b""), (PDF,), "empty"),
        (io.BytesIO(b"%PDF-" + b"0" * 2048), (PDF,), "too large"),
        (io.BytesIO(b"PK\x03\x04 broken zip"), (DOCX,), "not accepted"),
    ]:
        with pytest.raises(ValidationError, match=message):
            validate_upload(data, allowed, max_bytes=1024)
    assert PNG


def test_background_is_added_from_the_tab_and_bad_dates_are_refused(world: World) -> None:
    client = signed_in(world.users[Role.COUNSELLOR])
    url = lambda kind: reverse("core:background_add", args=[world.person.pk, kind])  # noqa: E731
    client.post(
        url("qualification"),
        {
            "qualification-title": "Diploma of nursing",
            "qualification-country": "UA",
            "qualification-year": "2010",
            "qualification-recognition": "in_progress",
        },
    )
    client.post(
        url("work"),
        {"work-job_title": "Nurse", "work-country": "UA", "work-start": "2011-09-01", "work-end": "2022-02-01"},
    )
    client.post(url("need"), {"need-kind": "childcare", "need-details": "Kindergarten near Gdynia"})
    assert world.person.qualifications.get().title == "Diploma of nursing"
    assert world.person.work_history.get().job_title == "Nurse"
    assert world.person.needs.get().details == "Kindergarten near Gdynia"
    response = client.post(
        url("work"), {"work-job_title": "Cook", "work-start": "2020-01-01", "work-end": "2019-01-01"}, follow=True
    )
    assert "The end cannot be before the start." in response.content.decode()
    client.post(
        url("qualification"),
        {"qualification-title": "X", "qualification-year": "1492", "qualification-recognition": "recognised"},
    )
    assert world.person.work_history.count() == 1 and world.person.qualifications.count() == 1
    assert client.post(url("nonsense"), {}).status_code == 404
    assert signed_in(world.users[Role.CULTURAL_MEDIATOR]).post(url("need"), {"need-kind": "other"}).status_code == 403


def test_network_admins_keep_the_hierarchy_valid(world: World) -> None:
    from ownpath.core.models import Organisation

    client = signed_in(world.users[Role.NETWORK_ADMIN])
    metropolis = world.county.parent
    response = client.post(
        reverse("core:organisation_create"),
        {"name": "Reda", "slug": "reda", "kind": "municipality", "parent": metropolis.pk},
    )
    assert response.status_code == 400 and not Organisation.objects.filter(slug="reda").exists()
    assert "cannot be part of the chosen organisation" in response.content.decode()
    response = client.post(
        reverse("core:organisation_create"),
        {"name": "Reda", "slug": "reda", "kind": "municipality", "parent": world.county.pk},
    )
    assert response.status_code == 302 and Organisation.objects.get(slug="reda").parent == world.county
    response = client.post(
        reverse("core:organisation_edit", args=[world.county.pk]),
        {
            "name": "County",
            "slug": world.county.slug,
            "kind": "county",
            "parent": Organisation.objects.get(slug="reda").pk,
        },
    )
    assert response.status_code == 400 and Organisation.objects.get(pk=world.county.pk).parent == metropolis


def test_organisation_admins_give_and_end_roles(world: World) -> None:
    from ownpath.core.models import Membership, User

    admin = world.users[Role.ORG_ADMIN]
    client = signed_in(admin)
    url = reverse("core:member_add", args=[world.centre.pk])
    response = client.post(url, {"email": "new.counsellor@example.org", "role": "counsellor"}, follow=True)
    assert (
        "give the person" in response.content.decode()
        and not User.objects.filter(email="new.counsellor@example.org").exists()
    )
    client.post(
        url, {"email": "New.Counsellor@example.org", "role": "counsellor", "first_name": "Nadia", "last_name": "Bilyk"}
    )
    user = User.objects.get(email="new.counsellor@example.org")
    assert not user.has_usable_password() and Membership.objects.get(user=user).organisation == world.centre
    client.post(url, {"email": "x@example.org", "role": "network_admin", "first_name": "X", "last_name": "Y"})
    assert not User.objects.filter(email="x@example.org").exists()
    own = admin.memberships.get(role="org_admin")
    client.post(reverse("core:membership_end", args=[own.pk]))
    own.refresh_from_db()
    assert own.is_active
    response = signed_in(world.users[Role.ORG_ADMIN]).get(reverse("core:organisation", args=[world.ngo.pk]))
    assert "Staff and roles" not in response.content.decode()


def test_the_header_shows_the_organisation_people_are_added_to(world: World) -> None:
    from ownpath.core.models import Membership

    counsellor = world.users[Role.COUNSELLOR]
    Membership.objects.create(user=counsellor, organisation=world.ngo, role=Role.COUNSELLOR)
    client = signed_in(counsellor)
    html = client.get(reverse("core:person_create")).content.decode()
    assert f'<option value="{world.centre.pk}" selected>' in html and "will be held by Centre" in html
    client.post(reverse("core:switch_organisation"), {"organisation": world.ngo.pk})
    html = client.get(reverse("core:person_create")).content.decode()
    assert f'<option value="{world.ngo.pk}" selected>' in html and "will be held by NGO" in html
    client.post(reverse("core:switch_organisation"), {"organisation": world.employer.pk})
    assert "will be held by NGO" in client.get(reverse("core:person_create")).content.decode()


def test_only_counsellors_of_the_holder_can_be_assigned(world: World) -> None:
    client = signed_in(world.users[Role.COUNSELLOR])
    url = reverse("core:person_edit", args=[world.person.pk])
    base = {
        "given_name_native": "Олександр",
        "family_name_native": "Шевченко",
        "residence_status": "temporary_protection",
        "lang-TOTAL_FORMS": "0",
        "lang-INITIAL_FORMS": "0",
        "lang-MIN_NUM_FORMS": "0",
        "lang-MAX_NUM_FORMS": "10",
    }
    # The edit form's hidden version, of the record as stored.
    base["version"] = people_service.person_version(Person.objects.get(pk=world.person.pk))
    outsider = world.users["ngo_counsellor"]
    response = client.post(url, {**base, "assigned_counsellor": outsider.pk})
    assert response.status_code == 400 and Person.objects.get(pk=world.person.pk).assigned_counsellor is None
    response = client.post(
        url, {**base, "assigned_counsellor": world.users[Role.COUNSELLOR].pk, "youngest_child_birth_year": "2023"}
    )
    person = Person.objects.get(pk=world.person.pk)
    assert response.status_code == 302 and person.assigned_counsellor == world.users[Role.COUNSELLOR]
    assert person.youngest_child_birth_year == 2023
    base["version"] = people_service.person_version(person)
    assert client.post(url, {**base, "youngest_child_birth_year": "1900"}).status_code == 400
