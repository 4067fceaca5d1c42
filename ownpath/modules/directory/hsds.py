"""Open Referral HSDS 3.0: the schemas, records out as HSDS JSON, and HSDS JSON or CSV packages in.

The schemas are the specification's own files (``hsds/``, CC BY-SA 4.0, unchanged). Imports are checked
in full before anything is written: every problem is reported with its record and field, and a file with
any problem imports nothing. A valid file is written in one transaction, updating records by id.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ownpath.core import uploads

HSDS_DIR = Path(__file__).resolve().parent / "hsds"
SCHEMA_DIR = HSDS_DIR / "schema"
BASE_URI = "https://ownpath.invalid/hsds/3.0/"
VERSION = "3.0"
# A ZIP of the tabular package may unpack to at most this much (checked before unpacking).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# Text fields translated per language (the original stays in the HSDS record).
TRANSLATABLE = {
    "service": ("name", "description", "application_process", "eligibility_description", "fees_description", "alert"),
    "organization": ("name", "description"),
    "location": ("name", "description", "transportation"),
}


# --- Schemas -------------------------------------------------------------------------------------------


@cache
def _registry() -> Any:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources = []
    for path in SCHEMA_DIR.glob("*.json"):
        if path.name == "openapi.json":
            continue
        contents = json.loads(path.read_text(encoding="utf-8"))
        contents["$id"] = BASE_URI + path.name
        resources.append((BASE_URI + path.name, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Any:
    """A validator of one HSDS object (``service``, ``organization``, ``location``, ...)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator({"$ref": BASE_URI + f"{name}.json"}, registry=_registry())


@cache
def compiled_schema(name: str) -> dict[str, Any]:
    """A self-contained schema of ``schema/compiled/`` (service, organization, service_at_location, _list)."""
    return json.loads((SCHEMA_DIR / "compiled" / f"{name}.json").read_text(encoding="utf-8"))


@cache
def datapackage() -> dict[str, Any]:
    return json.loads((HSDS_DIR / "datapackage.json").read_text(encoding="utf-8"))


# --- Records out ---------------------------------------------------------------------------------------


def _clean(data: dict[str, Any], *drop: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in drop}


def organization_out(
    org: Any, *, full: bool = False, full_service: bool = False, with_locations: bool = False
) -> dict[str, Any]:
    out = _clean(org.data, "services", "locations")
    out.update({"id": str(org.id), "name": org.name, "description": org.description})
    if full or full_service or with_locations:
        out["locations"] = [location_out(loc) for loc in org.locations.all()]
    if full or full_service:
        out["services"] = [
            service_out(s, full=True, nest_organization=False) if full_service else service_list_item(s)
            for s in org.services.all()
        ]
    return out


def organization_list_item(org: Any) -> dict[str, Any]:
    keys = compiled_schema("organization_list")["properties"]
    out = {k: v for k, v in org.data.items() if k in keys}
    out.update({"id": str(org.id), "name": org.name, "description": org.description})
    return out


def location_out(location: Any) -> dict[str, Any]:
    out = dict(location.data)
    out["id"] = str(location.id)
    out.setdefault("location_type", "physical")
    return out


def service_list_item(service: Any) -> dict[str, Any]:
    keys = compiled_schema("service_list")["properties"]
    out = {k: v for k, v in service.data.items() if k in keys and k != "organization"}
    out.update(_service_columns(service))
    out["organization"] = organization_list_item(service.organization)
    return out


def _service_columns(service: Any) -> dict[str, Any]:
    return {
        "id": str(service.id),
        "organization_id": str(service.organization_id),
        "name": service.name,
        "description": service.description,
        "status": service.status,
        "last_modified": service.data.get("last_modified") or service.last_modified.isoformat().replace("+00:00", "Z"),
    }


def service_out(service: Any, *, full: bool = True, nest_organization: bool = True) -> dict[str, Any]:
    out = _clean(service.data, "organization", "service_at_locations")
    out.update(_service_columns(service))
    if nest_organization:
        out["organization"] = organization_out(service.organization, with_locations=True)
    out["service_at_locations"] = [
        service_at_location_out(sal, nest_service=False) for sal in service.service_at_locations.all()
    ]
    return out


