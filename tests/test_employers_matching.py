"""Employers and matching: the ESCO loader and pickers, vacancies with JobPosting JSON-LD, bad input refused
whole, JSON Resume round trips, explained matching with the legal route, consent before an employer sees a
person, interview invitations, the incremental index, and access for each role."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft7Validator

from ownpath.core.choices import ResidenceStatus, Role
from ownpath.core.esco import loader, mapping, search
from ownpath.core.esco.models import EscoConcept, EscoLabel, EscoRelation, EscoRelease
from ownpath.core.esco.sample_data import SAMPLE_DIR
from ownpath.core.services import people
from ownpath.modules.employers import jsonld, services
from ownpath.modules.employers.models import EmployerLocation, InterviewSlot, Vacancy, VacancySkill
from ownpath.modules.matching import explain, index, scoring, vacancy_index
from ownpath.modules.matching import services as matching
from ownpath.modules.matching.models import CandidateVector, Proposal
from tests.conftest import World, signed_in

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data" / "jsonresume"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "standards" / "jsonresume" / "schema.json"
SCHEMA = SHARED if SHARED.exists() else matching.SCHEMA


@pytest.fixture(scope="module")
def esco_sample(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The ESCO sample, loaded once for this module (it takes seconds) and removed after it. Each test still
    runs in its own transaction, so what a test changes is rolled back."""
    with django_db_blocker.unblock():
        loader.load(SAMPLE_DIR, version="1.1.1")
    yield
    with django_db_blocker.unblock():
        for model in (EscoRelation, EscoLabel, EscoConcept, EscoRelease):
            model.objects.all().delete()


@pytest.fixture
def esco(esco_sample: None, db: None) -> None:
    pass


def occupation(label: str) -> EscoConcept:
    return EscoConcept.objects.get(kind="occupation", labels__language="en", labels__kind="pref", labels__text=label)


def employer_setup(world: World) -> EmployerLocation:
    admin = world.users[Role.NETWORK_ADMIN]
    services.save_employer(admin, {"name": world.employer.name, "nace_section": "C", "size": "medium"}, world.employer)
    return services.add_location(
        admin, world.employer, {"name": "Hala", "city": "Gdynia", "latitude": 54.53, "longitude": 18.54}
    )


def welder_vacancy(world: World, location: EmployerLocation, **changes: Any) -> Vacancy:
    welder = occupation("welder")
    essential, optional = services.occupation_skills(welder)
    values = {"location": location, "title": "Spawacz MIG/MAG", "description": "Spawanie konstrukcji.", "language": "pl",
              "occupation": welder.uri, "contract_type": "employment", "hours": "full_time", "wage_min": Decimal(7000),
              "wage_max": Decimal(9000), "currency": "PLN", "wage_unit": "MONTH", "starts_on": timezone.localdate() + timedelta(days=20),
              "valid_through": timezone.localdate() + timedelta(days=30), "places": 2}  # fmt: skip
    data = services.VacancyInput(
        {**values, **changes}, [c.uri for c in essential], [c.uri for c in optional[:4]], [("pl", "A2", False)]
    )
    vacancy = services.save_vacancy(world.users[Role.EMPLOYER_CONTACT], world.employer, data)
    return services.set_vacancy_status(world.users[Role.EMPLOYER_CONTACT], vacancy, "published")


def make_candidate(
    world: World, person: Any, skills: list[str], *, years: int = 4, lat: float = 54.52, lon: float = 18.53
) -> None:
    counsellor = world.users[Role.COUNSELLOR]
    matching.save_profile(counsellor, person, {"latitude": lat, "longitude": lon, "max_commute_km": 40, "hours": "any"})
    matching.add_occupation(counsellor, person, occupation("welder").uri, years)
    for uri in skills:
        matching.add_skill(counsellor, person, uri, evidence="experience")
    matching.candidate_changed(person.pk)


# -- ESCO
def test_sample_loads_with_polish_labels_and_relations(esco: None) -> None:
    welder = occupation("welder")
    assert welder.isco_group is not None and welder.isco_group.code == "7212"
    assert EscoLabel.objects.filter(concept=welder, language="pl", text="spawacz").exists()
    assert services.occupation_skills(welder)[0]
    # Loading again changes nothing.
    before = EscoLabel.objects.count()
    loader.load(SAMPLE_DIR)
    assert EscoLabel.objects.count() == before


