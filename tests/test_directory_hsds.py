"""The directory speaks Open Referral HSDS 3.0: every /hsds/ response validates against the
specification's own schemas, its examples import (JSON and CSV) and come out again, bad files import nothing."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from jsonschema import Draft202012Validator

from ownpath.modules.directory import hsds, services
from ownpath.modules.directory.models import Location, Service, ServiceAtLocation, TaxonomyTerm

DATA = Path(__file__).parent / "data" / "hsds"
EXAMPLES = DATA / "examples"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "standards" / "hsds-3.0"
# Validate against the specification's files where the workplace has them; else against the vendored copy.
SCHEMAS = (SHARED if (SHARED / "schema" / "compiled").exists() else hsds.HSDS_DIR) / "schema"


def compiled(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SCHEMAS / "compiled" / f"{name}.json").read_text()))


PAGE = json.loads((SCHEMAS / "openapi.json").read_text())["components"]["schemas"]["Page"]


def assert_valid(validator: Any, document: Any) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert not errors, "\n".join(errors[:10])


def assert_page(body: dict[str, Any], item_validator: Any) -> None:
    assert set(PAGE["properties"]) <= set(body), set(PAGE["properties"]) - set(body)
    assert_valid(Draft202012Validator(PAGE), body)
    assert isinstance(body["contents"], list) and body["size"] == len(body["contents"])
    for item in body["contents"]:
        assert_valid(item_validator, item)


def load_example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def import_json(document: Any, kind: str | None = None, **options: Any) -> dict[str, int]:
    return services.import_batch(hsds.batch_from_json(document, kind), invalid_coordinates="keep", **options)


def contained(expected: Any, actual: Any, where: str = "$") -> list[str]:
    """What of ``expected`` is missing from or different in ``actual`` (lists compared by id, else in order)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object"]
        problems = []
        for key, value in expected.items():
            if key not in actual:
                problems.append(f"{where}.{key}: missing")
            else:
                problems.extend(contained(value, actual[key], f"{where}.{key}"))
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{where}: expected a list"]
        by_id = {item.get("id"): item for item in actual if isinstance(item, dict)}
        problems = []
        for index, item in enumerate(expected):
            other = (
                by_id.get(item.get("id"))
                if isinstance(item, dict) and "id" in item
                else (actual[index] if index < len(actual) else None)
            )
            problems.extend(contained(item, other, f"{where}[{index}]"))
        return problems
    return [] if expected == actual else [f"{where}: {expected!r} became {actual!r}"]


@pytest.fixture
def directory(db: None) -> dict[str, Any]:
    """The specification's full examples, imported."""
    for name in (
        "service_full.json",
        "organization_full.json",
        "service_at_location_full.json",
        "taxonomy_term.json",
        "taxonomy.json",
    ):
        import_json(load_example(name))
    return {"service": load_example("service_full.json")}


@pytest.mark.parametrize(
    "name",
    [
        "service_full.json",
        "organization_full.json",
        "service_at_location_full.json",
        "service_list.json",
        "organization_list.json",
        "service_at_location_list.json",
        "taxonomy.json",
        "taxonomy_list.json",
        "taxonomy_term.json",
        "taxonomy_term_list.json",
        "location.json",
    ],
)
def test_every_json_example_of_the_specification_imports(db: None, name: str) -> None:
    document = load_example(name)
    if name in ("service_list.json", "service_at_location_list.json"):
        # List items name their organization and location; the full examples bring those records.
        import_json(load_example("service_full.json"))
    kind = hsds.kind_from_filename(name)
    counts = import_json(document, kind)
    assert counts[{"taxonomy": "taxonomies"}.get(kind or "", f"{kind}s")] >= 1, counts
    again = import_json(document, kind)
    assert again == counts, "a re-import updates by id"


def test_a_full_service_comes_out_as_it_went_in(directory: dict[str, Any]) -> None:
    source = directory["service"]
    body = Client().get(f"/hsds/services/{source['id']}").json()
    assert_valid(compiled("service"), body)
    missing = contained(source, body)
    assert not missing, "\n".join(missing[:20])


def test_an_organization_and_a_service_at_location_come_out_as_they_went_in(directory: dict[str, Any]) -> None:
    for example, url, schema in (
        ("organization_full.json", "/hsds/organizations/{id}?full_service=true", "organization"),
        ("service_at_location_full.json", "/hsds/service_at_locations/{id}", "service_at_location"),
    ):
        source = load_example(example)
        body = Client().get(url.format(id=source["id"])).json()
        assert_valid(compiled(schema), body)
        # Nested copies of objects imported from several examples may carry more fields; none is lost.
        missing = [m for m in contained(_clean(source), body) if "became" not in m]
        assert not missing, "\n".join(missing[:20])


