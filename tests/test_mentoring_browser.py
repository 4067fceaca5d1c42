"""Mentoring and training in a real browser on a phone: a coordinator (also a trainer of her NGO) enrols a
would-be mentor in the mentor path, records attendance, results and completion, issues the certificate
(whose public verification page works), approves her and matches her with a mentee; both accept the
contract in their own languages (the mentee in Ukrainian, the mentor in Polish); a meeting is logged.
axe-core checks every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ownpath.core.choices import Role
from ownpath.core.models import Membership
from ownpath.core.services import people
from ownpath.modules.mentoring import services as mentoring
from ownpath.modules.mentoring.models import Meeting, Mentor, Pair
from ownpath.modules.training import services as training
from ownpath.modules.training.models import Certificate, Curriculum, Enrolment
from tests.conftest import World
from tests.test_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}


def test_from_the_mentor_path_to_a_first_meeting(
    live_server: object, page: object, browser: object, world: World
) -> None:
    training.ensure_attendance_statuses()
    training.ensure_seed_curricula()
    coordinator = world.users["mentoring_coordinator"]
    Membership.objects.create(user=coordinator, organisation=world.centre, role=Role.TRAINER)
    today = timezone.localdate()
    course = training.plan_course(
        coordinator,
        world.centre,
        Curriculum.objects.get(key="mentor-path", version=1),
        title="Mentor path, autumn",
        starts_on=today - timedelta(days=14),
        ends_on=today,
    )
    start = timezone.now() - timedelta(days=7)
    session = training.add_session(coordinator, course, starts_at=start, ends_at=start + timedelta(hours=3))
    would_be = mentoring.create_mentor(
        coordinator,
        world.centre,
        {"name": "Natalia Bondar", "email": "natalia@example.org", "preferred_language": "pl", "kind": "peer",
         "languages": [["uk", "native"], ["pl", "C1"]], "country_of_origin": "UA", "lived_experience": ["refugee"],
         "municipality": "Gdynia", "availability": ["weekday_evening"], "capacity": 1},
    )  # fmt: skip
    person = people.create_person(world.users["counsellor"], world.centre, {"given_name": "Olena", "family_name": "Koval",
                                  "given_name_native": "Олена", "family_name_native": "Коваль", "preferred_language": "uk"})  # fmt: skip
    people.set_languages(world.users["counsellor"], person, [("uk", "native")], channel="ui")
    mentoring.register_mentee(coordinator, world.centre, person, {"preferred_language": "uk", "municipality": "Gdynia",
                              "lived_experience": ["refugee"], "availability": ["weekday_evening"]})  # fmt: skip
    base = live_server.url  # type: ignore[attr-defined]
    sign_in(page, base, coordinator.email)

    # The curricula: list, the shipped mentor path, a new draft with its building forms.
    page.goto(f"{base}/training/curricula/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.goto(f"{base}/training/curricula/{course.curriculum_id}/?lang=uk")  # type: ignore[attr-defined]
    assert "Шлях" in page.content()  # type: ignore[attr-defined]
    assert_accessible(page)
    page.goto(f"{base}/training/curricula/new/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.fill("#id_title", "Workshop for migrants: rights at work")  # type: ignore[attr-defined]
    page.select_option("#id_purpose", "migrant_workshop")  # type: ignore[attr-defined]
    page.click("#curriculum-form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("#add_module-form", state="attached")  # type: ignore[attr-defined]
    assert_accessible(page)

    # Training: enrol, attendance, results, completion, certificate.
    page.goto(f"{base}/training/courses/{course.pk}/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.click("text=Enrol someone")  # type: ignore[attr-defined]
    page.fill("#id_enrol-name", "Natalia Bondar")  # type: ignore[attr-defined]
    page.fill("#id_enrol-email", "natalia@example.org")  # type: ignore[attr-defined]
    page.select_option("#id_enrol-language", "pl")  # type: ignore[attr-defined]
    page.click("#enrol-form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("text=Natalia Bondar is enrolled.")  # type: ignore[attr-defined]
    enrolment = Enrolment.objects.get(email="natalia@example.org")
    page.goto(f"{base}/training/sessions/{session.pk}/attendance/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.select_option(f"#mark-{enrolment.pk}", "present")  # type: ignore[attr-defined]
    page.click("#attendance-form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("text=Attendance saved.")  # type: ignore[attr-defined]
    page.goto(f"{base}/training/enrolments/{enrolment.pk}/")  # type: ignore[attr-defined]
    assert_accessible(page)
    for assessment in course.curriculum.assessments.all():
        page.select_option("#id_result-assessment", str(assessment.pk))  # type: ignore[attr-defined]
        page.fill("#id_result-score", str(assessment.max_score))  # type: ignore[attr-defined]
        page.click("#result-form button[type=submit]")  # type: ignore[attr-defined]
        page.wait_for_selector("text=Result saved.")  # type: ignore[attr-defined]
    page.click("#complete-form button[value=complete]")  # type: ignore[attr-defined]
    page.wait_for_selector("text=Completed.")  # type: ignore[attr-defined]
    page.click("#certificate-form button")  # type: ignore[attr-defined]
    page.wait_for_selector("text=Certificate issued.")  # type: ignore[attr-defined]
    assert_accessible(page)
    certificate = Certificate.objects.get(enrolment=enrolment)
    public = browser.new_context(**PHONE).new_page()  # type: ignore[attr-defined]
    public.goto(f"{base}/training/verify/")
    assert_accessible(public)
    public.fill("#id_code", certificate.code.lower())
    public.click("#verify-form button[type=submit]")
    public.wait_for_selector("text=This certificate is valid.")
    assert "Natalia Bondar" in public.content()
    assert_accessible(public)

    # Mentoring: the gate is open, approval, a global match, publication.
    page.goto(f"{base}/mentoring/mentors/{would_be.pk}/")  # type: ignore[attr-defined]
    # The training module's completion event already opened the gate: no manual record needed.
    page.wait_for_selector("text=Mentor path completed (training module).")  # type: ignore[attr-defined]
    page.click("#approve-form button")  # type: ignore[attr-defined]
    page.wait_for_selector("text=Approved: the mentor can now be matched.")  # type: ignore[attr-defined]
    assert_accessible(page)
    assert Mentor.objects.get(pk=would_be.pk).matchable
    page.goto(f"{base}/mentoring/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.click("#match-form button")  # type: ignore[attr-defined]
    page.wait_for_url("**/mentoring/matches/*/")  # type: ignore[attr-defined]
    assert "Both speak Ukrainian" in page.content()  # type: ignore[attr-defined]
    assert_accessible(page)
    page.click("#publish-form button")  # type: ignore[attr-defined]
    page.wait_for_selector("text=Published: 1 pairs now agree their contracts.")  # type: ignore[attr-defined]
    pair = Pair.objects.get()

    # The contract, written in Polish with the goal translated into Ukrainian; each party's link.
    page.goto(f"{base}/mentoring/pairs/{pair.pk}/")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.select_option("#id_contract-language", "pl")  # type: ignore[attr-defined]
    page.fill("#id_contract-goal_1", "Znaleźć pracę jako pielęgniarka.")  # type: ignore[attr-defined]
    page.fill("#id_contract-goal_1__uk", "Знайти роботу медсестрою.")  # type: ignore[attr-defined]
    page.fill("#id_contract-rules", "Spotykamy się punktualnie.")  # type: ignore[attr-defined]
    page.fill("#id_contract-rules__uk", "Зустрічаємося вчасно.")  # type: ignore[attr-defined]
    page.click("#contract-form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("#link-mentee")  # type: ignore[attr-defined]
    assert_accessible(page)
    mentee_link = page.get_attribute("#link-mentee", "href")  # type: ignore[attr-defined]
    mentor_link = page.get_attribute("#link-mentor", "href")  # type: ignore[attr-defined]

    mentee_page = browser.new_context(**PHONE).new_page()  # type: ignore[attr-defined]
    mentee_page.goto(mentee_link)
    assert mentee_page.get_attribute("html", "lang") == "uk"
    assert "Знайти роботу медсестрою." in mentee_page.content() and "Конфіденційність" in mentee_page.content()
    assert_accessible(mentee_page)
    mentee_page.click("#accept-form button")
    mentee_page.wait_for_selector("text=Дякуємо: ви прийняли контракт.")
    assert_accessible(mentee_page)
    mentor_page = browser.new_context(**PHONE).new_page()  # type: ignore[attr-defined]
    mentor_page.goto(mentor_link)
    assert (
        mentor_page.get_attribute("html", "lang") == "pl"
        and "Znaleźć pracę jako pielęgniarka." in mentor_page.content()
    )
    mentor_page.click("#accept-form button")
    mentor_page.wait_for_selector("text=Oboje zaakceptowaliście ten kontrakt.")
    assert_accessible(mentor_page)
    pair.refresh_from_db()
    assert pair.status == "active"
    accepted = {p.party: p.accepted_language for p in pair.contracts.get().parties.all()}
    assert accepted == {"mentee": "uk", "mentor": "pl"}

    # The first meeting.
    page.goto(f"{base}/mentoring/pairs/{pair.pk}/")  # type: ignore[attr-defined]
    page.click("text=Log a meeting")  # type: ignore[attr-defined]
    page.fill("#id_meeting-minutes", "75")  # type: ignore[attr-defined]
    page.fill("#id_meeting-topics", "Getting to know each other; the CV")  # type: ignore[attr-defined]
    page.click("#meeting-form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("text=Meeting logged.")  # type: ignore[attr-defined]
    assert_accessible(page)
    assert Meeting.objects.get(pair=pair).minutes == 75
