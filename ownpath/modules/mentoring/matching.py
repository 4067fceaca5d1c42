"""Mentor matching: explained scores and a global assignment.

Each mentee–mentor pair gets six named factors, each from 0 to 1, and a weighted sum:

========================  ======  =============================================================
factor                    weight  what it measures
========================  ======  =============================================================
language                  0.30    the best language both speak: native/C2 1.0, C1 0.85, B2 0.7, B1 0.5
lived experience          0.20    share of the mentee's lived-experience tags the mentor shares (0.7),
                                  and the same country of origin (0.3)
sector                    0.15    the mentor works in the sector the mentee seeks (1), no wish (0.5),
                                  another sector (0.2)
location                  0.15    by distance when both have coordinates (1 at 0 km, 0 from 60 km),
                                  else the same municipality (1), unknown (0.5), different (0.2)
availability              0.10    share of the mentee's free day-parts the mentor also has
preferences               0.10    a peer mentor when one was asked for (else 0.4)
========================  ======  =============================================================

Hard rules, never traded against a score: the two share a language at B1 or better; a stated wish
about the other's gender (either side) is respected; only mentors who completed the mentor path, were
approved and have room are in the pool at all (the caller passes only those).

The global match maximises the sum of scores over the whole pool: candidates are the ``TOP_K`` best
mentors of each mentee (computed with numpy, a block of mentees at a time), mentors appear once per free
place (a small penalty per extra place spreads the load), every mentee also has a private "no mentor"
option of low value so that a full matching always exists, and scipy's sparse assignment solver
(LAPJVsp, ``min_weight_full_bipartite_matching``) picks the optimum. The same vectorised factor code
scores the matrix and explains single pairs, so the explanation is always the score's own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ownpath.core.languages import language_name

LEVELS = {"native": 6, "C2": 5, "C1": 4, "B2": 3, "B1": 2, "A2": 1, "A1": 0}
LEVEL_NAMES = {v: k for k, v in LEVELS.items()}
MIN_SHARED_LEVEL = LEVELS["B1"]
WEIGHTS = {
    "language": 0.30,
    "experience": 0.20,
    "sector": 0.15,
    "location": 0.15,
    "availability": 0.10,
    "preferences": 0.10,
}
LABELS = {
    "language": gettext_lazy("Language"),
    "experience": gettext_lazy("Lived experience"),
    "sector": gettext_lazy("Sector"),
    "location": gettext_lazy("Location"),
    "availability": gettext_lazy("Availability"),
    "preferences": gettext_lazy("Preferences"),
}
TOP_K = 25
BLOCK = 256
NO_MENTOR_COST = 3.0  # a mentee left without a mentor costs more than any real pair (cost = 2 - score)
EXTRA_PLACE_COST = 0.002  # per further place of the same mentor: spreads mentees over mentors on a tie
FAR_KM = 60.0


@dataclass(frozen=True)
class Profile:
    """What matching knows of one side; built from a Mentor or a Mentee (or synthesised by the benchmark)."""

    id: Any
    languages: dict[str, str]
    country: str = ""
    experience: frozenset[str] = frozenset()
    sector: str = ""
    municipality: str = ""
    latitude: float | None = None
    longitude: float | None = None
    availability: frozenset[str] = frozenset()
    gender: str = ""
    wants_gender: str = ""
    peer: bool = False  # a mentor: is a peer mentor; a mentee: would like one
    capacity: int = 1  # mentors: free places now


@dataclass
class Explained:
    score: float
    factors: list[dict[str, Any]] = field(default_factory=list)


class _Vocabulary:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def id(self, value: str) -> int:
        if not value:
            return -1
        return self.index.setdefault(value, len(self.index))


def _bits(values: Iterable[str], vocabulary: _Vocabulary) -> int:
    mask = 0
    for value in values:
        position = vocabulary.id(value)
        if 0 <= position < 63:
            mask |= 1 << position
    return mask


@dataclass
class Encoded:
    languages: np.ndarray  # (rows, L) best level per language, -1 when not spoken
    country: np.ndarray
    experience: np.ndarray  # bitmask
    sector: np.ndarray
    municipality: np.ndarray
    latitude: np.ndarray  # radians, NaN unknown
    longitude: np.ndarray
    availability: np.ndarray  # bitmask
    gender: np.ndarray
    wants_gender: np.ndarray
    peer: np.ndarray

    def take(self, index: Any) -> Encoded:
        return Encoded(**{name: getattr(self, name)[index] for name in self.__dataclass_fields__})


class Encoder:
    """Turns profiles into arrays with shared vocabularies (languages, countries, tags, places)."""

    def __init__(self, profiles: Iterable[Profile]) -> None:
        self.languages = _Vocabulary()
        self.values = _Vocabulary()
        self.tags = _Vocabulary()
        self.parts = _Vocabulary()
        for profile in profiles:
            for code in profile.languages:
                self.languages.id(code)

    def encode(self, profiles: Sequence[Profile]) -> Encoded:
        rows, width = len(profiles), max(1, len(self.languages.index))
        languages = np.full((rows, width), -1, dtype=np.int8)
        for row, profile in enumerate(profiles):
            for code, level in profile.languages.items():
                column = self.languages.index.get(code)
                if column is not None:
                    languages[row, column] = max(languages[row, column], LEVELS.get(level, -1))

        def ints(values: Iterable[int]) -> np.ndarray:
            return np.fromiter(values, dtype=np.int64, count=rows)

        def coordinate(value: float | None) -> float:
            return math.radians(value) if value is not None else math.nan

        return Encoded(
            languages=languages,
            country=ints(self.values.id("c:" + p.country) if p.country else -1 for p in profiles),
            experience=ints(_bits(p.experience, self.tags) for p in profiles),
            sector=ints(self.values.id("s:" + p.sector) if p.sector else -1 for p in profiles),
            municipality=ints(
                self.values.id("m:" + p.municipality.casefold().strip()) if p.municipality.strip() else -1
                for p in profiles
            ),
            latitude=np.fromiter((coordinate(p.latitude) for p in profiles), dtype=np.float64, count=rows),
            longitude=np.fromiter((coordinate(p.longitude) for p in profiles), dtype=np.float64, count=rows),
            availability=ints(_bits(p.availability, self.parts) for p in profiles),
            gender=ints(self.values.id("g:" + p.gender) if p.gender else -1 for p in profiles),
            wants_gender=ints(self.values.id("g:" + p.wants_gender) if p.wants_gender else -1 for p in profiles),
            peer=np.fromiter((p.peer for p in profiles), dtype=bool, count=rows),
        )


def factors(mentee: Encoded, mentor: Encoded) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Factor scores and the eligibility mask, by numpy broadcasting: pass (rows, 1) against (1, cols)
    arrays for a matrix, or aligned arrays for pairs."""
    shared_level = np.minimum(mentee.languages, mentor.languages).max(axis=-1)
    language = np.select(
        [shared_level >= LEVELS["C2"], shared_level == LEVELS["C1"], shared_level == LEVELS["B2"]],
        [1.0, 0.85, 0.7],
        0.5,
    )
    eligible = shared_level >= MIN_SHARED_LEVEL
    eligible &= (mentee.wants_gender < 0) | (mentee.wants_gender == mentor.gender)
    eligible &= (mentor.wants_gender < 0) | (mentor.wants_gender == mentee.gender)

    wanted_tags = np.bitwise_count(mentee.experience)
    shared_tags = np.bitwise_count(mentee.experience & mentor.experience)
    tag_share = np.where(wanted_tags > 0, shared_tags / np.maximum(wanted_tags, 1), 0.5)
    same_country = (mentee.country >= 0) & (mentee.country == mentor.country)
    experience = 0.7 * tag_share + 0.3 * same_country

    sector = np.where(mentee.sector < 0, 0.5, np.where(mentee.sector == mentor.sector, 1.0, 0.2))

    known = ~np.isnan(mentee.latitude) & ~np.isnan(mentor.latitude)
    km = _haversine(mentee.latitude, mentee.longitude, mentor.latitude, mentor.longitude)
    by_distance = np.clip(1.0 - np.nan_to_num(km, nan=FAR_KM) / FAR_KM, 0.0, 1.0)
    place_known = (mentee.municipality >= 0) & (mentor.municipality >= 0)
    by_place = np.where(place_known, np.where(mentee.municipality == mentor.municipality, 1.0, 0.2), 0.5)
    location = np.where(known, by_distance, by_place)

    free = np.bitwise_count(mentee.availability)
    common = np.bitwise_count(mentee.availability & mentor.availability)
    availability = np.where(free > 0, common / np.maximum(free, 1), 0.5)

    preferences = np.where(mentee.peer & ~mentor.peer, 0.4, 1.0)

    out = {
        "language": language,
        "experience": experience,
        "sector": sector,
        "location": location,
        "availability": availability,
        "preferences": preferences,
    }
    shape = np.broadcast_shapes(*(np.shape(v) for v in out.values()), np.shape(eligible))
    return {k: np.broadcast_to(v, shape).astype(np.float32) for k, v in out.items()}, np.broadcast_to(eligible, shape)