def _clean(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in ("service", "services")}


def test_every_endpoint_validates_against_the_specification(directory: dict[str, Any]) -> None:
    client = Client()
    about = client.get("/hsds/").json()
    assert about["version"] == "3.0" and about["openapi_url"].endswith("/hsds/openapi.json") and about["profile"]
    assert client.get(about["openapi_url"].replace("http://testserver", "")).status_code == 200
    assert_page(client.get("/hsds/services").json(), compiled("service_list"))
    assert_page(client.get("/hsds/services?full=true").json(), compiled("service"))
    assert_page(client.get("/hsds/organizations").json(), compiled("organization_list"))
    assert_page(client.get("/hsds/organizations?full_service=true").json(), compiled("organization"))
    assert_page(client.get("/hsds/service_at_locations").json(), compiled("service_at_location_list"))
    assert_page(client.get("/hsds/taxonomies").json(), hsds.validator("taxonomy"))
    assert_page(client.get("/hsds/taxonomy_terms").json(), hsds.validator("taxonomy_term"))
    for service in Service.objects.all():
        assert_valid(compiled("service"), client.get(f"/hsds/services/{service.pk}").json())
    for sal in ServiceAtLocation.objects.all():
        assert_valid(compiled("service_at_location"), client.get(f"/hsds/service_at_locations/{sal.pk}").json())
    for term in TaxonomyTerm.objects.all():
        assert_valid(hsds.validator("taxonomy_term"), client.get(f"/hsds/taxonomy_terms/{term.pk}").json())


def test_filters_and_pagination_follow_the_specification(directory: dict[str, Any]) -> None:
    client = Client()
    service = Service.objects.get(pk=directory["service"]["id"])
    term = service.terms.first()
    assert term is not None
    assert [s["id"] for s in client.get(f"/hsds/services?taxonomy_term_id={term.pk}").json()["contents"]] == [
        str(service.pk)
    ]
    assert client.get("/hsds/services?organization_id=00000000-0000-0000-0000-000000000000").json()["empty"] is True
    assert client.get("/hsds/services?search=Counselling").json()["total_items"] >= 1
    assert client.get("/hsds/services?modified_after=2099-01-01T00:00:00Z").json()["total_items"] == 0
    first = client.get("/hsds/services?per_page=1&page=1").json()
    assert first["first_page"] and first["size"] == 1 and first["total_pages"] == first["total_items"]
    minimal = client.get("/hsds/services?minimal=true").json()["contents"][0]
    assert set(minimal) == {"id", "name", "status", "last_modified"}
    lines = client.get("/hsds/services?format=ndjson")
    assert lines["Content-Type"].startswith("application/x-ndjson")
    assert len(b"".join(lines.streaming_content).splitlines()) == Service.objects.count()
    for bad in ("page=0", "per_page=100000", "modified_after=yesterday", "format=xml"):
        response = client.get(f"/hsds/services?{bad}")
        assert response.status_code == 422 and "error" in response.json(), bad
    assert client.get("/hsds/services/not-a-uuid").status_code == 404
    assert client.get("/hsds/services/00000000-0000-0000-0000-000000000000").status_code == 404


# --- The tabular data package (CSV) ------------------------------------------------------------------


def csv_files() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (EXAMPLES / "csv").glob("*.csv")}


def test_the_csv_package_imports_and_every_value_comes_out_in_hsds_json(db: None) -> None:
    counts = services.import_batch(hsds.batch_from_package(csv_files()), invalid_coordinates="keep")
    assert counts["services"] == 1 and counts["organizations"] >= 1 and counts["locations"] >= 1
    import csv as csvlib

    service_row = next(csvlib.DictReader(io.StringIO((EXAMPLES / "csv" / "services.csv").read_text(encoding="utf-8"))))
    body = Client().get(f"/hsds/services/{service_row['id']}").json()
    assert_valid(compiled("service"), body)
    for column, value in service_row.items():
        if value and column not in ("last_modified",):
            assert str(body[column]) == value or body[column] == float(value), column
    phones = {p["id"] for p in body["phones"]}
    phone_rows = list(csvlib.DictReader(io.StringIO((EXAMPLES / "csv" / "phones.csv").read_text(encoding="utf-8"))))
    assert {r["id"] for r in phone_rows if r["service_id"] == service_row["id"]} <= phones
    # Re-importing the same package changes nothing and duplicates nothing.
    assert services.import_batch(hsds.batch_from_package(csv_files()), invalid_coordinates="keep") == counts
    assert Service.objects.count() == 1


