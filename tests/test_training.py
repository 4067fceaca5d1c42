"""Training: shipped curricula and versions, courses, enrolment with a waiting list, attendance, completion
rules, certificates with public verification and Open Badges, permissions and the API."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from ownpath.core import events
from ownpath.core.models import AuditEvent, Translation
from ownpath.core.services import translations
from ownpath.modules.training import badges, services
from ownpath.modules.training.models import (
    Attendance,
    Certificate,
    Course,
    CourseSession,
    Curriculum,
    Enrolment,
    Lesson,
)
from tests.conftest import World, signed_in
from tests.test_concurrency import version_in

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


@pytest.fixture
def trainer(world: World) -> Any:
    services.ensure_attendance_statuses()
    services.ensure_seed_curricula()
    return world.users["trainer"]


def _course(world: World, trainer: Any, key: str = "mentor-path", capacity: int = 3, **kw: Any) -> Course:
    start = kw.pop("starts_on", date(2027, 3, 1))
    return services.plan_course(
        trainer,
        world.centre,
        Curriculum.objects.get(key=key, version=1),
        title=kw.pop("title", "Mentor path, spring"),
        starts_on=start,
        ends_on=start + timedelta(days=14),
        capacity=capacity,
        **kw,
    )


def _session(trainer: Any, course: Course, day_offset: int = 0, hour: int = 9) -> CourseSession:
    day = course.starts_on + timedelta(days=day_offset)
    return services.add_session(trainer, course, starts_at=_at(day, hour), ends_at=_at(day, hour + 3))


def _held(*courses: Course) -> None:
    """Move the courses' sessions (keeping their order and overlaps) so that all were held by yesterday."""
    sessions = CourseSession.objects.filter(course__in=courses)
    last = max(s.ends_at for s in sessions)
    shift = last - (timezone.now() - timedelta(days=1))
    for session in sessions:
        CourseSession.objects.filter(pk=session.pk).update(
            starts_at=session.starts_at - shift, ends_at=session.ends_at - shift
        )


def _enrol(trainer: Any, course: Course, n: int, world: World) -> list[Enrolment]:
    return [
        services.enrol(trainer, course, name=f"Trainee {i}", email=f"t{i}@example.org", organisation=world.ngo)
        for i in range(n)
    ]


# --- Curricula ------------------------------------------------------------------------------------------


def test_three_curricula_ship_as_published_editable_content(trainer: Any) -> None:
    shipped = {c.key: c for c in Curriculum.objects.filter(version=1)}
    assert {"intercultural-competence", "mentor-path", "plain-language-instructors"} <= set(shipped)
    assert shipped["mentor-path"].purpose == "mentor_path" and shipped["mentor-path"].status == "published"
    mentor = shipped["mentor-path"]
    lessons = Lesson.objects.filter(module__curriculum=mentor)
    assert mentor.modules.count() == 4 and lessons.count() >= 5 and mentor.assessments.count() == 2
    # Every lesson scenario has objectives, methods and steps; titles are translated into Ukrainian.
    for lesson in lessons:
        texts = services.texts_of("lesson", lesson.pk, "en")
        assert texts["objectives"] and texts["methods"] and texts["steps"]
    assert services.texts_of("curriculum", mentor.pk, "uk")["title"].startswith("Шлях")
    assert services.ensure_seed_curricula() == 0  # idempotent