def test_bad_esco_files_are_refused_naming_file_and_line(tmp_path: Path) -> None:
    before = EscoConcept.objects.count()  # the module's sample may be loaded already
    shutil.copy(SAMPLE_DIR / "ISCOGroups_en.csv", tmp_path)
    (tmp_path / "skills_en.csv").write_text("conceptUri,preferredLabel\nhttp://data.europa.eu/esco/skill/x,weld\n")
    with pytest.raises(loader.EscoLoadError, match=r"skills_en.csv:1: missing column"):
        loader.load(tmp_path)
    (tmp_path / "skills_en.csv").write_text(
        "conceptType,conceptUri,skillType,reuseLevel,preferredLabel\nKnowledgeSkillCompetence,not-a-uri,skill,,weld\n"
    )
    with pytest.raises(loader.EscoLoadError, match=r"skills_en.csv:2: conceptUri: not an ESCO URI"):
        loader.load(tmp_path)
    assert EscoConcept.objects.count() == before  # the ISCO file read first was rolled back too
    with pytest.raises(loader.EscoLoadError, match="no ESCO CSV"):
        loader.load(tmp_path / "..")


def test_pickers_are_typo_tolerant_and_fall_back_to_english(esco: None) -> None:
    assert search.search("spawcz", kind="occupation", language="pl")[0].label == "spawacz"
    assert search.search("weldr", kind="occupation", language="en")[0].label == "welder"
    hit = search.search("welder", kind="occupation", language="uk")[0]  # no Ukrainian labels: English shown
    assert hit.label == "welder" and hit.language == "en"
    assert search.search("", kind="occupation", language="en") == []


def test_free_text_maps_by_label_then_spelling(esco: None) -> None:
    exact = mapping.map_text("Operate forklift", kind="skill", language="en")
    assert exact is not None and exact.method == "exact"
    close = mapping.map_text("operate forklfit", kind="skill", language="en")
    assert close is not None and close.method == "fuzzy" and close.uri == exact.uri
    assert mapping.map_text("xq", kind="skill", language="en", use_embeddings=False) is None


def test_free_text_falls_back_to_embeddings_above_the_cutoff_for_its_language(esco: None) -> None:
    """Wiring and cutoffs of the last stage (the model's quality is measured in bench/esco_mapping.py)."""
    forklift = EscoConcept.objects.get(uri=mapping.map_text("operate forklift", kind="skill", language="en").uri)  # type: ignore[union-attr]
    text = "кермую навантажувачем на складі"  # no label in any language comes near
    vector = search.embed_texts([text])[0]
    EscoConcept.objects.filter(pk=forklift.pk).update(embedding=vector.astype(np.float16).tobytes())
    EscoConcept.objects.filter(kind="skill").exclude(pk=forklift.pk).update(
        embedding=(-vector).astype(np.float16).tobytes()
    )
    search._embeddings.clear()
    found = mapping.map_text(text, kind="skill", language="uk")
    assert found is not None and found.method == "embedding" and found.uri == forklift.uri
    # A vector only somewhat alike is enough across languages (≥ 0.90) but not within English (≥ 0.94).
    noise = np.random.default_rng(1).normal(size=vector.shape).astype(np.float32)
    noise -= (noise @ vector) * vector
    mixed = 0.92 * vector + np.sqrt(1 - 0.92**2) * noise / np.linalg.norm(noise)
    EscoConcept.objects.filter(pk=forklift.pk).update(embedding=mixed.astype(np.float16).tobytes())
    search._embeddings.clear()
    assert mapping.map_text(text, kind="skill", language="uk") is not None
    assert mapping.map_text(text, kind="skill", language="en") is None
    search._embeddings.clear()