def test_the_csv_package_imports_from_a_zip_upload(db: None) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, raw in csv_files().items():
            archive.writestr(f"hsds/{name}", raw)
    kind, files = hsds.files_from_upload("package.zip", buffer.getvalue())
    assert kind == "package"
    services.import_batch(hsds.batch_from_package(files), invalid_coordinates="keep")
    assert Service.objects.count() == 1


# --- Bad input -----------------------------------------------------------------------------------------


def refused(action: Any) -> list[hsds.Problem]:
    with pytest.raises(hsds.ImportRefused) as error:
        action()
    return error.value.problems


def test_a_broken_hsds_file_is_reported_per_record_and_field_and_imports_nothing(db: None) -> None:
    document = load_example("service_full.json")
    document["status"] = "open for business"
    document["phones"][0].pop("number")
    problems = refused(lambda: import_json(document))
    fields = {(p.record, p.field) for p in problems}
    assert (f"service {document['id']}", "status") in fields
    assert any(p.field == "phones[0]" and "number" in p.message for p in problems)
    assert not Service.objects.exists() and not Location.objects.exists()


def test_coordinates_out_of_range_are_refused(db: None) -> None:
    document = load_example("service_full.json")
    problems = refused(lambda: services.import_batch(hsds.batch_from_json(document)))
    assert any(p.field == "latitude" and "100" in p.message for p in problems)
    location = load_example("location.json")
    location["latitude"], location["longitude"] = 54.35, 200
    problems = refused(lambda: services.import_batch(hsds.batch_from_json(location)))
    assert [p.field for p in problems] == ["longitude"]
    assert not Location.objects.exists()


def test_not_json_and_not_utf8_are_reported(db: None) -> None:
    problems = refused(lambda: hsds.files_from_upload("x.json", b'{"id": "a",'))
    assert "line 1" in problems[0].field
    problems = refused(lambda: hsds.files_from_upload("x.json", "Łódź".encode("cp1250")))
    assert "UTF-8" in problems[0].message
    files = csv_files()
    files["services.csv"] = files["services.csv"].replace(b"Counselling", "Łódź".encode("cp1250"), 1)
    problems = refused(lambda: hsds.batch_from_package(files))
    assert problems[0].record == "services.csv" and "UTF-8" in problems[0].message


def test_a_csv_with_a_wrong_column_or_value_is_reported_precisely(db: None) -> None:
    files = csv_files()
    files["services.csv"] = files["services.csv"].replace(b"organization_id,", b"organisation_id,", 1)
    problems = refused(lambda: hsds.batch_from_package(files))
    assert {(p.record, p.field) for p in problems} >= {
        ("services.csv", "organisation_id"),
        ("services.csv", "organization_id"),
    }
    files = csv_files()
    files["locations.csv"] = files["locations.csv"].replace(b",100,101,", b",north,101,")
    problems = refused(lambda: hsds.batch_from_package(files))
    assert [(p.record, p.field) for p in problems] == [("locations.csv line 2", "latitude")]
    files = csv_files()
    files["unknown.csv"] = b"id\n1\n"
    assert refused(lambda: hsds.batch_from_package(files))[0].record == "unknown.csv"
    assert not Service.objects.exists()


def test_an_import_with_a_dangling_reference_imports_nothing(db: None) -> None:
    document = {
        "id": "3f1c9e36-54f6-4f3b-9a55-0c3a1c1b2d11",
        "name": "Orphan",
        "status": "active",
        "organization_id": "5b0a3d5e-8f1e-4c0f-a1e7-2b8c6d9e0f12",
    }
    problems = refused(lambda: import_json(document))
    assert problems[0].field == "organization_id"
    assert refused(lambda: import_json({**document, "id": "not-a-uuid"}))[0].field in ("id", "organization_id")


