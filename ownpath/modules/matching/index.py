"""The candidate index: an inverted index from ESCO skills to candidates, held in memory per process, built
from the packed ``CandidateVector`` rows and kept current by the ``IndexChange`` log (written when a core
event says a candidate changed). Changed candidates are appended and their old rows masked; the index is
compacted when the appended part grows past 10 %."""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from ownpath.core.models import EscoConcept, EscoRelation
from ownpath.modules.matching.choices import EVIDENCE_WEIGHT
from ownpath.modules.matching.models import CandidateProfile, CandidateVector, IndexChange

LEVELS = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6, "native": 7}
LEVEL_NAMES = {v: k for k, v in LEVELS.items()}
EPOCH = date(2000, 1, 1)
NO_DATE = -1


def pack_languages(pairs: list[tuple[str, str]]) -> str:
    return ",".join(f"{lang}:{LEVELS[level]}" for lang, level in pairs if level in LEVELS)[:200]


def vector_for(profile: CandidateProfile) -> CandidateVector:
    """The packed index row of a profile (not saved)."""
    person = profile.person
    skills = list(profile.skills.values_list("skill_id", "evidence"))
    occupations = list(profile.occupations.values_list("occupation_id", "years"))
    return CandidateVector(
        person=person,
        organisation_id=person.organisation_id,
        active=profile.is_active and not person.is_anonymised,
        skills=np.array([s for s, _e in skills], dtype=np.int32).tobytes(),
        weights=np.array([EVIDENCE_WEIGHT.get(e, 0.75) for _s, e in skills], dtype=np.float16).tobytes(),
        occupations=np.array([o for o, _y in occupations], dtype=np.int32).tobytes(),
        years=np.array([float(y) for _o, y in occupations], dtype=np.float16).tobytes(),
        languages=pack_languages(list(person.languages.values_list("language", "level"))),
        latitude=profile.latitude,
        longitude=profile.longitude,
        max_km=profile.max_commute_km,
        relocate=profile.willing_to_relocate,
        hours=profile.hours,
        available_from=profile.available_from,
    )


def latest_change() -> int:
    """The newest ``IndexChange`` row (0 when none): an index built now has seen every change up to it."""
    return IndexChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def changes_since(last: int, kind: str) -> tuple[set[int], int]:
    """The objects of ``kind`` (candidate | vacancy) changed after change ``last``, and the newest change
    among them (``last`` when there is none). One query."""
    changed = list(IndexChange.objects.filter(pk__gt=last, kind=kind).values_list("pk", "object_id"))
    return {object_id for _pk, object_id in changed}, max((pk for pk, _id in changed), default=last)


@dataclass
class Neighbours:
    """Partial credit through ESCO: broader and narrower skills, related skills, siblings in a skill group."""

    by_skill: dict[int, list[tuple[int, float, str]]] = field(default_factory=dict)
    transversal: set[int] = field(default_factory=set)
    isco_of: dict[int, int] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Neighbours:
        kinds = dict(EscoConcept.objects.filter(kind__in=["skill", "skill_group"]).values_list("pk", "kind"))
        near: dict[int, dict[int, tuple[float, str]]] = defaultdict(dict)
        children: dict[int, list[int]] = defaultdict(list)

        def offer(a: int, b: int, weight: float, why: str) -> None:
            if a != b and near[a].get(b, (0.0, ""))[0] < weight:
                near[a][b] = (weight, why)

        for source, target, kind in EscoRelation.objects.filter(
            kind__in=["broader", "related_essential", "related_optional"]
        ).values_list("source_id", "target_id", "kind"):
            if kinds.get(source) != "skill":
                continue
            if kind == "broader":
                if kinds.get(target) == "skill":
                    offer(source, target, 0.6, "broader")
                    offer(target, source, 0.6, "narrower")
                elif kinds.get(target) == "skill_group":
                    children[target].append(source)
            else:
                offer(source, target, 0.5, "related")
                offer(target, source, 0.5, "related")
        for members in children.values():
            if len(members) > 40:  # a huge group says little about closeness
                continue
            for a in members:
                for b in members:
                    offer(a, b, 0.3, "sibling")
        transversal = set(
            EscoConcept.objects.filter(kind="skill", reuse_level="transversal").values_list("pk", flat=True)
        )
        isco_of = dict(
            EscoConcept.objects.filter(kind="occupation", isco_group__isnull=False).values_list("pk", "isco_group_id")
        )
        return cls({s: [(t, w, why) for t, (w, why) in d.items()] for s, d in near.items()}, transversal, isco_of)


