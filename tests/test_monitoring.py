"""Monitoring: periods, facts from core events, indicators maintained incrementally and rebuilt from scratch
(the two agree), suppression that survives subtraction, the checklist on screen and as a workbook (bad
periods refused with the cell named), exports, the open-data page, the API and who may see what."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from ownpath.core import disclosure
from ownpath.core.choices import OrganisationKind, Role
from ownpath.core.models import Membership
from ownpath.core.services import people as people_service
from ownpath.core.tabular import SheetError
from ownpath.modules.monitoring import aggregate, checklist, facts, periods
from ownpath.modules.monitoring.models import Cell, ChecklistEntry, ChecklistItem, Fact, Indicator
from ownpath.modules.monitoring.suppression import _relations
from tests.conftest import World, signed_in
from tests.disclosure_helpers import assert_nothing_recoverable
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns(world: World) -> dict[str, Any]:
    """Two municipalities in the world's county, an institution in each."""
    county = world.county
    north = OrganisationFactory(name="North", kind=OrganisationKind.MUNICIPALITY, parent=county)
    south = OrganisationFactory(name="South", kind=OrganisationKind.MUNICIPALITY, parent=county)
    return {"county": county, "north": north, "south": south,
            "north_school": OrganisationFactory(name="North school", kind=OrganisationKind.SCHOOL, parent=north),
            "south_library": OrganisationFactory(name="South library", kind=OrganisationKind.LIBRARY, parent=south)}  # fmt: skip


def test_periods_are_iso_and_wrong_ones_are_refused() -> None:
    assert str(periods.parse("2026-03")) == "2026-03" and str(periods.parse("2026-Q1").parent()) == "2026"
    assert [str(p) for p in periods.parse("2026-Q2").children()] == ["2026-04", "2026-05", "2026-06"]
    assert periods.parse("2026").end == date(2026, 12, 31) and periods.parse("2024-02").end == date(2024, 2, 29)
    for bad in ("2026-13", "2026-Q5", "26", "2026/03", "", "2026-00", "1800"):
        with pytest.raises(periods.PeriodError):
            periods.parse(bad)


def _random_facts(towns: dict[str, Any], count: int, seed: int) -> None:
    rng = random.Random(seed)
    places = [towns[k].pk for k in ("north", "south", "north_school", "south_library", "county")]
    for n in range(count):
        person = rng.randint(1, 40)
        on = date(2025, 1, 1) + timedelta(days=rng.randint(0, 500))
        kind = rng.choice(
            ["served", "served", "employed", "path_step", "referral_sent", "referral_completed", "helpline_contact"]
        )
        facts.record(kind, f"t:{seed}:{n}", occurred_on=on, person_id=None if kind == "helpline_contact" else -person,
                     organisation_id=rng.choice(places), subject=f"contact:{n}", category=rng.choice(["housing", "work"]))  # fmt: skip


def _snapshot() -> dict[tuple[str, str, int, str, str], tuple[float, float | None, float | None, bool]]:
    return {(c.indicator.key, c.period, c.area_id, c.dimension, c.member): (c.numerator, c.denominator, c.value, c.hidden)
            for c in Cell.objects.select_related("indicator")}  # fmt: skip


