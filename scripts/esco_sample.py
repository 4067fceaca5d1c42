"""Writes the ESCO sample the tests and the demo load (ownpath/core/esco/sample/): the official CSV files,
unchanged in format, filtered to a few dozen occupations that migrants often take up, every skill those
occupations name, the skills' broader concepts, the transversal skills and the whole of ISCO-08.

    python scripts/esco_sample.py ../shared/standards/esco/v1.1.1-en ../shared/standards/esco/v1.2.1-pl
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OCCUPATIONS = [
    "welder", "spot welder", "cook", "kitchen porter", "domestic cleaner", "building cleaner", "warehouse worker",
    "moving truck driver", "forklift operator", "healthcare assistant", "home care aide", "software developer",
    "domestic electrician", "carpenter", "hospitality establishment receptionist", "sewing machine operator",
    "waiter/waitress", "bricklayer", "shop assistant", "baker", "butcher", "social care worker",
    "child care worker", "interpreter", "accountant", "hairdresser", "plumber", "construction painter",
    "sheet metal worker", "nurse responsible for general care", "kitchen assistant", "electrical equipment assembler",
    "fruit and vegetable picker", "car and van delivery driver", "motor vehicle parts assembler", "pipe welder",
]  # fmt: skip
OUT = Path(__file__).resolve().parent.parent / "ownpath" / "core" / "esco" / "sample"


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write(name: str, header: list[str], rows: list[dict[str, str]]) -> None:
    with (OUT / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)
    print(f"{name}: {len(rows)}")


def main(en: Path, pl: Path) -> None:
    OUT.mkdir(exist_ok=True)
    header, occupations = read(en / "occupations_en.csv")
    chosen = [r for r in occupations if r["preferredLabel"] in OCCUPATIONS]
    missing = set(OCCUPATIONS) - {r["preferredLabel"] for r in chosen}
    if missing:
        print("not found:", ", ".join(sorted(missing)))
    occ_uris = {r["conceptUri"] for r in chosen}
    write("occupations_en.csv", header, chosen)
    h, relations = read(en / "occupationSkillRelations.csv")
    relations = [r for r in relations if r["occupationUri"] in occ_uris]
    skill_uris = {r["skillUri"] for r in relations}
    h_t, transversal = read(en / "transversalSkillsCollection_en.csv")
    skill_uris |= {r["conceptUri"] for r in transversal}
    write("transversalSkillsCollection_en.csv", h_t, transversal)
    h_b, broader = read(en / "broaderRelationsSkillPillar.csv")
    parents: dict[str, list[str]] = {}
    for r in broader:
        parents.setdefault(r["conceptUri"], []).append(r["broaderUri"])
    keep, todo = set(), list(skill_uris)
    while todo:
        uri = todo.pop()
        if uri in keep:
            continue
        keep.add(uri)
        todo.extend(parents.get(uri, []))
    write("occupationSkillRelations.csv", h, relations)
    write("broaderRelationsSkillPillar.csv", h_b, [r for r in broader if r["conceptUri"] in keep])
    h_s, skills = read(en / "skills_en.csv")
    write("skills_en.csv", h_s, [r for r in skills if r["conceptUri"] in keep])
    h_g, groups = read(en / "skillGroups_en.csv")
    write("skillGroups_en.csv", h_g, [r for r in groups if r["conceptUri"] in keep])
    h_r, related = read(en / "skillSkillRelations.csv")
    write(
        "skillSkillRelations.csv",
        h_r,
        [r for r in related if r["originalSkillUri"] in keep and r["relatedSkillUri"] in keep],
    )
    h_o, occ_broader = read(en / "broaderRelationsOccPillar.csv")
    write("broaderRelationsOccPillar.csv", h_o, [r for r in occ_broader if r["conceptUri"] in occ_uris])
    h_i, isco = read(en / "ISCOGroups_en.csv")
    write("ISCOGroups_en.csv", h_i, isco)
    h_p, occ_pl = read(pl / "occupations_pl.csv")
    write("occupations_pl.csv", h_p, [r for r in occ_pl if r["conceptUri"] in occ_uris])
    h_ip, isco_pl = read(pl / "ISCOGroups_pl.csv")
    write("ISCOGroups_pl.csv", h_ip, isco_pl)
    h_tp, trans_pl = read(pl / "transversalSkillsCollection_pl.csv")
    write("transversalSkillsCollection_pl.csv", h_tp, trans_pl)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