def total(parts: dict[str, np.ndarray]) -> np.ndarray:
    return sum(WEIGHTS[name] * values for name, values in parts.items())  # type: ignore[return-value]


def _haversine(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
        return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


@dataclass
class Result:
    pairs: list[tuple[int, int, float]]  # (mentee index, mentor index, score)
    unmatched: list[int]
    candidates: dict[int, list[tuple[int, float]]]  # mentee index → best mentors (index, score)


def candidates(mentees: Encoded, mentors: Encoded, k: int = TOP_K) -> dict[int, list[tuple[int, float]]]:
    """The ``k`` best eligible mentors of every mentee, a block of mentees at a time."""
    out: dict[int, list[tuple[int, float]]] = {}
    count, width = len(mentees.country), len(mentors.country)
    if width == 0:
        return {i: [] for i in range(count)}
    column = mentors.take(slice(None))
    column = Encoded(**{name: np.expand_dims(getattr(column, name), 0) for name in column.__dataclass_fields__})
    for start in range(0, count, BLOCK):
        block = mentees.take(slice(start, start + BLOCK))
        row = Encoded(**{name: np.expand_dims(getattr(block, name), 1) for name in block.__dataclass_fields__})
        parts, eligible = factors(row, column)
        scores = np.where(eligible, total(parts), -1.0)
        keep = min(k, width)
        best = np.argpartition(-scores, keep - 1, axis=1)[:, :keep]
        for offset, columns in enumerate(best):
            found = [(int(j), float(scores[offset, j])) for j in columns if scores[offset, j] >= 0]
            out[start + offset] = sorted(found, key=lambda pair: -pair[1])
    return out


def assign(
    options: dict[int, list[tuple[int, float]]], capacities: Sequence[int]
) -> tuple[list[tuple[int, int, float]], list[int]]:
    """The assignment that maximises the total score, each mentor taking at most its capacity."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    count = len(options)
    if count == 0:
        return [], []
    first_slot = np.concatenate([[0], np.cumsum(capacities)]).astype(np.int64)
    slots = int(first_slot[-1])
    rows: list[int] = []
    cols: list[int] = []
    costs: list[float] = []
    for mentee, found in options.items():
        for mentor, score in found:
            for place in range(int(capacities[mentor])):
                rows.append(mentee)
                cols.append(int(first_slot[mentor]) + place)
                costs.append(2.0 - score + EXTRA_PLACE_COST * place)
        rows.append(mentee)
        cols.append(slots + mentee)
        costs.append(NO_MENTOR_COST)
    graph = csr_matrix((costs, (rows, cols)), shape=(count, slots + count))
    matched_rows, matched_cols = min_weight_full_bipartite_matching(graph)
    owner = np.searchsorted(first_slot, np.arange(slots), side="right") - 1
    score_of = {(m, j): s for m, found in options.items() for j, s in found}
    pairs, unmatched = [], []
    for mentee, column in zip(matched_rows.tolist(), matched_cols.tolist(), strict=True):
        if column >= slots:
            unmatched.append(mentee)
        else:
            mentor = int(owner[column])
            pairs.append((mentee, mentor, score_of[(mentee, mentor)]))
    return pairs, unmatched


def match(mentees: Sequence[Profile], mentors: Sequence[Profile], k: int = TOP_K) -> Result:
    encoder = Encoder([*mentees, *mentors])
    left, right = encoder.encode(mentees), encoder.encode(mentors)
    options = candidates(left, right, k)
    pairs, unmatched = assign(options, [max(0, m.capacity) for m in mentors])
    return Result(pairs, unmatched, options)


def explain(mentee: Profile, mentor: Profile) -> Explained:
    """One pair's score with each factor's value and, in words the coordinator can say aloud, why."""
    encoder = Encoder([mentee, mentor])
    parts, eligible = factors(encoder.encode([mentee]), encoder.encode([mentor]))
    values = {name: float(v[0]) for name, v in parts.items()}
    score = sum(WEIGHTS[name] * value for name, value in values.items()) if bool(eligible[0]) else 0.0
    reasons = _reasons(mentee, mentor)
    return Explained(
        round(score, 4),
        [
            {
                "key": name,
                "label": str(LABELS[name]),
                "score": round(values[name], 3),
                "weight": WEIGHTS[name],
                "because": reasons[name],
            }
            for name in WEIGHTS
        ],
    )


def _level(level: str) -> str:
    return _("native") if level == "native" else level


def _reasons(mentee: Profile, mentor: Profile) -> dict[str, str]:
    from ownpath.modules.mentoring.choices import DayPart, LivedExperience, Sector

    shared = [
        (code, mentee.languages[code], mentor.languages[code])
        for code in mentee.languages
        if code in mentor.languages
        and min(LEVELS.get(mentee.languages[code], -1), LEVELS.get(mentor.languages[code], -1)) >= MIN_SHARED_LEVEL
    ]
    shared.sort(key=lambda t: -min(LEVELS.get(t[1], -1), LEVELS.get(t[2], -1)))
    if shared:
        code, theirs, ours = shared[0]
        language = _("Both speak %(language)s (mentee: %(mentee)s, mentor: %(mentor)s).") % {
            "language": language_name(code),
            "mentee": _level(theirs),
            "mentor": _level(ours),
        }
    else:
        language = _("No language both speak at B1 or better: not a possible pair.")

    tags = [
        str(LivedExperience(t).label)
        for t in sorted(mentee.experience & mentor.experience)
        if t in LivedExperience.values
    ]
    bits = []
    if tags:
        bits.append(_("both: %(what)s") % {"what": ", ".join(tags).lower()})
    if mentee.country and mentee.country == mentor.country:
        from django_countries import countries

        bits.append(_("both from %(country)s") % {"country": countries.name(mentee.country) or mentee.country})
    experience = (
        (_("Shared experience: %(what)s.") % {"what": "; ".join(bits)})
        if bits
        else _("No shared lived experience recorded.")
    )

    def sector_name(code: str) -> str:
        return str(Sector(code).label) if code in Sector.values else code

    if not mentee.sector:
        sector = _("The mentee named no sector.")
    elif mentee.sector == mentor.sector:
        sector = _("The mentor works in %(sector)s, the sector the mentee seeks.") % {
            "sector": sector_name(mentor.sector).lower()
        }
    else:
        sector = _("The mentee seeks %(wanted)s; the mentor works in %(theirs)s.") % {
            "wanted": sector_name(mentee.sector).lower(),
            "theirs": sector_name(mentor.sector).lower() if mentor.sector else _("no sector stated"),
        }

    if (
        mentee.latitude is not None
        and mentee.longitude is not None
        and mentor.latitude is not None
        and mentor.longitude is not None
    ):
        points = np.radians(np.array([mentee.latitude, mentee.longitude, mentor.latitude, mentor.longitude]))
        km = float(_haversine(points[0], points[1], points[2], points[3]))
        location = _("About %(km)s km apart.") % {"km": round(km)}
    elif mentee.municipality and mentor.municipality:
        if mentee.municipality.casefold().strip() == mentor.municipality.casefold().strip():
            location = _("Both in %(place)s.") % {"place": mentor.municipality}
        else:
            location = _("Different places: %(mentee)s and %(mentor)s.") % {
                "mentee": mentee.municipality,
                "mentor": mentor.municipality,
            }
    else:
        location = _("Where one of them lives is not recorded.")

    common = [
        str(DayPart(p).label).lower() for p in DayPart.values if p in mentee.availability and p in mentor.availability
    ]
    if not mentee.availability:
        availability = _("The mentee stated no times.")
    elif common:
        availability = _("Both free: %(times)s.") % {"times": ", ".join(common)}
    else:
        availability = _("No common free time stated.")

    if mentee.peer and mentor.peer:
        preferences = _("A peer mentor, as the mentee asked.")
    elif mentee.peer:
        preferences = _("The mentee asked for a peer mentor; this is a mentor without the same lived path.")
    else:
        preferences = _("No special wishes, or every wish met.")
    if mentee.wants_gender:
        preferences += " " + _("The wish about the mentor's gender is met.")
    return {
        "language": language,
        "experience": experience,
        "sector": sector,
        "location": location,
        "availability": availability,
        "preferences": preferences,
    }