# -- vacancies
def test_vacancy_jsonld_has_required_and_recommended_properties(world: World, esco: None) -> None:
    vacancy = welder_vacancy(world, employer_setup(world))
    data = jsonld.job_posting(vacancy, url="https://example.org/jobs/1/")
    for name in ("title", "description", "datePosted", "hiringOrganization", "jobLocation", "validThrough",
                 "employmentType", "baseSalary", "identifier"):  # fmt: skip
        assert data[name], name
    assert data["@type"] == "JobPosting" and data["hiringOrganization"]["@type"] == "Organization"
    assert data["directApply"] is False
    assert data["jobLocation"]["address"]["addressCountry"] == "PL"
    assert timezone.datetime.fromisoformat(data["validThrough"]) and timezone.datetime.fromisoformat(data["datePosted"])
    assert set(data["employmentType"]) <= {
        "FULL_TIME",
        "PART_TIME",
        "CONTRACTOR",
        "TEMPORARY",
        "INTERN",
        "VOLUNTEER",
        "PER_DIEM",
        "OTHER",
    }
    assert data["baseSalary"]["value"]["minValue"] == 7000 and data["baseSalary"]["value"]["unitText"] == "MONTH"
    assert data["occupationalCategory"].startswith("ISCO-08 7212")
    page = signed_in(world.users[Role.MIGRATION_TEAM_COORDINATOR]).get(reverse("employers:job", args=[vacancy.pk]))
    assert page.status_code == 200 and b"application/ld+json" in page.content
    script = page.content.decode().split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert json.loads(script)["title"] == "Spawacz MIG/MAG"


@pytest.mark.parametrize(
    ("changes", "essential", "field"),
    [
        ({"occupation": "http://data.europa.eu/esco/occupation/unknown"}, None, "occupation"),
        ({}, ["http://data.europa.eu/esco/skill/does-not-exist"], "essential_skills"),
        ({"wage_min": Decimal(9000), "wage_max": Decimal(7000)}, None, "wage_max"),
        ({"currency": "zł"}, None, "currency"),
    ],
)
def test_bad_vacancies_are_refused_whole(
    world: World, esco: None, changes: dict[str, Any], essential: Any, field: str
) -> None:
    location = employer_setup(world)
    welder = occupation("welder")
    values = {"location": location, "title": "Welder", "description": "Welding.", "language": "en", "occupation": welder.uri,
              "contract_type": "employment", "valid_through": timezone.localdate() + timedelta(days=10), **changes}  # fmt: skip
    skills = essential or [c.uri for c in services.occupation_skills(welder)[0]]
    with pytest.raises(ValidationError) as error:
        services.save_vacancy(
            world.users[Role.EMPLOYER_CONTACT], world.employer, services.VacancyInput(values, skills, [], [])
        )
    assert field in error.value.message_dict
    assert not Vacancy.objects.exists() and not VacancySkill.objects.exists()


def test_vacancy_form_refuses_upside_down_wages_in_the_users_language(world: World, esco: None) -> None:
    location = employer_setup(world)
    client = signed_in(world.users[Role.EMPLOYER_CONTACT])
    url = reverse("employers:vacancy_new", args=[world.employer.pk])
    welder = occupation("welder")
    response = client.post(url, {"action": "save", "title": "Spawacz", "description": "x", "language": "pl", "location": location.pk,
                                 "contract_type": "employment", "hours": "full_time", "wage_min": "9000", "wage_max": "7000",
                                 "currency": "PLN", "wage_unit": "MONTH", "valid_through": "2099-01-01", "places": 1,
                                 "occupation": welder.uri, "listed": [c.uri for c in services.occupation_skills(welder)[0]]},
                           HTTP_ACCEPT_LANGUAGE="pl")  # fmt: skip
    assert response.status_code == 400
    assert not Vacancy.objects.exists()


# -- JSON Resume
def test_json_resume_import_export_round_trip_validates(world: World, esco: None) -> None:
    counsellor = world.users[Role.COUNSELLOR]
    sample = json.loads((DATA / "sample.resume.json").read_text())
    sample["skills"].append({"name": "operate forklift", "keywords": ["use welding equipment"]})
    report = matching.import_resume(counsellor, world.person, sample, language="en")
    assert report["work"] >= 1 and report["skills"]
    exported = matching.export_resume(counsellor, world.person)
    validator = Draft7Validator(json.loads(SCHEMA.read_text()))
    assert not list(validator.iter_errors(exported))
    skills = {s["esco"] for s in exported["meta"]["ownpath"]["skills"]}
    assert skills and all(s["confidence"] >= mapping.AUTO_MAP_CONFIDENCE for s in exported["meta"]["ownpath"]["skills"])
    # Importing our own export into another record gives the same ESCO skills.
    twin = people.create_person(counsellor, world.centre, {"given_name": "Twin", "family_name": "Record"})
    matching.import_resume(counsellor, twin, exported, language="en")
    assert {s["esco"] for s in matching.export_resume(counsellor, twin)["meta"]["ownpath"]["skills"]} == skills


