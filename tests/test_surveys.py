"""Surveys: building, XLSForm import and export, answering without JavaScript (skip logic, constraints,
resuming), anonymity, consented linked answers, results with suppression, the mirror, exports, the API and
who may see what."""

from __future__ import annotations

import csv
import io
from itertools import product
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ownpath.core import disclosure
from ownpath.core.choices import ConsentPurpose, DataScope, Role
from ownpath.core.services import consent as consent_service
from ownpath.modules.surveys import export, results, services, xlsform
from ownpath.modules.surveys.models import Mode, Response, Status, Survey, hash_key
from tests.conftest import World, signed_in
from tests.disclosure_helpers import assert_nothing_recoverable
from tests.test_xlsform import SURVEY, workbook

pytestmark = pytest.mark.django_db


def imported(world: World, mode: str = Mode.ANONYMOUS) -> Survey:
    coordinator = world.users[Role.MIGRATION_TEAM_COORDINATOR]
    survey = services.import_xlsform(coordinator, world.county, workbook(SURVEY), mode=mode, min_group_size=5)
    services.set_status(coordinator, survey, Status.OPEN)
    return survey


def answered(survey: Survey, rows: list[dict[str, Any]]) -> None:
    start = Response.objects.filter(survey=survey).count()
    for n, answers in enumerate(rows, start=start):
        Response.objects.create(survey=survey, resume_hash=hash_key(f"{survey.pk}-{n}"), language="en",
                                answers=answers, submitted_on=survey.created_at.date())  # fmt: skip


def test_an_imported_form_is_answered_page_by_page_with_its_skip_logic_and_constraints(world: World) -> None:
    survey = imported(world)
    assert [q.name for q in survey.questions.all()] == ["works", "hours", "barriers", "other"]
    assert survey.languages == ["en", "pl", "ar"] and survey.questions.get(name="works").labels["ar"] == "هل تعمل؟"
    link = services.create_link(world.users[Role.MIGRATION_TEAM_COORDINATOR], survey, "leaflet")
    client = Client()
    start = client.post(reverse("surveys:start", args=[link.token]), {"lang": "ar"})
    answer_url = start["Location"]
    page = client.get(answer_url)
    assert 'dir="rtl"' in page.content.decode() and "هل تعمل؟" in page.content.decode()
    # Required: nothing chosen is refused, and nothing is saved.
    refused = client.post(answer_url, {"page": 0, "shown": "works"})
    assert refused.status_code == 400 and Response.objects.get().answers == {}
    assert client.post(answer_url, {"page": 0, "shown": "works", "works": "yes"}).status_code == 302
    page = client.get(answer_url).content.decode()
    assert 'name="hours"' in page and 'name="barriers"' not in page  # skip logic: hours, not barriers
    # The constraint (0 < hours <= 80) and the type are checked; the message is in the respondent's language.
    too_many = client.post(answer_url, {"page": 1, "shown": "hours", "hours": "90"})
    assert too_many.status_code == 400 and Response.objects.get().page == 1
    assert client.post(answer_url, {"page": 1, "shown": "hours", "hours": "abc"}).status_code == 400
    # Resumable: a new browser with the same address carries on where the first stopped.
    other_browser = Client()
    assert 'name="hours"' in other_browser.get(answer_url).content.decode()
    assert other_browser.post(answer_url, {"page": 1, "shown": "hours", "hours": "38"}).status_code == 302
    response = Response.objects.get()
    assert response.submitted and response.answers == {"works": "yes", "hours": 38}
    assert "thanks" in other_browser.get(answer_url).content.decode()
    # Anonymous: no person, consent, address or time of day kept.
    assert response.person_id is None and response.consent_id is None
    stored = {f.name for f in Response._meta.get_fields()}
    assert not stored & {"ip", "ip_address", "user_agent", "created_at", "session"}


def test_going_back_and_changing_an_answer_drops_what_no_longer_applies(world: World) -> None:
    survey = imported(world)
    response, key = services.start_anonymous(
        services.create_link(world.users[Role.MIGRATION_TEAM_COORDINATOR], survey), "pl"
    )
    client = Client()
    url = reverse("surveys:answer", args=[key])
    client.post(url, {"page": 0, "shown": "works", "works": "no"})
    client.post(url, {"page": 2, "shown": "barriers", "barriers": ["language", "other"]})
    assert Response.objects.get().page == 3  # "other" appeared because "other" was chosen
    client.post(url, {"page": 3, "shown": "other", "action": "back"})
    client.post(url, {"page": 2, "shown": "barriers", "action": "back"})
    client.post(url, {"page": 0, "shown": "works", "works": "yes"})
    response.refresh_from_db()
    assert response.answers == {"works": "yes"} and response.page == 1


