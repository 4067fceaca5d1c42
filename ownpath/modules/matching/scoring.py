"""Scores and explanations. A vacancy's candidates come from the inverted index (only people holding one of
its essential skills or a close one); each gets a score that is the product of named factors:

* essential-skill coverage: each essential skill weighted by its rarity (transversal skills count less),
  credited 1 when held, 0.6 through a broader or narrower skill, 0.5 through a related one, 0.3 through a
  sibling in the same ESCO skill group, times the evidence (certificate or experience 1, training 0.9,
  self-declared 0.75);
* optional-skill bonus: up to +20 %;
* occupation experience: 0.85, up to 1 with three years in the occupation (half the gain in its ISCO group);
* language gap: 1 when every wished level is met, 0.85 per level short (required levels are hard filters);
* location tier: 1 within 10 km, 0.95 within 25, 0.85 within the candidate's commute, 0.7 when moving.

Hard filters: active, available by the start (+30 days), the hours wanted, the distance the person will
travel (unless willing to move), required language levels. Legal status is never a filter: each result
carries the route the navigator gives, with its cost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np

from ownpath.modules.matching.index import EPOCH, LEVELS, NO_DATE, CandidateIndex

CREDIT_WHY = {"exact": 1.0, "broader": 0.6, "narrower": 0.6, "related": 0.5, "sibling": 0.3}
EXPERIENCE_YEARS = 3.0


@dataclass
class Factor:
    name: str
    value: float
    sentence: str


@dataclass
class Result:
    person_id: int
    score: float
    factors: list[Factor] = field(default_factory=list)
    skills: list[dict[str, Any]] = field(default_factory=list)  # per essential skill: label, credit, via
    distance_km: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"person_id": self.person_id, "score": round(self.score, 4), "distance_km": self.distance_km,
                "factors": [{"name": f.name, "value": round(f.value, 4), "sentence": f.sentence} for f in self.factors],
                "skills": self.skills}  # fmt: skip


def haversine(lat1: Any, lon1: Any, lat2: float, lon2: float) -> Any:
    rlat1, rlat2 = np.radians(lat1), math.radians(lat2)
    dlat = rlat2 - rlat1
    dlon = math.radians(lon2) - np.radians(lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(rlat1) * math.cos(rlat2) * np.sin(dlon / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.sqrt(a))


def _substitutes(index: CandidateIndex, skill: int) -> list[tuple[int, float, str]]:
    return [(skill, 1.0, "exact"), *index.neighbours.by_skill.get(skill, [])]


def location_tier(distance: Any, max_km: Any, relocate: Any) -> Any:
    tier = np.where(distance <= 10, 1.0, np.where(distance <= 25, 0.95, np.where(distance <= max_km, 0.85, 0.7)))
    return np.where(np.isnan(distance), 0.8, tier)


def rank_candidates(index: CandidateIndex, vacancy: dict[str, Any], *, limit: int = 50,
                    allowed_orgs: set[int] | None = None) -> list[Result]:  # fmt: skip
    """Top ``limit`` candidates for a vacancy (``employers.vacancies`` data), best first, with factors."""
    essential = [int(s) for s in vacancy["essential"]]
    if not essential or not len(index.person_ids):
        return []
    weights = np.array([index.idf(s) for s in essential], dtype=np.float32)
    # Candidate generation: the posting lists of every essential skill and its neighbours, by credit level.
    levels: dict[float, tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]] = {}
    for e_pos, skill in enumerate(essential):
        for sub, credit, _why in _substitutes(index, skill):
            posting = index.postings.get(sub)
            if posting is None:
                continue
            rows, evidence = posting
            bucket = levels.setdefault(credit, ([], [], []))
            bucket[0].append(rows)
            bucket[1].append(np.full(len(rows), e_pos, dtype=np.int32))
            bucket[2].append(evidence * credit)
    if not levels:
        return []
    all_rows = np.concatenate([r for b in levels.values() for r in b[0]])
    cand, inverse = np.unique(all_rows, return_inverse=True)
    credits = np.zeros((len(cand), len(essential)), dtype=np.float32)
    offset = 0
    positions = []
    for credit in levels:
        n = sum(len(r) for r in levels[credit][0])
        positions.append((credit, inverse[offset : offset + n]))
        offset += n
    # Higher credit levels are written last so they win (equal values inside a level).
    ordered = sorted(zip(levels.items(), positions, strict=True), key=lambda item: item[0][0])
    for (_credit, (_rows_l, epos_l, value_l)), (_c, inv) in ordered:
        e_idx = np.concatenate(epos_l)
        values = np.concatenate(value_l)
        current = credits[inv, e_idx]
        credits[inv, e_idx] = np.maximum(current, values)
    coverage = credits @ weights / float(weights.sum())
    # Hard filters.
    keep = index.active[cand].copy()
    if allowed_orgs is not None:
        keep &= np.isin(index.org_ids[cand], np.fromiter(allowed_orgs, dtype=np.int64))
    start = vacancy.get("starts_on")
    if start:
        limit_day = (start + timedelta(days=30) - EPOCH).days
        avail = index.available[cand]
        keep &= (avail == NO_DATE) | (avail <= limit_day)
    hours = {"full_time": 1, "part_time": 2}.get(vacancy.get("hours", ""), 0)
    if hours:
        h = index.hours[cand]
        keep &= (h == 0) | (h == hours)
    lang_factor = np.ones(len(cand), dtype=np.float32)
    for language, level, required in vacancy.get("languages", []):
        wanted = LEVELS.get(level, 0)
        have = index.languages.get(language)
        got = have[cand] if have is not None else np.zeros(len(cand), dtype=np.int8)
        if required:
            keep &= got >= wanted
        else:
            gap = np.clip(wanted - got, 0, None)
            lang_factor *= np.maximum(0.85**gap, 0.5).astype(np.float32)
    distance = np.full(len(cand), np.nan, dtype=np.float32)
    if vacancy.get("latitude") is not None and vacancy.get("longitude") is not None:
        distance = haversine(index.lat[cand], index.lon[cand], vacancy["latitude"], vacancy["longitude"]).astype(
            np.float32
        )
        far = distance > index.max_km[cand]
        keep &= ~(far & ~index.relocate[cand])
    loc_factor = location_tier(distance, index.max_km[cand], index.relocate[cand])
    # Optional skills (exact only) and experience.
    optional = [int(s) for s in vacancy.get("optional", [])]
    bonus = np.ones(len(cand), dtype=np.float32)
    if optional:
        o_weights = np.array([index.idf(s) for s in optional], dtype=np.float32)
        held = np.zeros(len(cand), dtype=np.float32)
        for skill, w in zip(optional, o_weights, strict=True):
            posting = index.postings.get(skill)
            if posting is not None:
                pos = np.searchsorted(cand, posting[0])
                ok = (pos < len(cand)) & (cand[np.minimum(pos, len(cand) - 1)] == posting[0])
                held[pos[ok]] += w
        bonus = 1 + 0.2 * held / float(o_weights.sum())
    years = np.zeros(len(cand), dtype=np.float32)
    group_years = np.zeros(len(cand), dtype=np.float32)
    occupation = vacancy.get("occupation_id")
    for source, target in ((index.occupations.get(occupation or 0), years),
                           (index.isco.get(index.neighbours.isco_of.get(occupation or 0, -1)), group_years)):  # fmt: skip
        if source is not None:
            pos = np.searchsorted(cand, source[0])
            ok = (pos < len(cand)) & (cand[np.minimum(pos, len(cand) - 1)] == source[0])
            np.maximum.at(target, pos[ok], source[1][ok])
    exp_factor = 0.85 + 0.15 * np.minimum(years / EXPERIENCE_YEARS, 1)
    exp_factor = np.maximum(exp_factor, 0.85 + 0.075 * np.minimum(group_years / EXPERIENCE_YEARS, 1))
    score = coverage * bonus * exp_factor * lang_factor * loc_factor
    score = np.where(keep & (coverage > 0), score, -1)
    k = min(limit, int((score > 0).sum()))
    if k == 0:
        return []
    top = np.argpartition(-score, k - 1)[:k]
    top = top[np.argsort(-score[top], kind="stable")]
    results = []
    for i in top:
        results.append(Result(
            int(index.person_ids[cand[i]]), float(score[i]),
            [Factor("coverage", float(coverage[i]), ""), Factor("optional", float(bonus[i]), ""),
             Factor("experience", float(exp_factor[i]), ""), Factor("language", float(lang_factor[i]), ""),
             Factor("location", float(loc_factor[i]), "")],
            distance_km=None if np.isnan(distance[i]) else round(float(distance[i]), 1),
        ))  # fmt: skip
    return results
