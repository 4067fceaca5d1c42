"""Loads a directory of official ESCO CSV files, of any language and version, into the ESCO tables.

Files are recognised by their official names (``skills_pl.csv``, ``occupations_en.csv``,
``occupationSkillRelations.csv``, ``broaderRelationsSkillPillar_pl.csv``, ``*Collection_<lang>.csv``, ...).
Concepts are keyed by URI, so a second language adds labels to the concepts already loaded. The whole load is
checked in full before anything is written: a file with a missing column or a malformed URI stops it,
naming the file and line, and nothing is written. It is then written in short batches (see ``load``).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ownpath.core.db import in_batches
from ownpath.core.esco.models import (
    ConceptKind,
    EscoConcept,
    EscoLabel,
    EscoRelation,
    EscoRelease,
    LabelKind,
    RelationKind,
)

URI_PREFIX = "http://data.europa.eu/esco/"
BATCH = 2000
CONCEPT_TYPES = {
    "Occupation": ConceptKind.OCCUPATION,
    "KnowledgeSkillCompetence": ConceptKind.SKILL,
    "ISCOGroup": ConceptKind.ISCO_GROUP,
    "SkillGroup": ConceptKind.SKILL_GROUP,
}
# name pattern → (role, columns that must be present)
CONCEPT_FILES = (
    (re.compile(r"^ISCOGroups_(?P<lang>[a-z]{2,3})\.csv$"), ("conceptUri", "code", "preferredLabel")),
    (re.compile(r"^skillGroups_(?P<lang>[a-z]{2,3})\.csv$"), ("conceptUri", "preferredLabel")),
    (re.compile(r"^skills_(?P<lang>[a-z]{2,3})\.csv$"), ("conceptUri", "preferredLabel", "skillType", "reuseLevel")),
    (re.compile(r"^occupations_(?P<lang>[a-z]{2,3})\.csv$"), ("conceptUri", "preferredLabel", "iscoGroup")),
    (re.compile(r"^\w+Collection_(?P<lang>[a-z]{2,3})\.csv$"), ("conceptType", "conceptUri", "preferredLabel")),
)
RELATION_FILES = (
    (re.compile(r"^broaderRelations(Occ|Skill)Pillar(_[a-z]{2,3})?\.csv$"), ("conceptUri", "broaderUri")),
    (re.compile(r"^occupationSkillRelations(_[a-z]{2,3})?\.csv$"), ("occupationUri", "relationType", "skillUri")),
    (
        re.compile(r"^skillSkillRelations(_[a-z]{2,3})?\.csv$"),
        ("originalSkillUri", "relationType", "relatedSkillUri"),
    ),
)


class EscoLoadError(Exception):
    """A file that cannot be loaded; the message names the file, the line and the problem."""


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass
class LoadReport:
    version: str
    languages: set[str] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)
    ignored_files: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"ESCO {self.version}, languages: {', '.join(sorted(self.languages)) or '-'}"]
        out += [f"  {key}: {value}" for key, value in sorted(self.counts.items())]
        if self.ignored_files:
            out.append(f"  files not used: {', '.join(sorted(self.ignored_files))}")
        return out


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise EscoLoadError(f"{path.name}: cannot be read ({exc.strerror})") from exc
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
        except (csv.Error, UnicodeDecodeError) as exc:
            raise EscoLoadError(f"{path.name}:1: not a CSV file ({exc})") from exc
        missing = [c for c in required if c not in header]
        if missing:
            raise EscoLoadError(f"{path.name}:1: missing column(s) {', '.join(missing)}")
        try:
            for row in reader:
                yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}
        except (csv.Error, UnicodeDecodeError) as exc:
            raise EscoLoadError(f"{path.name}:{reader.line_num}: {exc}") from exc


def _check_uri(path: Path, line: int, column: str, value: str) -> str:
    if not value.startswith(URI_PREFIX) or any(c.isspace() for c in value) or len(value) > 255:
        raise EscoLoadError(f"{path.name}:{line}: {column}: not an ESCO URI: {value[:80]!r}")
    return value


def _split_labels(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\r", "\n").split("\n") if part.strip()]


class _Loader:
    def __init__(self, version: str) -> None:
        self.version = version
        self.report = LoadReport(version)
        self.ids: dict[str, int] = dict(EscoConcept.objects.values_list("uri", "id"))
        self.isco_by_code: dict[str, int] = dict(
            EscoConcept.objects.filter(kind=ConceptKind.ISCO_GROUP).values_list("code", "id")
        )

    # -- concepts and labels
    def concepts(self, path: Path, language: str, required: tuple[str, ...]) -> None:
        self.report.languages.add(language)
        name = path.name
        default_kind = (
            ConceptKind.ISCO_GROUP
            if name.startswith("ISCOGroups")
            else ConceptKind.SKILL_GROUP
            if name.startswith("skillGroups")
            else ConceptKind.OCCUPATION
            if name.startswith("occupations")
            else ConceptKind.SKILL
            if name.startswith("skills_")
            else None
        )
        rows: list[tuple[str, dict[str, Any], list[tuple[str, str]]]] = []  # label kind, text
        for line, row in _rows(path, required):
            uri = _check_uri(path, line, "conceptUri", row["conceptUri"])
            kind = default_kind or CONCEPT_TYPES.get(row.get("conceptType", ""))
            if kind is None:
                raise EscoLoadError(f"{name}:{line}: conceptType: unknown concept type {row.get('conceptType')!r}")
            if not row["preferredLabel"]:
                raise EscoLoadError(f"{name}:{line}: preferredLabel: empty")
            values: dict[str, Any] = {"kind": kind, "status": row.get("status", "")[:20], "version": self.version}
            if kind == ConceptKind.SKILL:
                values["skill_type"] = row.get("skillType", "")[:20]
                values["reuse_level"] = row.get("reuseLevel", "")[:24]
            if kind == ConceptKind.ISCO_GROUP or (kind == ConceptKind.SKILL_GROUP and row.get("code")):
                values["code"] = row.get("code", "")[:40]
            if kind == ConceptKind.OCCUPATION:
                if row.get("code"):
                    values["code"] = row["code"][:40]
                if row.get("iscoGroup"):
                    values["isco_code"] = row["iscoGroup"]
            labels: list[tuple[str, str]] = [(LabelKind.PREFERRED, row["preferredLabel"])]
            labels += [(LabelKind.ALTERNATIVE, t) for t in _split_labels(row.get("altLabels", ""))]
            labels += [(LabelKind.HIDDEN, t) for t in _split_labels(row.get("hiddenLabels", ""))]
            rows.append((uri, values, labels))
        # A collection file only adds labels (and a concept it is the first to name); the pillar files own
        # the concepts' fields. Each batch is its own short transaction (see ``load``).
        for chunk in in_batches(rows, BATCH):
            self._write_concepts(chunk, name, language, default_kind)

    def _write_concepts(
        self,
        rows: Sequence[tuple[str, dict[str, Any], list[tuple[str, str]]]],
        name: str,
        language: str,
        default_kind: str | None,
    ) -> None:
        owns_fields = default_kind is not None
        new = [EscoConcept(uri=uri, **_fields(values)) for uri, values, _ in rows if uri not in self.ids]
        EscoConcept.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
        if new:
            self.ids.update(EscoConcept.objects.filter(uri__in=[c.uri for c in new]).values_list("uri", "id"))
        self.report.counts[f"concepts new ({name})"] += len(new)
        if owns_fields:
            changed = []
            for uri, values, _ in rows:
                concept = EscoConcept(pk=self.ids[uri], uri=uri, **_fields(values))
                if "isco_code" in values:
                    concept.isco_group_id = self.isco_by_code.get(values["isco_code"])
                changed.append(concept)
            update = ["kind", "status", "version", "skill_type", "reuse_level", "code"]
            if default_kind == ConceptKind.OCCUPATION:
                update.append("isco_group")
            EscoConcept.objects.bulk_update(changed, update, batch_size=BATCH)
            if default_kind == ConceptKind.ISCO_GROUP:
                self.isco_by_code.update({v["code"]: self.ids[u] for u, v, _ in rows if v.get("code")})
            EscoLabel.objects.filter(language=language, concept_id__in=[self.ids[uri] for uri, _, _ in rows]).delete()
        label_rows = {
            (self.ids[uri], kind, text[:500]): EscoLabel(
                concept_id=self.ids[uri],
                language=language,
                kind=kind,
                text=text[:500],
                normalised=normalise(text)[:500],
            )
            for uri, _, found in rows
            for kind, text in found
        }
        EscoLabel.objects.bulk_create(label_rows.values(), batch_size=BATCH, ignore_conflicts=True)
        self.report.counts[f"labels ({language})"] += len(label_rows)

    # -- relations
    def relations(self, path: Path, required: tuple[str, ...]) -> None:
        name = path.name
        source_col, target_col = required[0], required[-1]
        found: dict[tuple[int, int, str], EscoRelation] = {}
        skipped = 0
        for line, row in _rows(path, required):
            source = _check_uri(path, line, source_col, row[source_col])
            target = _check_uri(path, line, target_col, row[target_col])
            if name.startswith("broader"):
                kind = RelationKind.BROADER
            else:
                relation = row["relationType"].lower()
                if relation not in ("essential", "optional"):
                    raise EscoLoadError(
                        f"{name}:{line}: relationType: {row['relationType']!r} is not essential or optional"
                    )
                kind = RelationKind(relation if name.startswith("occupation") else f"related_{relation}")
            if source not in self.ids or target not in self.ids:
                skipped += 1  # a concept of another version or a pillar not loaded
                continue
            key = (self.ids[source], self.ids[target], kind)
            found[key] = EscoRelation(source_id=key[0], target_id=key[1], kind=kind)
        for chunk in in_batches(list(found.values()), BATCH):
            EscoRelation.objects.bulk_create(chunk, ignore_conflicts=True)
        self.report.counts[f"relations ({name})"] += len(found)
        if skipped:
            self.report.counts[f"relations skipped, concept not loaded ({name})"] += skipped


def _fields(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k != "isco_code"}


def guess_version(directory: Path) -> str:
    match = re.search(r"v?(\d+\.\d+(?:\.\d+)?)", directory.name)
    return match.group(1) if match else "unknown"


def load(directory: Path | str, *, version: str | None = None) -> LoadReport:
    """Load every ESCO file in ``directory``; raises EscoLoadError naming the file and line of a problem."""
    directory = Path(directory)
    if not directory.is_dir():
        raise EscoLoadError(f"{directory}: not a directory")
    files = sorted(p for p in directory.iterdir() if p.suffix.lower() == ".csv")
    loader = _Loader(version or guess_version(directory))
    concept_jobs: list[tuple[int, Path, str, tuple[str, ...]]] = []
    relation_jobs: list[tuple[Path, tuple[str, ...]]] = []
    for path in files:
        for order, (pattern, required) in enumerate(CONCEPT_FILES):
            match = pattern.match(path.name)
            if match:
                concept_jobs.append((order, path, match.group("lang"), required))
                break
        else:
            for pattern, required in RELATION_FILES:
                if pattern.match(path.name):
                    relation_jobs.append((path, required))
                    break
            else:
                loader.report.ignored_files.append(path.name)
    if not concept_jobs and not relation_jobs:
        raise EscoLoadError(f"{directory}: no ESCO CSV files found (skills_<lang>.csv, occupations_<lang>.csv, ...)")
    concept_jobs.sort(key=lambda job: (job[0], job[1].name))
    # First every file is read and checked, writing nothing: a bad file stops the load before any change.
    for _order, path, _language, required in concept_jobs:
        _check_concepts(path, required)
    for path, required in relation_jobs:
        _check_relations(path, required)
    # Then the rows are written in batches of BATCH, each its own transaction, so that the load never holds
    # the database's write lock for long (on SQLite other writers wait at most one batch). A load cut off
    # half-way (a killed worker, a restart) is simply run again: concepts are keyed by URI and labels and
    # relations by their content, so a second run writes the same rows. The release row comes last.
    for _order, path, language, required in concept_jobs:
        loader.concepts(path, language, required)
    for path, required in relation_jobs:
        loader.relations(path, required)
    EscoRelease.objects.create(
        version=loader.version,
        languages=sorted(loader.report.languages),
        directory=str(directory)[:500],
        counts=dict(loader.report.counts),
    )
    return loader.report


def _check_concepts(path: Path, required: tuple[str, ...]) -> None:
    collection = not any(path.name.startswith(p) for p in ("ISCOGroups", "skillGroups", "occupations", "skills_"))
    for line, row in _rows(path, required):
        _check_uri(path, line, "conceptUri", row["conceptUri"])
        if collection and row.get("conceptType", "") not in CONCEPT_TYPES:
            raise EscoLoadError(f"{path.name}:{line}: conceptType: unknown concept type {row.get('conceptType')!r}")
        if not row["preferredLabel"]:
            raise EscoLoadError(f"{path.name}:{line}: preferredLabel: empty")


def _check_relations(path: Path, required: tuple[str, ...]) -> None:
    source_col, target_col = required[0], required[-1]
    for line, row in _rows(path, required):
        _check_uri(path, line, source_col, row[source_col])
        _check_uri(path, line, target_col, row[target_col])
        if not path.name.startswith("broader") and row["relationType"].lower() not in ("essential", "optional"):
            raise EscoLoadError(
                f"{path.name}:{line}: relationType: {row['relationType']!r} is not essential or optional"
            )