@pytest.mark.parametrize("data", [[1, 2], {"basics": {"email": "not-an-email"}}, {"hello": "world"}, {"work": "x"}])
def test_a_file_that_is_not_json_resume_is_refused(world: World, esco: None, data: Any) -> None:
    with pytest.raises(ValidationError):
        matching.import_resume(world.users[Role.COUNSELLOR], world.person, data, language="en")
    assert not world.person.work_history.exists()


def test_upload_that_is_not_json_is_refused_clearly(world: World, esco: None) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(world.users[Role.COUNSELLOR])
    response = client.post(reverse("matching:profile_action", args=[world.person.pk]),
                           {"action": "import", "resume": SimpleUploadedFile("cv.json", b"%PDF-1.4 not json")}, follow=True)  # fmt: skip
    assert "Not valid JSON" in response.content.decode()


# -- matching
def test_ranking_explains_every_factor_and_shows_the_legal_route(world: World, esco: None) -> None:
    vacancy = welder_vacancy(world, employer_setup(world))
    essential = [c.uri for c in services.occupation_skills(occupation("welder"))[0]]
    make_candidate(world, world.person, essential[:-1])
    needs_permit = people.create_person(world.users[Role.COUNSELLOR], world.centre, {
        "given_name": "Arjun", "family_name": "Mehta", "citizenships": ["IN"], "residence_status": ResidenceStatus.VISA_FREE},
        languages=[("en", "C1"), ("pl", "A1")])  # fmt: skip
    make_candidate(world, needs_permit, essential, years=1)
    index._index.built = False
    data, rows = matching.candidates_for(world.users[Role.COUNSELLOR], vacancy.pk)
    assert {r["person"].pk for r in rows} == {world.person.pk, needs_permit.pk}  # nobody dropped for the law
    for row in rows:
        result = row["result"]
        product = 1.0
        for factor in result.factors:
            product *= factor.value
            assert factor.sentence
        assert abs(product - row["score"]) < 1e-3
        ranked = next(r for r in scoring.rank_candidates(index.candidates(), data) if r.person_id == row["person"].pk)
        assert abs(ranked.score - result.score) < 1e-3  # the same rules, vectorised and explained
    legal = {r["person"].pk: r["legal"] for r in rows}
    assert legal[needs_permit.pk].status == "route" and legal[needs_permit.pk].fees
    assert legal[world.person.pk].status == "free"


def test_hard_filters_rule_out_required_language_and_distance(world: World, esco: None) -> None:
    location = employer_setup(world)
    vacancy = welder_vacancy(world, location)
    essential = [c.uri for c in services.occupation_skills(occupation("welder"))[0]]
    make_candidate(world, world.person, essential, lat=50.06, lon=19.94)  # Kraków, 40 km commute
    index._index.built = False
    assert matching.candidates_for(world.users[Role.COUNSELLOR], vacancy.pk)[1] == []
    matching.save_profile(world.users[Role.COUNSELLOR], world.person, {"willing_to_relocate": True})
    matching.candidate_changed(world.person.pk)  # as the event handler does after commit
    rows = matching.candidates_for(world.users[Role.COUNSELLOR], vacancy.pk)[1]
    assert [r["person"].pk for r in rows] == [world.person.pk]  # the incremental refresh saw the change
    assert any("willing to move" in f.sentence for f in rows[0]["result"].factors)


def test_partial_credit_through_the_esco_hierarchy(world: World, esco: None) -> None:
    idx = index.CandidateIndex()
    idx.build()
    skill, (neighbour, credit, why) = next(
        (s, n[0]) for s, n in idx.neighbours.by_skill.items() if n and n[0][2] != "sibling"
    )
    candidate = explain.Candidate(1, {neighbour: 1.0}, {}, {}, None, None, 30, False, "any", None)
    result = explain.explain(idx, {"essential": [skill], "optional": [], "languages": []}, candidate, "en")
    assert result.skills[0]["why"] == why and abs(result.factors[0].value - credit) < 1e-6