def test_incremental_figures_equal_a_rebuild_from_scratch(
    towns: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    aggregate.rebuild()  # the world's people, recorded before: their registrations are backfilled from core
    with django_capture_on_commit_callbacks(execute=True):
        _random_facts(towns, 150, 1)
    incremental = _snapshot()
    assert incremental and not aggregate.DirtyBucket.objects.exists()
    aggregate.rebuild()
    rebuilt = _snapshot()
    assert incremental == rebuilt
    served = Cell.objects.get(indicator__key="people-served", period="2025", area_id=towns["county"].pk, dimension="")
    people = (
        Fact.objects.filter(kind="served", year=2025, county_id=towns["county"].pk)
        .values("person_id")
        .distinct()
        .count()
    )
    assert served.numerator == people


def test_core_events_become_facts(world: World, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        person = people_service.create_person(world.users[Role.COUNSELLOR], world.centre,
                                              {"given_name": "Maria", "family_name": "Kowal", "sex": "female",
                                               "birth_date": date(1990, 5, 1), "citizenships": ["UA"]})  # fmt: skip
        people_service.set_languages(world.users[Role.COUNSELLOR], person, [("pl", "A2")], channel="ui")
    registered = Fact.objects.get(kind="registered", person_id=person.pk)
    assert (registered.sex, registered.citizenship, registered.age_band) == ("female", "UA", "35-44")
    assert Fact.objects.get(kind="language_gain", person_id=person.pk).value == 2.0
    from ownpath.core.services import gdpr

    with django_capture_on_commit_callbacks(execute=True):
        gdpr.erase_person(world.users[Role.ORG_ADMIN], person, reason="asked")  # type: ignore[attr-defined]
    assert not Fact.objects.filter(person_id=person.pk).exists() and Fact.objects.filter(kind="registered").count() == 1


def test_no_published_count_under_5_directly_or_by_subtraction(
    towns: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _random_facts(towns, 120, 2)
    from ownpath.modules.monitoring import areas

    tree = areas.tree()
    for indicator in Indicator.objects.all():
        cells = list(Cell.objects.filter(indicator=indicator))
        if not cells:
            continue
        values = {(c.period, c.area_id, c.dimension, c.member): c.numerator for c in cells}
        hidden = {(c.period, c.area_id, c.dimension, c.member) for c in cells if c.hidden}
        additive = all(p.additive for p in aggregate.parts(indicator.definition) if p.field == "numerator")
        assert_nothing_recoverable(values, _relations(list(values), tree, additive), hidden)
    client = signed_in(Membership.objects.filter(role=Role.AUDITOR).first().user)  # type: ignore[union-attr]
    for kind in ("m", "q", "y"):
        rows = list(
            csv.DictReader(
                io.StringIO(client.get(reverse("monitoring:export_csv") + f"?kind={kind}").content.decode("utf-8-sig"))
            )
        )
        assert rows
        for row in rows:
            for column in ("numerator", "denominator"):
                if row[column] not in ("", "None"):
                    assert not disclosure.is_small(float(row[column])), row


def _workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "checklist"
    sheet.append(
        ["area", "period", "item", "status", "responsible", "links", "notes", "places", "participants", "hours"]
    )
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_checklist_is_kept_on_screen_and_as_a_workbook(world: World, towns: dict[str, Any]) -> None:
    coordinator = world.users[Role.MIGRATION_TEAM_COORDINATOR]
    north = towns["north"]
    client = signed_in(coordinator)
    url = reverse("monitoring:checklist_entry", args=[north.pk, "2026", "polish-courses"])
    saved = client.post(url, {"status": "done", "responsible": coordinator.pk, "figure_places": "40", "figure_participants": "31",
                              "figure_hours": "120", "links": "https://example.org/courses"})  # fmt: skip
    assert saved.status_code == 302
    entry = ChecklistEntry.objects.get()
    assert entry.figures == {"places": 40, "participants": 31, "hours": 120} and entry.responsible == coordinator
    refused = client.post(url, {"status": "done", "figure_places": "-3"})
    assert refused.status_code == 200 and ChecklistEntry.objects.get().figures["places"] == 40
    assert signed_in(world.users[Role.AUDITOR]).post(url, {"status": "missing"}).status_code == 403
    bad = _workbook([[north.slug, "2026", "polish-courses", "done", "", "", "", 10, 9, 30],
                     [north.slug, "2026-13", "polish-courses", "done", "", "", "", 10, 9, 30],
                     [towns["south"].slug, "2026", "no-such-item", "done"],
                     [towns["south"].slug, "2026", "migration-team", "done", "", "", "", "many"]])  # fmt: skip
    with pytest.raises(SheetError) as error:
        checklist.import_workbook(coordinator, bad)
    where = {(p.row, p.column) for p in error.value.problems}
    assert (3, "B (period)") in where and (4, "C (item)") in where and (5, "H (places)") in where
    assert ChecklistEntry.objects.get().figures["places"] == 40  # nothing saved
    page = client.post(reverse("monitoring:checklist"), {"file": io.BytesIO(bad)})
    assert page.status_code == 400 and "row 3, column B (period)" in page.content.decode()
    good = _workbook(
        [[towns["south"].slug, "2026", "polish-courses", "in_progress", coordinator.email, "", "", 12, 10, 40]]
    )
    assert checklist.import_workbook(coordinator, good) == 1
    assert ChecklistEntry.objects.count() == 2
    grid = client.get(reverse("monitoring:checklist") + "?period=2026").content.decode()
    assert "North" in grid and "South" in grid and "In progress" in grid
    assert ChecklistItem.objects.filter(key="schools-prepared", for_counties=False).exists()


def test_every_role_sees_only_what_it_may(
    world: World, towns: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _random_facts(towns, 6, 3)
    staff_urls = [reverse("monitoring:dashboard") + f"?area={towns['county'].pk}&kind=y&period=2025",
                  reverse("monitoring:indicator", args=["people-served"]) + f"?area={towns['county'].pk}&kind=q&period=2025-Q2",
                  reverse("monitoring:checklist"), reverse("monitoring:export_json") + "?kind=q",
                  "/api/v1/monitoring/values?indicator=people-served&period=2025"]  # fmt: skip
    for role in [None, *[r.value for r in Role]]:
        client = Client() if role is None else signed_in(world.users[role])
        allowed = role in {Role.MIGRATION_TEAM_COORDINATOR, Role.NETWORK_ADMIN, Role.ORG_ADMIN, Role.AUDITOR}
        for url in staff_urls:
            status = client.get(url).status_code
            assert (status == 200) if allowed else status in (302, 401, 403, 404), (role, url, status)
        assert client.get(reverse("monitoring:open_data")).status_code == 200
        data = client.get(reverse("monitoring:open_data_json")).json()
        assert all(f["dimension"] == "" for f in data["figures"])
        school = towns["north_school"].pk
        assert client.get(reverse("monitoring:open_data_csv") + f"?area={school}").status_code == 404


def test_wrong_choices_get_a_message_not_an_error(world: World) -> None:
    client = signed_in(world.users[Role.AUDITOR])
    for query in ("?period=2026-Q7", "?kind=w", "?area=nope", "?area=999999"):
        page = client.get(reverse("monitoring:dashboard") + query)
        assert page.status_code == 200, query
    assert client.get("/api/v1/monitoring/values?indicator=people-served&period=2026-13").status_code == 422
    assert client.get("/api/v1/monitoring/checklist?period=next").status_code == 422