class CandidateIndex:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.built = False
        self.last_change = 0
        self.neighbours = Neighbours()
        self.version = 0  # grows with every change, so caches derived from the index know when to renew
        self._idf_table: tuple[int, np.ndarray] | None = None
        self.expansions: dict[Any, Any] = {}  # scoring's cache of skills with their close skills
        self._reset()

    def _reset(self) -> None:
        self.person_ids = np.zeros(0, dtype=np.int64)
        self.org_ids = np.zeros(0, dtype=np.int64)
        self.active = np.zeros(0, dtype=bool)
        self.lat = np.zeros(0, dtype=np.float32)
        self.lon = np.zeros(0, dtype=np.float32)
        self.max_km = np.zeros(0, dtype=np.float32)
        self.relocate = np.zeros(0, dtype=bool)
        self.hours = np.zeros(0, dtype=np.int8)  # 0 any, 1 full, 2 part
        self.available = np.zeros(0, dtype=np.int32)  # days since EPOCH, NO_DATE when now
        self.languages: dict[str, np.ndarray] = {}
        self.postings: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # skill → (rows, evidence weights)
        self.occupations: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # occupation → (rows, years)
        self.isco: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.row_of: dict[int, int] = {}
        self.df: dict[int, int] = {}
        # The forward index: row r holds skills[ptr[r]:ptr[r + 1]] with their evidence weights, to score a
        # short list of candidates without scanning the long posting lists again.
        self.fwd_ptr = np.zeros(1, dtype=np.int64)
        self.fwd_skills = np.zeros(0, dtype=np.int32)
        self.fwd_weights = np.zeros(0, dtype=np.float16)
        self.max_skill = 0
        self.geo: tuple[np.ndarray, ...] | None = None  # scoring's derived place columns
        self.n_active = 0
        self.appended = 0

    # -- building
    def build(self, vectors: Any = None) -> None:
        with self.lock:
            self.neighbours = Neighbours.load()
            last = latest_change()
            rows = vectors if vectors is not None else CandidateVector.objects.all().values_list(
                "person_id", "organisation_id", "active", "skills", "weights", "occupations", "years", "languages",
                "latitude", "longitude", "max_km", "relocate", "hours", "available_from",
            ).iterator(chunk_size=20000)  # fmt: skip
            self._reset()
            self._load(rows)
            self.last_change = last
            self.built = True

    def _load(self, rows: Any) -> None:
        """Append rows to the index (``values_list`` tuples of CandidateVector)."""
        base = len(self.person_ids)
        pids, orgs, act, lat, lon, km, rel, hrs, avail = [], [], [], [], [], [], [], [], []
        sk_all, w_all, r_all, oc_all, y_all, ro_all = [], [], [], [], [], []
        langs: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for n, (pid, org, active, skills, weights, occs, years, languages, la, lo, mk, re_, hours, av) in enumerate(
            rows
        ):
            row = base + n
            old = self.row_of.get(pid)
            if old is not None and old < base:
                self.active[old] = False
            self.row_of[pid] = row
            pids.append(pid)
            orgs.append(org)
            act.append(bool(active))
            lat.append(np.nan if la is None else la)
            lon.append(np.nan if lo is None else lo)
            km.append(mk)
            rel.append(bool(re_))
            hrs.append({"any": 0, "full_time": 1, "part_time": 2}.get(hours, 0))
            avail.append(NO_DATE if av is None else (av - EPOCH).days)
            s = np.frombuffer(bytes(skills), dtype=np.int32)
            sk_all.append(s)
            w_all.append(np.frombuffer(bytes(weights), dtype=np.float16))
            r_all.append(np.full(len(s), row, dtype=np.int32))
            o = np.frombuffer(bytes(occs), dtype=np.int32)
            oc_all.append(o)
            y_all.append(np.frombuffer(bytes(years), dtype=np.float16))
            ro_all.append(np.full(len(o), row, dtype=np.int32))
            if languages:
                for part in languages.split(","):
                    lang, _sep, level = part.partition(":")
                    langs[lang].append((row, int(level or 0)))
        count = len(pids)
        if not count:
            return
        total = base + count
        self.person_ids = np.concatenate([self.person_ids, np.array(pids, dtype=np.int64)])
        self.org_ids = np.concatenate([self.org_ids, np.array(orgs, dtype=np.int64)])
        self.active = np.concatenate([self.active, np.array(act, dtype=bool)])
        self.lat = np.concatenate([self.lat, np.array(lat, dtype=np.float32)])
        self.lon = np.concatenate([self.lon, np.array(lon, dtype=np.float32)])
        self.max_km = np.concatenate([self.max_km, np.array(km, dtype=np.float32)])
        self.relocate = np.concatenate([self.relocate, np.array(rel, dtype=bool)])
        self.hours = np.concatenate([self.hours, np.array(hrs, dtype=np.int8)])
        self.available = np.concatenate([self.available, np.array(avail, dtype=np.int32)])
        for lang in list(self.languages):
            self.languages[lang] = np.concatenate([self.languages[lang], np.zeros(count, dtype=np.int8)])
        for lang, pairs in langs.items():
            arr = self.languages.setdefault(lang, np.zeros(total, dtype=np.int8))
            idx = np.array([p[0] for p in pairs], dtype=np.int64)
            arr[idx] = np.array([p[1] for p in pairs], dtype=np.int8)
        self._merge(self.postings, sk_all, r_all, w_all)
        lengths = np.fromiter((len(a) for a in sk_all), dtype=np.int64, count=count)
        self.fwd_ptr = np.concatenate([self.fwd_ptr, self.fwd_ptr[-1] + np.cumsum(lengths)])
        if lengths.sum():
            new_skills = np.concatenate(sk_all)
            self.fwd_skills = np.concatenate([self.fwd_skills, new_skills])
            self.fwd_weights = np.concatenate([self.fwd_weights, np.concatenate(w_all)])
            self.max_skill = max(self.max_skill, int(new_skills.max()))
        self._merge(self.occupations, oc_all, ro_all, y_all)
        isco_keys = [np.array([self.neighbours.isco_of.get(int(o), 0) for o in occ], dtype=np.int32) for occ in oc_all]
        self._merge(self.isco, isco_keys, ro_all, y_all)
        self.df = {k: len(v[0]) for k, v in self.postings.items()}
        self.n_active = int(self.active.sum())
        self.version += 1

    @staticmethod
    def _merge(target: dict[int, tuple[np.ndarray, np.ndarray]], keys: list[np.ndarray], rows: list[np.ndarray],
               values: list[np.ndarray]) -> None:  # fmt: skip
        if not keys:
            return
        k = np.concatenate(keys)
        if not len(k):
            return
        r = np.concatenate(rows)
        v = np.concatenate(values).astype(np.float32)
        order = np.argsort(k, kind="stable")
        k, r, v = k[order], r[order], v[order]
        bounds = np.flatnonzero(np.diff(k)) + 1
        starts = np.concatenate([[0], bounds])
        ends = np.concatenate([bounds, [len(k)]])
        for s, e in zip(starts, ends, strict=True):
            key = int(k[s])
            if key == 0:
                continue
            if key in target:
                old_r, old_v = target[key]
                target[key] = (np.concatenate([old_r, r[s:e]]), np.concatenate([old_v, v[s:e]]))
            else:
                target[key] = (r[s:e], v[s:e])

    # -- keeping current
    def refresh(self) -> None:
        """Apply the changes logged since the last build or refresh (a query per call, cheap when none)."""
        if not self.built:
            self.build()
            return
        ids, newest = changes_since(self.last_change, "candidate")
        if not ids:
            return
        with self.lock:
            for pid in ids:
                row = self.row_of.pop(pid, None)
                if row is not None:
                    self.active[row] = False
            self._load(CandidateVector.objects.filter(person_id__in=ids).values_list(
                "person_id", "organisation_id", "active", "skills", "weights", "occupations", "years", "languages",
                "latitude", "longitude", "max_km", "relocate", "hours", "available_from",
            ))  # fmt: skip
            self.appended += len(ids)
            self.last_change = newest
            self.n_active = int(self.active.sum())
            self.version += 1
            if self.appended > 0.1 * max(len(self.person_ids), 1000):
                self.build()

    def idf(self, skill: int) -> float:
        n = max(self.n_active, 1)
        weight = math.log(1 + n / (1 + self.df.get(skill, 0)))
        return weight * (0.3 if skill in self.neighbours.transversal else 1.0)

    def idfs(self, skills: np.ndarray) -> np.ndarray:
        """``idf`` of many skills at once (float32), from a table renewed when the index changes."""
        if self._idf_table is None or self._idf_table[0] != self.version:
            size = max([*self.df, *self.neighbours.transversal, 0]) + 1
            keys = np.fromiter(self.df, dtype=np.int64, count=len(self.df))
            counts = np.zeros(size, dtype=np.float64)
            counts[keys] = np.fromiter(self.df.values(), dtype=np.float64, count=len(self.df))
            table = np.log(1 + max(self.n_active, 1) / (1 + counts))
            if self.neighbours.transversal:
                table[np.fromiter(self.neighbours.transversal, dtype=np.int64)] *= 0.3
            self._idf_table = (self.version, table.astype(np.float32))
        table = self._idf_table[1]
        skills = np.asarray(skills, dtype=np.int64)
        inside = skills < len(table)
        unseen = np.float32(math.log(1 + max(self.n_active, 1)))
        return np.where(inside, table[np.where(inside, skills, 0)], unseen).astype(np.float32)


_index = CandidateIndex()


def candidates() -> CandidateIndex:
    _index.refresh()
    return _index