def test_employer_sees_a_pseudonym_until_consent_then_invites(world: World, esco: None) -> None:
    vacancy = welder_vacancy(world, employer_setup(world))
    essential = [c.uri for c in services.occupation_skills(occupation("welder"))[0]]
    make_candidate(world, world.person, essential)
    counsellor, contact = world.users[Role.COUNSELLOR], world.users[Role.EMPLOYER_CONTACT]
    proposal = matching.propose(counsellor, vacancy.pk, world.person)
    view = matching.employer_view(contact, proposal, language="pl")
    assert not view["consented"] and "name" not in view and view["code"] == proposal.code
    page = signed_in(contact).get(reverse("matching:proposal", args=[proposal.pk]))
    assert world.person.family_name.encode() not in page.content
    with pytest.raises(PermissionDenied):
        matching.invite(contact, proposal, 1)
    start = timezone.now() + timedelta(days=5)
    event = services.create_event(world.users[Role.COUNSELLOR], world.centre, {"title": "Job fair", "place": "Gdynia",
                                  "starts_at": start, "ends_at": start + timedelta(hours=2)})  # fmt: skip
    services.add_event_employer(contact, event, world.employer, vacancies=[vacancy])
    matching.record_consent(counsellor, proposal, evidence="Signed form")
    view = matching.employer_view(contact, proposal, language="pl")
    assert view["consented"] and view["name"] == world.person.display_name
    slot = InterviewSlot.objects.filter(event=event).first()
    matching.invite(contact, proposal, slot.pk)
    slot.refresh_from_db()
    assert slot.registration.person_id == world.person.pk and Proposal.objects.get().status == "invited"
    with pytest.raises(ValidationError):
        services.invite_to_slot(contact, slot.pk, world.person.pk)  # taken


def test_person_to_vacancies(world: World, esco: None, django_capture_on_commit_callbacks: Any) -> None:
    location = employer_setup(world)
    vacancy = welder_vacancy(world, location)
    fluent_only = welder_vacancy(world, location, title="Spawacz (B2)")
    fluent_only.languages.update(level="B2", required=True)
    far = welder_vacancy(world, services.add_location(world.users[Role.NETWORK_ADMIN], world.employer,
                         {"name": "Kraków", "city": "Kraków", "latitude": 50.06, "longitude": 19.94}), title="Kraków")  # fmt: skip
    essential = [c.uri for c in services.occupation_skills(occupation("welder"))[0]]
    make_candidate(world, world.person, essential[:5])
    rows = matching.vacancies_for(world.users[Role.COUNSELLOR], world.person)
    assert [r["vacancy"]["id"] for r in rows] == [vacancy.pk] and rows[0]["legal"].sentence()
    # Every vacancy scored at once gives the explanation's score and the vacancy → candidates score.
    idx = index.candidates()
    candidate = explain.Candidate.from_vector(CandidateVector.objects.get(person=world.person))
    data = {v["id"]: v for v in services_vacancies().many([vacancy.pk, fluent_only.pk, far.pk])}
    ranked = dict(vacancy_index._index.rank(idx, candidate))
    assert set(ranked) == {vacancy.pk}  # B2 required, and Kraków is beyond the 40 km she travels
    assert abs(ranked[vacancy.pk] - explain.explain(idx, data[vacancy.pk], candidate, "en").score) < 1e-3
    assert abs(ranked[vacancy.pk] - scoring.rank_candidates(idx, data[vacancy.pk])[0].score) < 1e-3
    matching.save_profile(world.users[Role.COUNSELLOR], world.person, {"willing_to_relocate": True})
    matching.candidate_changed(world.person.pk)
    assert [r["vacancy"]["id"] for r in matching.vacancies_for(world.users[Role.COUNSELLOR], world.person)] == [
        vacancy.pk, far.pk]  # fmt: skip
    # A vacancy closed after the index was built drops out through the change log.
    with django_capture_on_commit_callbacks(execute=True):
        services.set_vacancy_status(world.users[Role.EMPLOYER_CONTACT], vacancy, "closed")
    assert [r["vacancy"]["id"] for r in matching.vacancies_for(world.users[Role.COUNSELLOR], world.person)] == [far.pk]


def services_vacancies() -> Any:
    from ownpath.core.registry import registry

    return registry.capability("employers.vacancies")


def test_hire_schedules_follow_ups_and_fills_the_vacancy(world: World, esco: None) -> None:
    vacancy = welder_vacancy(world, employer_setup(world), places=1)
    hire = services.record_hire(world.users[Role.COUNSELLOR], world.person, world.employer, vacancy=vacancy,
                                starts_on=timezone.localdate(), contract_type="employment", source="proposal")  # fmt: skip
    assert [f.months for f in hire.follow_ups.all()] == [3, 6]
    vacancy.refresh_from_db()
    assert vacancy.status == "filled"
    with pytest.raises(ValidationError):
        services.record_follow_up(world.users[Role.COUNSELLOR], hire.follow_ups.first(), still_employed=True, notes="",
                                  done_on=timezone.localdate() + timedelta(days=3))  # fmt: skip


