"""Classes of bad input refused with a message on forms and the API, nothing changed: phone numbers, dates out
of any plausible range, the same language twice; and imports that report and recover (progress committed as
it goes, an import whose worker died marked failed, or completed by the next worker)."""

from __future__ import annotations

import json
import threading
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from ownpath.core.choices import Role
from ownpath.core.models import Person, PersonLanguage, WorkExperience
from ownpath.core.services import people as people_service
from ownpath.core.validators import phone_problem
from tests.conftest import World, signed_in
from tests.factories import staff

HOSTILE_PHONES = ["abc<script>", "<script>alert(1)</script>", "12", "+48 600 100 200 300 400 500", "++48600100200",
                  "600-100-200; DROP TABLE", "１２３４５６７", "tel:+48600100200"]  # fmt: skip
GOOD_PHONES = ["+48 600 100 200", "(58) 123-45-67", "600100200", "+380 44 123 4567", "112", "+48 58 301 00 00 ext. 12"]


def test_the_phone_rule() -> None:
    assert all(phone_problem(p) is None for p in GOOD_PHONES)
    assert all(phone_problem(p) for p in HOSTILE_PHONES)


@pytest.mark.parametrize("phone", ["abc<script>", "12", "++48600100200"])
def test_a_bad_phone_is_refused_by_the_api_and_the_form_and_nothing_changes(world: World, phone: str) -> None:
    counsellor = signed_in(world.users[Role.COUNSELLOR])
    person = world.person
    created = counsellor.post(
        "/api/v1/people/",
        {"given_name": "Amal", "family_name": "Hassan", "phone": phone, "confirm_new": True},
        content_type="application/json",
    )
    assert created.status_code == 422 and created.json()["error"]["details"][0]["field"] == "phone"
    patched = counsellor.patch(
        f"/api/v1/people/{person.pk}", {"phone": phone}, content_type="application/json", headers={"If-Match": "*"}
    )
    assert patched.status_code == 422 and "phone" in json.dumps(patched.json())
    form = counsellor.post(
        reverse("core:person_edit", args=[person.pk]),
        {"given_name": person.given_name, "family_name": person.family_name, "phone": phone,
         "residence_status": person.residence_status, "lang-TOTAL_FORMS": "0", "lang-INITIAL_FORMS": "0"},
        HTTP_ACCEPT_LANGUAGE="pl",
    )  # fmt: skip
    assert form.status_code == 400 and "numer telefonu" in form.content.decode()
    person.refresh_from_db()
    assert person.phone == "" and not Person.objects.filter(given_name="Amal").exists()
    ok = counsellor.patch(
        f"/api/v1/people/{person.pk}",
        {"phone": "+48 600 100 200"},
        content_type="application/json",
        headers={"If-Match": "*"},
    )
    assert ok.status_code == 200


