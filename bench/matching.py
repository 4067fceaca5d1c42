"""Benchmark: explainable matching at national scale (issue 6).

Builds, in a PostgreSQL database of its own, N candidates (default 1,000,000) and M published vacancies
(default 100,000) whose ESCO skills follow the occupation–skill relations of ESCO itself: each candidate
has one to three occupations drawn from a skewed popularity (Zipf, manual and service work weighted up),
keeps most of their essential skills and some optional ones, adds transversal skills and a little noise;
each vacancy takes an occupation's essential skills with a few dropped and a few optional ones promoted.
Places, commute limits, hours, start dates and Polish levels vary as they do in a counselling register.

Then, in one run, it measures:

* building the in-memory index from ``matching_candidatevector`` (time and memory);
* the top 50 candidates for one vacancy (``scoring.rank_candidates``, the whole national register, hard
  filters and every factor), median and p95 over sampled vacancies; goal p95 ≤ 50 ms;
* the explanation of those 50 as a counsellor's page shows them;
* the top 20 for every vacancy, taken by occupation (forked workers share the index), goal ≤ 15 minutes;
* the top 20 vacancies for one person (``vacancy_index``, every open vacancy scored at once);
* the same top-50 query done the naive way, SQL joins over ``matching_candidateskill`` with the same
  partial credit, filters and location tier, as the baseline: median and the ratio to the index.

    createdb -O ownpath ownpath_matching        # as the postgres user, once
    DATABASE_URL=postgres://ownpath:ownpath@localhost/ownpath_matching .venv/bin/python bench/matching.py
    ... bench/matching.py --candidates 100000 --vacancies 10000     # a quick run

It uses the complete English ESCO from ``../shared/standards/esco/v1.1.1-en`` when it is there (else the
sample that ships with ownpath). Building truncates the bench database's candidates and vacancies; it is
skipped when the database already holds exactly N candidates and M vacancies.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    copy_columns,
    insert_series,
    machine,
    percentile,
    reset_sequence,
    rss_mib,
    setup_django,
    summary,
)

ESCO_FULL = ROOT.parent / "shared" / "standards" / "esco" / "v1.1.1-en"
CENTRES = 50
EMPLOYERS = 2000
# Cities (name, latitude, longitude, weight ~ population in hundreds of thousands).
CITIES = [("Warszawa", 52.23, 21.01, 18), ("Kraków", 50.06, 19.94, 8), ("Wrocław", 51.11, 17.03, 6.4),
          ("Łódź", 51.76, 19.46, 6.6), ("Poznań", 52.41, 16.93, 5.3), ("Gdańsk", 54.35, 18.65, 4.7),
          ("Szczecin", 53.43, 14.55, 3.9), ("Bydgoszcz", 53.12, 18.01, 3.3), ("Lublin", 51.25, 22.57, 3.3),
          ("Białystok", 53.13, 23.16, 2.9), ("Katowice", 50.26, 19.02, 2.8), ("Gdynia", 54.52, 18.53, 2.4),
          ("Rzeszów", 50.04, 22.00, 2.0), ("Toruń", 53.01, 18.60, 2.0), ("Kielce", 50.87, 20.63, 1.9),
          ("Olsztyn", 53.78, 20.48, 1.7), ("Opole", 50.67, 17.93, 1.3), ("Zielona Góra", 51.94, 15.51, 1.4)]  # fmt: skip
NATIVE = ["uk", "uk", "uk", "ru", "be", "ka", "ar", "tr", "hi", "vi", "es"]
LEVELS = ["A1", "A2", "B1", "B2", "C1"]


# --- ESCO ---------------------------------------------------------------------------------------------


def ensure_esco() -> str:
    from ownpath.core.esco import loader
    from ownpath.core.esco.models import EscoRelease
    from ownpath.core.esco.sample_data import SAMPLE_DIR

    source, version = (ESCO_FULL, "1.1.1") if ESCO_FULL.exists() else (SAMPLE_DIR, "sample")
    if not EscoRelease.objects.filter(version=version).exists():
        started = time.perf_counter()
        loader.load(source, version=version)
        print(f"  ESCO {version} loaded from {source}: {time.perf_counter() - started:.0f} s", flush=True)
    return f"{version} ({source.name})"


class Esco:
    """The occupation–skill relations the generator draws from."""

    def __init__(self, rng: np.random.Generator) -> None:
        from collections import defaultdict

        from ownpath.core.esco.models import EscoConcept, EscoRelation

        essential: dict[int, list[int]] = defaultdict(list)
        optional: dict[int, list[int]] = defaultdict(list)
        for source, target, kind in EscoRelation.objects.filter(kind__in=["essential", "optional"]).values_list(
            "source_id", "target_id", "kind"
        ):
            (essential if kind == "essential" else optional)[source].append(target)
        codes = dict(EscoConcept.objects.filter(kind="occupation").values_list("pk", "code"))
        self.occupations = np.array(sorted(o for o in essential if len(essential[o]) >= 3), dtype=np.int64)
        self.essential = {o: np.array(essential[o], dtype=np.int64) for o in self.occupations}
        self.optional = {o: np.array(optional.get(o, []), dtype=np.int64) for o in self.occupations}
        # Popularity: Zipf over a shuffled order, manual and service work (ISCO 5, 7, 8, 9) three times as likely.
        order = rng.permutation(len(self.occupations))
        weight = 1.0 / (1 + np.arange(len(order))) ** 0.9
        popularity = np.empty(len(order))
        popularity[order] = weight
        boost = np.array([3.0 if (codes.get(int(o)) or " ")[0] in "5789" else 1.0 for o in self.occupations])
        popularity *= boost
        self.popularity = popularity / popularity.sum()
        self.transversal = np.array(
            EscoConcept.objects.filter(kind="skill", reuse_level="transversal").values_list("pk", flat=True),
            dtype=np.int64,
        )
        self.skills = np.array(EscoConcept.objects.filter(kind="skill").values_list("pk", flat=True), dtype=np.int64)


# --- Building -----------------------------------------------------------------------------------------


def _place(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    weights = np.array([c[3] for c in CITIES])
    city = rng.choice(len(CITIES), size=n, p=weights / weights.sum())
    lat = np.array([c[1] for c in CITIES])[city] + rng.normal(0, 0.08, n)
    lon = np.array([c[2] for c in CITIES])[city] + rng.normal(0, 0.12, n)
    return lat.round(5), lon.round(5)


def _bytea(array: np.ndarray) -> str:
    return "\\\\x" + array.tobytes().hex()


def _opt(value: Any) -> str:
    return "\\N" if value is None else str(value)


def build(candidates: int, vacancies: int, esco: Esco, rng: np.random.Generator) -> None:
    from django.db import connection, transaction

    from ownpath.core.models import Organisation, Person
    from ownpath.modules.employers.models import EmployerLocation, Vacancy, VacancyLanguage, VacancySkill
    from ownpath.modules.matching.choices import EVIDENCE_WEIGHT
    from ownpath.modules.matching.index import pack_languages
    from ownpath.modules.matching.models import (
        CandidateOccupation,
        CandidateProfile,
        CandidateSkill,
        CandidateVector,
        IndexChange,
    )

    started = time.perf_counter()

    def step(what: str) -> None:
        print(f"  {what}: {time.perf_counter() - started:.0f} s", flush=True)

    today = date.today()
    with transaction.atomic():
        with connection.cursor() as cursor:
            for table in ("matching_indexchange", "matching_proposal", "matching_candidatevector",
                          "matching_candidateskill", "matching_candidateoccupation", "matching_candidateprofile",
                          "employers_vacancyskill", "employers_vacancylanguage", "employers_interviewslot",
                          "employers_vacancy", "employers_employerlocation", "core_auditevent", "core_person"):  # fmt: skip
                cursor.execute(f"TRUNCATE {table} CASCADE")
            cursor.execute("DELETE FROM core_organisation WHERE slug LIKE 'bench-%%'")
        for n in range(CENTRES):
            Organisation.objects.create(name=f"Bench centre {n}", slug=f"bench-centre-{n}", kind="counselling_centre")
        first_centre = Organisation.objects.get(slug="bench-centre-0").pk
        insert_series(Person, candidates, {
            "organisation_id": f"{first_centre} + g % {CENTRES}",
            "given_name": "(ARRAY['Olena','Ahmad','Maryam','Oleksandr','Layla','Dawit','Ayse','Ivan'])[1 + g % 8]",
            "family_name": "'Candidate' || g", "residence_status": "'temporary_protection'",
        })  # fmt: skip
        first_person = Person.objects.order_by("pk").values_list("pk", flat=True).first()
        step(f"{candidates:,} people")

        # Candidates: occupations, skills with evidence, languages, place and conditions.
        n_occ = rng.choice([1, 2, 3], size=candidates, p=[0.7, 0.25, 0.05])
        occ_draw = rng.choice(esco.occupations, size=int(n_occ.sum()), p=esco.popularity)
        evidence_names = np.array(["experience", "training", "certificate", "self"])
        evidence_p = [0.5, 0.2, 0.1, 0.2]
        sk_person, sk_skill, sk_evidence = [], [], []
        oc_person, oc_occ, oc_years = [], [], []
        vec_skills, vec_weights, vec_occs, vec_years, vec_langs = [], [], [], [], []
        position = 0
        for i in range(candidates):
            pid = first_person + i
            occs = list(dict.fromkeys(int(o) for o in occ_draw[position : position + n_occ[i]]))
            position += n_occ[i]
            chosen: list[np.ndarray] = []
            for o in occs:
                ess, opt = esco.essential[o], esco.optional[o]
                chosen.append(ess[rng.random(len(ess)) < 0.65])
                if len(opt):
                    chosen.append(opt[rng.random(len(opt)) < 0.2])
            chosen.append(rng.choice(esco.transversal, size=rng.integers(1, 5)) if len(esco.transversal) else [])
            chosen.append(rng.choice(esco.skills, size=rng.integers(0, 3)))
            skills = np.unique(np.concatenate(chosen).astype(np.int32))
            evidence = rng.choice(4, size=len(skills), p=evidence_p)
            years = (rng.gamma(2.0, 2.0, size=len(occs))).round(1).clip(0, 40)
            sk_person.append(np.full(len(skills), pid, dtype=np.int64))
            sk_skill.append(skills)
            sk_evidence.append(evidence)
            oc_person.extend([pid] * len(occs))
            oc_occ.extend(occs)
            oc_years.extend(years.tolist())
            vec_skills.append(_bytea(skills))
            vec_weights.append(
                _bytea(np.array([EVIDENCE_WEIGHT[evidence_names[e]] for e in evidence], dtype=np.float16))
            )
            vec_occs.append(_bytea(np.array(occs, dtype=np.int32)))
            vec_years.append(_bytea(years.astype(np.float16)))
            langs = [(NATIVE[int(rng.integers(len(NATIVE)))], "native")]
            if rng.random() < 0.85:
                langs.append(("pl", LEVELS[int(rng.choice(5, p=[0.25, 0.3, 0.25, 0.15, 0.05]))]))
            if rng.random() < 0.3:
                langs.append(("en", LEVELS[int(rng.integers(5))]))
            vec_langs.append(pack_languages(langs))
        step("candidates generated")
        lat, lon = _place(rng, candidates)
        located = rng.random(candidates) < 0.92
        max_km = rng.choice([10, 20, 30, 50, 80], size=candidates, p=[0.15, 0.3, 0.3, 0.15, 0.1])
        relocate = rng.random(candidates) < 0.1
        hours = rng.choice(["any", "full_time", "part_time"], size=candidates, p=[0.6, 0.3, 0.1])
        later = rng.random(candidates) < 0.4
        available = [(today + timedelta(days=int(d))).isoformat() if later[i] else "\\N"
                     for i, d in enumerate(rng.integers(0, 120, candidates))]  # fmt: skip
        active = rng.random(candidates) < 0.95
        lat_s = [str(lat[i]) if located[i] else "\\N" for i in range(candidates)]
        lon_s = [str(lon[i]) if located[i] else "\\N" for i in range(candidates)]
        pids = [str(first_person + i) for i in range(candidates)]
        orgs = [str(first_centre + (1 + i) % CENTRES) for i in range(candidates)]  # person g has centre g % 50
        bools = {True: "t", False: "f"}
        copy_columns(CandidateProfile, candidates, {
            "id": pids, "person_id": pids, "available_from": available, "hours": hours.tolist(),
            "max_commute_km": max_km.tolist(), "willing_to_relocate": [bools[bool(r)] for r in relocate],
            "latitude": lat_s, "longitude": lon_s, "is_active": [bools[bool(a)] for a in active]})  # fmt: skip
        reset_sequence(CandidateProfile)
        step("profiles")
        persons = np.concatenate(sk_person)
        skills_all = np.concatenate(sk_skill)
        evidence_all = evidence_names[np.concatenate(sk_evidence)]
        copy_columns(CandidateSkill, len(persons), {"profile_id": persons.astype(str).tolist(),
                     "skill_id": skills_all.astype(str).tolist(), "evidence": evidence_all.tolist()})  # fmt: skip
        step(f"{len(persons):,} candidate skills")
        copy_columns(CandidateOccupation, len(oc_person), {"profile_id": oc_person, "occupation_id": oc_occ,
                     "years": oc_years})  # fmt: skip
        copy_columns(CandidateVector, candidates, {
            "person_id": pids, "organisation_id": orgs, "active": [bools[bool(a)] for a in active],
            "skills": vec_skills, "weights": vec_weights, "occupations": vec_occs, "years": vec_years,
            "languages": vec_langs, "latitude": lat_s, "longitude": lon_s, "max_km": max_km.tolist(),
            "relocate": [bools[bool(r)] for r in relocate], "hours": hours.tolist(), "available_from": available})  # fmt: skip
        IndexChange.objects.create(kind="rebuild", object_id=0)
        step("occupations and index rows")

        # Employers, their places, and vacancies.
        insert_series(Organisation, EMPLOYERS, {"name": "'Bench employer ' || g", "slug": "'bench-employer-' || g",
                                                "kind": "'employer'"})  # fmt: skip
        first_employer = Organisation.objects.get(slug="bench-employer-1").pk
        e_lat, e_lon = _place(rng, EMPLOYERS)
        employer_ids = [str(first_employer + i) for i in range(EMPLOYERS)]
        copy_columns(EmployerLocation, EMPLOYERS, {"id": employer_ids, "employer_id": employer_ids,
                     "name": ["Site"] * EMPLOYERS, "city": ["City"] * EMPLOYERS, "latitude": e_lat.tolist(),
                     "longitude": e_lon.tolist()})  # fmt: skip
        reset_sequence(EmployerLocation)
        v_occ = rng.choice(esco.occupations, size=vacancies, p=esco.popularity)
        v_employer = rng.integers(0, EMPLOYERS, vacancies)
        vs_vacancy, vs_skill, vs_essential = [], [], []
        for v in range(vacancies):
            ess, opt = esco.essential[int(v_occ[v])], esco.optional[int(v_occ[v])]
            keep = ess[rng.random(len(ess)) < 0.85]
            promoted = rng.choice(opt, size=min(len(opt), int(rng.integers(0, 3))), replace=False) if len(opt) else []
            essential = np.unique(np.concatenate([keep, promoted]).astype(np.int64))
            optional = np.setdiff1d(
                rng.choice(opt, size=min(len(opt), 6), replace=False) if len(opt) else [], essential
            )
            vs_vacancy.extend([v + 1] * (len(essential) + len(optional)))
            vs_skill.extend(essential.tolist() + optional.astype(np.int64).tolist())
            vs_essential.extend(["t"] * len(essential) + ["f"] * len(optional))
        vids = list(range(1, vacancies + 1))
        copy_columns(Vacancy, vacancies, {
            "id": vids, "employer_id": [first_employer + int(e) for e in v_employer],
            "location_id": [first_employer + int(e) for e in v_employer], "title": [f"Vacancy {v}" for v in vids],
            "description": ["Generated for the benchmark."] * vacancies, "language": ["pl"] * vacancies,
            "occupation_id": v_occ.tolist(), "contract_type": ["employment"] * vacancies,
            "hours": rng.choice(["full_time", "part_time"], size=vacancies, p=[0.85, 0.15]).tolist(),
            "starts_on": [(today + timedelta(days=int(d))).isoformat() for d in rng.integers(7, 90, vacancies)],
            "valid_through": [(today + timedelta(days=int(d))).isoformat() for d in rng.integers(14, 120, vacancies)],
            "status": ["published"] * vacancies, "date_posted": [str(np.datetime64("now"))] * vacancies})  # fmt: skip
        reset_sequence(Vacancy)
        copy_columns(VacancySkill, len(vs_vacancy), {"vacancy_id": vs_vacancy, "skill_id": vs_skill,
                                                     "essential": vs_essential})  # fmt: skip
        levels = rng.choice(["A1", "A2", "B1", "B2"], size=vacancies, p=[0.2, 0.4, 0.3, 0.1])
        required = rng.random(vacancies) < 0.3
        copy_columns(VacancyLanguage, vacancies, {"vacancy_id": vids, "language": ["pl"] * vacancies,
                     "level": levels.tolist(), "required": [bools[bool(r)] for r in required]})  # fmt: skip
        step(f"{EMPLOYERS} employers, {vacancies:,} vacancies with {len(vs_vacancy):,} skills")
    with connection.cursor() as cursor:
        for table in ("core_person", "matching_candidateskill", "matching_candidatevector", "matching_candidateprofile",
                      "employers_vacancy", "employers_vacancyskill"):  # fmt: skip
            cursor.execute(f"VACUUM ANALYZE {table}")
    step("analysed")


# --- Measuring ----------------------------------------------------------------------------------------

NAIVE_SQL = """
WITH wanted(skill_id, pos, credit) AS (SELECT * FROM unnest(%(skills)s::bigint[], %(pos)s::int[], %(credit)s::real[])),
     weights(pos, w) AS (SELECT * FROM unnest(%(wpos)s::int[], %(w)s::real[])),
     per AS (SELECT cs.profile_id, w.pos,
                    max(w.credit * CASE cs.evidence WHEN 'self' THEN 0.75 WHEN 'training' THEN 0.9 ELSE 1.0 END) AS c
             FROM matching_candidateskill cs JOIN wanted w ON w.skill_id = cs.skill_id
             GROUP BY cs.profile_id, w.pos),
     cov AS (SELECT per.profile_id, sum(per.c * weights.w) / %(total)s AS coverage
             FROM per JOIN weights USING (pos) GROUP BY per.profile_id),
     placed AS (SELECT p.person_id, cov.coverage, p.max_commute_km, p.willing_to_relocate,
                       CASE WHEN p.latitude IS NULL THEN NULL ELSE 6371 * 2 * asin(sqrt(
                         power(sin(radians(%(lat)s - p.latitude) / 2), 2) + cos(radians(p.latitude)) *
                         cos(radians(%(lat)s)) * power(sin(radians(%(lon)s - p.longitude) / 2), 2))) END AS km
                FROM cov JOIN matching_candidateprofile p ON p.id = cov.profile_id
                WHERE p.is_active AND (p.available_from IS NULL OR p.available_from <= %(until)s)
                  AND (p.hours = 'any' OR p.hours = %(hours)s))
