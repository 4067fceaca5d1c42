"""One candidate and one vacancy, factor by factor, in sentences a counsellor can say aloud. It applies the
same rules and constants as ``scoring`` to one pair (a test checks both give the same score), and is also how
a person's vacancies are scored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ownpath.core.esco.search import preferred_labels
from ownpath.core.geo import distance_km
from ownpath.modules.matching.index import LEVEL_NAMES, LEVELS, CandidateIndex
from ownpath.modules.matching.scoring import EXPERIENCE_YEARS, Factor, Result


@dataclass
class Candidate:
    person_id: int
    skills: dict[int, float]  # skill → evidence weight
    occupations: dict[int, float]  # occupation → years
    languages: dict[str, int]
    latitude: float | None
    longitude: float | None
    max_km: float
    relocate: bool
    hours: str
    available_from: Any

    @classmethod
    def from_vector(cls, v: Any) -> Candidate:
        skills = np.frombuffer(bytes(v.skills), dtype=np.int32)
        weights = np.frombuffer(bytes(v.weights), dtype=np.float16)
        occs = np.frombuffer(bytes(v.occupations), dtype=np.int32)
        years = np.frombuffer(bytes(v.years), dtype=np.float16)
        langs = {}
        for part in (v.languages or "").split(","):
            if part:
                lang, _sep, level = part.partition(":")
                langs[lang] = int(level or 0)
        return cls(v.person_id, {int(s): float(w) for s, w in zip(skills, weights, strict=True)},
                   {int(o): float(y) for o, y in zip(occs, years, strict=True)}, langs, v.latitude, v.longitude,
                   float(v.max_km), v.relocate, v.hours, v.available_from)  # fmt: skip


def _km(c: Candidate, vacancy: dict[str, Any]) -> float | None:
    """How far the candidate lives from the place of work; None when either place is unknown."""
    lat, lon = vacancy.get("latitude"), vacancy.get("longitude")
    if lat is None or lon is None or c.latitude is None or c.longitude is None:
        return None
    return distance_km((c.latitude, c.longitude), (lat, lon))


def passes(index: CandidateIndex, vacancy: dict[str, Any], c: Candidate) -> list[str]:
    """The hard filters the candidate fails, in words (empty when none)."""
    fails = []
    start = vacancy.get("starts_on")
    if start and c.available_from and c.available_from > start + timedelta(days=30):
        fails.append(_("available only from %(day)s") % {"day": c.available_from.isoformat()})
    if vacancy.get("hours") in ("full_time", "part_time") and c.hours not in ("any", vacancy["hours"]):
        fails.append(_("wants other hours"))
    for language, level, required in vacancy.get("languages", []):
        if required and c.languages.get(language, 0) < LEVELS.get(level, 0):
            fails.append(_("%(language)s below %(level)s") % {"language": language, "level": level})
    d = _km(c, vacancy)
    if d is not None and d > c.max_km and not c.relocate:
        fails.append(_("%(km)s km away, travels up to %(max)s km") % {"km": round(d), "max": round(c.max_km)})
    return fails


def explain(index: CandidateIndex, vacancy: dict[str, Any], c: Candidate, language: str) -> Result:  # noqa: C901 (to split, issue 22)
    essential = [int(s) for s in vacancy["essential"]]
    optional = [int(s) for s in vacancy.get("optional", [])]
    weights = [index.idf(s) for s in essential]
    total = sum(weights) or 1.0
    rows: list[dict[str, Any]] = []
    covered = 0.0
    for skill, w in zip(essential, weights, strict=True):
        best, via, why = 0.0, None, ""
        for sub, credit, reason in [(skill, 1.0, "exact"), *index.neighbours.by_skill.get(skill, [])]:
            if sub in c.skills:
                value = np.float32(c.skills[sub]) * np.float32(credit)
                if value > best:
                    best, via, why = float(value), sub, reason
        covered += w * best
        rows.append({"skill": skill, "credit": round(best, 3), "via": via, "why": why, "weight": round(w, 3)})
    coverage = covered / total
    labels = preferred_labels([r["skill"] for r in rows] + [r["via"] for r in rows if r["via"]], language)
    for r in rows:
        r["label"] = labels.get(r["skill"], "")
        r["via_label"] = labels.get(r["via"], "") if r["via"] and r["via"] != r["skill"] else ""
    held = [r for r in rows if r["why"] == "exact"]
    partial = [r for r in rows if r["why"] and r["why"] != "exact"]
    missing = [r for r in rows if not r["why"]]
    coverage_reasons: list[dict[str, Any]] = [{"code": "coverage.held", "held": len(held), "total": len(rows)}]
    if partial:
        coverage_reasons.append(
            {"code": "coverage.partial", "n": len(partial), "pairs": [[r["skill"], r["via"]] for r in partial[:2]]}
        )
    if missing:
        coverage_reasons.append({"code": "coverage.lacks", "skills": [r["skill"] for r in missing[:3]]})
    factors = [Factor("coverage", coverage, reasons=coverage_reasons)]
    bonus = 1.0
    if optional:
        o_weights = [index.idf(s) for s in optional]
        got = [(s, w) for s, w in zip(optional, o_weights, strict=True) if s in c.skills]
        bonus = 1 + 0.2 * sum(w for _s, w in got) / (sum(o_weights) or 1.0)
        factors.append(
            Factor("optional", bonus, reasons=[{"code": "optional.has", "n": len(got), "total": len(optional)}])
        )
    else:
        factors.append(Factor("optional", 1.0, reasons=[{"code": "optional.none"}]))
    occupation = vacancy.get("occupation_id") or 0
    years = c.occupations.get(occupation, 0.0)
    group = index.neighbours.isco_of.get(occupation, -1)
    group_years = max([y for o, y in c.occupations.items() if index.neighbours.isco_of.get(o) == group] or [0.0])
    exp = max(0.85 + 0.15 * min(years / EXPERIENCE_YEARS, 1), 0.85 + 0.075 * min(group_years / EXPERIENCE_YEARS, 1))
    if years:
        experience = {"code": "experience.years", "years": round(years, 1)}
    elif group_years:
        experience = {"code": "experience.group", "years": round(group_years, 1)}
    else:
        experience = {"code": "experience.none"}
    factors.append(Factor("experience", exp, reasons=[experience]))
    lang_factor = 1.0
    parts: list[dict[str, Any]] = []
    for lang, level, _required in vacancy.get("languages", []):
        have = c.languages.get(lang, 0)
        wanted = LEVELS.get(level, 0)
        if have >= wanted:
            parts.append({"code": "language.ok", "language": lang, "have": have, "level": level})
        else:
            lang_factor *= max(0.85 ** (wanted - have), 0.5)
            parts.append(
                {"code": "language.below", "language": lang, "have": have, "gap": wanted - have, "level": level}
            )
    factors.append(Factor("language", lang_factor, reasons=parts or [{"code": "language.none"}]))
    km = _km(c, vacancy)
    distance = None if km is None else float(np.float32(km))
    if distance is not None:
        tier = 1.0 if distance <= 10 else 0.95 if distance <= 25 else 0.85 if distance <= c.max_km else 0.7
        where = {"code": "location.near", "km": round(distance), "max": round(c.max_km)}
        if tier == 0.7:
            where = {"code": "location.move", "km": round(distance)}
    else:
        tier, where = 0.8, {"code": "location.unknown"}
    factors.append(Factor("location", tier, reasons=[where]))
    # The reasons are stored (as codes and numbers); the sentences are made for whoever reads, in their language.
    for factor in factors:
        factor.sentence = sentence(factor.name, factor.reasons, language)
    score = coverage * bonus * exp * lang_factor * tier
    return Result(c.person_id, score, factors, rows, None if distance is None else round(distance, 1))


# Reasons are stored as codes with parameters and put into words when read, in the reader's language: an
# explanation written when a counsellor proposed a candidate in Ukrainian reads in Polish to the employer.
_REASONS: dict[str, Any] = {
    "coverage.held": gettext_lazy("Has %(held)s of the %(total)s essential skills"),
    "coverage.partial": gettext_lazy("close to %(n)s more (%(examples)s)"),
    "coverage.through": gettext_lazy("%(skill)s through %(via)s"),
    "coverage.lacks": gettext_lazy("lacks %(examples)s"),
    "optional.has": gettext_lazy("Has %(n)s of %(total)s optional skills."),
    "optional.none": gettext_lazy("The job lists no optional skills."),
    "experience.years": gettext_lazy("%(years)s years in this occupation."),
    "experience.group": gettext_lazy("%(years)s years in a related occupation (same ISCO group)."),
    "experience.none": gettext_lazy("No experience recorded in this occupation."),
    "language.ok": gettext_lazy("%(language)s: has %(have)s, asked %(level)s"),
    "language.below": gettext_lazy("%(language)s: has %(have)s, %(gap)s level(s) below the %(level)s wished"),
    "language.none": gettext_lazy("No language asked for"),
    "location.near": gettext_lazy("Lives %(km)s km away (travels up to %(max)s km)."),
    "location.move": gettext_lazy("Lives %(km)s km away and is willing to move."),
    "location.unknown": gettext_lazy("Place of living or of work not known."),
}


def _skill_ids(reasons: list[dict[str, Any]]) -> list[int]:
    ids: list[int] = []
    for reason in reasons:
        for pair in reason.get("pairs", []):
            ids.extend(int(x) for x in pair if x)
        ids.extend(int(x) for x in reason.get("skills", []))
    return ids


def sentence(name: str, reasons: list[dict[str, Any]], language: str) -> str:
    """The sentence of one factor from its stored reasons, in ``language``."""
    with translation.override(language):
        ids = _skill_ids(reasons)
        labels = preferred_labels(ids, language) if ids else {}
        texts = []
        for reason in reasons:
            code = reason.get("code", "")
            template = _REASONS.get(code)
            if template is None:
                continue
            params = {k: v for k, v in reason.items() if k != "code"}
            if code == "coverage.partial":
                params["examples"] = "; ".join(
                    str(_REASONS["coverage.through"]) % {"skill": labels.get(s, ""), "via": labels.get(v, "")}
                    for s, v in reason.get("pairs", [])
                )
            elif code == "coverage.lacks":
                params["examples"] = ", ".join(labels.get(s, "") for s in reason.get("skills", []))
            elif code.startswith("language.") and "have" in params:
                params["have"] = LEVEL_NAMES.get(int(params["have"]), _("none"))
            texts.append(str(template) % params)
        if name in ("coverage", "language"):
            return "; ".join(texts) + "." if texts else ""
        return " ".join(texts)


def render(explanation: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """The factors of a stored explanation with their sentences in ``language`` (older ones kept prose)."""
    rendered = []
    for factor in explanation.get("factors", []):
        if "reasons" in factor:
            text = sentence(factor.get("name", ""), factor["reasons"], language)
        else:
            text = factor.get("sentence", "")
        rendered.append({"name": factor.get("name", ""), "value": factor.get("value", 0), "sentence": text})
    return rendered