def test_module_forms_and_apis_use_the_same_phone_rule(world: World) -> None:
    from ownpath.modules.booking.models import CV

    response = signed_in(world.users[Role.COUNSELLOR]).post(
        reverse("booking:cv_drop"),
        {"organisation": world.centre.pk, "name": "Amal", "phone": "abc<script>", "language": "ar", "agree": "on",
         "file": SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n%%EOF\n")},
    )  # fmt: skip
    assert response.status_code == 400 and not CV.objects.exists()
    assert "abc&lt;script&gt;" in response.content.decode() or "phone" in response.content.decode().lower()


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_a_residence_expiry_out_of_range_is_refused(world: World, day: str) -> None:
    counsellor = signed_in(world.users[Role.COUNSELLOR])
    person = world.person
    patched = counsellor.patch(
        f"/api/v1/people/{person.pk}",
        {"residence_expires": day},
        content_type="application/json",
        headers={"If-Match": "*"},
    )
    assert patched.status_code == 422, patched.content
    assert "residence_expires" in json.dumps(patched.json())
    form = counsellor.post(
        reverse("core:person_edit", args=[person.pk]),
        {"given_name": person.given_name, "family_name": person.family_name, "residence_expires": day,
         "residence_status": person.residence_status, "lang-TOTAL_FORMS": "0", "lang-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert form.status_code == 400
    person.refresh_from_db()
    assert person.residence_expires is None


def test_no_implausible_date_is_stored_whatever_the_path(world: World) -> None:
    with translation.override("en"), pytest.raises(ValidationError, match="between the years 1900 and 2199"):
        WorkExperience.objects.create(person=world.person, job_title="Welder", start=date(1, 1, 1))
    expiry = timezone.localdate() + timedelta(days=400)
    response = signed_in(world.users[Role.COUNSELLOR]).patch(
        f"/api/v1/people/{world.person.pk}",
        {"residence_expires": expiry.isoformat()},
        content_type="application/json",
        headers={"If-Match": "*"},
    )
    assert response.status_code == 200 and response.json()["residence_expires"] == expiry.isoformat()


def test_the_same_language_twice_is_refused_with_a_message(world: World) -> None:
    counsellor_user = world.users[Role.COUNSELLOR]
    counsellor = signed_in(counsellor_user)
    twice = [{"language": "uk", "level": "native"}, {"language": "uk", "level": "B1"}]
    created = counsellor.post(
        "/api/v1/people/",
        {"given_name": "Amal", "family_name": "Hassan", "languages": twice, "confirm_new": True},
        content_type="application/json",
    )
    assert created.status_code == 422 and "more than once" in json.dumps(created.json())
    assert not Person.objects.filter(given_name="Amal").exists()
    with translation.override("en"), pytest.raises(ValidationError, match="more than once: uk"):
        people_service.set_languages(counsellor_user, world.person, [("uk", "native"), ("uk", "B1")], channel="ui")
    person = world.person
    before = sorted(PersonLanguage.objects.filter(person=person).values_list("language", "level"))
    form = counsellor.post(
        reverse("core:person_edit", args=[person.pk]),
        {"given_name": person.given_name, "family_name": "Changed", "residence_status": person.residence_status,
         "lang-TOTAL_FORMS": "2", "lang-INITIAL_FORMS": "2", "lang-0-language": "uk", "lang-0-level": "native",
         "lang-1-language": "uk", "lang-1-level": "B1"},
        HTTP_ACCEPT_LANGUAGE="uk",
    )  # fmt: skip
    assert form.status_code == 400 and "uk" in form.content.decode()
    person.refresh_from_db()
    assert person.family_name != "Changed"
    assert sorted(PersonLanguage.objects.filter(person=person).values_list("language", "level")) == before


def test_a_json_resume_with_year_one_keeps_the_job_without_the_date(world: World) -> None:
    from ownpath.modules.matching import services as matching

    resume = {"basics": {"name": "A"}, "work": [{"name": "Yard", "position": "Welder", "startDate": "1000-01-01"}]}
    matching.import_resume(world.users[Role.COUNSELLOR], world.person, resume, language="en")
    assert WorkExperience.objects.get(person=world.person, job_title="Welder").start is None


# --- Imports that report and recover -------------------------------------------------------------------


def _organizations(count: int) -> bytes:
    import uuid

    rows = ["id,name,description"] + [f"{uuid.uuid4()},Organisation {n},Advice number {n}" for n in range(count)]
    return ("\n".join(rows) + "\n").encode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_import_progress_is_committed_as_it_goes(world: World, monkeypatch: Any) -> None:
    """Another connection (the person's progress page) sees the count grow while the import still runs."""
    from django.db import connections

    from ownpath.modules.directory import services
    from ownpath.modules.directory.models import ImportJob

    monkeypatch.setattr(services, "IMPORT_CHUNK", 10)
    seen: list[int] = []
    original = services._set_originals

    def observed(*args: Any, **kwargs: Any) -> Any:
        def look() -> None:
            seen.append(ImportJob.objects.values_list("processed", flat=True).get())
            connections.close_all()

        thread = threading.Thread(target=look)
        thread.start()
        thread.join()
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_set_originals", observed)
    admin = staff(Role.NETWORK_ADMIN, world.county)
    job = services.start_import(admin, "organizations.csv", _organizations(45), owner=None, language="en")
    services.run_import_job(job.pk, None, "en")
    job.refresh_from_db()
    assert job.status == "done" and job.processed == job.total == 45
    assert seen[0] == 0 and seen[-1] == 40 and sorted(seen) == seen, seen


def test_an_import_whose_worker_died_is_resumed_or_marked_failed(world: World, settings: Any) -> None:
    from django.db import transaction

    from ownpath.core.queue import worker as queue
    from ownpath.core.queue.models import QueuedTask
    from ownpath.modules.directory import services
    from ownpath.modules.directory.models import DirectoryOrganization, ImportJob

    settings.TASKS = {"default": {"BACKEND": "ownpath.core.queue.backend.DatabaseBackend"}}
    settings.OWNPATH_TASK_LEASE_SECONDS = 30
    admin = staff(Role.NETWORK_ADMIN, world.county)
    client = signed_in(admin)

    def start(count: int) -> ImportJob:
        with transaction.atomic():
            job = services.start_import(admin, "organizations.csv", _organizations(count), owner=None, language="en")
        # (the test runs inside a transaction: the enqueue waits for a commit that never comes)
        from ownpath.modules.directory.tasks import run_import

        run_import.enqueue(job.pk, None, "en")
        return job

    # A worker dies; the next one runs the task again and completes the import.
    job = start(3)
    later = timezone.now()
    row = queue.claim("dead-worker", ["default"], now=later)
    assert row is not None
    ImportJob.objects.filter(pk=job.pk).update(status="running")
    later += timedelta(seconds=31)
    assert queue.reap(later) == 1
    again = queue.claim("second-worker", ["default"], now=later)
    assert again is not None and queue.execute(again, "second-worker") == "SUCCESSFUL"
    job.refresh_from_db()
    assert job.status == "done" and DirectoryOrganization.objects.count() == 3

    # A worker dies on every attempt: the job is marked failed, and the person reads why in their language.
    job = start(2)
    for attempt in range(3):
        claimed = queue.claim(f"dying-{attempt}", ["default"], now=later)
        assert claimed is not None, attempt
        ImportJob.objects.filter(pk=job.pk).update(status="running", processed=1, total=2)
        later += timedelta(seconds=31)
        assert queue.reap(later) == 1
    assert QueuedTask.objects.get(pk=claimed.pk).status == "FAILED"
    job.refresh_from_db()
    assert job.status == "failed" and job.errors[0]["code"] == "worker_lost"
    page = client.get(reverse("directory:import_job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="pl")
    assert page.status_code == 200 and "Import nie został ukończony" in page.content.decode()
    assert "Zapisano 1 z 2" in page.content.decode() and "Nothing was imported" not in page.content.decode()
    with translation.override("en"):
        assert "stopped responding" in ImportJob.objects.get(pk=job.pk).failure


def test_an_import_that_crashes_is_marked_failed(
    world: World, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from ownpath.modules.directory import services
    from ownpath.modules.directory.models import ImportJob

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "import_batch", broken)
    admin = signed_in(staff(Role.NETWORK_ADMIN, world.county))
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("directory:import"), {"file": SimpleUploadedFile("organizations.csv", _organizations(2)),
                                                 "language": "en"})  # fmt: skip
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.errors[0]["code"] == "crashed"
    page = admin.get(reverse("directory:import_job", args=[job.pk])).content.decode()
    assert "error on the server" in page and "disk is full" not in page
