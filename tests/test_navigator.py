"""The legal navigator: rules and cases as data, the traced engine, refusals of bad facts and files."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ownpath.modules.navigator import cases
from ownpath.modules.navigator.engine import assess
from ownpath.modules.navigator.facts import FactError
from ownpath.modules.navigator.rulebook import RuleFileError, jurisdictions, load_file, rulebook

GEORGIAN = {
    "citizenship": "GE",
    "residence_title": "national_visa",
    "visa_purpose": "05a",
    "legal_stay": True,
    "has_karta_polaka": False,
    "full_time_student_pl": False,
    "university_listed": False,
    "graduate_in_country": False,
    "existing_declaration": False,
    "work_kind": "standard",
    "employer_in_country": True,
    "duration_months": 12,
    "working_time_fte": 1,
}


@pytest.mark.parametrize("jurisdiction", jurisdictions())
def test_every_case_passes_and_every_rule_is_matched_and_just_missed(jurisdiction: str) -> None:
    run = cases.run(jurisdiction)
    assert run.ok, "\n".join(run.failed + run.uncovered)
    assert len(run.passed) >= len(rulebook(jurisdiction))


def test_the_georgian_worker_changes_route_on_1_december_2025() -> None:
    before = assess("PL", GEORGIAN, date(2025, 11, 30))
    after = assess("PL", GEORGIAN, date(2025, 12, 1))
    assert (before.route, after.route) == ("oswiadczenie", "work_permit_a")
    assert before.citations[0]["journal"] == "Dz.U. 2025 poz. 621" and before.citations[0]["article"]
    assert any(
        c["journal"] == "Dz.U. 2025 poz. 1617"
        for c in assess("PL", {**GEORGIAN, "citizenship": "MD"}, date(2025, 12, 1)).citations
    )
    line = next(t for t in after.trace if t.rule == "pl.oswiadczenie")
    assert line.result == "not_matched" and "citizenship" in line.read
    assert next(t for t in after.trace if t.rule == "pl.oswiadczenie_to_nov_2025").result == "not_in_effect"
    overridden = next(t for t in before.trace if t.rule == "pl.work_permit_a")
    assert overridden.result == "matched" and overridden.overridden_by == ["pl.oswiadczenie_to_nov_2025"]
    assert overridden.because == [
        "Citizens of the listed countries may work on a declaration instead of a work permit."
    ]
    assert (before.effective_from, after.effective_from) == ("2025-06-01", "2025-06-01")
    assert before.effective_to == "2025-11-30" and before.fees[0]["amount"] == 100 and after.fees[0]["amount"] == 400


def test_only_the_questions_that_matter_are_asked() -> None:
    facts: dict[str, object] = {"citizenship": "DE"}
    assert assess("PL", facts, date(2026, 1, 1)).route == "no_permit_needed"
    facts = {"citizenship": "GE"}
    asked = []
    for _ in range(12):
        result = assess("PL", facts, date(2026, 1, 1))
        if result.next_question is None:
            break
        name = result.next_question["fact"]
        asked.append(name)
        facts[name] = GEORGIAN[name]
    assert result.route == "work_permit_a"
    assert len(asked) == len(set(asked)) <= len(GEORGIAN) - 1


@pytest.mark.parametrize(
    ("facts", "fact"),
    [
        ({"citizenship": "XX"}, "citizenship"),
        (
            {
                "citizenship": "UA",
                "residence_title": "national_visa",
                "visa_valid_from": "2026-05-01",
                "visa_valid_to": "2026-04-01",
            },
            "visa_valid_to",
        ),
        ({"citizenship": "UA", "work_kind": "volunteering"}, "work_kind"),
        ({"citizenship": "UA", "start_date": "1 May"}, "start_date"),
        ({"citizenship": "UA", "legal_stay": "yes"}, "legal_stay"),
        ({"citizenship": "UA", "shoe_size": 43}, "shoe_size"),
        ({"citizenship": "UA", "residence_title": "refugee", "visa_purpose": "05"}, "visa_purpose"),
        ({"citizenship": "UA", "working_time_fte": 1.5}, "working_time_fte"),
        (
            {"citizenship": "UA", "residence_title": "refugee", "residence_permit_purpose": "work"},
            "residence_permit_purpose",
        ),
        ({"citizenship": "UA", "employer_country": "Poland"}, "employer_country"),
    ],
)
def test_unknown_or_contradictory_facts_are_refused_naming_the_fact(facts: dict, fact: str) -> None:
    with pytest.raises(FactError) as refused:
        assess("PL", facts, date(2026, 1, 1))
    assert refused.value.fact == fact


def test_the_api_returns_the_trace_and_names_a_bad_fact(db: None) -> None:
    client = Client()
    response = client.post(
        "/api/v1/navigator/assess",
        {"jurisdiction": "PL", "as_of": "2025-12-01", "facts": GEORGIAN},
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 200 and body["route"] == "work_permit_a"
    assert {t["rule"] for t in body["trace"]} == {r.id for r in rulebook("PL")}
    nxt = client.post(
        "/api/v1/navigator/next-question", {"facts": {"citizenship": "GE"}}, content_type="application/json"
    ).json()
    assert nxt["next_question"]["fact"] == "residence_title" and nxt["route"] is None
    bad = client.post("/api/v1/navigator/assess", {"facts": {"citizenship": "XX"}}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "citizenship"
    assert (
        client.post(
            "/api/v1/navigator/assess", {"jurisdiction": "ZZ", "facts": {}}, content_type="application/json"
        ).status_code
        == 404
    )


def test_the_commands(tmp_path: Path) -> None:
    out = StringIO()
    call_command("navigator", "test", "PL", stdout=out)
    assert "0 failed, 0 coverage gaps" in out.getvalue()
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"as_of": "2025-11-30", "facts": GEORGIAN}))
    out = StringIO()
    call_command("navigator", "assess", str(facts), stdout=out)
    assert json.loads(out.getvalue())["route"] == "oswiadczenie"
    facts.write_text(json.dumps({"facts": {"citizenship": "XX"}}))
    with pytest.raises(CommandError, match="citizenship"):
        call_command("navigator", "assess", str(facts))


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("- id: pl.x\n  title: A rule\n  when: {var: citizenship\n", ".yaml:4:", "not valid YAML"),
        (
            "- id: pl.ok\n  title: Fine rule\n  tier: route\n  when: {var: citizenship}\n  outcome: {route: no_permit_needed}\n  citations: [{act: A, journal: J, source_type: statute, checked: '2026-01-01'}]\n  effective_from: '2025-06-01'\n  review: {status: draft}\n"
            "- id: pl.bad\n  title: Bad route\n  tier: route\n  when: {var: citizenship}\n  outcome: {route: maybe}\n  citations: [{act: A, journal: J, source_type: statute, checked: '2026-01-01'}]\n  effective_from: '2025-06-01'\n  review: {status: draft}\n",
            ":9:",
            "outcome.route",
        ),
        (
            "- id: pl.op\n  title: Bad operator\n  tier: route\n  when: {regex: [a, b]}\n  outcome: {route: no_permit_needed}\n  citations: [{act: A, journal: J, source_type: statute, checked: '2026-01-01'}]\n  effective_from: '2025-06-01'\n  review: {status: draft}\n",
            ":1:",
            "unknown operator",
        ),
        (
            "- id: pl.fact\n  title: Unknown fact\n  tier: route\n  when: {var: star_sign}\n  outcome: {route: no_permit_needed}\n  citations: [{act: A, journal: J, source_type: statute, checked: '2026-01-01'}]\n  effective_from: '2025-06-01'\n  review: {status: draft}\n",
            ":1:",
            "star_sign",
        ),
    ],
)
def test_a_broken_rule_file_is_refused_naming_file_and_line(tmp_path: Path, text: str, line: str, words: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    with pytest.raises(RuleFileError) as refused:
        load_file(path)
    message = str(refused.value)
    assert str(path) in message and line in message and words in message


def test_the_legal_review_workflow(world: object) -> None:
    from django.urls import reverse

    from ownpath.core.choices import Role
    from ownpath.modules.navigator.models import RuleReview
    from ownpath.modules.navigator.views import last_reviewed
    from tests.conftest import signed_in

    users = world.users  # type: ignore[attr-defined]
    adviser = signed_in(users[Role.LEGAL_ADVISER])
    page = adviser.get(reverse("navigator:review")).content.decode()
    assert "pl.oswiadczenie" in page and "Never reviewed" in page
    out = StringIO()
    call_command("navigator", "report", "PL", stdout=out)
    assert "NEVER reviewed: " in out.getvalue() and "0 of " in out.getvalue()
    for role in (Role.COUNSELLOR, Role.EMPLOYER_CONTACT):
        assert signed_in(users[role]).get(reverse("navigator:review")).status_code == 403
    assert Client().get(reverse("navigator:review")).status_code == 302
    assert last_reviewed("PL") is None
    for rule in rulebook("PL"):
        adviser.post(reverse("navigator:mark_reviewed", args=[rule.id]), {"note": "Checked against ISAP"})
    assert last_reviewed("PL") is not None
    RuleReview.objects.filter(rule_id="pl.oswiadczenie").update(content_hash="an older version")
    assert last_reviewed("PL") is None, "a rule changed since its review"
    page = adviser.get(reverse("navigator:review")).content.decode()
    assert "Changed since the last review" in page
    assert adviser.post(reverse("navigator:mark_reviewed", args=["pl.nothing"])).status_code == 404


def test_the_migrants_interview_in_arabic(db: None) -> None:
    from django.urls import reverse

    client = Client()
    client.cookies["django_language"] = "ar"
    client.post(reverse("navigator:start", args=["migrant"]), {"jurisdiction": "PL", "as_of": "2026-01-15"})
    page = client.get(reverse("navigator:question", args=["migrant"])).content.decode()
    assert 'dir="rtl"' in page and "ما جنسيتك؟" in page
    response = client.post(reverse("navigator:question", args=["migrant"]), {"answer": "DE"})
    assert response.status_code == 302
    result = client.get(reverse("navigator:result", args=["migrant"])).content.decode()
    assert "لا حاجة إلى تصريح" in result
    bad = client.post(reverse("navigator:start", args=["migrant"]), {"jurisdiction": "PL", "as_of": "soon"})
    assert bad.status_code == 400
    assert client.get(reverse("navigator:question", args=["nobody"])).status_code == 404


def test_the_rule_texts_for_translation_are_up_to_date() -> None:
    from ownpath.modules.navigator.texts import TEXTS_FILE, render

    assert TEXTS_FILE.read_text(encoding="utf-8") == render(), "run: manage.py navigator texts -"


def test_date_operators_compare_iso_dates() -> None:
    from ownpath.modules.navigator import logic

    reading = logic.Reading()
    assert logic.evaluate({"date<": [{"var": "a"}, "2025-12-01"]}, {"a": "2025-11-30"}, reading) is True
    assert logic.evaluate({"date>=": [{"var": "as_of"}, "2025-12-01"]}, {"as_of": "2025-11-30"}, reading) is False
    assert logic.evaluate({"date<": [{"var": "b"}, "2025-12-01"]}, {}, reading) is logic.UNKNOWN
    assert reading.missing == ["b"]
    with pytest.raises(logic.LogicError):
        logic.check({"regex": ["a", "b"]})


TIER_PAIRS = [
    # (facts, date, the stronger rule, the weaker rule): one case per pair of precedence tiers.
    ({"citizenship": "DE", "residence_title": "transit_visa"}, "2026-02-01", "pl.eu_citizen", "pl.visa_bar_transit"),
    (
        {**GEORGIAN, "citizenship": "KZ", "visa_purpose": "01", "has_karta_polaka": True},
        "2026-02-01",
        "pl.visa_bar",
        "pl.karta_polaka",
    ),
    (
        {"citizenship": "UA", "residence_title": "permanent_residence", "legal_stay": True},
        "2026-06-01",
        "pl.protection",
        "pl.ukraine_notification",
    ),
    (
        {
            "citizenship": "UA",
            "residence_title": "visa_free",
            "legal_stay": True,
            "has_karta_polaka": False,
            "full_time_student_pl": False,
            "graduate_in_country": False,
            "work_kind": "standard",
            "employer_in_country": True,
            "duration_months": 12,
        },
        "2026-06-01",
        "pl.ukraine_notification",
        "pl.oswiadczenie",
    ),
    (
        {**GEORGIAN, "citizenship": "IN", "working_time_fte": 0.1},
        "2026-02-01",
        "pl.refused_working_time",
        "pl.work_permit_a",
    ),
    ({**GEORGIAN, "citizenship": "IN", "visa_purpose": "01"}, "2026-02-01", "pl.visa_bar", "pl.work_permit_a"),
    (
        {**GEORGIAN, "citizenship": "IN", "graduate_in_country": True, "working_time_fte": 0.1},
        "2026-02-01",
        "pl.graduate",
        "pl.refused_working_time",
    ),
]


@pytest.mark.parametrize(("facts", "on", "stronger", "weaker"), TIER_PAIRS)
def test_each_pair_of_precedence_tiers_is_decided_as_declared(facts: dict, on: str, stronger: str, weaker: str) -> None:
    result = assess("PL", facts, date.fromisoformat(on))
    line = next(t for t in result.trace if t.rule == weaker)
    assert result.rule == stronger and line.result == "matched" and stronger in line.overridden_by
    assert line.because and all(line.because)


@pytest.mark.parametrize("jurisdiction", ["PL", "LT", "FI"])
def test_every_declared_override_names_its_reason_and_a_known_rule(jurisdiction: str) -> None:
    ids = {r.id for r in rulebook(jurisdiction)}
    for rule in rulebook(jurisdiction):
        assert rule.tier and all(target in ids and len(why) > 20 for target, why in rule.overrides.items())
        legal = [c for c in rule.citations if c["source_type"] in ("statute", "regulation", "eu_law")]
        assert legal, f"{rule.id}: cites the law"
        # An article not yet identified in the official text is said to be unverified, never made up.
        assert all(c.get("article") or c.get("verified") is False for c in legal), rule.id


def test_fees_follow_the_date_of_the_assessment() -> None:
    moldovan = {**GEORGIAN, "citizenship": "MD"}
    amounts = [
        assess("PL", moldovan, date.fromisoformat(d)).fees[0]["amount"]
        for d in ("2025-06-15", "2025-11-30", "2025-12-01", "2027-01-01")
    ]
    assert amounts == [100, 100, 400, 400]
    fee = assess("PL", moldovan, date(2025, 12, 1)).fees[0]
    assert fee["valid_from"] == "2025-12-01" and fee["citation"]["journal"] == "Dz.U. 2025 poz. 1622"


def test_an_unknown_fee_is_said_to_be_unknown_not_guessed() -> None:
    result = assess(
        "LT",
        {
            "citizenship": "UZ",
            "residence_title": "visa_free",
            "legal_stay": True,
            "graduate_in_country": False,
            "work_kind": "standard",
            "employer_in_country": True,
            "shortage_occupation": True,
        },
        date(2026, 2, 1),
    )
    assert result.route == "residence_permit_for_work" and result.fees[0]["amount"] is None


def test_the_interviews_offer_only_the_countrys_choices() -> None:
    pl = assess("PL", {"citizenship": "UA"}, date(2026, 6, 1)).next_question
    lt = assess("LT", {"citizenship": "UA"}, date(2026, 6, 1)).next_question
    assert pl and lt and "cukr_card" in pl["choices"] and "cukr_card" not in lt["choices"]
    assert "tolerated" not in lt["choices"] and lt["question_you"] == "On what basis do you stay in the country?"


def test_the_engine_reads_the_country_table_once() -> None:
    from ownpath.modules.navigator.facts import country_codes

    country_codes.cache_clear()
    for _ in range(3):
        assess("PL", GEORGIAN, date(2026, 1, 1))
    assert country_codes.cache_info().misses == 1


def test_the_api_documents_the_facts_and_states_dates_and_review(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    from ownpath.modules.navigator.api import AssessIn

    text = json.dumps(AssessIn.model_json_schema())  # what the published OpenAPI schema embeds
    assert "working_time_fte" in text and "residence_permit_purpose" in text and "05a" in text
    body = client.post(
        "/api/v1/navigator/assess",
        {
            "jurisdiction": "PL",
            "as_of": "2026-02-01",
            "facts": {**GEORGIAN, "citizenship": "IN", "working_time_fte": 0.2},
        },
        content_type="application/json",
    ).json()
    assert body["route"] == "refused" and body["outcome"]["ground"] == "working_time_below_quarter"
    assert body["effective_from"] == "2025-06-01" and body["reviewed"] is False and body["obligations"]
    assert any(t["because"] for t in body["trace"] if t["rule"] == "pl.work_permit_a")


def test_the_capability_shows_a_provisional_route_with_the_open_question(db: None) -> None:
    from ownpath.modules.navigator.capability import work_rights

    partial = {
        "citizenship": "IN",
        "residence_title": "national_visa",
        "visa_purpose": "06",
        "legal_stay": True,
        "work_kind": "standard",
        "employer_in_country": True,
        "duration_months": 12,
    }
    answer = work_rights("PL", partial, date(2026, 2, 1))
    assert answer["status"] == "route" and answer["fees"] == ["400 PLN"] and answer["question"]
    ukrainian = {"citizenship": "UA", "residence_title": "temporary_protection", "legal_stay": True}
    assert work_rights("PL", ukrainian, date(2026, 6, 1))["status"] == "free"
    refused = work_rights("PL", {**GEORGIAN, "citizenship": "IN", "working_time_fte": 0.1}, date(2026, 2, 1))
    assert refused["status"] == "not_allowed"
