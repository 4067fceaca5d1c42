"""The vacancy side: every open vacancy as arrays with an inverted index from its essential and optional
ESCO skills, so a person's best vacancies are scored over the whole country at once, with the same factors
and hard filters as ``scoring.rank_candidates`` (``explain`` gives the same score for any pair; a test
checks all three agree). Built from the employers module's ``columns`` capability and kept current by the
``IndexChange`` rows that the vacancy events write; vacancies whose closing date has passed are filtered
at query time, so no rebuild is needed when the day changes."""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from django.utils import timezone

from ownpath.modules.matching.index import EPOCH, LEVELS, NO_DATE, CandidateIndex, changes_since, latest_change
from ownpath.modules.matching.scoring import EXPERIENCE_YEARS, haversine, location_tier

if TYPE_CHECKING:
    from ownpath.modules.matching.explain import Candidate

HOURS = {"full_time": 1, "part_time": 2}


def _day(value: date | None) -> int:
    return NO_DATE if value is None else (value - EPOCH).days


def _postings(keys: list[int], rows: list[int]) -> dict[int, np.ndarray]:
    grouped: dict[int, list[int]] = defaultdict(list)
    for key, row in zip(keys, rows, strict=True):
        grouped[key].append(row)
    return {key: np.array(found, dtype=np.int32) for key, found in grouped.items()}


def _lookup(mapping: dict[int, float], keys: np.ndarray) -> np.ndarray:
    """``mapping[key]`` for each key (0 when absent), vectorised."""
    out = np.zeros(len(keys), dtype=np.float32)
    if mapping:
        known = np.fromiter(mapping, dtype=np.int64, count=len(mapping))
        order = np.argsort(known)
        known, values = known[order], np.fromiter(mapping.values(), dtype=np.float32, count=len(mapping))[order]
        pos = np.minimum(np.searchsorted(known, keys), len(known) - 1)
        hit = known[pos] == keys
        out[hit] = values[pos[hit]]
    return out