SELECT person_id, coverage * CASE WHEN km IS NULL THEN 0.8 WHEN km <= 10 THEN 1 WHEN km <= 25 THEN 0.95
                                  WHEN km <= max_commute_km THEN 0.85 ELSE 0.7 END AS score
FROM placed WHERE km IS NULL OR km <= max_commute_km OR willing_to_relocate
ORDER BY score DESC LIMIT 50
"""


def naive(vacancy: dict[str, Any], idx: Any) -> float:
    """The top 50 by joins over the skill tables (coverage with the same partial credit, availability,
    hours, distance and location tier; the optional-skill, experience and language factors left out, so
    the baseline does less than the index)."""
    from django.db import connection

    from ownpath.modules.matching.scoring import _substitutes

    skills, pos, credit = [], [], []
    essential = [int(s) for s in vacancy["essential"]]
    for p, skill in enumerate(essential):
        for sub, c, _why in _substitutes(idx, skill):
            skills.append(sub)
            pos.append(p)
            credit.append(c)
    weights = [idx.idf(s) for s in essential]
    params = {"skills": skills, "pos": pos, "credit": credit, "wpos": list(range(len(essential))), "w": weights,
              "total": sum(weights), "lat": vacancy["latitude"], "lon": vacancy["longitude"],
              "until": vacancy["starts_on"] + timedelta(days=30), "hours": vacancy["hours"]}  # fmt: skip
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(NAIVE_SQL, params)
        cursor.fetchall()
    return (time.perf_counter() - started) * 1000


_WORK: dict[str, Any] = {}


def _batch(bounds: tuple[int, int]) -> tuple[int, int, float]:
    from ownpath.modules.matching.scoring import rank_candidates

    idx, vacancies = _WORK["index"], _WORK["vacancies"]
    started = time.perf_counter()
    found = 0
    for vacancy in vacancies[bounds[0] : bounds[1]]:
        found += len(rank_candidates(idx, vacancy, limit=20))
    return bounds[1] - bounds[0], found, time.perf_counter() - started


def measure(args: argparse.Namespace, esco_version: str) -> None:
    from django.db import connection

    from ownpath.core.registry import registry
    from ownpath.modules.matching import explain, index, scoring, vacancy_index
    from ownpath.modules.matching.models import CandidateVector

    rng = random.Random(args.seed)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM matching_candidateskill")
        skill_rows = cursor.fetchone()[0]
    print(f"machine: {machine()}")
    print(f"database: PostgreSQL {pg}; ESCO {esco_version}")
    print(f"register: {args.candidates:,} candidates with {skill_rows:,} skills, {args.vacancies:,} vacancies")

    before = rss_mib()
    started = time.perf_counter()
    idx = index.candidates()
    build_s = time.perf_counter() - started
    arrays = sum(a.nbytes for a in (idx.person_ids, idx.org_ids, idx.active, idx.lat, idx.lon, idx.max_km,
                                    idx.relocate, idx.hours, idx.available))  # fmt: skip
    arrays += sum(a.nbytes for a in idx.languages.values())
    postings = sum(r.nbytes + v.nbytes for r, v in idx.postings.values())
    postings += sum(r.nbytes + v.nbytes for d in (idx.occupations, idx.isco) for r, v in d.values())
    forward = idx.fwd_ptr.nbytes + idx.fwd_skills.nbytes + idx.fwd_weights.nbytes
    print(f"index build from PostgreSQL: {build_s:.1f} s; process memory {before:.0f} → {rss_mib():.0f} MiB "
          f"(columns {arrays / 2**20:.0f} MiB, posting lists {postings / 2**20:.0f} MiB, "
          f"forward index {forward / 2**20:.0f} MiB)")  # fmt: skip

    service = registry.capability("employers.vacancies")
    started = time.perf_counter()
    ids = service.open_ids()
    vacancies: list[dict[str, Any]] = []
    for begin in range(0, len(ids), 5000):
        vacancies.extend(service.many(ids[begin : begin + 5000]))
    print(f"{len(vacancies):,} open vacancies read as matching data: {time.perf_counter() - started:.1f} s")

    # Top 50 for one vacancy.
    sample = rng.sample(vacancies, min(args.queries, len(vacancies)))
    for vacancy in sample[:10]:
        scoring.rank_candidates(idx, vacancy, limit=50)  # warm
    single, sizes = [], []
    for vacancy in sample:
        t = time.perf_counter()
        results = scoring.rank_candidates(idx, vacancy, limit=50)
        single.append((time.perf_counter() - t) * 1000)
        sizes.append(len(results))
    print(summary("top 50 candidates for one vacancy", single), f" (results: median {statistics.median(sizes):.0f})")

    # The counsellor's page also explains each of the 50 in words.
    explained = []
    for vacancy in sample[:20]:
        results = scoring.rank_candidates(idx, vacancy, limit=50)
        t = time.perf_counter()
        for vector in CandidateVector.objects.filter(person_id__in=[r.person_id for r in results]):
            explain.explain(idx, vacancy, explain.Candidate.from_vector(vector), "en")
        explained.append((time.perf_counter() - t) * 1000)
    print(summary("  + explaining those 50 in sentences", explained))

    # Vacancies for one person, over every open vacancy at once.
    started = time.perf_counter()
    vindex = vacancy_index.VacancyIndex()
    vindex.build(service.columns())
    print(f"vacancy index built from PostgreSQL: {time.perf_counter() - started:.1f} s")
    chosen = rng.sample(idx.person_ids.tolist(), min(args.queries, len(idx.person_ids)))
    per_person, found = [], []
    for vector in CandidateVector.objects.filter(person_id__in=chosen):
        candidate = explain.Candidate.from_vector(vector)
        t = time.perf_counter()
        found.append(len(vindex.rank(idx, candidate, limit=20)))
        per_person.append((time.perf_counter() - t) * 1000)
    print(summary("top 20 vacancies for one person", per_person), f" (results: median {statistics.median(found):.0f})")

    # The naive way, for the same vacancies.
    baseline = [naive(vacancy, idx) for vacancy in sample[: args.baseline]]
    print(summary("naive SQL joins, top 50 for one vacancy", baseline))
    ratio = statistics.median(baseline) / statistics.median(single[: args.baseline])
    print(f"  the naive way is {ratio:.0f}× slower (median against median on the same {len(baseline)} vacancies)")

    # Top 20 for every vacancy.
    if args.all:
        workers = max(1, args.workers)
        # Vacancies of one occupation ask for the same skills: in that order each skill is expanded once.
        _WORK.update(index=idx, vacancies=sorted(vacancies, key=lambda v: v["occupation_id"] or 0))
        chunk = 500
        bounds = [(b, min(len(vacancies), b + chunk)) for b in range(0, len(vacancies), chunk)]
        started = time.perf_counter()
        if workers == 1:
            done = [_batch(b) for b in bounds]
        else:
            connection.close()
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                done = pool.map(_batch, bounds)
        elapsed = time.perf_counter() - started
        per = [d[2] / d[0] * 1000 for d in done]
        print(f"top 20 for all {len(vacancies):,} vacancies with {workers} worker(s): {elapsed / 60:.1f} min "
              f"({sum(d[1] for d in done):,} results; per vacancy median {statistics.median(per):.1f} ms, "
              f"p95 of 500-vacancy batches {percentile(per, 95):.1f} ms)")  # fmt: skip
        naive_total = statistics.mean(baseline) / 1000 * len(vacancies) / workers / 60
        print(f"  the naive way would take about {naive_total:.0f} min (its mean × {len(vacancies):,} / {workers})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--vacancies", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200, help="sampled vacancies (and people) for latency")
    parser.add_argument("--baseline", type=int, default=30, help="vacancies queried the naive way")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for all vacancies")
    parser.add_argument("--no-all", dest="all", action="store_false", help="skip top 20 for every vacancy")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database of its own, "
            "e.g. postgres://ownpath:ownpath@localhost/ownpath_matching"
        )
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    esco_version = ensure_esco()
    from ownpath.modules.employers.models import Vacancy
    from ownpath.modules.matching.models import CandidateVector

    if CandidateVector.objects.count() != args.candidates or Vacancy.objects.count() != args.vacancies:
        rng = np.random.default_rng(args.seed)
        build(args.candidates, args.vacancies, Esco(rng), rng)
    measure(args, esco_version)


if __name__ == "__main__":
    main()