def test_agreement_renewal_and_bad_dates(world: World) -> None:
    admin = world.users[Role.NETWORK_ADMIN]
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.create_agreement(
            admin, world.employer, world.centre, {"starts_on": today, "ends_on": today, "commitments": ["internships"]}
        )
    agreement = services.create_agreement(admin, world.employer, world.centre, {"starts_on": today, "ends_on": today + timedelta(days=30),
                                          "signed_on": today, "commitments": ["internships"]})  # fmt: skip
    renewal = services.renew_agreement(admin, agreement, months=12)
    assert renewal.starts_on == agreement.ends_on + timedelta(days=1) and renewal.renewed_from == agreement
    # The employer's page names the commitments in the reader's language, never by their stored codes.
    page = signed_in(admin).get(reverse("employers:employer", args=[world.employer.pk]), HTTP_ACCEPT_LANGUAGE="pl")
    assert page.status_code == 200 and '<span class="tag">internships</span>' not in page.content.decode()
    assert '<span class="tag">Staże</span>' in page.content.decode()
    with pytest.raises(ValidationError):
        services.renew_agreement(admin, agreement, months=12)
    with pytest.raises(PermissionDenied):
        services.create_agreement(world.users[Role.EMPLOYER_CONTACT], world.employer, world.centre, {})


def test_access_for_each_role(world: World, esco: None) -> None:
    vacancy = welder_vacancy(world, employer_setup(world))
    pages = {
        "employers:home": [], "employers:events": [], "employers:practices": [],
        "employers:employer": [world.employer.pk], "employers:vacancy": [vacancy.pk], "matching:vacancy": [vacancy.pk],
        "matching:proposals": [],
    }  # fmt: skip
    allowed = {
        "employers:home": {
            Role.NETWORK_ADMIN,
            Role.ORG_ADMIN,
            Role.COUNSELLOR,
            Role.EMPLOYER_CONTACT,
            "ngo_counsellor",
        },
        "employers:events": {Role.NETWORK_ADMIN, Role.ORG_ADMIN, Role.COUNSELLOR, "ngo_counsellor"},
        "employers:practices": {Role.NETWORK_ADMIN, Role.ORG_ADMIN, Role.COUNSELLOR, "ngo_counsellor"},
        "employers:employer": {
            Role.NETWORK_ADMIN,
            Role.ORG_ADMIN,
            Role.COUNSELLOR,
            Role.EMPLOYER_CONTACT,
            "ngo_counsellor",
        },
        "employers:vacancy": {
            Role.NETWORK_ADMIN,
            Role.ORG_ADMIN,
            Role.COUNSELLOR,
            Role.EMPLOYER_CONTACT,
            "ngo_counsellor",
        },
        "matching:vacancy": {Role.ORG_ADMIN, Role.COUNSELLOR, Role.CULTURAL_MEDIATOR, "ngo_counsellor"},
        "matching:proposals": {Role.EMPLOYER_CONTACT},
    }
    for name, args in pages.items():
        url = reverse(name, args=args)
        assert signed_in.__module__ and pytest  # keep linters quiet about helpers
        anonymous = signed_in(world.users[Role.COUNSELLOR]).__class__().get(url)
        assert anonymous.status_code == 302, name
        for key, user in world.users.items():
            status = signed_in(user).get(url).status_code
            assert (status == 200) == (key in allowed[name]), (name, key, status)
    for url in (reverse("employers:jobs"), reverse("employers:job", args=[vacancy.pk]), reverse("employers:articles")):
        assert signed_in(world.users[Role.AUDITOR]).__class__().get(url).status_code == 200


