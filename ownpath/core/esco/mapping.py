"""Free text (a skill written in a CV, a job title) mapped to one ESCO concept: by an exact label in the same
language, then by a close spelling in the same language, then in English, and only then, when vectors have
been computed (``manage.py esco embed``), by multilingual embeddings. The method is kept with the result so a
counsellor sees how sure the mapping is. Thresholds are measured in ``bench/esco_mapping.py``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from ownpath.core.esco import search
from ownpath.core.esco.loader import normalise
from ownpath.core.esco.models import EscoConcept

FUZZY_CUTOFF = 90.0  # rapidfuzz ratio, 0–100
# Cosine similarity of e5 query vectors, measured in bench/esco_mapping.py (docs/benchmarks.md): phrases in
# the labels' own language score higher, right or wrong, so they need more to be trusted.
EMBEDDING_CUTOFF = 0.90  # another language than the vectors' (English): about 9 in 10 answers right
EMBEDDING_CUTOFF_SAME_LANGUAGE = 0.94  # English: about 9 in 10 right (0.90 would be 7 in 10)
# A skill written in a CV is mapped on its own only above this confidence (0–1); below it is left unmapped
# for staff to pick. Two edits on a ten-letter word score 0.92 ("compression" ~ "decompression", a diving
# skill), so close spellings must be nearer than that; one typo in a long word still passes.
AUTO_MAP_CONFIDENCE = 0.95


@dataclass(frozen=True)
class Mapped:
    text: str
    concept_id: int
    uri: str
    label: str
    method: str  # exact | fuzzy | embedding
    score: float

    @property
    def confidence(self) -> float:
        """How sure the mapping is, 0–1: 1 for an exact label, the spelling ratio or the cosine otherwise."""
        return round(min(self.score, 100.0) / 100.0, 3)


def _by_labels(q: str, kind: str, language: str) -> tuple[int, str, float] | None:
    idx = search.index(kind, language)
    if not idx.normalised:
        return None
    positions = idx.exact.get(q)
    if positions:
        return idx.concepts[positions[0]], "exact", 100.0
    best = process.extractOne(q, idx.normalised, scorer=fuzz.ratio, processor=None, score_cutoff=FUZZY_CUTOFF)
    if best:
        return idx.concepts[best[2]], "fuzzy", float(best[1])
    return None


def map_text(
    text: str, *, kind: str, language: str, use_embeddings: bool = True, min_confidence: float = 0.0
) -> Mapped | None:
    """The concept ``text`` names, or None; with ``min_confidence`` a less sure answer is None too."""
    q = normalise(text)[:200]
    if len(q) < 2:
        return None
    found = None
    for lang in dict.fromkeys((language, search.FALLBACK_LANGUAGE)):
        found = _by_labels(q, kind, lang)
        if found:
            break
    if found is None and use_embeddings:
        vectors = search.embeddings(kind)
        if vectors is not None:
            ids, matrix = vectors
            scores = matrix @ search.embed_texts([text])[0]
            best = int(np.argmax(scores))
            cutoff = EMBEDDING_CUTOFF_SAME_LANGUAGE if language == search.FALLBACK_LANGUAGE else EMBEDDING_CUTOFF
            if float(scores[best]) >= cutoff:
                found = (ids[best], "embedding", round(float(scores[best]) * 100, 1))
    if found is None:
        return None
    concept_id, method, score = found
    label = search.preferred_labels([concept_id], language).get(concept_id, text)
    if score / 100.0 < min_confidence:
        return None
    uri = EscoConcept.objects.values_list("uri", flat=True).get(pk=concept_id)
    return Mapped(text, concept_id, uri, label, method, score)