def test_a_bad_page_number_or_a_closed_survey_changes_nothing(world: World) -> None:
    survey = imported(world)
    _response, key = services.start_anonymous(
        services.create_link(world.users[Role.MIGRATION_TEAM_COORDINATOR], survey), "en"
    )
    client = Client()
    url = reverse("surveys:answer", args=[key])
    assert client.post(url, {"page": "7", "works": "yes"}).status_code == 302
    assert client.post(url, {"page": "x", "works": "yes"}).status_code == 302
    assert client.post(url, {"page": 0, "shown": "works", "works": "maybe"}).status_code == 400
    assert Response.objects.get().answers == {}
    services.set_status(world.users[Role.MIGRATION_TEAM_COORDINATOR], survey, Status.CLOSED)
    assert client.post(url, {"page": 0, "shown": "works", "works": "yes"}).status_code == 200
    assert Response.objects.get().answers == {}
    assert Client().get(reverse("surveys:answer", args=["nonsense"])).status_code == 404


def test_xlsform_export_reads_back_as_the_same_form(world: World) -> None:
    survey = imported(world)
    form = xlsform.read(export.to_xlsform(survey))
    assert [(q.name, q.type, q.list_name) for q in form.questions] == [
        (q.name, q.type, q.list_name) for q in survey.questions.all()
    ]
    assert form.languages == ["en", "pl", "ar"] and form.questions[1].texts["relevant"] == "${works} = 'yes'"
    first, second = services.from_template(world.users[Role.MIGRATION_TEAM_COORDINATOR], world.county, "expectations")
    back = xlsform.read(export.to_xlsform(first))
    assert len(back.questions) == first.questions.count() and back.languages == ["en", "pl", "uk", "ru", "ar"]
    assert first.mirror == second


def test_import_refusals_name_the_cell_and_keep_nothing(world: World) -> None:
    client = signed_in(world.users[Role.MIGRATION_TEAM_COORDINATOR])
    rows = [row[:] for row in SURVEY]
    rows[2][0] = "geopoint"
    rows[1][5] = "${hours} > 10"
    page = client.post(reverse("surveys:import"), {"file": io.BytesIO(workbook(rows)), "audience": "migrants",
                                                   "mode": "anonymous", "min_group_size": 10})  # fmt: skip
    text = page.content.decode()
    assert page.status_code == 400 and "row 3, column A (type)" in text and not Survey.objects.exists()
    rows = [row[:] for row in SURVEY]
    rows[1][5] = "${hours} > 10"
    page = client.post(reverse("surveys:import"), {"file": io.BytesIO(workbook(rows)), "audience": "migrants",
                                                   "mode": "anonymous", "min_group_size": 10})  # fmt: skip
    assert "row 2, column F (relevant)" in page.content.decode() and not Survey.objects.exists()


def test_questions_built_on_screen_are_checked(world: World) -> None:
    coordinator = world.users[Role.MIGRATION_TEAM_COORDINATOR]
    client = signed_in(coordinator)
    created = client.post(reverse("surveys:new"), {"title": "Staff", "languages": "en, uk", "audience": "other",
                                                  "mode": "anonymous", "min_group_size": 5})  # fmt: skip
    survey = Survey.objects.get()
    assert created["Location"] == reverse("surveys:survey", args=[survey.pk])
    url = reverse("surveys:survey", args=[survey.pk])
    base = {"action": "question", "type": "select_one", "label_en": "Team?", "label_uk": "Команда?",
            "choices": "yes | Yes | Так\nno | No | Ні"}  # fmt: skip
    assert client.post(url, {**base, "name": "team"}).status_code == 302
    bad = client.post(url, {**base, "name": "size", "type": "integer", "relevant": "${team} = 'yes' and ${nope}"})
    assert bad.status_code == 200 and "${nope}" in bad.content.decode()
    circle = client.post(url, {**base, "name": "b", "relevant": "${team} = 'yes' and ${b} = 'x'"})
    assert "its own answer" in circle.content.decode()
    assert list(survey.questions.values_list("name", flat=True)) == ["team"]
    team = survey.questions.get()
    client.post(url, {**base, "name": "why", "type": "text", "relevant": "${team} = 'no'"})
    edit = client.post(
        reverse("surveys:question", args=[survey.pk, team.pk]), {**base, "name": "team", "relevant": "${why} = 'x'"}
    )
    assert "circle" in edit.content.decode() and survey.questions.get(name="team").relevant == ""


def test_results_wait_for_the_group_and_suppress_small_counts_and_their_complements(world: World) -> None:
    survey = imported(world)
    answered(survey, [{"works": "yes", "hours": 40}] * 3)
    assert not results.results(survey, "en").available
    answered(survey, [{"works": "yes", "hours": 20}] * 6 + [{"works": "no", "barriers": ["language"]}] * 3)
    found = results.results(survey, "en", by="works")
    works = found.question("works")
    assert found.available and found.respondents == 12
    # "no" is 3: hidden, and so is "yes" (9), else 12 - 9 would give it back.
    assert [r.count for r in works.rows] == [None, None] and works.answered == 12
    assert found.question("hours").median == 20
    exported = signed_in(world.users[Role.AUDITOR]).get(reverse("surveys:results_csv", args=[survey.pk]))
    assert exported.status_code == 404  # the auditor is at the metropolis, the survey at the county
    rows = list(csv.reader(io.StringIO(signed_in(world.users[Role.MIGRATION_TEAM_COORDINATOR]).get(
        reverse("surveys:results_csv", args=[survey.pk])).content.decode("utf-8-sig"))))  # fmt: skip
    counts = [row[4] for row in rows[1:]]
    assert all(c == "suppressed" or int(c) == 0 or int(c) >= 5 for c in counts)


