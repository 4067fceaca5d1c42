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

from ownpath.core.geo import EARTH_KM
from ownpath.modules.matching.index import EPOCH, LEVELS, NO_DATE, CandidateIndex

CREDIT_WHY = {"exact": 1.0, "broader": 0.6, "narrower": 0.6, "related": 0.5, "sibling": 0.3}
EXPERIENCE_YEARS = 3.0


@dataclass
class Factor:
    """One factor of a score. ``reasons`` (codes and numbers) are what is stored; ``sentence`` is made from
    them for the reader, in the reader's language (see explain.sentence)."""

    name: str
    value: float
    sentence: str = ""
    reasons: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Result:
    person_id: int
    score: float
    factors: list[Factor] = field(default_factory=list)
    skills: list[dict[str, Any]] = field(default_factory=list)  # per essential skill: label, credit, via
    distance_km: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"person_id": self.person_id, "score": round(self.score, 4), "distance_km": self.distance_km,
                "factors": [{"name": f.name, "value": round(f.value, 4), "reasons": f.reasons} for f in self.factors],
                "skills": self.skills}  # fmt: skip


def haversine(lat1: Any, lon1: Any, lat2: float, lon2: float) -> Any:
    rlat1, rlat2 = np.radians(lat1), math.radians(lat2)
    dlat = rlat2 - rlat1
    dlon = math.radians(lon2) - np.radians(lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(rlat1) * math.cos(rlat2) * np.sin(dlon / 2) ** 2
    return EARTH_KM * 2 * np.arcsin(np.sqrt(a))


def _substitutes(index: CandidateIndex, skill: int) -> list[tuple[int, float, str]]:
    return [(skill, 1.0, "exact"), *index.neighbours.by_skill.get(skill, [])]


def location_tier(distance: Any, max_km: Any, relocate: Any) -> Any:
    tier = np.where(distance <= 10, 1.0, np.where(distance <= 25, 0.95, np.where(distance <= max_km, 0.85, 0.7)))
    return np.where(np.isnan(distance), 0.8, tier)


MAX_OTHER_FACTORS = 1.2  # the optional-skill bonus; experience, language and location are at most 1


@dataclass
class _Term:
    weight: float
    skill: int
    size: int  # postings to read
    bound: float  # the most this term adds to anyone's coverage (before dividing by the total weight)


def _terms(index: CandidateIndex, essential: list[int], weights: np.ndarray) -> list[_Term]:
    terms = []
    for e_pos, skill in enumerate(essential):
        found = [(len(index.postings[sub][0]), credit) for sub, credit, _why in _substitutes(index, skill)
                 if sub in index.postings]  # fmt: skip
        if found:  # evidence weights are at most 1
            w = float(weights[e_pos])
            terms.append(_Term(w, skill, sum(n for n, _c in found), w * max(c for _n, c in found)))
    return terms


EXPANSION_CACHE = 30_000_000  # postings kept, about 240 MB


def expanded(index: CandidateIndex, skill: int) -> tuple[np.ndarray, np.ndarray]:
    """Everyone holding the skill or a close one, once, with their best credit × evidence (sorted rows).
    Kept per index version, up to ``EXPANSION_CACHE`` postings, as vacancies keep asking for the same."""
    cache = index.expansions
    if cache.get("version") != index.version:
        cache.clear()
        cache["version"], cache["size"] = index.version, 0
    if skill in cache:
        return cache[skill]  # type: ignore[no-any-return]
    lists = [(index.postings[sub][0], index.postings[sub][1] * np.float32(credit))
             for sub, credit, _why in _substitutes(index, skill) if sub in index.postings]  # fmt: skip
    if len(lists) == 1:
        result = lists[0]
    else:
        rows = np.concatenate([r for r, _v in lists])
        values = np.concatenate([v for _r, v in lists])
        order = np.lexsort((-values, rows))
        rows, values = rows[order], values[order]
        first = np.empty(len(rows), dtype=bool)
        first[:1] = True
        np.not_equal(rows[1:], rows[:-1], out=first[1:])
        result = (rows[first], values[first])
    if cache["size"] + len(result[0]) > EXPANSION_CACHE:
        cache.clear()
        cache["version"], cache["size"] = index.version, 0
    cache[skill] = result
    cache["size"] += len(result[0])
    return result


def _gather(index: CandidateIndex, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows' own skills from the forward index: (position in ``rows``, skill, evidence weight)."""
    starts = index.fwd_ptr[rows]
    lengths = index.fwd_ptr[rows + 1] - starts
    owner = np.repeat(np.arange(len(rows)), lengths)
    where = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths - starts, lengths)
    return owner, index.fwd_skills[where], index.fwd_weights[where].astype(np.float32)


class Coverage:
    """The essential-skill coverage (before dividing by the total weight) of any index rows, read from the
    forward index (each row's own skills): the cost follows the number of rows, not how common the skills
    are. Layer j maps every skill to the j-th essential skill it stands for (a skill can be close to two)."""

    def __init__(self, index: CandidateIndex, essential: list[int], weights: np.ndarray) -> None:
        self.index, self.count, self.weights = index, len(essential), weights
        self.size = max(index.max_skill, max(essential)) + 2  # the last slot stands for "not a skill that counts"
        self.layers: list[tuple[np.ndarray, np.ndarray]] = []
        for e_pos, skill in enumerate(essential):
            for sub, credit, _why in _substitutes(index, skill):
                if sub >= self.size:
                    continue
                for positions, values in self.layers:
                    if positions[sub] < 0 or positions[sub] == e_pos:
                        if positions[sub] < 0 or values[sub] < credit:
                            positions[sub], values[sub] = e_pos, credit
                        break
                else:
                    positions, values = np.full(self.size, -1, dtype=np.int32), np.zeros(self.size, dtype=np.float32)
                    positions[sub], values[sub] = e_pos, credit
                    self.layers.append((positions, values))

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        credits = np.zeros((len(rows), self.count), dtype=np.float32)
        if len(rows):
            owner, skills, evidence = _gather(self.index, rows)
            skills = np.minimum(skills, self.size - 1)  # beyond the table: no essential skill, as the last id
            relevant = self.layers[0][0][skills] >= 0  # the first layer holds every skill that counts
            relevant &= skills < self.size - 1
            owner, skills, evidence = owner[relevant], skills[relevant], evidence[relevant]
            for positions, values in self.layers:
                e_pos = positions[skills]
                hit = e_pos >= 0
                flat = owner[hit] * self.count + e_pos[hit]
                np.maximum.at(credits.reshape(-1), flat, evidence[hit] * values[skills[hit]])
        return credits @ self.weights


def eligible(index: CandidateIndex, vacancy: dict[str, Any], allowed_orgs: set[int] | None = None) -> np.ndarray:
    """The hard filters over every index row at once: looking for work, among the counsellor's people,
    available by the start (+30 days), the hours wanted, required language levels, and within the distance
    the person will travel (or willing to move, or place unknown)."""
    keep = index.active.copy()
    if allowed_orgs is not None:
        keep &= np.isin(index.org_ids, np.fromiter(allowed_orgs, dtype=np.int64))
    start = vacancy.get("starts_on")
    if start:
        limit_day = (start + timedelta(days=30) - EPOCH).days
        keep &= (index.available == NO_DATE) | (index.available <= limit_day)
    hours = {"full_time": 1, "part_time": 2}.get(vacancy.get("hours", ""), 0)
    if hours:
        keep &= (index.hours == 0) | (index.hours == hours)
    for language, level, required in vacancy.get("languages", []):
        if required:
            have = index.languages.get(language)
            wanted = LEVELS.get(level, 0)
            keep &= have >= wanted if have is not None else wanted <= 0
    lat, lon = vacancy.get("latitude"), vacancy.get("longitude")
    if lat is not None and lon is not None:
        # Only people in the latitude band they would travel need the exact distance.
        if index.geo is None or len(index.geo[0]) != len(index.person_ids):  # rows are only ever appended
            index.geo = (index.lat * np.float32(EARTH_KM * math.pi / 180), index.max_km * np.float32(1.001),
                         ~index.relocate & ~np.isnan(index.lat), index.relocate | np.isnan(index.lat))  # fmt: skip
        lat_km, reach, placed, anywhere = index.geo
        check = np.flatnonzero(keep & placed & (np.abs(lat_km - np.float32(lat * EARTH_KM * math.pi / 180)) <= reach))
        near = haversine(index.lat[check], index.lon[check], lat, lon) <= index.max_km[check]
        travels = anywhere.copy()
        travels[check[near]] = True
        keep &= travels
    return keep


def rank_candidates(index: CandidateIndex, vacancy: dict[str, Any], *, limit: int = 50,
                    allowed_orgs: set[int] | None = None) -> list[Result]:  # fmt: skip
    """Top ``limit`` candidates for a vacancy (``employers.vacancies`` data), best first, with factors.

    The hard filters are applied to everyone first. Candidate generation is then MaxScore over the posting
    lists (Turtle and Flood, 1995): the essential skills are read rarest first into a dense accumulator; an
    estimate of the ``limit``-th best score (the best partial candidates, scored in full) tells when the
    skills still unread could no longer lift anyone untouched into the top, and the rest of the coverage of
    the remaining contenders is read from the forward index. The result is the same as scoring everyone."""
    with index.lock:  # a refresh in another thread swaps the arrays
        return _rank(index, vacancy, limit, allowed_orgs)


def _rank(index: CandidateIndex, vacancy: dict[str, Any], limit: int, allowed_orgs: set[int] | None
          ) -> list[Result]:  # fmt: skip
    essential = [int(s) for s in vacancy["essential"]]
    if not essential or not len(index.person_ids):
        return []
    weights = np.array([index.idf(s) for s in essential], dtype=np.float32)
    total = float(weights.sum())
    terms = sorted(_terms(index, essential, weights), key=lambda t: t.size)
    if not terms:
        return []
    allowed = eligible(index, vacancy, allowed_orgs)
    coverage_of = Coverage(index, essential, weights)

    def floor(rows: np.ndarray) -> float:
        """The coverage below which nobody reaches the ``limit``-th best score among these rows (0 if fewer)."""
        scored = _finish(index, vacancy, rows, coverage_of(rows) / total, limit)
        return scored[-1].score / MAX_OTHER_FACTORS * (1 - 1e-6) if len(scored) == limit else 0.0

    # A first estimate of the top: people holding the rarest essential skill (or a close one), in full.
    pool = expanded(index, terms[0].skill)[0]
    pool = pool[allowed[pool]][: max(40 * limit, 2000)]
    needed = floor(pool) if len(pool) >= limit else 0.0  # nobody below this coverage reaches the estimated top
    # MaxScore: read the skills rarest first until the unread ones could not lift anyone untouched that far.
    covered = np.zeros(len(index.person_ids), dtype=np.float32)
    unread = sum(t.bound for t in terms) / total
    remaining: list[_Term] = []
    for n, term in enumerate(terms):
        if unread * MAX_OTHER_FACTORS < needed:
            remaining = terms[n:]
            break
        rows, values = expanded(index, term.skill)
        covered[rows] += np.float32(term.weight) * values
        unread -= term.bound / total
    cand = np.flatnonzero(covered)
    cand = cand[allowed[cand]]
    if remaining:
        # The most each contender can reach: all unread skills, the full bonus, its own language and place.
        lang_factor, loc_factor, _distance = _near_factors(index, vacancy, cand)
        reach = (covered[cand] / total + unread) * lang_factor * loc_factor
        cand, reach = cand[reach >= needed], reach[reach >= needed]
        if len(cand) > 4 * len(pool):  # sharpen the estimate with the leaders so far, then cut again
            leaders = np.sort(cand[np.argpartition(-covered[cand], len(pool) - 1)[: len(pool)]])
            needed = max(needed, floor(leaders))
            cand = cand[reach >= needed]
        coverage = coverage_of(cand) / total
    else:
        coverage = covered[cand] / total
    return _finish(index, vacancy, cand, coverage, limit)


def _near_factors(index: CandidateIndex, vacancy: dict[str, Any], cand: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """The language and location factors of the rows (and their distance in km, NaN when unknown)."""
    lang_factor = np.ones(len(cand), dtype=np.float32)
    for language, level, _required in vacancy.get("languages", []):
        wanted = LEVELS.get(level, 0)
        have = index.languages.get(language)
        got = have[cand] if have is not None else np.zeros(len(cand), dtype=np.int8)
        gap = np.clip(wanted - got, 0, None)
        lang_factor *= np.maximum(0.85**gap, 0.5).astype(np.float32)
    distance = np.full(len(cand), np.nan, dtype=np.float32)
    if vacancy.get("latitude") is not None and vacancy.get("longitude") is not None:
        distance = haversine(index.lat[cand], index.lon[cand], vacancy["latitude"], vacancy["longitude"]).astype(
            np.float32
        )
    return lang_factor, location_tier(distance, index.max_km[cand], index.relocate[cand]), distance


def _finish(index: CandidateIndex, vacancy: dict[str, Any], cand: np.ndarray, coverage: np.ndarray, limit: int
            ) -> list[Result]:  # fmt: skip
    """Every factor for the candidate rows ``cand`` (sorted, past the hard filters) with their coverage."""
    if not len(cand):
        return []
    lang_factor, loc_factor, distance = _near_factors(index, vacancy, cand)
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
    score = np.where(coverage > 0, coverage * exp_factor * lang_factor * loc_factor, -1)
    # Optional skills (held exactly) add up to 20 %: only people within reach of the top need them counted.
    optional = [int(s) for s in vacancy.get("optional", [])]
    bonus = np.ones(len(cand), dtype=np.float32)
    if optional:
        reach = np.arange(len(cand))
        if len(cand) > 4 * limit:
            floor = np.partition(score, len(cand) - limit)[len(cand) - limit]
            reach = np.flatnonzero(score * MAX_OTHER_FACTORS >= floor)
        o_weights = np.array([index.idf(s) for s in optional], dtype=np.float32)
        table = np.zeros(max(index.max_skill, max(optional)) + 1, dtype=np.float32)
        table[optional] = o_weights
        owner, skills, _evidence = _gather(index, cand[reach])
        held = np.bincount(owner, weights=table[skills], minlength=len(reach)).astype(np.float32)
        bonus[reach] = 1 + 0.2 * held / float(o_weights.sum())
        score = np.where(score > 0, score * bonus, score)
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
