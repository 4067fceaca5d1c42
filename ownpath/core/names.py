"""Names across scripts: transliteration to Latin and phonetic keys that find the same person.

"Олександр Шевченко", "Oleksandr Shevchenko" and "Aleksander Szewczenko" are one person written three
ways. Each name token is transliterated to Latin (Cyrillic, Arabic, Georgian, Greek and Latin with
diacritics), spelling conventions are folded (Polish "sz"/"cz"/"w", German "sch", English "sh"/"ch"),
ambiguous letters expand into a few variants ("ch" is "č" in English and "h" in Polish), doubled letters
collapse and vowels are dropped. Two tokens match when their key sets meet. Keys are stored in
``PersonNameKey`` so that candidates come from an index, not from a scan.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ў": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    "ʼ": "",
    "'": "",
}
_RUSSIAN_OVERRIDES = {"г": "g", "и": "i", "й": "y"}
# The Ukrainian table (2010) writes these differently at the start of a word.
_UKRAINIAN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_ARABIC = {
    "ا": "a",
    "أ": "a",
    "إ": "i",
    "آ": "a",
    "ٱ": "a",
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "ع": "",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ة": "a",
    "و": "w",
    "ي": "y",
    "ى": "a",
    "ء": "",
    "ؤ": "",
    "ئ": "",
    "پ": "p",
    "چ": "ch",
    "ژ": "zh",
    "گ": "g",
    "ک": "k",
    "ی": "y",
}
_GEORGIAN = {
    "ა": "a",
    "ბ": "b",
    "გ": "g",
    "დ": "d",
    "ე": "e",
    "ვ": "v",
    "ზ": "z",
    "თ": "t",
    "ი": "i",
    "კ": "k",
    "ლ": "l",
    "მ": "m",
    "ნ": "n",
    "ო": "o",
    "პ": "p",
    "ჟ": "zh",
    "რ": "r",
    "ს": "s",
    "ტ": "t",
    "უ": "u",
    "ფ": "p",
    "ქ": "k",
    "ღ": "gh",
    "ყ": "q",
    "შ": "sh",
    "ჩ": "ch",
    "ც": "ts",
    "ძ": "dz",
    "წ": "ts",
    "ჭ": "ch",
    "ხ": "kh",
    "ჯ": "j",
    "ჰ": "h",
}
_GREEK = {
    "α": "a",
    "β": "v",
    "γ": "g",
    "δ": "d",
    "ε": "e",
    "ζ": "z",
    "η": "i",
    "θ": "th",
    "ι": "i",
    "κ": "k",
    "λ": "l",
    "μ": "m",
    "ν": "n",
    "ξ": "x",
    "ο": "o",
    "π": "p",
    "ρ": "r",
    "σ": "s",
    "ς": "s",
    "τ": "t",
    "υ": "y",
    "φ": "f",
    "χ": "ch",
    "ψ": "ps",
    "ω": "o",
}
_LATIN_SPECIAL = {"ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
_RUSSIAN_ONLY = set("ыэъё")
_UKRAINIAN_ONLY = set("іїєґ")

# Spelling conventions folded before vowels are dropped, longest first. "x" marks the "h"/"kh" sound.
# Tokens are lower case, so the upper-case "H" can mark the "h"/"kh" sound.
_FOLDS = [
    ("x", "ks"),
    ("shch", "s"),
    ("szcz", "s"),
    ("tsch", "c"),
    ("dsch", "j"),
    ("sch", "s"),
    ("dzh", "j"),
    ("sz", "s"),
    ("sh", "s"),
    ("cz", "c"),
    ("zh", "z"),
    ("rz", "z"),
    ("kh", "H"),
    ("ck", "k"),
    ("ts", "c"),
    ("tz", "c"),
    ("ph", "f"),
    ("th", "t"),
    ("dj", "j"),
    ("dz", "z"),
    ("gh", "g"),
    ("ou", "u"),
    ("q", "k"),
    ("w", "v"),
]
# Letters whose sound depends on the language they were written in: each expands into variants
# ("ch" is "č" in English and "h" in Polish; Ukrainian "h" is Russian "g").
_AMBIGUOUS = {"ch": ("c", "H"), "h": ("g", "H"), "c": ("c", "k")}
_VOWELS = set("aeiouyj")
_MAX_VARIANTS = 16
_ARABIC_ARTICLE = re.compile(r"(?<!\S)ال(?=\S{2,})")
_TOKEN_SPLIT = re.compile(r"[\s\-‐‑–—_.,;/]+")


def _is_russian(text: str) -> bool:
    lowered = set(text.lower())
    return bool(lowered & _RUSSIAN_ONLY) and not (lowered & _UKRAINIAN_ONLY)


def to_latin(text: str) -> str:
    """Transliterate ``text`` to Latin letters (Ukrainian and Russian by their official tables)."""
    russian = _is_russian(text)
    text = _ARABIC_ARTICLE.sub("ال ", text)
    out: list[str] = []
    for char in text:
        lower = char.lower()
        mapped: str | None = None
        if lower in _CYRILLIC:
            if russian:
                mapped = _RUSSIAN_OVERRIDES.get(lower, _CYRILLIC[lower])
            elif lower in _UKRAINIAN_INITIAL and not (out and out[-1][-1:].isalpha()):
                mapped = _UKRAINIAN_INITIAL[lower]
            else:
                mapped = _CYRILLIC[lower]
        elif lower in _ARABIC:
            mapped = _ARABIC[lower]
        elif lower in _GEORGIAN:
            mapped = _GEORGIAN[lower]
        elif lower in _GREEK:
            mapped = _GREEK[lower]
        elif lower in _LATIN_SPECIAL:
            mapped = _LATIN_SPECIAL[lower]
        if mapped is None:
            decomposed = unicodedata.normalize("NFKD", char)
            mapped = "".join(c for c in decomposed if not unicodedata.combining(c))
            out.append(mapped)
            continue
        out.append(mapped.capitalize() if char != lower and mapped else mapped)
    return "".join(out)


def tokens(name: str) -> list[str]:
    """Lower-case Latin tokens of a name, apostrophes and marks removed."""
    latin = to_latin(name).lower()
    latin = re.sub(r"['’ʼ`´]", "", latin)
    return [t for t in (re.sub(r"[^a-z]", "", part) for part in _TOKEN_SPLIT.split(latin)) if t]


def _fold(token: str) -> str:
    for old, new in _FOLDS:
        token = token.replace(old, new)
    return token


def _expand(token: str) -> set[str]:
    """All spellings of ``token`` once its ambiguous letters are resolved each way."""
    variants = {""}
    i = 0
    while i < len(token):
        piece = token[i : i + 2] if token[i : i + 2] in _AMBIGUOUS else token[i]
        choices = _AMBIGUOUS.get(piece, (piece,))
        variants = {v + choice for v in variants for choice in choices}
        if len(variants) > _MAX_VARIANTS:
            variants = set(sorted(variants)[:_MAX_VARIANTS])
        i += len(piece)
    return variants


def _skeleton(token: str) -> str:
    collapsed = re.sub(r"(.)\1+", r"\1", token)
    consonants = "".join(c for c in collapsed if c not in _VOWELS)
    consonants = re.sub(r"(.)\1+", r"\1", consonants)
    return consonants or collapsed


# Keys are stored in a column of this width; longer ones (only nonsense is that long) are cut here, once.
KEY_LENGTH = 40


def token_keys(token: str) -> frozenset[str]:
    """The phonetic keys of one Latin token: its consonant skeletons under every reading."""
    return frozenset(_skeleton(variant)[:KEY_LENGTH] for variant in _expand(_fold(token)))


def name_keys(*names: str) -> set[str]:
    """Every key of every token of ``names`` (for the index)."""
    keys: set[str] = set()
    for name in names:
        for token in tokens(name):
            keys |= token_keys(token)
    return keys


@dataclass(frozen=True)
class NameQuery:
    """A name to look for: its tokens' key sets and, when known, a birth date."""

    token_keys: tuple[frozenset[str], ...]
    birth_date: date | None = None

    @classmethod
    def of(cls, *names: str, birth_date: date | None = None) -> NameQuery:
        seen: dict[str, frozenset[str]] = {}
        for name in names:
            for token in tokens(name):
                seen.setdefault(token, token_keys(token))
        return cls(tuple(seen.values()), birth_date)

    def all_keys(self) -> set[str]:
        return set().union(*self.token_keys) if self.token_keys else set()


