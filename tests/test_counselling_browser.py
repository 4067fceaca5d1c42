"""One person followed in a real browser on a phone-sized screen: intake, assessment, path, a session with
a psychological note, a referral accepted by another organisation, an employment outcome; axe-core on
every page on the way."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.utils import timezone

from ownpath.core.choices import Role
from ownpath.modules.counselling.models import FollowUp, Referral, Session, Step
from tests.conftest import World
from tests.test_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_page(browser: object) -> Iterator[Callable[[], object]]:
    """Pages in separate contexts, one per person signing in, on a phone-sized screen."""
    contexts = []

    def make() -> object:
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)  # type: ignore[attr-defined]
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_one_person_from_intake_to_a_job(live_server: object, open_page: Callable[[], object], world: World) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    person_url = f"{base}/people/{world.person.pk}/"
    counsellor = open_page()
    sign_in(counsellor, base, world.users[Role.COUNSELLOR].email)

    # Intake: how the person came, with an interpreter.
    counsellor.goto(person_url + "?tab=assessment")  # type: ignore[attr-defined]
    assert_accessible(counsellor)
    counsellor.select_option("#id_intake-came_via", "helpline")  # type: ignore[attr-defined]
    counsellor.check("#id_intake-interpreter_used")  # type: ignore[attr-defined]
    counsellor.select_option("#id_intake-interpreter_language", "uk")  # type: ignore[attr-defined]
    counsellor.click("text=Save intake")  # type: ignore[attr-defined]
    counsellor.wait_for_selector(".msg.success")  # type: ignore[attr-defined]
    assert "Helpline" in counsellor.content()  # type: ignore[attr-defined]
    assert_accessible(counsellor)

    # Assessment: it suggests the steps; the counsellor accepts the language course.
    counsellor.check("#id_assessment-single_parent")  # type: ignore[attr-defined]
    counsellor.check("#id_assessment-childcare_needed")  # type: ignore[attr-defined]
    counsellor.fill("#id_assessment-goals", "Work as a nurse again")  # type: ignore[attr-defined]
    counsellor.click("text=Save assessment")  # type: ignore[attr-defined]
    counsellor.wait_for_url("**?tab=path")  # type: ignore[attr-defined]
    assert counsellor.locator("text=Suggested by the assessment").is_visible()  # type: ignore[attr-defined]
    assert_accessible(counsellor)
    counsellor.click("button:has-text('Accept: Language course')")  # type: ignore[attr-defined]
    counsellor.wait_for_selector(".msg.success")  # type: ignore[attr-defined]
    step = Step.objects.get(person=world.person, kind="language_course")
    assert_accessible(counsellor)

    # A step ending before it starts is refused, with the reason, and nothing changes.
    counsellor.goto(f"{base}/counselling/steps/{step.pk}/")  # type: ignore[attr-defined]
    assert_accessible(counsellor)
    counsellor.fill("#id_planned_start", "2026-12-10")  # type: ignore[attr-defined]
    counsellor.fill("#id_planned_end", "2026-12-01")  # type: ignore[attr-defined]
    counsellor.click("button[type=submit].primary")  # type: ignore[attr-defined]
    assert counsellor.locator(".error-summary").is_visible()  # type: ignore[attr-defined]
    assert "cannot end before it starts" in counsellor.content()  # type: ignore[attr-defined]
    step.refresh_from_db()
    assert step.version == 1 and step.planned_end is None
    assert_accessible(counsellor)
    counsellor.fill("#id_planned_end", "2027-03-01")  # type: ignore[attr-defined]
    counsellor.select_option("#id_status", "in_progress")  # type: ignore[attr-defined]
    counsellor.click("button[type=submit].primary")  # type: ignore[attr-defined]
    counsellor.wait_for_url("**?tab=path")  # type: ignore[attr-defined]
    step.refresh_from_db()
    assert step.version == 2 and step.status == "in_progress"

    # A psychologist holds a session and writes a psychological note.
    psychologist = open_page()
    sign_in(psychologist, base, world.users[Role.PSYCHOLOGIST].email)
    psychologist.goto(person_url + "?tab=sessions")  # type: ignore[attr-defined]
    assert_accessible(psychologist)
    psychologist.select_option("#id_session-kind", "psychological")  # type: ignore[attr-defined]
    psychologist.fill("#id_session-starts_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))  # type: ignore[attr-defined]
    psychologist.select_option("#id_session-mode", "video")  # type: ignore[attr-defined]
    psychologist.select_option("#id_session-note_group", "psychological")  # type: ignore[attr-defined]
    psychologist.fill("#id_session-note", "Nightmares since the evacuation; breathing exercises agreed.")  # type: ignore[attr-defined]
    psychologist.click("text=Save session")  # type: ignore[attr-defined]
    psychologist.wait_for_selector(".msg.success")  # type: ignore[attr-defined]
    assert "Nightmares" in psychologist.content()  # type: ignore[attr-defined]
    assert_accessible(psychologist)
    assert Session.objects.filter(person=world.person, kind="psychological").exists()
    counsellor.goto(person_url + "?tab=sessions")  # type: ignore[attr-defined]
    assert "Nightmares" not in counsellor.content(), "the counsellor never reads psychological notes"  # type: ignore[attr-defined]

    # A referral without consent is refused; with the consent recorded, it goes.
    counsellor.goto(person_url + "?tab=referrals")  # type: ignore[attr-defined]
    assert_accessible(counsellor)
    counsellor.click("summary:has-text('Refer to another organisation')")  # type: ignore[attr-defined]
    counsellor.select_option("#id_referral-to_organisation", str(world.ngo.pk))  # type: ignore[attr-defined]
    counsellor.fill("#id_referral-service", "Polish course B1")  # type: ignore[attr-defined]
    counsellor.click("text=Send referral")  # type: ignore[attr-defined]
    counsellor.wait_for_selector(".msg.error")  # type: ignore[attr-defined]
    assert "consent" in counsellor.locator(".msg.error").inner_text()  # type: ignore[attr-defined]
    assert not Referral.objects.exists()
    assert_accessible(counsellor)
    counsellor.goto(person_url + "?tab=consent")  # type: ignore[attr-defined]
    counsellor.select_option("#id_purpose", "referral")  # type: ignore[attr-defined]
    counsellor.check(f"input[name=recipients][value='{world.ngo.pk}']")  # type: ignore[attr-defined]
    counsellor.check("input[name=scope][value=identity]")  # type: ignore[attr-defined]
    counsellor.check("input[name=scope][value=languages]")  # type: ignore[attr-defined]
    counsellor.fill("#id_evidence", "Signed form 7/2026")  # type: ignore[attr-defined]
    counsellor.click("text=Record consent")  # type: ignore[attr-defined]
    counsellor.wait_for_selector(".msg.success")  # type: ignore[attr-defined]
    counsellor.goto(person_url + "?tab=referrals")  # type: ignore[attr-defined]
    counsellor.click("summary:has-text('Refer to another organisation')")  # type: ignore[attr-defined]
    counsellor.select_option("#id_referral-to_organisation", str(world.ngo.pk))  # type: ignore[attr-defined]
    counsellor.fill("#id_referral-service", "Polish course B1")  # type: ignore[attr-defined]
    counsellor.check("input[name='referral-scope'][value=languages]")  # type: ignore[attr-defined]
    counsellor.select_option("#id_referral-step", str(step.pk))  # type: ignore[attr-defined]
    counsellor.click("text=Send referral")  # type: ignore[attr-defined]
    counsellor.wait_for_selector(".msg.success")  # type: ignore[attr-defined]
    assert_accessible(counsellor)

    # The NGO's counsellor accepts it; they see the person, not the psychological note.
    ngo = open_page()
    sign_in(ngo, base, world.users["ngo_counsellor"].email)
    ngo.goto(f"{base}/counselling/referrals/")  # type: ignore[attr-defined]
    assert "Polish course B1" in ngo.content()  # type: ignore[attr-defined]
    assert_accessible(ngo)
    ngo.select_option("select[name=decision]", "accept")  # type: ignore[attr-defined]
    ngo.click("text=Save decision")  # type: ignore[attr-defined]
    ngo.wait_for_selector(".msg.success")  # type: ignore[attr-defined]
    assert Referral.objects.get().status == "accepted"
    assert_accessible(ngo)
    ngo.goto(person_url + "?tab=notes")  # type: ignore[attr-defined]
    assert "Шевченко" in ngo.content() and "Nightmares" not in ngo.content()  # type: ignore[attr-defined]
    assert_accessible(ngo)

    # Back at the centre: the job, and its follow-ups.
    counsellor.goto(person_url + "?tab=outcomes")  # type: ignore[attr-defined]
    assert_accessible(counsellor)
    counsellor.click("summary:has-text('Record an outcome')")  # type: ignore[attr-defined]
    counsellor.select_option("#id_outcome-kind", "employment")  # type: ignore[attr-defined]
    counsellor.fill("#id_outcome-employer", "Szpital Miejski w Gdyni")  # type: ignore[attr-defined]
    counsellor.fill("#id_outcome-occupation", "Nurse assistant")  # type: ignore[attr-defined]
    counsellor.select_option("#id_outcome-contract_type", "fixed_term")  # type: ignore[attr-defined]
    counsellor.fill("#id_outcome-hours_per_week", "38")  # type: ignore[attr-defined]
    counsellor.fill("#id_outcome-start", timezone.localdate().isoformat())  # type: ignore[attr-defined]
    counsellor.click("text=Save outcome")  # type: ignore[attr-defined]
    counsellor.wait_for_selector(".msg.success")  # type: ignore[attr-defined]
    assert "Szpital Miejski w Gdyni" in counsellor.content()  # type: ignore[attr-defined]
    assert FollowUp.objects.filter(outcome__person=world.person).count() == 3
    assert_accessible(counsellor)
    counsellor.goto(f"{base}/counselling/")  # type: ignore[attr-defined]
    assert_accessible(counsellor)


@pytest.mark.parametrize("language", ["uk", "ar"])
def test_the_person_reads_their_own_path_in_their_language(
    live_server: object, open_page: Callable[[], object], world: World, language: str
) -> None:
    from allauth.mfa.models import Authenticator

    from ownpath.core.models import Person
    from ownpath.modules.counselling import services
    from tests.factories import PASSWORD, UserFactory

    services.add_step(
        world.users[Role.COUNSELLOR],
        world.person,
        {
            "kind": "recognition",
            "title": "Uznanie dyplomu pielęgniarki",
            "responsible_organisation": world.centre,
            "planned_start": timezone.localdate(),
        },
        channel="system",  # type: ignore[arg-type]
    )
    account = UserFactory(preferred_language=language)
    Authenticator.objects.filter(user=account).delete()  # people's own accounts have no second factor
    Person.objects.filter(pk=world.person.pk).update(account=account)
    base = live_server.url  # type: ignore[attr-defined]
    page = open_page()
    page.goto(f"{base}/")  # type: ignore[attr-defined]
    page.select_option("#lang-switch", language)  # type: ignore[attr-defined]
    page.click("form.lang button[type=submit]")  # type: ignore[attr-defined]
    page.goto(f"{base}/accounts/login/")  # type: ignore[attr-defined]
    page.fill("#id_login", account.email)  # type: ignore[attr-defined]
    page.fill("#id_password", PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    page.wait_for_url("**/counselling/my-path/")  # type: ignore[attr-defined]
    html = page.locator("html")  # type: ignore[attr-defined]
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    heading = {"uk": "Мій шлях", "ar": "مساري"}[language]
    assert page.locator("h1").inner_text() == heading  # type: ignore[attr-defined]
    kind = {"uk": "Визнання кваліфікацій", "ar": "الاعتراف بالمؤهلات"}[language]
    assert kind in page.content() and "Uznanie dyplomu" in page.content()  # type: ignore[attr-defined]
    assert_accessible(page)