def service_at_location_out(sal: Any, *, nest_service: bool = True, full: bool = False) -> dict[str, Any]:
    out = _clean(sal.data, "location", "service")
    out.update({"id": str(sal.id), "service_id": str(sal.service_id), "location_id": str(sal.location_id)})
    out["location"] = location_out(sal.location)
    if nest_service:
        out["service"] = service_out(sal.service) if full else service_list_item(sal.service)
    return out


def taxonomy_out(taxonomy: Any) -> dict[str, Any]:
    out = dict(taxonomy.data)
    out.update({"id": str(taxonomy.id), "name": taxonomy.name, "description": taxonomy.description})
    return out


def taxonomy_term_out(term: Any) -> dict[str, Any]:
    out = _clean(term.data, "taxonomy_detail")
    out.update({"id": str(term.id), "name": term.name, "description": term.description})
    if term.code:
        out["code"] = term.code
    if term.parent_id:
        out["parent_id"] = str(term.parent_id)
    if term.taxonomy_id:
        out["taxonomy_id"] = str(term.taxonomy_id)
        out["taxonomy_detail"] = taxonomy_out(term.taxonomy)
    return out


def page(items: list[Any], total: int, number: int, size: int) -> dict[str, Any]:
    """The HSDS ``Page`` envelope around ``contents``."""
    pages = max(1, -(-total // size)) if size else 1
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(items),
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": total == 0,
        "contents": items,
    }


# --- Records in ----------------------------------------------------------------------------------------


@dataclass
class Problem:
    record: str
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"record": self.record, "field": self.field, "message": self.message}

    def __str__(self) -> str:
        where = f"{self.record}, {self.field}" if self.field else self.record
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    """The file has problems; nothing was imported. ``problems`` says where, precisely."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


@dataclass
class Batch:
    """Everything a file holds, as HSDS objects ready to be checked and written."""

    organizations: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    locations: list[dict[str, Any]] = field(default_factory=list)
    service_at_locations: list[dict[str, Any]] = field(default_factory=list)
    taxonomies: list[dict[str, Any]] = field(default_factory=list)
    taxonomy_terms: list[dict[str, Any]] = field(default_factory=list)
    # Rows of a tabular package that no record holds, by table (kept and exported again).
    extra_rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def size(self) -> int:
        return sum(len(v) for k, v in vars(self).items() if k != "extra_rows") + sum(
            len(v) for v in self.extra_rows.values()
        )


def _label(kind: str, record: dict[str, Any], index: int) -> str:
    ident = record.get("id") if isinstance(record, dict) else None
    return f"{kind} {ident}" if ident else f"{kind} #{index + 1}"


KINDS = ("service", "organization", "location", "service_at_location", "taxonomy_term", "taxonomy")


def kind_from_filename(name: str) -> str | None:
    """What a file holds, when its name says it (``taxonomy_term_list.json``, ``organizations.json``…)."""
    stem = Path(name).name.lower()
    for kind in ("service_at_location", "taxonomy_term", "taxonomy", "organization", "location", "service"):
        if kind in stem:
            return kind
    return None


def batch_from_json(document: Any, kind: str | None = None) -> Batch:
    """Read an HSDS JSON document: a service, organization, service_at_location, location, taxonomy or term,
    a list of them, or a ``Page`` with ``contents``. Nested objects are pulled apart into their own records.

    HSDS objects do not name their type; ``kind`` says what the top-level objects are (from the file name
    or the importer's choice); without it the type is recognised from the properties present.
    """
    if kind is not None and kind not in KINDS:
        raise ImportRefused([Problem(_("file"), "", _("Unknown kind of HSDS object."))])
    batch = Batch()
    items = document.get("contents") if isinstance(document, dict) and "contents" in document else document
    if not isinstance(items, list):
        items = [items]
    for item in items:
        if not isinstance(item, dict):
            raise ImportRefused([Problem(_("file"), "", _("Expected HSDS objects (JSON objects)."))])
        _take(batch, item, kind)
    return batch


def _kind_of(item: dict[str, Any]) -> str:
    if ("services" in item and "status" not in item) or ("description" in item and "tax_status" in item):
        return "organization"
    if "status" in item:
        return "service"
    if "location_type" in item:
        return "location"
    if "service_id" in item or "location" in item or "service" in item:
        return "service_at_location"
    if "taxonomy_detail" in item or "parent_id" in item or "term_uri" in item or "code" in item:
        return "taxonomy_term"
    if "version" in item or "uri" in item:
        return "taxonomy"
    if "description" in item and "name" in item:
        return "organization"
    return "service"


def _take(batch: Batch, item: dict[str, Any], kind: str | None = None) -> None:
    kind = kind or _kind_of(item)
    if kind == "organization":
        org = _clean(item, "services", "locations")
        batch.organizations.append(org)
        for location in item.get("locations") or []:
            if isinstance(location, dict):
                batch.locations.append({**location, "organization_id": location.get("organization_id", item.get("id"))})
        for service in item.get("services") or []:
            if isinstance(service, dict):
                _take_service(batch, {**service, "organization_id": service.get("organization_id", item.get("id"))})
    elif kind == "service":
        _take_service(batch, item)
    elif kind == "location":
        batch.locations.append(item)
    elif kind == "service_at_location":
        _take_sal(batch, item)
    elif kind == "taxonomy_term":
        batch.taxonomy_terms.append(item)
    else:
        batch.taxonomies.append(item)


def _take_service(batch: Batch, item: dict[str, Any]) -> None:
    service = _clean(item, "service_at_locations")
    organization = item.get("organization")
    if isinstance(organization, dict):
        batch.organizations.append(_clean(organization, "services", "locations"))
        for location in organization.get("locations") or []:
            if isinstance(location, dict):
                batch.locations.append(
                    {**location, "organization_id": location.get("organization_id", organization.get("id"))}
                )
        service.setdefault("organization_id", organization.get("id"))
    batch.services.append(service)
    for sal in item.get("service_at_locations") or []:
        if isinstance(sal, dict):
            _take_sal(batch, {**sal, "service_id": sal.get("service_id", item.get("id"))})
    for attribute in item.get("attributes") or []:
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        if isinstance(term, dict):
            batch.taxonomy_terms.append(term)


def _take_sal(batch: Batch, item: dict[str, Any]) -> None:
    sal = _clean(item, "location", "service")
    location = item.get("location")
    if isinstance(location, dict):
        batch.locations.append(location)
        sal.setdefault("location_id", location.get("id"))
    service = item.get("service")
    if isinstance(service, dict):
        _take_service(batch, service)
        sal.setdefault("service_id", service.get("id"))
    batch.service_at_locations.append(sal)


# CSV tabular data package -----------------------------------------------------------------------------


@cache
def _tables() -> dict[str, dict[str, Any]]:
    return {resource["path"]: resource for resource in datapackage()["resources"]}


@cache
def _fields(table: str) -> dict[str, dict[str, Any]]:
    """The columns of a table of the package, by name."""
    return {f["name"]: f for f in _tables()[table]["schema"]["fields"]}


def read_package(files: dict[str, bytes]) -> tuple[dict[str, list[dict[str, str]]], list[Problem]]:
    """Decode and check the CSV files of a tabular package: UTF-8, known tables, known columns, required
    columns and values, types. Returns the rows by table and the problems found."""
    tables = _tables()
    problems: list[Problem] = []
    rows: dict[str, list[dict[str, str]]] = {}
    for name, raw in sorted(files.items()):
        base = Path(name).name
        if base == "datapackage.json" or not base.endswith(".csv"):
            continue
        if base not in tables:
            problems.append(Problem(base, "", _("Not a table of the HSDS 3.0 data package.")))
            continue
        try:
            text = uploads.decode_text(raw)  # UTF-8, or UTF-16 with a byte-order mark
        except ValidationError as error:
            problems.append(Problem(base, "", " ".join(error.messages)))
            continue
        try:
            table_rows, table_problems = _read_table(base, text)
        except csv.Error as error:  # a field longer than the csv module takes, a stray quote at the end
            problems.append(Problem(base, "", _("Not a readable CSV table: %(reason)s") % {"reason": error}))
            continue
        problems.extend(table_problems)
        if table_rows is not None:
            rows[base] = table_rows
    return rows, problems


def _read_table(base: str, text: str) -> tuple[list[dict[str, str]] | None, list[Problem]]:
    problems: list[Problem] = []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = _fields(base)
    header = reader.fieldnames or []
    unknown = [c for c in header if c not in fields]
    for column in unknown:
        problems.append(Problem(base, column, _("Unknown column for this table.")))
    for name_, spec in fields.items():
        if spec.get("constraints", {}).get("required") and name_ not in header:
            problems.append(Problem(base, name_, _("Required column is missing.")))
    if unknown:
        return None, problems
    table_rows = []
    for number, row in enumerate(reader, start=2):
        if None in row:
            problems.append(Problem(f"{base} line {number}", "", _("More values than columns.")))
            continue
        for name_, value in row.items():
            spec = fields[name_]
            problem = _check_value(spec, value or "")
            if problem:
                problems.append(Problem(f"{base} line {number}", name_, problem))
        table_rows.append({k: v for k, v in row.items() if v not in ("", None)})
    return table_rows, problems


def _check_value(spec: dict[str, Any], value: str) -> str | None:
    if value == "":
        return _("A value is required.") if spec.get("constraints", {}).get("required") else None
    kind = spec.get("type")
    try:
        if kind == "number":
            float(value)
        elif kind == "integer":
            int(value)
        elif kind == "date":
            datetime.strptime(value, "%Y-%m-%d")
        elif kind == "time":
            time.fromisoformat(value)
        elif (kind == "datetime" and parse_datetime(value) is None) or (
            kind == "boolean" and value.lower() not in ("true", "false", "1", "0")
        ):
            raise ValueError
    except ValueError:
        return _("Expected a value of type %(type)s, found “%(value)s”.") % {"type": kind, "value": value[:40]}
    enum = spec.get("constraints", {}).get("enum")
    if enum and value not in enum:
        return _("Expected one of %(values)s, found “%(value)s”.") % {"values": ", ".join(enum), "value": value[:40]}
    return None


def _typed(table: str, row: dict[str, str]) -> dict[str, Any]:
    fields = _fields(table)
    out: dict[str, Any] = {}
    for name, value in row.items():
        kind = fields[name].get("type")
        if kind == "number":
            number = float(value)
            out[name] = int(number) if number.is_integer() and "." not in value else number
        elif kind == "integer":
            out[name] = int(value)
        elif kind == "boolean":
            out[name] = value.lower() in ("true", "1")
        else:
            out[name] = value
    return out


def batch_from_package(files: dict[str, bytes]) -> Batch:  # noqa: C901 (to split, issue 22)
    """Nest the flat tables of a tabular package into HSDS objects."""
    rows, problems = read_package(files)
    if problems:
        raise ImportRefused(problems)
    t = {name: [_typed(name, row) for row in table] for name, table in rows.items()}

    def by(table: str, key: str) -> dict[str, list[dict[str, Any]]]:
        index: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in t.get(table, []):
            if row.get(key):
                index[row[key]].append(row)
        return index

    languages_by_phone = by("languages.csv", "phone_id")
    phones = [{**p, "languages": languages_by_phone.get(p["id"], [])} for p in t.get("phones.csv", [])]
    phones = [{k: v for k, v in p.items() if v != []} for p in phones]

    def children(rows_: list[dict[str, Any]], key: str, value: str) -> list[dict[str, Any]]:
        return [r for r in rows_ if r.get(key) == value]

    attributes = by("attributes.csv", "link_id")
    batch = Batch()
    batch.taxonomies = t.get("taxonomies.csv", [])
    batch.taxonomy_terms = t.get("taxonomy_terms.csv", [])
    contacts = t.get("contacts.csv", [])
    nested_contacts = [
        {
            **c,
            **({"phones": children(phones, "contact_id", c["id"])} if children(phones, "contact_id", c["id"]) else {}),
        }
        for c in contacts
    ]

    # The tables the package has: a record's field from a table that is there is set, empty when the table has
    # no row for it (the import then empties it); a field from a table that is not there is left out, so the
    # import keeps what is stored (a lone services.csv updates services without wiping their phones).
    tables = {name.removesuffix(".csv") for name in t}  # each nested field is named after its table

    def nest(record: dict[str, Any], key: str, extra: Iterable[tuple[str, list[dict[str, Any]]]]) -> dict[str, Any]:
        out = dict(record)
        for name, values in extra:
            if values or name in tables:
                out[name] = values
        if attributes.get(record["id"]) or "attributes" in tables:
            out["attributes"] = attributes.get(record["id"], [])
        return out

    for org in t.get("organizations.csv", []):
        oid = org["id"]
        batch.organizations.append(
            nest(
                org,
                "organization_id",
                [
                    ("funding", children(t.get("funding.csv", []), "organization_id", oid)),
                    ("contacts", children(nested_contacts, "organization_id", oid)),
                    ("phones", children(phones, "organization_id", oid)),
                    ("programs", children(t.get("programs.csv", []), "organization_id", oid)),
                    (
                        "organization_identifiers",
                        children(t.get("organization_identifiers.csv", []), "organization_id", oid),
                    ),
                ],
            )
        )
    programs = {p["id"]: p for p in t.get("programs.csv", [])}
    for service in t.get("services.csv", []):
        sid = service["id"]
        record = nest(
            service,
            "service_id",
            [
                ("phones", children(phones, "service_id", sid)),
                ("schedules", children(t.get("schedules.csv", []), "service_id", sid)),
                ("service_areas", children(t.get("service_areas.csv", []), "service_id", sid)),
                ("languages", children(t.get("languages.csv", []), "service_id", sid)),
                ("funding", children(t.get("funding.csv", []), "service_id", sid)),
                ("cost_options", children(t.get("cost_options.csv", []), "service_id", sid)),
                ("required_documents", children(t.get("required_documents.csv", []), "service_id", sid)),
                ("contacts", children(nested_contacts, "service_id", sid)),
            ],
        )
        if service.get("program_id") in programs:
            record["program"] = programs[service["program_id"]]
        batch.services.append(record)
    for location in t.get("locations.csv", []):
        lid = location["id"]
        batch.locations.append(
            nest(
                location,
                "location_id",
                [
                    ("addresses", children(t.get("addresses.csv", []), "location_id", lid)),
                    ("phones", children(phones, "location_id", lid)),
                    ("schedules", children(t.get("schedules.csv", []), "location_id", lid)),
                    ("languages", children(t.get("languages.csv", []), "location_id", lid)),
                    ("accessibility", children(t.get("accessibility.csv", []), "location_id", lid)),
                    ("contacts", children(nested_contacts, "location_id", lid)),
                ],
            )
        )
    holders = {
        r["id"]
        for name in ("organizations.csv", "services.csv", "locations.csv", "service_at_location.csv")
        for r in t.get(name, [])
    }
    orphans = [a for link, rows_ in attributes.items() if link not in holders for a in rows_]
    if orphans:
        batch.extra_rows["attributes.csv"] = orphans
    for name in ("metadata.csv", "meta_table_descriptions.csv"):
        if t.get(name):
            batch.extra_rows[name] = t[name]
    for sal in t.get("service_at_location.csv", []):
        sid = sal["id"]
        batch.service_at_locations.append(
            nest(
                sal,
                "service_at_location_id",
                [
                    ("phones", children(phones, "service_at_location_id", sid)),
                    ("schedules", children(t.get("schedules.csv", []), "service_at_location_id", sid)),
                    ("contacts", children(nested_contacts, "service_at_location_id", sid)),
                ],
            )
        )
    return batch


def files_from_upload(name: str, raw: bytes) -> tuple[str, Any]:
    """What an uploaded file is: ``("json", document)`` or ``("package", {csv name: bytes})``."""
    lowered = name.lower()
    if raw[:4] == b"PK\x03\x04" or (lowered.endswith(".zip") and raw[:2] == b"PK"):
        try:
            # Measured before anything is unpacked: entries, bytes unpacked, packing ratio (zip bombs).
            uploads.check_archive(raw, max_unpacked=MAX_UNPACKED_BYTES, max_entries=200)
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                return "package", {m.filename: archive.read(m) for m in members}
        except ValidationError as error:
            raise ImportRefused([Problem(name, "", " ".join(error.messages))]) from None
        except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError) as error:
            raise ImportRefused([Problem(name, "", _("Not a readable ZIP archive."))]) from error
    if lowered.endswith(".zip"):
        raise ImportRefused([Problem(name, "", _("Not a readable ZIP archive."))])
    if lowered.endswith(".csv"):
        return "package", {Path(name).name: raw}
    try:
        return "json", uploads.load_json(raw, max_bytes=len(raw) + 1)  # size checked by the caller; depth here
    except ValidationError as error:
        raise ImportRefused([Problem(name, getattr(error, "position", ""), " ".join(error.messages))]) from None


# Checking ---------------------------------------------------------------------------------------------

_SCHEMA_OF = {
    "organizations": "organization",
    "services": "service",
    "locations": "location",
    "service_at_locations": "service_at_location",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}


def _path(error: Any) -> str:
    parts: list[str] = []
    for part in error.absolute_path:
        parts.append(f"[{part}]" if isinstance(part, int) else (("." if parts else "") + str(part)))
    return "".join(parts)


def check(
    batch: Batch, *, known: Callable[[str, str], bool] | None = None, invalid_coordinates: str = "refuse"
) -> list[Problem]:
    """Every problem of a batch: schema, ids, coordinates, references.

    Coordinates outside WGS84 are refused unless ``invalid_coordinates="keep"``: then the location is
    imported, keeps the values in its HSDS record (so they go out again unchanged) and is left off maps and
    distance searches. The specification's own examples need this: they carry latitude 100.
    """
    problems: list[Problem] = []
    ids: dict[str, set[str]] = defaultdict(set)
    for attr, schema in _SCHEMA_OF.items():
        for index, record in enumerate(getattr(batch, attr)):
            label = _label(schema, record, index)
            for error in sorted(validator(schema).iter_errors(record), key=lambda e: list(e.absolute_path)):
                problems.append(
                    Problem(
                        label,
                        _path(error) or (error.validator_value[0] if error.validator == "required" else ""),
                        error.message,
                    )
                )
            ident = record.get("id")
            if isinstance(ident, str):
                try:
                    uuid.UUID(ident)
                except ValueError:
                    problems.append(Problem(label, "id", _("An id must be a UUID.")))
                else:
                    ids[schema].add(ident.lower())
            if schema == "location" and invalid_coordinates == "refuse":
                problems.extend(_check_coordinates(label, record))
    known = known or (lambda kind, ident: False)

    def exists(kind: str, ident: Any) -> bool:
        return isinstance(ident, str) and (ident.lower() in ids[kind] or known(kind, ident))

    for index, record in enumerate(batch.services):
        org = record.get("organization_id")
        if not org:
            problems.append(
                Problem(_label("service", record, index), "organization_id", _("A service needs its organization."))
            )
        elif not exists("organization", org):
            problems.append(
                Problem(
                    _label("service", record, index),
                    "organization_id",
                    _("No such organization in the file or the directory."),
                )
            )
    for index, record in enumerate(batch.service_at_locations):
        label = _label("service_at_location", record, index)
        if not exists("service", record.get("service_id")):
            problems.append(Problem(label, "service_id", _("No such service in the file or the directory.")))
        if not exists("location", record.get("location_id")):
            problems.append(Problem(label, "location_id", _("No such location in the file or the directory.")))
    return problems


def coordinates_valid(record: dict[str, Any]) -> bool:
    return not _check_coordinates("", record)


def _check_coordinates(label: str, record: dict[str, Any]) -> list[Problem]:
    problems = []
    for name, limit in (("latitude", 90), ("longitude", 180)):
        value = record.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool) and not -limit <= value <= limit:
            problems.append(
                Problem(
                    label,
                    name,
                    _("%(name)s %(value)s is outside −%(limit)s to %(limit)s degrees.")
                    % {"name": name, "value": value, "limit": limit},
                )
            )
    return problems


def parse_time(value: Any) -> time | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return time.fromisoformat(value[:8])
    except ValueError:
        return None


def now_iso() -> str:
    return timezone.now().isoformat()


# Out as the tabular data package (CSV) -----------------------------------------------------------------

_CHILD_TABLES = {
    # nested property -> (table, foreign key column that names the parent)
    "phones": "phones.csv",
    "schedules": "schedules.csv",
    "languages": "languages.csv",
    "addresses": "addresses.csv",
    "accessibility": "accessibility.csv",
    "cost_options": "cost_options.csv",
    "required_documents": "required_documents.csv",
    "funding": "funding.csv",
    "service_areas": "service_areas.csv",
    "contacts": "contacts.csv",
    "programs": "programs.csv",
    "organization_identifiers": "organization_identifiers.csv",
    "attributes": "attributes.csv",
}


_PARENT_KEY = {
    "organizations.csv": "organization_id",
    "services.csv": "service_id",
    "locations.csv": "location_id",
    "service_at_location.csv": "service_at_location_id",
    "phones.csv": "phone_id",
    "contacts.csv": "contact_id",
}


def export_package(  # noqa: C901 (to split, issue 22)
    organizations: Iterable[Any],
    services: Iterable[Any],
    locations: Iterable[Any],
    service_at_locations: Iterable[Any],
    taxonomies: Iterable[Any],
    terms: Iterable[Any],
    extra_rows: Iterable[Any] = (),
) -> dict[str, bytes]:
    """The records as the HSDS 3.0 tabular data package: one CSV per table, columns as the package says."""
    rows: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)

    def put(table: str, record: dict[str, Any], parent: tuple[str, str] | None = None) -> None:
        if not isinstance(record, dict) or not record.get("id"):
            return
        row = {k: v for k, v in record.items() if not isinstance(v, list | dict)}
        if parent is not None and parent[0] in _fields(table):
            row.setdefault(parent[0], parent[1])
        rows[table].setdefault(str(record["id"]), {}).update(row)
        for key, value in record.items():
            if key in _CHILD_TABLES and isinstance(value, list) and table in _PARENT_KEY:
                for child in value:
                    put(_CHILD_TABLES[key], child, (_PARENT_KEY[table], str(record["id"])))
            elif key == "program" and isinstance(value, dict):
                put("programs.csv", value)

    for org in organizations:
        put("organizations.csv", organization_out(org))
    for service in services:
        record = _clean(service.data, "organization", "service_at_locations")
        record.update(
            {
                "id": str(service.id),
                "organization_id": str(service.organization_id),
                "name": service.name,
                "description": service.description,
                "status": service.status,
            }
        )
        put("services.csv", record)
    for location in locations:
        put("locations.csv", location_out(location))
    for sal in service_at_locations:
        record = _clean(sal.data, "location", "service")
        record.update({"id": str(sal.id), "service_id": str(sal.service_id), "location_id": str(sal.location_id)})
        put("service_at_location.csv", record)
    for taxonomy in taxonomies:
        put("taxonomies.csv", taxonomy_out(taxonomy))
    for term in terms:
        put("taxonomy_terms.csv", taxonomy_term_out(term))
    for extra in extra_rows:
        rows[extra.table].setdefault(extra.row_id, dict(extra.data))
    files = {}
    for table, by_id in rows.items():
        columns = list(_fields(table))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in by_id.values():
            writer.writerow({k: _csv_value(v) for k, v in row.items()})
        files[table] = buffer.getvalue().encode("utf-8")
    return files


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