def test_the_csv_package_round_trips_table_by_table(db: None) -> None:
    import csv as csvlib

    from ownpath.modules.directory.models import DirectoryOrganization, PackageRow, Taxonomy

    services.import_batch(hsds.batch_from_package(csv_files()), invalid_coordinates="keep")
    exported = hsds.export_package(
        DirectoryOrganization.objects.all(),
        Service.objects.all(),
        Location.objects.all(),
        ServiceAtLocation.objects.all(),
        Taxonomy.objects.all(),
        TaxonomyTerm.objects.all(),
        PackageRow.objects.all(),
    )

    def rows(raw: bytes) -> dict[str, dict[str, str]]:
        return {r["id"]: {k: v for k, v in r.items() if v} for r in csvlib.DictReader(io.StringIO(raw.decode("utf-8")))}

    def same(a: str, b: str) -> bool:
        try:
            return float(a) == float(b)
        except ValueError:
            return a == b

    compared = 0
    for name, raw in csv_files().items():
        source = rows(raw)
        out = rows(exported.get(name, b"id\n"))
        for ident, row in source.items():
            assert ident in out, f"{name}: row {ident} lost"
            for column, value in row.items():
                assert same(value, out[ident].get(column, "")), (
                    f"{name} {column}: {value!r} became {out[ident].get(column)!r}"
                )
            compared += 1
    assert compared == 21, "every row of every table of the example"


def test_minimal_objects_of_every_kind_import_as_what_the_file_says(db: None) -> None:
    term = {"id": "0c8f2d4e-7a61-4e0b-9d1a-2f3e4a5b6c7d", "name": "Legal advice", "description": "Legal help"}
    assert import_json(term, "taxonomy_term")["taxonomy_terms"] == 1
    assert TaxonomyTerm.objects.filter(name="Legal advice").exists()
    taxonomy = {"id": "1d9e3f5a-8b72-4f1c-8e2b-3a4b5c6d7e8f", "name": "Needs", "description": "Our needs"}
    assert import_json([taxonomy], "taxonomy")["taxonomies"] == 1
    assert hsds.kind_from_filename("export/taxonomy_term_list.json") == "taxonomy_term"
    assert hsds.kind_from_filename("organizations.json") == "organization"
    assert hsds.kind_from_filename("data.json") is None


# --- Partial imports never delete (issue 25) ------------------------------------------------------------


NESTED = ("phones", "schedules", "service_areas", "languages", "funding", "cost_options", "program",
          "required_documents", "contacts", "attributes", "metadata")  # fmt: skip


def test_a_full_then_a_partial_import_loses_nothing_and_updates_what_it_carries(db: None) -> None:
    full = load_example("service_full.json")
    import_json(full)
    url = f"/hsds/services/{full['id']}"
    before = Client().get(url).json()
    carried = [key for key in NESTED if before.get(key)]
    assert len(carried) >= 8, carried
    # The list form we publish ourselves (and the specification's list example) carries no nested data.
    item = next(i for i in Client().get("/hsds/services").json()["contents"] if i["id"] == full["id"])
    import_json({**item, "name": "Renamed by a partial import"}, "service")
    after = Client().get(url).json()
    assert after["name"] == "Renamed by a partial import"
    assert not contained({k: before[k] for k in carried}, after)
    # A lone services.csv updates the services it lists and keeps their phones, schedules and the rest.
    row = {k: ("" if v is None else str(v)) for k, v in hsds.service_list_item(Service.objects.get(pk=full["id"])).items()
           if not isinstance(v, dict | list)}  # fmt: skip
    row["description"] = "Changed from a CSV"
    buffer = io.StringIO()
    header = [f for f in hsds._fields("services.csv") if f in row]
    buffer.write(",".join(header) + "\n" + ",".join(f'"{row[f]}"' for f in header) + "\n")
    services.import_batch(hsds.batch_from_package({"services.csv": buffer.getvalue().encode()}),
                          invalid_coordinates="keep")  # fmt: skip
    again = Client().get(url).json()
    assert again["description"] == "Changed from a CSV" and not contained({k: before[k] for k in carried}, again)


def test_a_package_table_without_rows_for_a_record_empties_that_field(db: None) -> None:
    files = csv_files()
    services.import_batch(hsds.batch_from_package(files), invalid_coordinates="keep")
    service_id = Service.objects.get().pk
    assert Client().get(f"/hsds/services/{service_id}").json().get("phones")
    header = files["phones.csv"].decode("utf-8").splitlines()[0]
    services.import_batch(hsds.batch_from_package({**files, "phones.csv": (header + "\n").encode()}),
                          invalid_coordinates="keep")  # fmt: skip
    assert not Client().get(f"/hsds/services/{service_id}").json().get("phones")


def test_a_malformed_id_filter_is_a_422_not_an_empty_page(db: None) -> None:
    for url in ("/hsds/services?taxonomy_term_id=nonsense", "/hsds/services?organization_id=1",
                "/hsds/taxonomy_terms?taxonomy_id=x"):  # fmt: skip
        response = Client().get(url)
        assert response.status_code == 422, url
