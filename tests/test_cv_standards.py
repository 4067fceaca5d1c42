"""CVs without loss: JSON Resume (the official sample and the schema's own test fixtures) and Europass, each
imported, kept whole and exported back equal to what came in plus what staff added; skills mapped to ESCO
only when sure."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from jsonschema import Draft7Validator

from ownpath.core.choices import Role
from ownpath.core.esco import loader
from ownpath.core.models import Qualification, WorkExperience
from ownpath.core.services import people
from ownpath.modules.matching import services as matching
from ownpath.modules.matching.models import CandidateProfile
from tests.conftest import World

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data" / "jsonresume"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "standards" / "jsonresume" / "schema.json"
SCHEMA = json.loads((SHARED if SHARED.exists() else matching.SCHEMA).read_text())
OURS = ("meta", "ownpath")  # where the export adds ESCO mappings


def leaves(value: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], Any]:
    """Every value of a JSON document by its path; empty objects and lists count as values."""
    if isinstance(value, dict) and value:
        return {k: v for key, item in value.items() for k, v in leaves(item, (*path, key)).items()}
    if isinstance(value, list) and value:
        return {k: v for i, item in enumerate(value) for k, v in leaves(item, (*path, i)).items()}
    return {path: value}


def added(before: Any, after: Any) -> dict[tuple[Any, ...], Any]:
    """What ``after`` holds beyond ``before``; fails when a value of ``before`` is lost or changed."""
    old, new = leaves(before), leaves(after)
    filled = {q[:n] for q in new for n in range(len(q))}  # an empty object or list that now has values
    lost = {p: v for p, v in old.items() if p not in new and not (v in ({}, []) and p in filled)}
    changed = {p: (v, new[p]) for p, v in old.items() if p in new and new[p] != v}
    assert not lost and not changed, (lost, changed)
    return {p: v for p, v in new.items() if p not in old and p[:2] != OURS}


def valid(document: dict[str, Any]) -> None:
    errors = [
        e.message for e in Draft7Validator(SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER).iter_errors(document)
    ]
    assert not errors, errors


@pytest.fixture
def skills(db: None, tmp_path: Path) -> None:
    """Three ESCO skills, from official rows: a diving skill whose label is one letter pair from "compression"."""
    rows = [
        ("db8b8c50-2476-4461-b481-d6f46efed7e7", "cope with decompression", "decompression"),
        ("b2f5f7a9-3b0b-4a9b-9a55-3c8b2f6c2b5e", "CSS", "cascading style sheets"),
        ("6ee2ac2b-55b2-4a44-8eaf-d3bc7bf6a4ec", "JavaScript", "Javascript"),
    ]
    lines = ["conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels"]
    lines += [
        f"KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/{u},skill/competence,cross-sector,{p},{a}"
        for u, p, a in rows
    ]
    (tmp_path / "skills_en.csv").write_text("\n".join(lines) + "\n")
    loader.load(tmp_path, version="test")


def counsellor(world: World) -> Any:
    return world.users[Role.COUNSELLOR]


def newcomer(world: World, name: str = "Hendriks") -> Any:
    """A record with nothing but a name: whatever the export holds beyond the file, staff added."""
    return people.create_person(
        counsellor(world), world.centre, {"given_name": "Richard", "family_name": name}, confirm_new=True
    )


def test_the_official_sample_comes_back_whole_with_staff_changes(world: World, skills: None) -> None:
    sample = json.loads((DATA / "sample.resume.json").read_text())
    staff, person = counsellor(world), newcomer(world)
    report = matching.import_resume(staff, person, sample, language="en")
    assert report["work"] == 1 and report["education"] == 1 and report["languages"] == 1
    # Compression is 0.92 like "decompression" (a diving skill): below the threshold, left unmapped.
    assert "Compression" in report["unmapped"] and "Mpeg" in report["unmapped"]
    exported = matching.export_resume(staff, person)
    valid(exported)
    assert added(sample, exported) == {}
    mapped = {s["asWritten"]: s for s in exported["meta"]["ownpath"]["skills"]}
    assert set(mapped) == {"CSS", "Javascript"} and mapped["CSS"]["confidence"] == 1.0
    # The record got the job and the languages through the core services, dates at full precision.
    job = WorkExperience.objects.get(person=person)
    assert (job.start, job.end) == (date(2013, 12, 1), date(2014, 12, 1))
    assert person.languages.get().level == "native"

    # Staff add a job and a language and correct an end date: the export is the sample plus exactly that.
    people.add_background(staff, person, WorkExperience(job_title="Tester", employer="Hooli", start=date(2015, 3, 1)),
                          channel="ui")  # fmt: skip
    people.set_languages(staff, person, [("en", "native"), ("pl", "A2")], channel="ui")
    job.end = date(2014, 11, 30)
    job.save()
    again = matching.export_resume(staff, person)
    valid(again)
    sample["work"][0]["endDate"] = "2014-11-30"
    assert added(sample, again) == {
        ("work", 1, "name"): "Hooli", ("work", 1, "position"): "Tester", ("work", 1, "startDate"): "2015-03-01",
        ("languages", 1, "language"): again["languages"][1]["language"], ("languages", 1, "fluency"): "A2",
    }  # fmt: skip
    # A job staff delete from the record leaves the CV too; the qualification kept its institution.
    job.delete()
    assert [w["position"] for w in matching.export_resume(staff, person)["work"]] == ["Tester"]
    assert Qualification.objects.get(person=person).title == "Bachelor Information Technology"


FIXTURES = sorted((DATA / "fixtures").glob("*.json"))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_the_schema_test_files_valid_ones_round_trip_invalid_ones_are_refused(world: World, path: Path) -> None:
    """resume-schema's own fixtures: each "...Valid" is accepted (however small) and comes back whole;
    each "...Invalid" is refused with nothing written."""
    staff = counsellor(world)
    for name, document in json.loads(path.read_text()).items():
        person = newcomer(world, name)
        if path.stem == "dates":  # bare date strings, for the schema's date pattern
            document = {"work": [{"position": "Welder", "startDate": document}]}
        if name.lower().endswith("invalid"):
            with pytest.raises(ValidationError):
                matching.import_resume(staff, person, document, language="en")
            assert not CandidateProfile.objects.filter(person=person).exists(), name
            assert not person.work_history.exists() and not person.languages.exists()
            continue
        matching.import_resume(staff, person, document, language="en")
        exported = matching.export_resume(staff, person)
        valid(exported)
        extra = added(document, exported)
        assert set(extra) <= {("$schema",), ("basics", "name")}, (name, extra)