def test_a_new_version_copies_everything_and_the_published_one_is_frozen(trainer: Any) -> None:
    old = Curriculum.objects.get(key="intercultural-competence", version=1)
    title = services.texts_of("curriculum", old.pk, "en")["title"]
    with pytest.raises(ValidationError):
        services.update_texts(trainer, old, "curriculum", old.pk, {"title": "Changed"})
    new = services.new_version(trainer, old)
    assert (new.version, new.status, new.previous_id) == (2, "draft", old.pk)
    assert new.modules.count() == old.modules.count()
    assert (
        Lesson.objects.filter(module__curriculum=new).count() == Lesson.objects.filter(module__curriculum=old).count()
    )
    assert new.assessments.count() == old.assessments.count()
    assert (
        services.texts_of("curriculum", new.pk, "pl")["title"] == services.texts_of("curriculum", old.pk, "pl")["title"]
    )
    with pytest.raises(ValidationError):  # only one draft at a time
        services.new_version(trainer, old)
    services.update_texts(trainer, new, "curriculum", new.pk, {"title": title + " (2027)"})
    # Changing the original makes its translations outdated; the old version is untouched.
    row = Translation.objects.of("training", "curriculum", new.pk).get(field="title", language="pl")
    assert row.status == "outdated"
    assert translations.texts("training", "curriculum", new.pk, "pl")["title"] == (
        title + " (2027)",
        "original_fallback",
    )
    assert services.texts_of("curriculum", old.pk, "en")["title"] == title
    services.translate(trainer, new, "curriculum", new.pk, "title", "ar", "الكفاءة بين الثقافات")
    assert services.texts_of("curriculum", new.pk, "ar")["title"] == "الكفاءة بين الثقافات"


def test_only_a_providers_trainers_edit_curricula(trainer: Any, world: World) -> None:
    shared = Curriculum.objects.get(key="mentor-path", version=1)
    for role in ("counsellor", "mentoring_coordinator", "employer_contact", "auditor"):
        with pytest.raises(PermissionDenied):
            services.new_version(world.users[role], shared)


# --- Courses, sessions, enrolment ---------------------------------------------------------------------------------


def test_bad_course_and_session_input_is_refused_and_saves_nothing(trainer: Any, world: World) -> None:
    curriculum = Curriculum.objects.get(key="mentor-path", version=1)
    with pytest.raises(ValidationError) as refused:
        services.plan_course(
            trainer,
            world.centre,
            curriculum,
            title="Backwards",
            starts_on=date(2027, 3, 10),
            ends_on=date(2027, 3, 1),
            capacity=0,
            language="zz",
        )
    assert {"ends_on", "capacity", "language"} <= set(refused.value.message_dict)
    assert not Course.objects.exists()
    with pytest.raises(PermissionDenied):  # a counsellor is not a provider
        services.plan_course(
            world.users["counsellor"],
            world.centre,
            curriculum,
            title="x",
            starts_on=date(2027, 1, 1),
            ends_on=date(2027, 1, 2),
        )
    course = _course(world, trainer)
    outside = course.ends_on + timedelta(days=1)
    with pytest.raises(ValidationError, match="within the course dates"):
        services.add_session(trainer, course, starts_at=_at(outside, 9), ends_at=_at(outside, 12))
    with pytest.raises(ValidationError):
        services.add_session(trainer, course, starts_at=_at(course.starts_on, 12), ends_at=_at(course.starts_on, 9))
    assert not CourseSession.objects.exists()


def test_a_full_course_puts_people_on_a_waiting_list_that_moves_up(trainer: Any, world: World) -> None:
    course = _course(world, trainer, capacity=2)
    first, second, third, fourth = _enrol(trainer, course, 4, world)
    assert [e.status for e in (first, second, third, fourth)] == ["enrolled", "enrolled", "waiting", "waiting"]
    assert services.waiting_position(fourth) == 2
    with pytest.raises(ValidationError, match="already on this course"):
        services.enrol(trainer, course, name="Again", email="T0@example.org")
    moved = services.withdraw(trainer, first)
    assert moved is not None and moved.pk == third.pk
    third.refresh_from_db()
    assert third.status == "enrolled" and services.waiting_position(fourth) == 1


def test_staff_enrol_people_of_their_own_organisation_only(trainer: Any, world: World) -> None:
    course = _course(world, trainer)
    ngo_counsellor = world.users["ngo_counsellor"]
    services.enrol(ngo_counsellor, course, name="NGO worker", email="w@ngo.example", organisation=world.ngo)
    with pytest.raises(PermissionDenied):
        services.enrol(ngo_counsellor, course, name="Someone", email="s@centre.example", organisation=world.centre)
    # Anyone with an account may enrol themselves.
    employer = world.users["employer_contact"]
    services.enrol(employer, course, name="HR", email=employer.email, user=employer)