# A token whose keys only resemble the candidate's (a typo, a dropped letter) earns partial credit.
FUZZY_CREDIT = 0.5
FUZZY_RATIO = 0.8


@lru_cache(maxsize=65_536)
def _resembles(a: str, b: str) -> bool:
    """Keys differing by a letter or two (names repeat, so the answer is cached)."""
    return len(a) >= 4 and len(b) >= 4 and difflib.SequenceMatcher(None, a, b).ratio() >= FUZZY_RATIO


def _token_score(query_keys: frozenset[str], candidate_keys: Iterable[str]) -> float:
    candidate = set(candidate_keys)
    if query_keys & candidate:
        return 1.0
    if any(_resembles(q, c) for q in query_keys for c in candidate):
        return FUZZY_CREDIT
    return 0.0


def similarity(query: NameQuery, candidate_keys: set[str], candidate_birth_date: date | None) -> float:
    """A score in [0, 1] that ``candidate`` is the person ``query`` describes.

    Names weigh 0.75: the share of the query's tokens found among the candidate's keys, counted over at
    least two tokens, so that a given name alone ("Oleksandr") does not match every Oleksandr. The birth
    date weighs 0.25: equal dates count fully, day and month swapped count half, unknown dates a third,
    other dates not at all.
    """
    if not query.token_keys or not candidate_keys:
        return 0.0
    found = sum(_token_score(keys, candidate_keys) for keys in query.token_keys)
    name_score = found / max(len(query.token_keys), 2)
    if query.birth_date is None or candidate_birth_date is None:
        date_score = 1 / 3
    elif query.birth_date == candidate_birth_date:
        date_score = 1.0
    elif (
        query.birth_date.year == candidate_birth_date.year
        and query.birth_date.day == candidate_birth_date.month
        and query.birth_date.month == candidate_birth_date.day
    ):
        date_score = 0.5
    else:
        date_score = 0.0
    return round(0.75 * name_score + 0.25 * date_score, 4)


def detect_script(text: str) -> str:
    """The ISO 15924 code of the main script of ``text`` (Latn, Cyrl, Arab, Geor, Grek, Ethi, ...)."""
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        for prefix, code in (
            ("LATIN", "Latn"),
            ("CYRILLIC", "Cyrl"),
            ("ARABIC", "Arab"),
            ("GEORGIAN", "Geor"),
            ("GREEK", "Grek"),
            ("ETHIOPIC", "Ethi"),
            ("DEVANAGARI", "Deva"),
            ("ARMENIAN", "Armn"),
            ("HEBREW", "Hebr"),
            ("CJK", "Hani"),
            ("HANGUL", "Hang"),
            ("THAI", "Thai"),
            ("BENGALI", "Beng"),
        ):
            if name.startswith(prefix):
                counts[code] = counts.get(code, 0) + 1
                break
        else:
            counts["Zyyy"] = counts.get("Zyyy", 0) + 1
    return max(counts, key=lambda code: counts[code]) if counts else "Zyyy"