def test_index_vectors_follow_profile_changes(
    world: World, esco: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        matching.save_profile(world.users[Role.COUNSELLOR], world.person, {"max_commute_km": 12})
    assert CandidateVector.objects.get(person=world.person).max_km == 12


def test_pruned_ranking_equals_scoring_everyone(db: None) -> None:
    """MaxScore stops reading posting lists early; it must return exactly what scoring everyone returns."""
    rng = np.random.default_rng(9)
    skills = np.arange(1, 61)
    popularity = 1 / np.arange(1, 61) ** 0.8
    rows = []
    for person in range(1, 4001):
        held = rng.choice(skills, size=int(rng.integers(3, 15)), replace=False, p=popularity / popularity.sum())
        weights = rng.choice([1.0, 0.9, 0.75], size=len(held))
        rows.append((person, 1, rng.random() < 0.95, held.astype(np.int32).tobytes(),
                     weights.astype(np.float16).tobytes(), b"", b"", "pl:3" if person % 3 else "",
                     54.3 + rng.normal(0, 0.3), 18.6 + rng.normal(0, 0.3), 40, person % 7 == 0, "any", None))  # fmt: skip
    idx = index.CandidateIndex()
    idx.build(rows)
    by_skill: dict[int, list[tuple[int, float, str]]] = {}
    for a, b, credit, why in [(1, 2, 0.6, "broader"), (3, 4, 0.5, "related"), (5, 6, 0.3, "sibling"),
                              (5, 7, 0.3, "sibling"), (2, 9, 0.5, "related")]:  # fmt: skip
        by_skill.setdefault(a, []).append((b, credit, why))
        by_skill.setdefault(b, []).append((a, credit, why))
    idx.neighbours = index.Neighbours(by_skill, {8}, {})
    for n in range(25):
        essential = [int(s) for s in rng.choice(skills[:30], size=int(rng.integers(2, 12)), replace=False)]
        vacancy = {"essential": essential, "optional": [int(rng.integers(1, 60))], "occupation_id": None,
                   "languages": [("pl", "B1", n % 2 == 0)], "latitude": 54.35, "longitude": 18.65, "hours": "",
                   "starts_on": None}  # fmt: skip
        pruned = scoring.rank_candidates(idx, vacancy, limit=10)
        weights = np.array([idx.idf(s) for s in essential], dtype=np.float32)
        everyone = np.flatnonzero(scoring.eligible(idx, vacancy))
        full = scoring._finish(idx, vacancy, everyone, scoring.Coverage(idx, essential, weights)(everyone)
                               / float(weights.sum()), 10)  # fmt: skip
        assert all(not explain.passes(idx, vacancy, candidate_at(idx, rows, r.person_id)) for r in pruned)
        assert [round(r.score, 5) for r in pruned] == [round(r.score, 5) for r in full]
        assert {r.person_id for r in pruned if r.score > full[-1].score + 1e-6} == {
            r.person_id for r in full if r.score > full[-1].score + 1e-6
        }


def candidate_at(idx: index.CandidateIndex, rows: list[tuple[Any, ...]], person_id: int) -> explain.Candidate:
    row = next(r for r in rows if r[0] == person_id)
    skills = np.frombuffer(row[3], dtype=np.int32)
    evidence = np.frombuffer(row[4], dtype=np.float16)
    languages = dict((lang, int(level)) for lang, level in (p.split(":") for p in row[7].split(",") if p))
    return explain.Candidate(person_id, dict(zip(skills.tolist(), evidence.tolist(), strict=True)), {}, languages,
                             row[8], row[9], float(row[10]), row[11], row[12], row[13])  # fmt: skip


def test_a_preferred_label_wins_a_tie_over_an_alternative_one(db: None) -> None:
    from ownpath.core.esco.models import ConceptKind, EscoConcept, EscoLabel, LabelKind

    base = "http://data.europa.eu/esco/occupation/test-"
    chief = EscoConcept.objects.create(uri=base + "chief", kind=ConceptKind.OCCUPATION)
    plain = EscoConcept.objects.create(uri=base + "plain", kind=ConceptKind.OCCUPATION)
    for concept, kind, text in ((chief, LabelKind.PREFERRED, "główny księgowy"), (chief, LabelKind.ALTERNATIVE,
                                "księgowy"), (plain, LabelKind.PREFERRED, "księgowy")):  # fmt: skip
        EscoLabel.objects.create(
            concept=concept, language="pl", kind=kind, text=text, normalised=search.normalise(text)
        )
    search._cache.pop(("occupation", "pl"), None)  # the label index is cached per ESCO release
    try:
        uris = [hit.uri for hit in search.search("księgowy", kind="occupation", language="pl")]
    finally:
        search._cache.pop(("occupation", "pl"), None)
    assert uris.index(plain.uri) < uris.index(chief.uri)