def test_overlapping_attendance_and_unknown_statuses_are_refused_whole(trainer: Any, world: World) -> None:
    one = _course(world, trainer, title="Course one")
    two = _course(world, trainer, key="intercultural-competence", title="Course two")
    s1, s2 = _session(trainer, one, hour=9), _session(trainer, two, hour=10)  # overlapping 10:00-12:00
    a = services.enrol(trainer, one, name="Ola", email="ola@example.org")
    b = services.enrol(trainer, one, name="Bo", email="bo@example.org")
    a2 = services.enrol(trainer, two, name="Ola", email="ola@example.org")
    _held(one, two)
    s1.refresh_from_db()
    s2.refresh_from_db()
    services.record_attendance(trainer, s1, {a.pk: "present", b.pk: "present"})
    with pytest.raises(ValidationError, match="same time"):
        services.record_attendance(trainer, s2, {a2.pk: "present"})
    services.record_attendance(trainer, s2, {a2.pk: "excused"})  # not attending: no clash
    with pytest.raises(ValidationError, match="Unknown attendance status"):
        services.record_attendance(trainer, s1, {a.pk: "absent", b.pk: "sleeping"})
    assert Attendance.objects.get(enrolment=a, session=s1).status_id == "present"  # nothing half-saved


def test_completion_follows_the_rules_and_tells_other_modules(trainer: Any, world: World, monkeypatch: Any) -> None:
    published: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(events, "publish", lambda event, **payload: published.append((event, payload)))
    course = _course(world, trainer, min_attendance=75)
    sessions = [_session(trainer, course, day_offset=d) for d in range(4)]
    enrolment = services.enrol(trainer, course, name="Hanna", email="hanna@example.org", organisation=world.ngo)
    _held(course)
    sessions = list(CourseSession.objects.filter(course=course).order_by("starts_at"))
    for session in sessions[:2]:
        services.record_attendance(trainer, session, {enrolment.pk: "present"})
    services.record_attendance(trainer, sessions[2], {enrolment.pk: "absent"})
    with pytest.raises(ValidationError) as refused:
        services.complete(trainer, enrolment)
    text = " ".join(refused.value.messages)
    assert "50%" in text and "No result yet" in text
    services.record_attendance(trainer, sessions[3], {enrolment.pk: "present"})
    services.record_attendance(trainer, sessions[2], {enrolment.pk: "excused"})  # 3 of 3 countable
    assessments = list(course.curriculum.assessments.all())
    services.record_result(trainer, enrolment, assessments[0], assessments[0].pass_score - 1)
    with pytest.raises(ValidationError, match="not passed"):
        services.complete(trainer, enrolment)
    with pytest.raises(ValidationError):
        services.record_result(trainer, enrolment, assessments[0], assessments[0].max_score + 1)
    for assessment in assessments:
        services.record_result(trainer, enrolment, assessment, assessment.max_score)
    done = services.complete(trainer, enrolment)
    assert done.status == "completed"
    assert published == [("training.completed", published[0][1])]
    payload = published[0][1]
    assert payload["purpose"] == "mentor_path" and payload["trainee_organisation_id"] == world.ngo.pk
    assert "email" not in payload and "name" not in payload  # event payloads carry ids only
    assert services.completions.completed_on("mentor_path", email="HANNA@example.org") == timezone.localdate()
    assert services.completions.completed_on("intercultural", email="hanna@example.org") is None


def _completed(world: World, trainer: Any) -> Enrolment:
    course = _course(world, trainer)
    session = _session(trainer, course)
    enrolment = services.enrol(trainer, course, name="Олена Коваль", email="olena@example.org", language="uk")
    _held(course)
    session.refresh_from_db()
    services.record_attendance(trainer, session, {enrolment.pk: "present"})
    for assessment in course.curriculum.assessments.all():
        services.record_result(trainer, enrolment, assessment, assessment.max_score)
    return services.complete(trainer, enrolment)