@pytest.mark.parametrize("counts", [(3, 9, 0), (1, 1, 30), (4, 5, 6), (0, 0, 2), (7, 2, 2), (12, 0, 4)])
def test_suppression_leaves_no_small_count_to_subtract(counts: tuple[int, int, int]) -> None:
    grid = {("c", r, c): counts[(r + c) % 3] + r for r, c in product(range(3), range(3))}
    values: dict[Any, float] = dict(grid)
    relations = []
    for r in range(3):
        values[("row", r)] = sum(grid[("c", r, c)] for c in range(3))
        relations.append(disclosure.Relation(("row", r), [("c", r, c) for c in range(3)]))
    for c in range(3):
        values[("col", c)] = sum(grid[("c", r, c)] for r in range(3))
        relations.append(disclosure.Relation(("col", c), [("c", r, c) for r in range(3)]))
    values[("all",)] = sum(values[("row", r)] for r in range(3)) + 2  # 2 outside every row
    relations.append(disclosure.Relation(("all",), [("row", r) for r in range(3)], exhaustive=False))
    hidden = disclosure.suppress(values, relations)
    assert_nothing_recoverable(values, relations, hidden)


def test_the_mirror_puts_the_two_sides_side_by_side(world: World) -> None:
    coordinator = world.users[Role.MIGRATION_TEAM_COORDINATOR]
    migrants, employers = services.from_template(coordinator, world.county, "expectations")
    answered(migrants, [{"years_here": "gt3", "working": "no", "s_language": "4", "barriers": ["language"]}] * 10)
    answered(employers, [{"size": "small", "employs": "no", "s_language": "5", "barriers": ["paperwork"]}] * 10)
    page = signed_in(coordinator).get(reverse("surveys:mirror", args=[employers.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text and "100 %" in text
    pairs = results.mirror(results.results(migrants, "en"), results.results(employers, "en"))
    language = next(p for p in pairs if p.key == "language")
    assert [(a.count, b.count) for _label, a, b in language.rows][3:] == [(10, 0), (0, 10)]


def test_linked_answers_need_consent_and_lose_the_person_when_it_is_withdrawn(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    survey = imported(world, mode=Mode.LINKED)
    coordinator, counsellor = world.users[Role.MIGRATION_TEAM_COORDINATOR], world.users[Role.COUNSELLOR]
    from ownpath.core.models import Membership

    Membership.objects.create(user=counsellor, organisation=world.county, role=Role.COUNSELLOR)
    with pytest.raises(Exception, match="consent"):
        services.invite(counsellor, survey, world.person)
    consent = consent_service.give_consent(counsellor, world.person, recipients=[world.county],
                                           purpose=ConsentPurpose.SURVEY, scope=[DataScope.IDENTITY], evidence="signed")  # fmt: skip
    client = signed_in(counsellor)
    invited = client.post(reverse("surveys:invite", args=[world.person.pk]), {"survey": survey.pk}, follow=True)
    assert "/surveys/r/" in invited.content.decode()
    response = Response.objects.get()
    assert response.person == world.person and response.consent == consent
    assert (
        signed_in(coordinator).get(reverse("core:person", args=[world.person.pk]) + "?tab=surveys").status_code == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        consent_service.withdraw_consent(counsellor, consent, evidence="phone call")
    response.refresh_from_db()
    assert response.person is None and response.consent is None


def test_every_role_sees_only_what_it_may(world: World) -> None:
    survey = imported(world)
    answered(survey, [{"works": "yes", "hours": 40}] * 6)
    urls = [reverse("surveys:survey", args=[survey.pk]), reverse("surveys:results", args=[survey.pk]),
            reverse("surveys:results_xlsx", args=[survey.pk]), reverse("surveys:xlsform", args=[survey.pk]),
            f"/api/v1/surveys/{survey.pk}/results"]  # fmt: skip
    for role in [None, *[r.value for r in Role]]:
        client = Client() if role is None else signed_in(world.users[role])
        allowed = role in {Role.MIGRATION_TEAM_COORDINATOR}
        for url in urls:
            status = client.get(url).status_code
            assert (status == 200) if allowed else status in (302, 401, 403, 404), (role, url, status)
        if allowed:
            data = client.get(f"/api/v1/surveys/{survey.pk}/results").json()
            assert data["available"] and data["respondents"] == 6
            book = load_workbook(io.BytesIO(client.get(reverse("surveys:results_xlsx", args=[survey.pk])).content))
            assert book.sheetnames == ["Results"]
