"""Employers and matching in a real browser on a phone: an employer posts a welder vacancy in Polish from the
ESCO occupation; a counsellor finds it for a Ukrainian client, reads the explanation and the legal route and
proposes her; the employer sees only a pseudonym; after the recorded consent the employer sees her name and
invites her to a recruitment-event slot. axe-core checks every page on the way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ownpath.core.choices import ResidenceStatus, Role
from ownpath.core.esco import loader
from ownpath.core.esco.sample_data import SAMPLE_DIR
from ownpath.core.models import Person
from ownpath.core.services import people
from ownpath.modules.employers import services as employers
from ownpath.modules.employers.models import InterviewSlot, Vacancy
from ownpath.modules.matching import index
from ownpath.modules.matching import services as matching
from ownpath.modules.matching.models import Proposal
from tests.conftest import World
from tests.test_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ukrainian_welder(world: World) -> Person:
    counsellor = world.users[Role.COUNSELLOR]
    person = world.person
    Person.objects.filter(pk=person.pk).update(
        citizenships=["UA"], residence_status=ResidenceStatus.TEMPORARY_PROTECTION, given_name="Olena",
        family_name="Kovalenko",
    )  # fmt: skip
    person.refresh_from_db()
    people.set_languages(counsellor, person, [("uk", "native"), ("pl", "B1")], channel="ui")
    matching.save_profile(counsellor, person, {"latitude": 54.52, "longitude": 18.53, "max_commute_km": 40,
                                               "hours": "any"})  # fmt: skip
    return person


def _give_skills(world: World, person: Person, vacancy: Vacancy) -> None:
    counsellor = world.users[Role.COUNSELLOR]
    matching.add_occupation(counsellor, person, vacancy.occupation.uri, 5)
    for skill in vacancy.skills.filter(essential=True).select_related("skill"):
        matching.add_skill(counsellor, person, skill.skill.uri, evidence="experience")
    matching.candidate_changed(person.pk)


def _polish(page: object, base: str) -> None:
    page.goto(f"{base}/")  # type: ignore[attr-defined]
    page.select_option("#lang-switch", "pl")  # type: ignore[attr-defined]
    page.click("form.lang button[type=submit]")  # type: ignore[attr-defined]


def test_welder_vacancy_to_proposal_consent_and_interview_slot(
    live_server: object, page: object, browser: object, world: World
) -> None:
    loader.load(SAMPLE_DIR, version="1.1.1")
    index._index.built = False
    admin, contact = world.users[Role.NETWORK_ADMIN], world.users[Role.EMPLOYER_CONTACT]
    employers.save_employer(admin, {"name": world.employer.name, "nace_section": "C", "size": "medium"}, world.employer)
    location = employers.add_location(admin, world.employer, {"name": "Hala", "city": "Gdynia", "latitude": 54.53,
                                                              "longitude": 18.54})  # fmt: skip
    person = _ukrainian_welder(world)
    base = live_server.url  # type: ignore[attr-defined]

    # The employer, in Polish, posts the vacancy from the ESCO occupation found by its Polish name.
    _polish(page, base)
    sign_in(page, base, contact.email)
    page.goto(f"{base}/employers/{world.employer.pk}/vacancies/new/")  # type: ignore[attr-defined]
    assert page.locator("html").get_attribute("lang") == "pl"  # type: ignore[attr-defined]
    assert_accessible(page)
    page.fill("#occupation_q", "spawacz")  # type: ignore[attr-defined]
    page.click("#find-occupation")  # type: ignore[attr-defined]
    page.wait_for_selector("input[name=occupation]")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.click("#prefill")  # type: ignore[attr-defined]
    page.wait_for_selector("#occupation-chosen")  # type: ignore[attr-defined]
    assert page.locator("select[name^='role:']").count() > 3  # type: ignore[attr-defined]
    assert_accessible(page)
    today = timezone.localdate()
    page.fill("#id_title", "Spawacz MIG/MAG")  # type: ignore[attr-defined]
    page.fill("#id_description", "Spawanie konstrukcji stalowych w hali w Gdyni.")  # type: ignore[attr-defined]
    page.select_option("#id_location", str(location.pk))  # type: ignore[attr-defined]
    page.select_option("#id_contract_type", "employment")  # type: ignore[attr-defined]
    page.select_option("#id_hours", "full_time")  # type: ignore[attr-defined]
    page.fill("#id_wage_min", "7000")  # type: ignore[attr-defined]
    page.fill("#id_wage_max", "9000")  # type: ignore[attr-defined]
    page.fill("#id_starts_on", (today + timedelta(days=20)).isoformat())  # type: ignore[attr-defined]
    page.fill("#id_valid_through", (today + timedelta(days=30)).isoformat())  # type: ignore[attr-defined]
    page.select_option("#lang_0", "pl")  # type: ignore[attr-defined]
    page.select_option("#level_0", "A2")  # type: ignore[attr-defined]
    page.click("#save-vacancy")  # type: ignore[attr-defined]
    page.wait_for_selector("#publish")  # type: ignore[attr-defined]
    assert_accessible(page)
    page.click("#publish")  # type: ignore[attr-defined]
    page.wait_for_selector("a[href^='/employers/jobs/']")  # type: ignore[attr-defined]
    vacancy = Vacancy.objects.get()
    assert vacancy.status == "published" and vacancy.language == "pl"
    assert vacancy.occupation.labels.filter(language="pl", text__icontains="spawacz").exists()
    assert vacancy.skills.filter(essential=True).count() > 3

    # The employer takes part in a recruitment event with interview slots.
    start = timezone.now() + timedelta(days=5)
    event = employers.create_event(world.users[Role.COUNSELLOR], world.centre, {
        "title": "Targi pracy Gdynia", "place": "Gdynia, ul. Portowa 1", "starts_at": start,
        "ends_at": start + timedelta(hours=2)})  # fmt: skip
    employers.add_event_employer(contact, event, world.employer, vacancies=[vacancy])
    _give_skills(world, person, vacancy)

    # The counsellor finds the vacancy among the client's matching jobs, then proposes her from its candidates.
    counsellor_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)  # type: ignore[attr-defined]
    counsellor = counsellor_context.new_page()
    sign_in(counsellor, base, world.users[Role.COUNSELLOR].email)
    counsellor.goto(f"{base}/matching/people/{person.pk}/jobs/")
    counsellor.wait_for_selector("#jobs")
    assert "Spawacz MIG/MAG" in counsellor.locator("#jobs").inner_text()
    assert_accessible(counsellor)
    counsellor.goto(f"{base}/matching/vacancies/{vacancy.pk}/")
    candidates = counsellor.locator("#candidates").inner_text()
    assert "Olena Kovalenko" in candidates
    assert "Legal route" in candidates and "essential" in candidates.lower()
    assert counsellor.locator("#candidates .factors li").count() >= 5
    assert_accessible(counsellor)
    counsellor.click("#candidates button.primary")
    counsellor.wait_for_selector("#candidates a[href^='/matching/proposals/']")
    assert_accessible(counsellor)
    counsellor.click("#candidates a[href^='/matching/proposals/']")
    counsellor.wait_for_selector("#consent-form")
    proposal = Proposal.objects.get()
    assert proposal.person_id == person.pk and proposal.status == "proposed"
    assert_accessible(counsellor)

    # Before consent the employer sees a pseudonym, never the name.
    page.goto(f"{base}/matching/proposals/{proposal.pk}/")  # type: ignore[attr-defined]
    text = page.locator("main").inner_text()  # type: ignore[attr-defined]
    assert proposal.code in text and "Kovalenko" not in text and page.locator("#invite-form").count() == 0  # type: ignore[attr-defined]
    assert_accessible(page)

    # The counsellor records the consent; the employer then sees the name and invites her to a slot.
    counsellor.fill("#evidence", "Podpisany formularz zgody, 23.11.2026")
    counsellor.click("#consent-form button[type=submit]")
    counsellor.wait_for_selector(".ok")
    assert_accessible(counsellor)
    page.goto(f"{base}/matching/proposals/{proposal.pk}/")  # type: ignore[attr-defined]
    page.wait_for_selector("#candidate-name")  # type: ignore[attr-defined]
    assert "Olena Kovalenko" in page.locator("#candidate-name").inner_text()  # type: ignore[attr-defined]
    assert_accessible(page)
    page.click("#invite-form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("p.ok")  # type: ignore[attr-defined]
    assert "Targi pracy Gdynia" in page.locator("p.ok").inner_text()  # type: ignore[attr-defined]
    assert_accessible(page)
    proposal.refresh_from_db()
    slot = InterviewSlot.objects.get(pk=proposal.invited_slot["id"])
    assert proposal.status == "invited" and slot.registration.person_id == person.pk
    counsellor_context.close()