def test_certificates_verify_publicly_and_export_as_open_badges(trainer: Any, world: World) -> None:
    enrolment = _completed(world, trainer)
    with pytest.raises(ValidationError):
        services.issue_certificate(trainer, services.enrol(trainer, enrolment.course, name="X", email="x@example.org"))
    certificate = services.issue_certificate(trainer, enrolment)
    assert services.issue_certificate(trainer, enrolment).pk == certificate.pk  # once
    assert certificate.curriculum_title.startswith("Шлях")  # in the trainee's language
    anonymous = Client()
    page = anonymous.get(reverse("training:verified", args=[certificate.code.lower().replace("-", "")]))
    assert page.status_code == 200 and "Олена Коваль" in page.content.decode()
    assert anonymous.get(reverse("training:verified", args=["AAAA-BBBB-CCCC"])).status_code == 404
    assert anonymous.get(reverse("training:verify"), {"code": certificate.code}).status_code == 302
    # Open Badges 2.0: a hosted assertion with a hashed recipient, its BadgeClass and Issuer.
    assertion = anonymous.get(reverse("training:badge_assertion", args=[certificate.code])).json()
    assert assertion["@context"] == "https://w3id.org/openbadges/v2" and assertion["type"] == "Assertion"
    assert assertion["verification"] == {"type": "hosted"}
    assert assertion["id"].endswith(reverse("training:badge_assertion", args=[certificate.code]))
    expected = "sha256$" + hashlib.sha256(("olena@example.org" + certificate.badge_salt).encode()).hexdigest()
    assert assertion["recipient"] == {
        "type": "email",
        "hashed": True,
        "salt": certificate.badge_salt,
        "identity": expected,
    }
    assert "olena" not in str(assertion)
    badge_path = assertion["badge"].split("testserver", 1)[1]
    badge_class = anonymous.get(badge_path).json()
    for required in ("id", "type", "name", "description", "image", "criteria", "issuer"):
        assert badge_class[required], required
    issuer = anonymous.get(badge_class["issuer"].split("testserver", 1)[1]).json()
    assert issuer["type"] == "Issuer" and issuer["name"] and issuer["url"]
    assert issuer["email"] and "invalid.example" not in issuer["email"]
    # The criteria are a public page, in the reader's language (a verifier has no account).
    criteria = anonymous.get(badge_class["criteria"]["id"].split("testserver", 1)[1], HTTP_ACCEPT_LANGUAGE="pl")
    curriculum_id = badge_class["id"].rsplit("/", 1)[1].removesuffix(".json")
    title_pl = services.texts_of("curriculum", curriculum_id, "pl")["title"]
    assert criteria.status_code == 200 and escape(f"Odznaka: {title_pl}") in criteria.content.decode()
    image = anonymous.get(badge_class["image"].split("testserver", 1)[1])
    assert image["Content-Type"] == "image/svg+xml" and b"<svg" in image.content
    # The PDF, and revocation.
    pdf = signed_in(trainer).get(reverse("training:certificate_pdf", args=[enrolment.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    with pytest.raises(ValidationError):
        services.revoke_certificate(trainer, certificate, " ")
    services.revoke_certificate(trainer, certificate, "Issued to the wrong person.")
    assert badges.assertion(Certificate.objects.get(pk=certificate.pk), "https://x.example")["revoked"] is True
    assert "revoked" in anonymous.get(reverse("training:verified", args=[certificate.code])).content.decode()


def test_pages_for_every_role(trainer: Any, world: World) -> None:
    enrolment = _completed(world, trainer)
    course = enrolment.course
    curriculum = course.curriculum
    anonymous = Client()
    staff_pages = [
        reverse("training:courses"),
        reverse("training:curricula"),
        reverse("training:curriculum", args=[curriculum.pk]),
        reverse("training:course", args=[course.pk]),
    ]
    for url in staff_pages:
        assert anonymous.get(url).status_code == 302, url
    for role in ("trainer", "counsellor", "mentoring_coordinator", "employer_contact", "auditor", "org_admin"):
        client = signed_in(world.users[role])
        for url in staff_pages:
            assert client.get(url).status_code == 200, (role, url)
    # Running a course is for its provider's trainers and administrators only.
    session = course.sessions.first()
    assert session is not None
    assert signed_in(trainer).get(reverse("training:attendance", args=[session.pk])).status_code == 200
    for role in ("counsellor", "mentoring_coordinator", "ngo_counsellor", "employer_contact"):
        assert signed_in(world.users[role]).get(reverse("training:attendance", args=[session.pk])).status_code == 403
        assert signed_in(world.users[role]).get(reverse("training:enrolment", args=[enrolment.pk])).status_code == 404
    assert signed_in(world.users["ngo_counsellor"]).get(reverse("training:course_new")).status_code == 403
    text = reverse("training:curriculum_text", args=[curriculum.pk, "curriculum", curriculum.pk, "title"]) + "?lang=pl"
    assert signed_in(world.users["counsellor"]).get(text).status_code == 403
    assert signed_in(trainer).get(text).status_code == 200
    reads = AuditEvent.objects.filter(actor_id=trainer.pk, action="read", object_id=str(enrolment.pk))
    before = reads.count()
    signed_in(trainer).get(reverse("training:enrolment", args=[enrolment.pk]))
    assert reads.count() == before + 1


def test_the_attendance_page_refuses_a_clash_in_the_users_language(trainer: Any, world: World) -> None:
    one = _course(world, trainer, title="One")
    two = _course(world, trainer, key="intercultural-competence", title="Two")
    s1, s2 = _session(trainer, one), _session(trainer, two)
    a = services.enrol(trainer, one, name="Ola", email="ola@example.org")
    a2 = services.enrol(trainer, two, name="Ola", email="ola@example.org")
    _held(one, two)
    s1.refresh_from_db()
    s2.refresh_from_db()
    services.record_attendance(trainer, s1, {a.pk: "present"})
    client = signed_in(trainer)
    url = reverse("training:attendance", args=[s2.pk])
    version = version_in(client.get(url).content.decode())
    response = client.post(url, {f"mark-{a2.pk}": "present", "version": version}, HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200
    assert not Attendance.objects.filter(session=s2).exists()


def test_the_api_has_the_same_rules(trainer: Any, world: World) -> None:
    client = signed_in(trainer)
    curriculum = Curriculum.objects.get(key="mentor-path", version=1)
    listed = client.get("/api/v1/training/curricula", {"language": "uk"}).json()
    assert any(c["key"] == "mentor-path" and c["title"].startswith("Шлях") for c in listed)
    detail = client.get(f"/api/v1/training/curricula/{curriculum.pk}").json()
    assert len(detail["modules"]) == 4 and detail["modules"][0]["lessons"][0]["texts"]["objectives"]
    bad = client.post(
        "/api/v1/training/courses",
        {
            "curriculum_id": str(curriculum.pk),
            "organisation_id": world.centre.pk,
            "title": "x",
            "starts_on": "2027-05-10",
            "ends_on": "2027-05-01",
        },
        content_type="application/json",
    )
    assert bad.status_code == 422 and not Course.objects.exists()
    made = client.post(
        "/api/v1/training/courses",
        {
            "curriculum_id": str(curriculum.pk),
            "organisation_id": world.centre.pk,
            "title": "API course",
            "starts_on": "2027-05-01",
            "ends_on": "2027-05-10",
            "capacity": 1,
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    course_id = made.json()["id"]
    outside = client.post(
        f"/api/v1/training/courses/{course_id}/sessions",
        {"starts_at": "2027-06-01T09:00:00+02:00", "ends_at": "2027-06-01T12:00:00+02:00"},
        content_type="application/json",
    )
    assert outside.status_code == 422 and not CourseSession.objects.exists()
    session = client.post(
        f"/api/v1/training/courses/{course_id}/sessions",
        {"starts_at": "2027-05-02T09:00:00+02:00", "ends_at": "2027-05-02T12:00:00+02:00"},
        content_type="application/json",
    ).json()
    first = client.post(
        f"/api/v1/training/courses/{course_id}/enrolments",
        {"name": "A", "email": "a@example.org"},
        content_type="application/json",
    ).json()
    second = client.post(
        f"/api/v1/training/courses/{course_id}/enrolments",
        {"name": "B", "email": "b@example.org"},
        content_type="application/json",
    ).json()
    assert (first["status"], second["status"], second["waiting_position"]) == ("enrolled", "waiting", 1)
    _held(Course.objects.get(pk=course_id))  # attendance is recorded once a session has been held
    marks = client.post(
        f"/api/v1/training/sessions/{session['id']}/attendance",
        {"marks": {first["id"]: "present"}},
        content_type="application/json",
    )
    assert marks.status_code == 200
    for assessment in curriculum.assessments.all():
        client.post(
            f"/api/v1/training/enrolments/{first['id']}/results",
            {"assessment_id": str(assessment.pk), "score": assessment.max_score},
            content_type="application/json",
        )
    done = client.post(f"/api/v1/training/enrolments/{first['id']}/complete").json()
    assert done["status"] == "completed" and done["complete"]
    certificate = client.post(
        f"/api/v1/training/enrolments/{first['id']}/certificate", {}, content_type="application/json"
    )
    assert certificate.status_code == 201
    code = certificate.json()["code"]
    assert Client().get(f"/api/v1/training/certificates/{code}").json()["valid"] is True
    assert Client().get("/api/v1/training/certificates/NOPE").status_code == 404
    # Others: no running of somebody else's course; anonymous: nothing but verification.
    other = signed_in(world.users["ngo_counsellor"])
    assert (
        other.post(
            f"/api/v1/training/sessions/{session['id']}/attendance", {"marks": {}}, content_type="application/json"
        ).status_code
        == 403
    )
    assert other.get(f"/api/v1/training/enrolments/{first['id']}").status_code == 404
    assert Client().get("/api/v1/training/courses").status_code in (401, 403)
    assert Translation.objects.filter(module="training").exists()


def test_a_provider_builds_a_new_curriculum_and_bad_parts_save_nothing(trainer: Any, world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(trainer)
    response = client.post(
        reverse("training:curriculum_new"),
        {
            "title": "Workshop: your rights at work",
            "purpose": "migrant_workshop",
            "language": "uk",
            "organisation": world.centre.pk,
        },
    )
    curriculum = Curriculum.objects.get(key="workshop-your-rights-at-work")
    assert response.status_code == 302 and curriculum.status == "draft" and curriculum.source_language == "uk"
    url = reverse("training:curriculum", args=[curriculum.pk])
    with pytest.raises(ValidationError):
        services.publish(trainer, curriculum)  # no module yet
    client.post(url, {"action": "add_module", "module-title": "Контракт", "module-description": ""})
    module = curriculum.modules.get()
    bad = client.post(
        url,
        {
            "action": "add_lesson",
            "lesson-module": str(module.pk),
            "lesson-title": "Урок",
            "lesson-minutes": "0",
            "lesson-objectives": "",
        },
    )
    assert bad.status_code == 200 and not Lesson.objects.filter(module=module).exists()
    client.post(url, {"action": "add_lesson", "lesson-module": str(module.pk), "lesson-title": "Що є в договорі", "lesson-minutes": "60",
                      "lesson-objectives": "Учасники знають, що має бути в договорі.", "lesson-methods": "Робота в парах", "lesson-steps": "1. ..."})  # fmt: skip
    lesson = Lesson.objects.get(module=module)
    script = SimpleUploadedFile("x.pdf", b"#!/bin/sh\necho hi\n", content_type="application/pdf")
    client.post(
        url,
        {
            "action": "add_material",
            "material-lesson": str(lesson.pk),
            "material-title": "Script",
            "material-file": script,
        },
    )
    assert not lesson.materials.exists()  # not a PDF by its content: refused
    pdf = SimpleUploadedFile(
        "contract.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )
    client.post(
        url,
        {
            "action": "add_material",
            "material-lesson": str(lesson.pk),
            "material-title": "Зразок договору",
            "material-file": pdf,
        },
    )
    client.post(
        url,
        {
            "action": "add_material",
            "material-lesson": str(lesson.pk),
            "material-title": "Кодекс",
            "material-url": "https://example.org/code",
        },
    )
    assert sorted(lesson.materials.values_list("kind", flat=True)) == ["file", "link"]
    client.post(
        url,
        {
            "action": "add_assessment",
            "assessment-title": "Тест",
            "assessment-kind": "quiz",
            "assessment-max_score": "5",
            "assessment-pass_score": "9",
        },
    )
    assert not curriculum.assessments.exists()  # a pass mark above the maximum
    client.post(
        url,
        {
            "action": "add_assessment",
            "assessment-title": "Тест",
            "assessment-kind": "quiz",
            "assessment-max_score": "10",
            "assessment-pass_score": "6",
        },
    )
    assert curriculum.assessments.count() == 1
    client.post(url, {"action": "publish"})
    curriculum.refresh_from_db()
    assert curriculum.status == "published"
    # Published: the structure is frozen for everyone, and others never edit it.
    with pytest.raises(ValidationError):
        services.add_module(trainer, curriculum, title="Late")
    assert (
        signed_in(world.users["counsellor"]).post(url, {"action": "add_module", "module-title": "x"}).status_code == 403
    )


def test_providers_add_their_own_attendance_statuses(trainer: Any, world: World) -> None:
    client = signed_in(trainer)
    url = reverse("training:attendance_statuses")
    assert client.post(url, {"label": "Online, camera off", "counts_as_present": "on"}).status_code == 302
    assert client.post(url, {"label": "Odd", "counts_as_present": "on", "excused": "on"}).status_code == 200
    assert client.post(url, {"label": "Online, camera off"}).status_code == 200  # exists already
    course = _course(world, trainer)
    session = _session(trainer, course)
    enrolment = services.enrol(trainer, course, name="Ola", email="ola@example.org")
    _held(course)
    session.refresh_from_db()
    services.record_attendance(trainer, session, {enrolment.pk: "online-camera-off"})
    assert services.progress(enrolment).attended == 1
    assert signed_in(world.users["counsellor"]).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_production_without_a_badge_issuer_email_is_refused() -> None:
    from ownpath.modules.training.checks import badge_issuer_email_errors

    assert [e.id for e in badge_issuer_email_errors(True, "")] == ["ownpath.training.E001"]
    assert badge_issuer_email_errors(True, "not-an-address")
    assert badge_issuer_email_errors(True, "badges@centre.example.org") == []
    assert badge_issuer_email_errors(False, "") == []


def test_no_attendance_before_a_session_starts_and_no_completion_before_the_course_ends(
    trainer: Any, world: World
) -> None:
    course = _course(world, trainer, min_attendance=50)
    first, later = _session(trainer, course), _session(trainer, course, day_offset=7)
    enrolment = services.enrol(trainer, course, name="Hanna", email="hanna@example.org")
    with pytest.raises(ValidationError, match="once the session has started"):
        services.record_attendance(trainer, first, {enrolment.pk: "present"})
    assert not Attendance.objects.exists()
    # the first session was held, the second is still ahead: 1 of 2 attended meets 50 %, but not yet
    now = timezone.now()
    CourseSession.objects.filter(pk=first.pk).update(
        starts_at=now - timedelta(hours=4), ends_at=now - timedelta(hours=1)
    )
    CourseSession.objects.filter(pk=later.pk).update(
        starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=2, hours=3)
    )
    first.refresh_from_db()
    services.record_attendance(trainer, first, {enrolment.pk: "present"})
    for assessment in course.curriculum.assessments.all():
        services.record_result(trainer, enrolment, assessment, assessment.max_score)
    with pytest.raises(ValidationError, match="not over yet"):
        services.complete(trainer, enrolment)
    with pytest.raises(ValidationError, match="completed course"):
        services.issue_certificate(trainer, enrolment)
    enrolment.refresh_from_db()
    assert (
        enrolment.status != "completed"
        and services.completions.completed_on("mentor_path", email="hanna@example.org") is None
    )
    client, url = signed_in(trainer), reverse("training:attendance", args=[later.pk])
    version = version_in(client.get(url).content.decode())
    page = client.post(url, {f"mark-{enrolment.pk}": "present", "version": version}, HTTP_ACCEPT_LANGUAGE="pl")
    assert page.status_code == 200 and "po rozpoczęciu zajęć" in page.content.decode()
    assert not Attendance.objects.filter(session=later).exists()
