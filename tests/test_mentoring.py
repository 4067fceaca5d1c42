"""Mentoring: the training gate, mentees only under consent, explained global matching, contracts
accepted by each party in their language, meetings, fit checks, reminders, closure, the report, access and
the API."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from ownpath.core.choices import ConsentPurpose, Role
from ownpath.core.models import Notification, Person
from ownpath.core.services import consent, people
from ownpath.modules.mentoring import matching, selectors, services
from ownpath.modules.mentoring.models import Contract, Meeting, Mentee, Mentor, Pair
from tests.conftest import World, signed_in
from tests.factories import staff

pytestmark = pytest.mark.django_db


def _mentor(
    world: World, coordinator: Any, name: str, *, trained: bool = True, approved: bool = True, **values: Any
) -> Mentor:
    base = {
        "name": name,
        "email": f"{name.lower().replace(' ', '.')}@example.org",
        "kind": "peer",
        "preferred_language": "uk",
        "languages": [["uk", "native"], ["pl", "B2"]],
        "country_of_origin": "UA",
        "lived_experience": ["refugee"],
        "sector": "F",
        "municipality": "Gdynia",
        "availability": ["weekday_evening"],
        "capacity": 1,
    }
    mentor = services.create_mentor(coordinator, world.centre, {**base, **values})
    if trained:
        services.record_training(coordinator, mentor, completed_on=timezone.localdate(), evidence="ABCD-EFGH-JKLM")
    if approved and trained:
        services.approve(coordinator, mentor)
    return mentor


def _person(world: World, given: str, languages: list[tuple[str, str]]) -> Person:
    person = people.create_person(world.users["counsellor"], world.centre, {"given_name": given, "family_name": "Test"})
    people.set_languages(world.users["counsellor"], person, languages, channel="ui")
    return person


def _mentee(world: World, coordinator: Any, given: str, languages: list[tuple[str, str]], **values: Any) -> Mentee:
    person = _person(world, given, languages)
    base = {"preferred_language": "uk", "municipality": "Gdynia", "sector": "F", "availability": ["weekday_evening"]}
    return services.register_mentee(coordinator, world.centre, person, {**base, **values})


@pytest.fixture
def coordinator(world: World) -> Any:
    return world.users["mentoring_coordinator"]


def test_an_untrained_or_unapproved_mentor_is_never_proposed(world: World, coordinator: Any) -> None:
    untrained = _mentor(world, coordinator, "Untrained Perfect", trained=False)
    with pytest.raises(ValidationError, match="mentor path"):
        services.approve(coordinator, untrained)
    _mentor(world, coordinator, "Trained Unapproved", approved=False)
    trained = _mentor(world, coordinator, "Trained Approved", lived_experience=[], sector="Q", municipality="Reda")
    _mentee(world, coordinator, "Olena", [("uk", "native")], lived_experience=["refugee"])
    run = services.run_match(coordinator, world.centre)
    assert [p.mentor_id for p in run.proposals.all()] == [trained.pk]
    # Even by hand: a coordinator cannot give the mentee a mentor who is not ready.
    proposal = run.proposals.get()
    with pytest.raises(ValidationError):
        services.adjust(coordinator, proposal, untrained)
    assert set(services.free_places(world.centre.pk)) == {trained.pk}


def test_the_explanation_names_every_factor_and_is_the_score(world: World, coordinator: Any) -> None:
    _mentor(world, coordinator, "Iryna", gender="woman", latitude=54.52, longitude=18.53)
    _mentee(world, coordinator, "Oksana", [("uk", "native"), ("pl", "A2")], lived_experience=["refugee", "single_parent"],
            wants_peer=True, latitude=54.44, longitude=18.56, country_of_origin="UA")  # fmt: skip
    run = services.run_match(coordinator, world.centre)
    proposal = run.proposals.get()
    factors = {f["key"]: f for f in proposal.factors}
    assert set(factors) == set(matching.WEIGHTS)
    assert all(f["because"] and f["label"] for f in factors.values())
    assert "Ukrainian" in factors["language"]["because"]
    assert "km apart" in factors["location"]["because"]
    assert "came as a refugee" in factors["experience"]["because"] and "Ukraine" in factors["experience"]["because"]
    assert "peer mentor" in factors["preferences"]["because"]
    assert proposal.score == pytest.approx(sum(f["score"] * f["weight"] for f in factors.values()), abs=1e-3)


def test_hard_rules_language_and_gender_wishes(world: World, coordinator: Any) -> None:
    _mentor(world, coordinator, "Only Polish", languages=[["pl", "native"], ["uk", "A2"]])
    _mentor(world, coordinator, "A Man", gender="man", languages=[["ar", "native"]])
    _mentee(world, coordinator, "Amal", [("ar", "native"), ("uk", "A1")], wants_mentor_gender="woman")
    run = services.run_match(coordinator, world.centre)
    assert not run.proposals.exists()  # no shared language at B1 with the first, a wish rules out the second


def test_the_global_match_beats_greedy_choices() -> None:
    """Mentee A prefers X slightly over Y, mentee B can only take X: the optimum gives X to B."""
    x = matching.Profile(id="x", languages={"uk": "native", "ar": "native"}, municipality="Gdynia")
    y = matching.Profile(id="y", languages={"uk": "C1"}, municipality="Gdynia")
    a = matching.Profile(id="a", languages={"uk": "native"}, municipality="Gdynia")
    b = matching.Profile(id="b", languages={"ar": "native"}, municipality="Gdynia")
    result = matching.match([a, b], [x, y])
    assert sorted((i, j) for i, j, _s in result.pairs) == [(0, 1), (1, 0)]


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_matching_never_exceeds_capacity_or_breaks_hard_rules(seed: int) -> None:
    rng = random.Random(seed)
    codes, levels = ["uk", "ru", "ar", "pl"], list(matching.LEVELS)

    def profile(i: int, capacity: int) -> matching.Profile:
        return matching.Profile(
            id=i,
            languages={c: rng.choice(levels) for c in rng.sample(codes, rng.randint(1, 2))},
            gender=rng.choice(["", "woman", "man"]),
            wants_gender=rng.choice(["", "", "woman"]),
            capacity=capacity,
        )

    mentees = [profile(i, 1) for i in range(rng.randint(0, 12))]
    mentors = [profile(i, rng.randint(1, 3)) for i in range(rng.randint(0, 6))]
    result = matching.match(mentees, mentors, k=4)
    load: dict[int, int] = {}
    for i, j, score in result.pairs:
        load[j] = load.get(j, 0) + 1
        assert matching.explain(mentees[i], mentors[j]).score == pytest.approx(score, abs=1e-4) and score > 0
    assert all(load[j] <= mentors[j].capacity for j in load)
    assert len(result.pairs) + len(result.unmatched) == len(mentees)


def test_a_mentee_from_another_organisation_needs_consent_for_mentoring(world: World) -> None:
    programme_coordinator = staff(Role.MENTORING_COORDINATOR, world.ngo)
    person = world.person  # held by the centre
    # A record the programme cannot see is refused without naming the person.
    with pytest.raises(PermissionDenied, match="not been shared") as unseen:
        services.register_mentee(programme_coordinator, world.ngo, person, {"languages": [["uk", "native"]]})
    assert person.given_name not in str(unseen.value) and person.family_name not in str(unseen.value)
    counsellor = world.users["counsellor"]
    # Shared for a referral, not for mentoring: the consent does not cover it.
    consent.give_consent(counsellor, person, recipients=[world.ngo], purpose=ConsentPurpose.REFERRAL,
                         scope=list(services.MENTEE_SCOPE), evidence="referral form")  # fmt: skip
    consent.share_person(
        counsellor, person, world.ngo, purpose=ConsentPurpose.REFERRAL, scope=list(services.MENTEE_SCOPE)
    )
    with pytest.raises(PermissionDenied, match="not agreed"):
        services.register_mentee(programme_coordinator, world.ngo, person, {"languages": [["uk", "native"]]})
    # "Add a mentee" offers only whom it would accept: the record shared for a referral is not offered
    offered = selectors.registrable_people(world.ngo)
    assert person not in offered and world.other_person in offered  # the programme's own record is
    consent.give_consent(counsellor, person, recipients=[world.ngo], purpose=ConsentPurpose.MENTORING,
                         scope=list(services.MENTEE_SCOPE), evidence="signed form")  # fmt: skip
    consent.share_person(
        counsellor, person, world.ngo, purpose=ConsentPurpose.MENTORING, scope=list(services.MENTEE_SCOPE)
    )
    assert person in selectors.registrable_people(world.ngo)
    mentee = services.register_mentee(programme_coordinator, world.ngo, person, {"languages": [["uk", "native"]]})
    assert mentee.consent_id is not None and person not in selectors.registrable_people(world.ngo)
    with pytest.raises(ValidationError, match="already"):
        services.register_mentee(programme_coordinator, world.ngo, person, {})
    with pytest.raises(PermissionDenied):  # a counsellor is not the programme's coordinator
        services.register_mentee(counsellor, world.ngo, world.other_person, {})


def test_bad_profile_input_saves_nothing(world: World, coordinator: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        services.create_mentor(coordinator, world.centre, {"name": "X", "email": "x@example.org", "languages": [["zz", "native"]],
                                                           "availability": ["midnight"], "capacity": 0})  # fmt: skip
    assert {"languages", "availability", "capacity"} <= set(refused.value.message_dict)
    assert not Mentor.objects.exists()


def _paired(world: World, coordinator: Any) -> Pair:
    _mentor(world, coordinator, "Volodymyr", preferred_language="pl")
    _mentee(world, coordinator, "Olena", [("uk", "native")])
    (pair,) = services.publish(coordinator, services.run_match(coordinator, world.centre))
    return pair


def test_a_contract_needs_a_goal_and_each_party_accepts_in_their_language(world: World, coordinator: Any) -> None:
    pair = _paired(world, coordinator)
    args: dict[str, Any] = {
        "rules": "On time.",
        "weeks": 12,
        "meet_every_days": 14,
        "contact_forms": ["in_person"],
        "language": "pl",
    }
    with pytest.raises(ValidationError, match="at least one goal"):
        services.write_contract(coordinator, pair, goals=["", "  "], **args)
    with pytest.raises(ValidationError):
        services.write_contract(coordinator, pair, goals=["Find work"], **{**args, "contact_forms": ["telepathy"]})
    assert not Contract.objects.exists()
    contract, tokens = services.write_contract(
        coordinator, pair, goals=["Znaleźć pracę"], translated={"uk": {"goal_1": "Знайти роботу"}}, **args
    )
    mentee_page = Client().get(reverse("mentoring:contract", args=[tokens["mentee"]]))
    assert mentee_page["Content-Language"] == "uk" and "Знайти роботу" in mentee_page.content.decode()
    mentor_page = Client().get(reverse("mentoring:contract", args=[tokens["mentor"]]))
    assert mentor_page["Content-Language"] == "pl" and "Znaleźć pracę" in mentor_page.content.decode()
    assert Client().get(reverse("mentoring:contract", args=["forged"])).status_code == 404
    Client().post(reverse("mentoring:contract", args=[tokens["mentee"]]) + "?lang=uk", {"action": "accept"})
    pair.refresh_from_db()
    assert pair.status == "contracting"
    Client().post(reverse("mentoring:contract", args=[tokens["mentor"]]), {"action": "accept"})
    contract.refresh_from_db()
    pair.refresh_from_db()
    assert contract.status == "accepted" and pair.status == "active"
    accepted = {p.party: (p.accepted_at, p.accepted_language) for p in contract.parties.all()}
    assert accepted["mentee"][1] == "uk" and accepted["mentor"][1] == "pl" and all(a for a, _l in accepted.values())
    # Renegotiation: a new version; the accepted one holds until both accept the new one.
    newer, _newer_tokens = services.write_contract(coordinator, pair, goals=["Znaleźć pracę", "B1 z polskiego"], **args)
    assert newer.version == 2 and services.current_contract(pair) == contract
    assert next(g.key for g in newer.goals.all()) == contract.goals.get().key  # the goal keeps its identity
    for party in newer.parties.all():
        services.accept(party, language="pl")
    contract.refresh_from_db()
    assert contract.status == "superseded" and services.current_contract(pair) == newer


def _active(world: World, coordinator: Any) -> Pair:
    pair = _paired(world, coordinator)
    contract, _tokens = services.write_contract(coordinator, pair, goals=["Find work"], rules="On time.", weeks=12,
                                                meet_every_days=14, contact_forms=["in_person"], language="en")  # fmt: skip
    for party in contract.parties.all():
        services.accept(party, language="en")
    pair.refresh_from_db()
    return pair


def test_meetings_fit_checks_and_rematching(world: World, coordinator: Any) -> None:
    pair = _active(world, coordinator)
    today = timezone.localdate()
    goal = str(services.current_contract(pair).goals.get().key)  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="first meeting"):
        services.record_fit(coordinator, pair, "mentee", "good")
    for bad in (
        {"held_on": today + timedelta(days=1)},
        {"minutes": 0},
        {"form": "dream"},
        {"progress": {"nope": "some"}},
    ):
        with pytest.raises(ValidationError):
            services.log_meeting(coordinator, pair, **{"held_on": today, "minutes": 60, "form": "in_person", **bad})
    assert not Meeting.objects.exists()
    with pytest.raises(PermissionDenied):
        services.log_meeting(world.users["counsellor"], pair, held_on=today, minutes=60, form="phone")
    services.log_meeting(coordinator, pair, held_on=today, minutes=60, form="in_person", progress={goal: "some"})
    services.record_fit(coordinator, pair, "mentor", "good")
    services.record_fit(None, pair, "mentee", "not_fit", "We do not get along.")
    pair.refresh_from_db()
    mentee = Mentee.objects.get(pk=pair.mentee_id)
    assert pair.status == "rematch" and mentee.status == "waiting"
    assert Notification.objects.filter(user=coordinator, title__icontains="not a good fit").exists()


def test_lapsed_pairs_are_reminded_once_a_week(world: World, coordinator: Any) -> None:
    pair = _active(world, coordinator)
    today = timezone.localdate()
    assert services.lapsed(today) == []
    later = today + timedelta(days=22)  # 14 days × 1.5 = 21
    assert [p.pk for p, _since, _over in services.lapsed(later)] == [pair.pk]
    assert services.send_reminders(later) == 1
    assert services.send_reminders(later + timedelta(days=1)) == 0
    assert services.send_reminders(later + timedelta(days=8)) == 1


def test_reviews_closure_and_the_report(world: World, coordinator: Any) -> None:
    pair = _active(world, coordinator)
    today = timezone.localdate()
    goal = str(services.current_contract(pair).goals.get().key)  # type: ignore[union-attr]
    services.log_meeting(coordinator, pair, held_on=today, minutes=45, form="video", progress={goal: "achieved"})
    review = pair.reviews.get(done_on__isnull=True)
    with pytest.raises(ValidationError):
        services.complete_review(coordinator, review, " ")
    services.complete_review(coordinator, review, "Going well.")
    assert pair.reviews.filter(done_on__isnull=True).count() == 1  # the next one is scheduled
    with pytest.raises(ValidationError):
        services.close(coordinator, pair, outcome="vanished")
    services.close(coordinator, pair, outcome="goals_achieved", mentor_feedback="Proud.", mentee_feedback="Дякую!")
    report = selectors.report(world.centre.pk, today - timedelta(days=30), today)
    assert report.meetings_held == 1 and report.goals == 1 and report.goals_achieved == 1
    assert report.ended == 1 and report.retention_percent == 100 and report.outcomes == {"goals_achieved": 1}


def test_training_completion_opens_the_gate(world: World, coordinator: Any) -> None:
    from datetime import date

    from ownpath.modules.training import services as training

    training.ensure_attendance_statuses()
    training.ensure_seed_curricula()
    mentor = _mentor(world, coordinator, "Hanna Trainee", trained=False)
    trainer = world.users["trainer"]
    from ownpath.modules.training.models import Curriculum

    course = training.plan_course(trainer, world.centre, Curriculum.objects.get(key="mentor-path", version=1),
                                  title="Path", starts_on=date(2026, 1, 5), ends_on=date(2026, 1, 20))  # fmt: skip
    start = timezone.make_aware(timezone.datetime(2026, 1, 6, 9))
    session = training.add_session(trainer, course, starts_at=start, ends_at=start + timedelta(hours=3))
    enrolment = training.enrol(trainer, course, name=mentor.name, email=mentor.email)
    training.record_attendance(trainer, session, {enrolment.pk: "present"})
    for assessment in course.curriculum.assessments.all():
        training.record_result(trainer, enrolment, assessment, assessment.max_score)
    assert services.refresh_training(mentor) is False
    training.complete(trainer, enrolment)
    assert services.refresh_training(mentor) is True
    services.approve(coordinator, mentor)
    assert mentor.matchable


def test_pages_for_every_role(world: World, coordinator: Any) -> None:
    pair = _active(world, coordinator)
    mentor = pair.mentor
    mentor.user = world.users["mentor"]
    mentor.save()
    run = services.run_match(coordinator, world.centre)
    pages = [
        reverse("mentoring:home"),
        reverse("mentoring:mentor", args=[mentor.pk]),
        reverse("mentoring:mentee", args=[pair.mentee_id]),
        reverse("mentoring:run", args=[run.pk]),
        reverse("mentoring:pair", args=[pair.pk]),
        reverse("mentoring:report"),
        reverse("mentoring:mentor_new"),
        reverse("mentoring:mentee_new"),
    ]
    for url in pages:
        assert signed_in(coordinator).get(url).status_code == 200, url
        assert Client().get(url).status_code == 302, url
    for role in ("counsellor", "trainer", "employer_contact", "auditor", "ngo_counsellor"):
        client = signed_in(world.users[role])
        assert client.get(reverse("mentoring:home")).status_code == 403, role
        assert client.get(reverse("mentoring:pair", args=[pair.pk])).status_code == 404, role
        assert client.get(reverse("mentoring:mentor", args=[mentor.pk])).status_code == 404, role
    # The pair's mentor sees their own pair, not the programme.
    own = signed_in(world.users["mentor"])
    assert own.get(reverse("mentoring:mine")).status_code == 200
    assert own.get(reverse("mentoring:pair", args=[pair.pk])).status_code == 200
    assert own.get(reverse("mentoring:home")).status_code == 403
    response = signed_in(coordinator).post(
        reverse("mentoring:pair", args=[pair.pk]),
        {"action": "meeting", "meeting-held_on": "2000-01-01", "meeting-minutes": "60", "meeting-form": "phone"},
        HTTP_ACCEPT_LANGUAGE="pl",
    )
    assert response.status_code == 200 and not Meeting.objects.exists()


def test_the_api_has_the_same_rules(world: World, coordinator: Any) -> None:
    client = signed_in(coordinator)
    made = client.post("/api/v1/mentoring/mentors", {"name": "Api Mentor", "email": "api@example.org",
                       "languages": [["uk", "native"]], "capacity": 2}, content_type="application/json")  # fmt: skip
    assert made.status_code == 201, made.content
    mentor_id = made.json()["id"]
    assert client.post(f"/api/v1/mentoring/mentors/{mentor_id}/approve").status_code == 422  # the gate
    client.post(f"/api/v1/mentoring/mentors/{mentor_id}/training", {"completed_on": str(timezone.localdate()), "evidence": "cert"},
                content_type="application/json")  # fmt: skip
    assert client.post(f"/api/v1/mentoring/mentors/{mentor_id}/approve").json()["matchable"] is True
    person = _person(world, "Api", [("uk", "native")])
    assert (
        client.post("/api/v1/mentoring/mentees", {"person_id": person.pk}, content_type="application/json").status_code
        == 201
    )
    run = client.post("/api/v1/mentoring/matches", {}, content_type="application/json").json()
    assert len(run["proposals"]) == 1 and {f["key"] for f in run["proposals"][0]["factors"]} == set(matching.WEIGHTS)
    (pair_id,) = client.post(f"/api/v1/mentoring/matches/{run['id']}/publish").json()
    bad = client.post(f"/api/v1/mentoring/pairs/{pair_id}/contracts", {"goals": [], "rules": "x", "weeks": 4,
                      "meet_every_days": 7, "contact_forms": ["phone"]}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and not Contract.objects.exists()
    contract = client.post(f"/api/v1/mentoring/pairs/{pair_id}/contracts", {"goals": ["Work"], "rules": "x", "weeks": 4,
                           "meet_every_days": 7, "contact_forms": ["phone"]}, content_type="application/json").json()  # fmt: skip
    for url in contract["links"].values():
        token = url.rstrip("/").rsplit("/", 1)[1]
        assert (
            Client()
            .post(f"/api/v1/mentoring/contracts/accept/{token}", {"language": "uk"}, content_type="application/json")
            .status_code
            == 200
        )
    assert client.get(f"/api/v1/mentoring/pairs/{pair_id}").json()["status"] == "active"
    logged = client.post(f"/api/v1/mentoring/pairs/{pair_id}/meetings", {"held_on": str(timezone.localdate()), "minutes": 30, "form": "phone"},
                         content_type="application/json")  # fmt: skip
    assert logged.status_code == 201 and logged.json()["meetings"] == 1
    assert client.get("/api/v1/mentoring/report").json()["active_pairs"] == 1
    other = signed_in(world.users["counsellor"])
    assert other.get(f"/api/v1/mentoring/pairs/{pair_id}").status_code == 404
    assert other.get("/api/v1/mentoring/mentors").status_code == 403
    assert Client().get("/api/v1/mentoring/pairs").status_code in (401, 403)


def test_contract_links_are_e_mailed_in_each_partys_language(
    world: World, coordinator: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    pair = _paired(world, coordinator)
    person = pair.mentee.person
    person.email = "olena@example.org"
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        _contract, tokens = services.write_contract(coordinator, pair, goals=["Find work"], rules="On time.", weeks=8,
                                                    meet_every_days=14, contact_forms=["phone"], language="en")  # fmt: skip
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {pair.mentor.email, "olena@example.org"}
    assert tokens["mentee"] in by_address["olena@example.org"].body
    assert "контракт" in by_address["olena@example.org"].subject.lower()  # the mentee reads Ukrainian
    assert (
        tokens["mentor"] in by_address[pair.mentor.email].body
        and tokens["mentee"] not in by_address[pair.mentor.email].body
    )
