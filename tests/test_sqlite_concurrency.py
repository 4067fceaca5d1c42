"""Single machine done right: on SQLite (``make run``), a long job commits in batches, so other writes go on
while it runs instead of failing with "database is locked"."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _esco_directory(where: Path, skills: int) -> Path:
    where.mkdir()
    with (where / "skills_en.csv").open("w", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels"])
        for n in range(skills):
            rows.writerow([
                "KnowledgeSkillCompetence", f"http://data.europa.eu/esco/skill/s{n}", "skill/competence",
                "sector-specific", f"skill number {n}", f"alternative {n}\nanother name {n}",
            ])  # fmt: skip
    with (where / "skillSkillRelations.csv").open("w", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(["originalSkillUri", "originalSkillType", "relationType", "relatedSkillType", "relatedSkillUri"])
        for n in range(skills - 1):
            rows.writerow(
                [
                    f"http://data.europa.eu/esco/skill/s{n}",
                    "",
                    "optional",
                    "",
                    f"http://data.europa.eu/esco/skill/s{n + 1}",
                ]
            )
    return where


@pytest.mark.postgres  # (it makes its own SQLite file: one of the two database runs is enough)
def test_sqlite_writes_go_on_during_a_long_esco_load(tmp_path: Path) -> None:
    esco = _esco_directory(tmp_path / "esco", 2_500)
    done = subprocess.run(  # noqa: S603  (our own script)
        [sys.executable, "-m", "tests.sqlite_writes_during_load", str(tmp_path / "db.sqlite3"), str(esco)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["counts"]["concepts new (skills_en.csv)"] == 2_500
    assert result["errors"] == []  # nothing answered "database is locked"
    during = [t for t in result["writes"] if result["started"] < t < result["ended"]]
    # Writes were not merely queued behind the load: they landed between its batches.
    assert len(during) >= 1, (len(during), result["ended"] - result["started"])