class VacancyIndex:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.built = False
        self.last_change = 0
        self._clear()

    def _clear(self) -> None:
        self.ids = np.zeros(0, dtype=np.int64)
        self.open = np.zeros(0, dtype=bool)
        self.occupation = np.zeros(0, dtype=np.int64)
        self.lat = np.zeros(0, dtype=np.float32)
        self.lon = np.zeros(0, dtype=np.float32)
        self.hours = np.zeros(0, dtype=np.int8)
        self.start = np.zeros(0, dtype=np.int32)
        self.until = np.zeros(0, dtype=np.int32)
        self.essential: dict[int, np.ndarray] = {}  # skill → vacancy rows
        self.optional: dict[int, np.ndarray] = {}
        self.ess_rows = np.zeros(0, dtype=np.int32)  # one entry per (vacancy, essential skill)
        self.ess_skills = np.zeros(0, dtype=np.int64)
        self.opt_rows = np.zeros(0, dtype=np.int32)
        self.opt_skills = np.zeros(0, dtype=np.int64)
        self.lang_rows = np.zeros(0, dtype=np.int32)  # one entry per (vacancy, language asked for)
        self.lang_codes = np.zeros(0, dtype=np.int16)
        self.code_of: dict[str, int] = {}
        self.lang_levels = np.zeros(0, dtype=np.int8)
        self.lang_required = np.zeros(0, dtype=bool)
        self.row_of: dict[int, int] = {}
        self._weights: tuple[int, np.ndarray, np.ndarray] | None = None

    # -- building and keeping current
    def build(self, columns: dict[str, list[tuple[Any, ...]]]) -> None:
        with self.lock:
            self._clear()
            self._append(columns)
            self.built = True

    def _append(self, columns: dict[str, list[tuple[Any, ...]]]) -> None:
        base = len(self.ids)
        rows = columns["vacancies"]  # any earlier row of these vacancies was closed by ``refresh``
        row_of = {r[0]: base + n for n, r in enumerate(rows)}
        self.row_of.update(row_of)
        nan = float("nan")
        self.ids = np.concatenate([self.ids, np.array([r[0] for r in rows], dtype=np.int64)])
        self.occupation = np.concatenate([self.occupation, np.array([r[1] or 0 for r in rows], dtype=np.int64)])
        self.lat = np.concatenate([self.lat, np.array([nan if r[2] is None else r[2] for r in rows], dtype=np.float32)])
        self.lon = np.concatenate([self.lon, np.array([nan if r[3] is None else r[3] for r in rows], dtype=np.float32)])
        self.hours = np.concatenate([self.hours, np.array([HOURS.get(r[4], 0) for r in rows], dtype=np.int8)])
        self.start = np.concatenate([self.start, np.array([_day(r[5]) for r in rows], dtype=np.int32)])
        self.until = np.concatenate([self.until, np.array([_day(r[6]) for r in rows], dtype=np.int32)])
        self.open = np.concatenate([self.open, np.array([bool(r[7]) for r in rows], dtype=bool)])
        ess = [(row_of[v], s) for v, s, essential in columns["skills"] if essential and v in row_of]
        opt = [(row_of[v], s) for v, s, essential in columns["skills"] if not essential and v in row_of]
        for target, entries, rows_name, skills_name in ((self.essential, ess, "ess_rows", "ess_skills"),
                                                        (self.optional, opt, "opt_rows", "opt_skills")):  # fmt: skip
            new = _postings([s for _r, s in entries], [r for r, _s in entries])
            for skill, found in new.items():
                target[skill] = np.concatenate([target[skill], found]) if skill in target else found
            setattr(self, rows_name, np.concatenate([getattr(self, rows_name),
                                                     np.array([r for r, _s in entries], dtype=np.int32)]))  # fmt: skip
            setattr(self, skills_name, np.concatenate([getattr(self, skills_name),
                                                       np.array([s for _r, s in entries], dtype=np.int64)]))  # fmt: skip
        langs = [(row_of[v], lang, LEVELS.get(level, 0), bool(req)) for v, lang, level, req in columns["languages"]
                 if v in row_of]  # fmt: skip
        self.lang_rows = np.concatenate([self.lang_rows, np.array([x[0] for x in langs], dtype=np.int32)])
        codes = [self.code_of.setdefault(x[1], len(self.code_of)) for x in langs]
        self.lang_codes = np.concatenate([self.lang_codes, np.array(codes, dtype=np.int16)])
        self.lang_levels = np.concatenate([self.lang_levels, np.array([x[2] for x in langs], dtype=np.int8)])
        self.lang_required = np.concatenate([self.lang_required, np.array([x[3] for x in langs], dtype=bool)])
        self._weights = None

    def refresh(self, service: Any) -> None:
        """Apply the vacancy changes logged since the last look (one query when there are none)."""
        if not self.built:
            last = latest_change()
            self.build(service.columns())
            self.last_change = last
            return
        ids, newest = changes_since(self.last_change, "vacancy")
        if not ids:
            return
        with self.lock:
            for pk in ids:
                row = self.row_of.get(pk)
                if row is not None:
                    self.open[row] = False
            self._append(service.columns(ids))
            self.last_change = newest
            if len(self.ids) > 1.2 * max(int(self.open.sum()), 1000):  # mostly dead rows: start afresh
                self.built = False

    # -- scoring
    def _skill_weights(self, index: CandidateIndex) -> tuple[np.ndarray, np.ndarray]:
        """Per vacancy, the summed rarity of its essential and of its optional skills (renewed with the index)."""
        if self._weights is None or self._weights[0] != index.version:
            n = len(self.ids)
            ess = np.bincount(self.ess_rows, weights=index.idfs(self.ess_skills), minlength=n)
            opt = np.bincount(self.opt_rows, weights=index.idfs(self.opt_skills), minlength=n)
            self._weights = (index.version, ess.astype(np.float32), opt.astype(np.float32))
        return self._weights[1], self._weights[2]

    def rank(self, index: CandidateIndex, c: Candidate, *, limit: int = 20, today: date | None = None
             ) -> list[tuple[int, float]]:  # fmt: skip
        """The ``limit`` best open vacancies for a candidate, as (vacancy id, score), best first."""
        with self.lock, index.lock:  # refreshes in other threads swap the arrays
            return self._rank(index, c, limit, today)

    def _rank(self, index: CandidateIndex, c: Candidate, limit: int, today: date | None) -> list[tuple[int, float]]:  # noqa: C901 (to split, issue 22)
        if not len(self.ids) or not c.skills:
            return []
        # Credit for every skill the candidate holds or is close to (the best one counts).
        credit: dict[int, float] = {}
        for skill, evidence in c.skills.items():
            w = float(np.float32(evidence))
            for target, value in [(skill, 1.0)] + [(t, v) for t, v, _why in index.neighbours.by_skill.get(skill, [])]:
                got = float(np.float32(w) * np.float32(value))
                if got > credit.get(target, 0.0):
                    credit[target] = got
        parts = [(self.essential[s], s, v) for s, v in credit.items() if s in self.essential]
        if not parts:
            return []
        rows = np.concatenate([p[0] for p in parts])
        skills = np.concatenate([np.full(len(p[0]), p[1], dtype=np.int64) for p in parts])
        values = np.concatenate([np.full(len(p[0]), p[2], dtype=np.float32) for p in parts])
        ess_total, opt_total = self._skill_weights(index)
        covered = np.bincount(rows, weights=index.idfs(skills) * values, minlength=len(self.ids))
        cand = np.flatnonzero(covered > 0)
        coverage = (covered[cand] / ess_total[cand]).astype(np.float32)
        # Hard filters.
        day = _day(today or timezone.localdate())
        keep = self.open[cand] & (self.until[cand] >= day)
        if c.available_from:
            start = self.start[cand]
            keep &= (start == NO_DATE) | (_day(c.available_from) <= start + 30)
        wanted_hours = HOURS.get(c.hours, 0)
        if wanted_hours:
            h = self.hours[cand]
            keep &= (h == 0) | (h == wanted_hours)
        lang_factor = np.ones(len(cand), dtype=np.float32)
        if len(self.lang_rows):
            position = np.full(len(self.ids), -1, dtype=np.int64)
            position[cand] = np.arange(len(cand))
            where = position[self.lang_rows]
            mine = where >= 0
            levels = np.zeros(len(self.code_of) + 1, dtype=np.int8)
            for code, level in c.languages.items():
                if code in self.code_of:
                    levels[self.code_of[code]] = level
            have = levels[self.lang_codes[mine]]
            at, wanted, required = where[mine], self.lang_levels[mine], self.lang_required[mine]
            short = have < wanted
            failing = np.zeros(len(cand), dtype=bool)
            failing[at[short & required]] = True
            keep &= ~failing
            gap = np.clip(wanted.astype(np.int16) - have, 0, None)
            factors = np.maximum(np.float32(0.85) ** gap, 0.5).astype(np.float32)
            np.multiply.at(lang_factor, at[short], factors[short])
        distance = np.full(len(cand), np.nan, dtype=np.float32)
        if c.latitude is not None and c.longitude is not None:
            distance = haversine(self.lat[cand], self.lon[cand], c.latitude, c.longitude).astype(np.float32)
            if not c.relocate:
                keep &= ~(distance > c.max_km)
        loc_factor = location_tier(distance, np.float32(c.max_km), c.relocate)
        # Optional skills (held exactly) and experience.
        bonus = np.ones(len(cand), dtype=np.float32)
        held = [(self.optional[s], s) for s in c.skills if s in self.optional]
        if held:
            o_rows = np.concatenate([h[0] for h in held])
            o_weights = index.idfs(np.concatenate([np.full(len(h[0]), h[1], dtype=np.int64) for h in held]))
            gained = np.bincount(o_rows, weights=o_weights, minlength=len(self.ids))[cand]
            totals = opt_total[cand]
            bonus = np.where(totals > 0, 1 + 0.2 * gained / np.where(totals > 0, totals, 1), 1).astype(np.float32)
        occupations = self.occupation[cand]
        years = _lookup(c.occupations, occupations)
        isco_of = index.neighbours.isco_of
        group_years: dict[int, float] = {}
        for occupation, y in c.occupations.items():
            group = isco_of.get(occupation)
            if group is not None:
                group_years[group] = max(group_years.get(group, 0.0), y)
        in_group = np.zeros(len(cand), dtype=np.float32)
        if group_years:
            mine = np.isin(
                occupations, np.fromiter((o for o, g in isco_of.items() if g in group_years), dtype=np.int64)
            )
            in_group[mine] = [group_years[isco_of[int(o)]] for o in occupations[mine]]
        exp_factor = np.maximum(0.85 + 0.15 * np.minimum(years / EXPERIENCE_YEARS, 1),
                                0.85 + 0.075 * np.minimum(in_group / EXPERIENCE_YEARS, 1))  # fmt: skip
        score = np.where(keep, coverage * bonus * exp_factor * lang_factor * loc_factor, -1)
        k = min(limit, int((score > 0).sum()))
        if k == 0:
            return []
        top = np.argpartition(-score, k - 1)[:k]
        top = top[np.argsort(-score[top], kind="stable")]
        return [(int(self.ids[cand[i]]), float(score[i])) for i in top]


_index = VacancyIndex()


def vacancies(service: Any) -> VacancyIndex:
    _index.refresh(service)
    return _index
