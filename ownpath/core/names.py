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
# French spellings of Arabic names write "ch" for "sh" (Chadi, Aicha, Achraf).
_AMBIGUOUS = {"ch": ("c", "H", "s"), "h": ("g", "H"), "c": ("c", "k")}
_VOWELS = set("aeiouyj")
_MAX_VARIANTS = 16
_TOKEN_SPLIT = re.compile(r"[\s\-‐‑–—_.,;/]+")

_RUSSIAN_ONLY = set("ыэъё")
_UKRAINIAN_ONLY = set("іїєґ")

# --- Arabic script (Arabic, Persian, Urdu, Pashto): the scheme is written up in docs/names.md ----------
# Marks that never change which name it is: harakat and Quranic marks, tatweel, joiners, direction marks.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_ARABIC_WORD = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff\u200c\u200d\u0670]+")
_ETHIOPIC_WORD = re.compile("[\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f]+")
# Letters of the regional alphabets folded into the Arabic ones (for the table and the vowel rules).
_ARABIC_LETTER_FOLD = str.maketrans(
    {
        "ی": "ي", "ې": "ي", "ۍ": "ي", "ے": "ي", "ۓ": "ي", "ئ": "ئ", "ک": "ك", "ګ": "گ", "ڪ": "ك",
        "ە": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه", "ۃ": "ة", "ٹ": "ت", "ټ": "ت", "ڈ": "د", "ډ": "د",
        "ڑ": "ر", "ړ": "ر", "ں": "ن", "ڼ": "ن", "ږ": "ژ", "ښ": "ش", "ځ": "ز", "څ": "س", "ٰ": "ا",
    }
)  # fmt: skip
_TABLE_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_ARABIC_CONSONANTS = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z",
    "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q",
    "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ڤ": "v",
}  # fmt: skip
# Persian and Urdu say these Arabic letters as z and s (Reza, Fazel, Sabet).
_PERSIAN_CONSONANTS = {"ض": "z", "ذ": "z", "ظ": "z", "ث": "s"}
# "Son of" and "daughter of" are particles, written as people write them.
_ARABIC_PARTICLES = {"بن": "bin", "ابن": "ibn", "إبن": "ibn", "بنت": "bint", "ولد": "ould"}
_PERSIAN_LETTERS = set("پچژگکی")
_URDU_PASHTO_LETTERS = set("ٹڈڑںھہےټډړږښګڼۍېځڅ")
# Compound given names are one word in the table: "عبد الرحمن" is looked up as "عبدالرحمن".
_ARABIC_COMPOUND = re.compile(r"(?<!\S)(عبد|ابو|أبو)\s+(?=\S)")


def _variety(text: str) -> str:
    letters = set(text)
    if letters & _URDU_PASHTO_LETTERS:
        return "ur"
    if letters & _PERSIAN_LETTERS:
        return "fa"
    return "default"


def _table_form(word: str) -> str:
    return word.translate(_TABLE_FOLD)


@lru_cache(maxsize=1)
def _native_table() -> dict[str, tuple[str, ...]]:
    from ownpath.core.name_table import NATIVE_GROUPS

    table: dict[str, tuple[str, ...]] = {}
    for form, groups in NATIVE_GROUPS.items():
        clean = _table_form(_ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", form)).translate(_ARABIC_LETTER_FOLD))
        table[clean.replace("\u200c", "").replace("\u200d", "")] = groups
        table[form] = groups
    return table


def _display(group: str, variety: str) -> str:
    from ownpath.core.name_table import DISPLAY

    spellings = DISPLAY[group]
    return spellings.get(variety) or spellings["default"]


def _vocalise(letters: str, variety: str) -> str:  # noqa: C901 (to split, issue 22)
    """An Arabic-script word without a table entry, romanised by the rules of docs/names.md: consonants
    by the common practical table, long vowels from alif, waw and ya, and "a" (Arabic's most frequent
    short vowel) where the script writes none: after the first consonant of a word, before its last
    consonant, and after every second consonant of a longer cluster ("i" for the fa'il pattern)."""
    units: list[tuple[str, bool]] = []  # (Latin, is a vowel)
    n = len(letters)
    for i, ch in enumerate(letters):
        nxt = letters[i + 1] if i + 1 < n else ""
        after_consonant = bool(units) and not units[-1][1]
        if ch in "اأآٱ":
            if not (units and units[-1] == ("a", True)):
                units.append(("a", True))
        elif ch == "إ":
            units.append(("i", True))
        elif ch == "و" and after_consonant and nxt == "ي" and i + 2 == n:
            # The nisba -awi: Musawi, Badawi, Tahawi.
            units += [("a", True), ("w", False)]
        elif ch in "وؤ":
            if not units or (nxt and nxt in "اآى") or (nxt and not after_consonant and nxt in "وي"):
                units.append(("v" if variety == "fa" else "w", False))
            else:
                units.append(("u" if variety == "default" else "o", True) if ch == "و" else ("u", True))
        elif ch in "يئ":
            if (not units and ch == "ي") or (nxt and nxt in "اآى" and ch == "ي"):
                units.append(("y", False))
            else:
                units.append(("i", True))
        elif ch == "ى" or ch == "ة":
            units.append(("a", True))
        elif ch == "ه" and i == n - 1 and variety == "fa" and units and not units[-1][1]:
            units.append(("eh", True))
        elif ch == "ء":
            continue
        elif ch in _ARABIC_CONSONANTS:
            latin = _ARABIC_CONSONANTS[ch]
            units.append((_PERSIAN_CONSONANTS.get(ch, latin) if variety != "default" else latin, False))
        else:
            units.append((ch, False))
    out: list[str] = []
    i = 0
    while i < len(units):
        if units[i][1]:
            out.append(units[i][0])
            i += 1
            continue
        j = i
        while j < len(units) and not units[j][1]:
            j += 1
        run = [u[0] for u in units[i:j]]
        at_start, at_end = i == 0, j == len(units)
        breaks: set[int] = set()  # a vowel goes after run[k]
        if at_start and len(run) >= 2:
            breaks.add(0)
        if at_end and len(run) >= 2:
            breaks.add(len(run) - 2)
        since = 0
        for k in range(len(run) - 1):
            since = 0 if k in breaks else since + 1
            if since >= 2:
                breaks.add(k)
                since = 0
        long_a_before = i > 0 and units[i - 1] == ("a", True)
        for k, consonant in enumerate(run):
            out.append(consonant)
            if k in breaks:
                out.append("i" if at_end and long_a_before and len(run) == 2 else "a")
        i = j
    return "".join(out)


def _arabic_word(word: str, variety: str) -> str:
    """One Arabic-script word in Latin letters: from the table of names when it is there, else vocalised."""
    word = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", word)).translate(_ARABIC_LETTER_FOLD)
    word = word.replace("\u200c", "").replace("\u200d", "")
    if not word:
        return ""
    if word in _ARABIC_PARTICLES:
        return _ARABIC_PARTICLES[word]
    table = _native_table()
    article = ""
    groups = table.get(_table_form(word))
    if groups is None and word.startswith("ال") and len(word) > 3:
        article, word = "al-", word[2:]
        groups = table.get(_table_form(word))
    if groups:
        return article + _display(groups[0], variety)
    if word.startswith("عبدال") and len(word) > 6:
        return "Abdul" + _arabic_word(word[5:], variety).lower()
    # A word of hamza and ain alone is still a name: it reads as its vowel.
    latin = _vocalise(word, variety) or "a"
    return article + latin[:1].upper() + latin[1:]


def _ethiopic_syllable(char: str) -> str | None:
    name = unicodedata.name(char, "")
    if not name.startswith("ETHIOPIC SYLLABLE "):
        return None
    syllable = name.removeprefix("ETHIOPIC SYLLABLE ")
    glottal = syllable.startswith(("GLOTTAL ", "PHARYNGEAL "))
    if glottal:
        consonant, vowel = "", syllable.split(" ", 1)[1]
    else:
        found = re.match(r"^(.*?)(WAA|WEE|WA|WE|WI|OA|AA|EE|A|U|I|E|O)$", syllable)
        if not found:
            return None
        consonant, vowel = found.group(1), found.group(2)
    latin = _ETHIOPIC_CONSONANTS.get(consonant, consonant.lower())
    sound = _ETHIOPIC_VOWELS.get(vowel, "")
    if glottal:
        sound = {"A": "a", "E": "e"}.get(vowel, sound)
    return latin + sound


# Ge'ez (Tigrinya, Amharic): each letter is a consonant with one of seven vowels; the sixth order is the
# bare consonant. The first order is written "e" (Tesfay, Gebre, Selam) as Eritrean and Ethiopian
# passports do.
_ETHIOPIC_CONSONANTS = {
    "H": "h", "HH": "h", "X": "h", "KX": "h", "SZ": "s", "SH": "sh", "QH": "q", "C": "ch", "CH": "ch",
    "NY": "ny", "ZH": "zh", "DD": "d", "GG": "g", "TH": "t", "PH": "p", "TS": "ts", "TZ": "ts",
}  # fmt: skip
_ETHIOPIC_VOWELS = {
    "A": "e", "U": "u", "I": "i", "AA": "a", "EE": "e", "E": "", "O": "o", "OA": "wa", "WA": "wa",
    "WAA": "wa", "WEE": "we", "WE": "w", "WI": "wi",
}  # fmt: skip


def _ethiopic_word(word: str) -> str:
    out = []
    for char in word:
        syllable = _ethiopic_syllable(char)
        out.append(syllable if syllable is not None else "")
    latin = "".join(out)
    return latin[:1].upper() + latin[1:]


def _is_russian(text: str) -> bool:
    lowered = set(text.lower())
    return bool(lowered & _RUSSIAN_ONLY) and not (lowered & _UKRAINIAN_ONLY)


def to_latin(text: str) -> str:
    """Transliterate ``text`` to Latin letters: Ukrainian and Russian by their official tables, Arabic,
    Persian, Urdu and Pashto by the table of names and the vowel rules, Ge'ez by syllable."""
    if _ARABIC_WORD.search(text):
        variety = _variety(text)
        text = _ARABIC_COMPOUND.sub(r"\1", _ARABIC_MARKS.sub("", text))
        text = _ARABIC_WORD.sub(lambda m: _arabic_word(m.group(0), variety), text)
    if _ETHIOPIC_WORD.search(text):
        text = _ETHIOPIC_WORD.sub(lambda m: _ethiopic_word(m.group(0)), text)
    russian = _is_russian(text)
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


# Given names that begin like an article or "son of" but are not one ("Alexander" is not "al-Exander").
_NOT_PREFIXED = frozenset(
    [
        "alexander",
        "aleksander",
        "aleksandr",
        "alexandra",
        "aleksandra",
        "alexei",
        "aleksei",
        "aleksey",
        "alexey",
        "albert",
        "alberto",
        "alfred",
        "alfredo",
        "alessandro",
        "alessandra",
        "albina",
        "alevtina",
        "alisher",
        "alina",
        "alona",
        "almaz",
        "alemayehu",
        "elizabeth",
        "elisabeth",
        "elzbieta",
        "eleonora",
        "elvira",
        "elmira",
        "elisabetta",
        "eliza",
        "elena",
        "elias",
        "elijah",
        "benjamin",
        "benedikt",
        "benedict",
        "bennett",
        "benoit",
        "benito",
        "bence",
        "alan",
        "allan",
        "alfons",
        "alois",
        "aloysius",
        "alessia",
    ]
)


def _particles() -> tuple[frozenset[str], dict[str, str], frozenset[str]]:
    from ownpath.core.name_table import ARTICLES, SON_OF, SUN_ARTICLES

    return ARTICLES, SUN_ARTICLES, SON_OF


_ABD = ("abdul", "abdel", "abdal", "abdol", "abdur", "abder", "abdou", "abdu", "abde", "abdi", "abd")
_ABU = ("abou", "abu", "abo")


def _compound(word: str) -> str:
    """ "abdulrahman", "abderrahmane", "abd" + "rahman" all become "abdrahman"; "aboubakr" is "abubakr"."""
    for prefix in _ABD:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            rest = word[len(prefix) :]
            # "Abdurrahman" is abd-ur-Rahman, "Abdurahim" abdu-Rahim.
            if prefix in ("abdur", "abder") and rest[0] in "aeiou":
                rest = word[len(prefix) - 1 :]
            return "abd" + rest
    for prefix in _ABU:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return "abu" + word[len(prefix) :]
    return word


def _is_particle(word: str, following: str | None) -> bool:
    articles, sun, son_of = _particles()
    if following is None:
        return False
    if word in articles or word in son_of:
        return True
    return word in sun and following.startswith(sun[word])


@dataclass(frozen=True)
class _Unit:
    """One word of a name as it is matched: its spellings (the written one and, for "Alhomsi", the one
    without the article) and whether it is a particle (al-, bin) that does not count as a name."""

    spellings: tuple[str, ...]
    particle: bool = False


def _units(words: list[str], *, merge: bool = True) -> list[_Unit]:
    """The words of a name with compound given names joined ("Abdul Rahman", "Abd al-Rahman", "Abu Bakr")
    and particles marked ("al", "bin", "ash" before "Sh...")."""
    units: list[_Unit] = []
    i = 0
    while i < len(words):
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else None
        if merge and nxt is not None and (word in _ABD or word in _ABU):
            j = i + 1
            if _is_particle(words[j], words[j + 1] if j + 1 < len(words) else None):
                j += 1
            prefix = "abd" if word in _ABD else "abu"
            units.append(_Unit((_compound(prefix + words[j]),)))
            i = j + 1
            continue
        if _is_particle(word, nxt):
            units.append(_Unit((word,), particle=True))
            i += 1
            continue
        spellings = [_compound(word)]
        articles, _sun, son_of = _particles()
        if word not in _NOT_PREFIXED:
            for prefix in (*articles, *son_of):
                rest = word[len(prefix) :]
                if word.startswith(prefix) and len(rest) >= (3 if prefix in son_of else 4):
                    spellings.append(_compound(rest))
        units.append(_Unit(tuple(dict.fromkeys(spellings))))
        i += 1
    return units


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
        # "w"/"v" after a vowel and before a consonant is the diphthong of "Tawfiq", "Dawud" (Arabic
        # writes it as the vowel u) as well as the consonant of "Pawlak".
        if piece == "v" and i > 0 and token[i - 1] in _VOWELS and (i + 1 == len(token) or token[i + 1] not in _VOWELS):
            choices = ("v", "u")
        variants = {v + choice for v in variants for choice in choices}
        if len(variants) > _MAX_VARIANTS:
            variants = set(sorted(variants)[:_MAX_VARIANTS])
        i += len(piece)
    # A final "h" after a vowel is often not written (Fatemeh/Fatima, Hamzah/Hamza, Abdallah/Abdalla).
    if len(token) > 3 and token.endswith("h") and token[-2] in _VOWELS:
        variants |= {v[:-1] for v in variants if v.endswith(("g", "H"))}
    return variants


def _skeleton(token: str) -> str:
    collapsed = re.sub(r"(.)\1+", r"\1", token)
    consonants = "".join(c for c in collapsed if c not in _VOWELS)
    consonants = re.sub(r"(.)\1+", r"\1", consonants)
    return consonants or collapsed


# Keys are stored in a column of this width; longer ones (only nonsense is that long) are cut here, once.
KEY_LENGTH = 40
# Key prefixes: "=group" is a name of the table of names; "~skeleton" is the consonant key of a known
# name, which only a spelling the table does not know may match ("Mahmoud" never meets "~mHmd" of
# "Mohammed", a misspelt "Mohamad" does).
GROUP, KNOWN = "=", "~"


def token_keys(token: str) -> frozenset[str]:
    """The phonetic keys of one Latin token: its consonant skeletons under every reading."""
    return frozenset(_skeleton(variant)[:KEY_LENGTH] for variant in _expand(_fold(token)))


@lru_cache(maxsize=1)
def _latin_table() -> dict[str, tuple[str, ...]]:
    """Every spelling of the table of names, written as a unit ("Abdul-Rahman" is "abdrahman")."""
    from ownpath.core.name_table import LATIN_GROUPS

    table: dict[str, list[str]] = {}
    for spelling, groups in LATIN_GROUPS.items():
        for unit in _units(tokens(spelling)):
            if not unit.particle:
                for form in unit.spellings[:1]:
                    table.setdefault(form, []).extend(groups)
    return {k: tuple(dict.fromkeys(v)) for k, v in table.items()}


@lru_cache(maxsize=1)
def _group_skeletons() -> dict[str, frozenset[str]]:
    """The consonant keys of every spelling of each name of the table."""
    out: dict[str, set[str]] = {}
    for spelling, groups in _latin_table().items():
        for group in groups:
            out.setdefault(group, set()).update(token_keys(spelling))
    return {group: frozenset(keys) for group, keys in out.items()}


def groups_of(spelling: str) -> tuple[str, ...]:
    """The table's names a Latin unit spelling belongs to ("youssef" is "yusuf")."""
    return _latin_table().get(spelling, ())


@lru_cache(maxsize=65_536)
def _unit_keys(spellings: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """(stored keys, keys a query looks for) of one unit."""
    skeletons: set[str] = set()
    groups: set[str] = set()
    for spelling in spellings:
        skeletons |= token_keys(spelling)
        groups |= set(groups_of(spelling))
    if groups:
        group_keys = {(GROUP + g)[:KEY_LENGTH] for g in groups}
        # A spelling the table does not know ("Osmany") meets any spelling of the name ("Othmani").
        for group in groups:
            skeletons |= _group_skeletons().get(group, frozenset())
        known = {(KNOWN + k)[:KEY_LENGTH] for k in skeletons}
        return frozenset(group_keys | known), frozenset(group_keys | skeletons)
    known = {(KNOWN + k)[:KEY_LENGTH] for k in skeletons}
    return frozenset(skeletons), frozenset(skeletons | known)


def name_keys(*names: str) -> set[str]:
    """Every key of every word of ``names`` (for the index): compound names both joined and apart."""
    keys: set[str] = set()
    for name in names:
        words = tokens(name)
        for units in (_units(words), _units(words, merge=False)):
            for unit in units:
                keys |= _unit_keys(unit.spellings)[0]
    return keys


@lru_cache(maxsize=65_536)
def _name_token_keys(name: str) -> tuple[frozenset[str], ...]:
    out: dict[tuple[str, ...], frozenset[str]] = {}
    words = tokens(name)
    for units in (_units(words), _units(words, merge=False)):
        for unit in units:
            out.setdefault(unit.spellings, _unit_keys(unit.spellings)[0])
    return tuple(out.values())


def name_token_keys(*names: str) -> list[frozenset[str]]:
    """The stored keys of each word of ``names`` apart (compound names joined and apart), so that a
    query word is matched to one word of the candidate, never two query words to the same one. Names
    repeat across a register, so each name's keys are cached."""
    out: dict[frozenset[str], None] = {}
    for name in names:
        if name:
            out.update(dict.fromkeys(_name_token_keys(name)))
    return list(out)


@dataclass(frozen=True)
class NameQuery:
    """A name to look for: its words' key sets and, when known, a birth date."""

    token_keys: tuple[frozenset[str], ...]
    birth_date: date | None = None

    @classmethod
    def of(cls, *names: str, birth_date: date | None = None) -> NameQuery:
        seen: dict[tuple[str, ...], frozenset[str]] = {}
        for name in names:
            words = tokens(name)
            units = _units(words)
            # Joining "Abdul Karimi" into one word would leave a name of one word, which never matches.
            if sum(not u.particle for u in units) < 2:
                units = _units(words, merge=False)
            counted = [u for u in units if not u.particle]
            if len(counted) < 2:
                # "Ben Smith": "ben" may be a given name; an article ("al", "ash") is never one.
                articles, sun, _son_of = _particles()
                counted = [
                    u for u in units if not (u.particle and (u.spellings[0] in articles or u.spellings[0] in sun))
                ]
            for unit in counted:
                seen.setdefault(unit.spellings, _unit_keys(unit.spellings)[1])
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
    known = any(k.startswith(GROUP) for k in query_keys)
    plain = {k for k in query_keys if k[:1] not in (GROUP, KNOWN)}
    others = {
        k.removeprefix(KNOWN) for k in candidate if not k.startswith(GROUP) and not (known and k.startswith(KNOWN))
    }
    if any(_resembles(q, c) for q in plain for c in others):
        return FUZZY_CREDIT
    return 0.0


def _assigned(query_keys: tuple[frozenset[str], ...], candidate_tokens: list[frozenset[str]]) -> float:
    """The query's words matched each to a different word of the candidate, best pairs first."""
    pairs = sorted(
        ((_token_score(q, c), qi, ci) for qi, q in enumerate(query_keys) for ci, c in enumerate(candidate_tokens)),
        reverse=True,
    )
    used_q: set[int] = set()
    used_c: set[int] = set()
    found = 0.0
    for score, qi, ci in pairs:
        if score <= 0:
            break
        if qi in used_q or ci in used_c:
            continue
        used_q.add(qi)
        used_c.add(ci)
        found += score
    return found


def similarity(
    query: NameQuery,
    candidate_keys: set[str] | frozenset[str] | list[frozenset[str]],
    candidate_birth_date: date | None,
) -> float:
    """A score in [0, 1] that ``candidate`` is the person ``query`` describes.

    ``candidate_keys`` is either the flat set of a record's keys (``name_keys``, as the index holds them)
    or, better, its words' keys apart (``name_token_keys``): then each query word is matched to a
    different word of the candidate ("Ali Li" is not "Ali Hassan" although "Li" sounds like "Ali").
    Names weigh 0.75: the share of the query's words found, counted over at least two words, so that a
    given name alone ("Oleksandr") does not match every Oleksandr. The birth date weighs 0.25: equal
    dates count fully, day and month swapped count half, unknown dates a third, other dates not at all.
    """
    if not query.token_keys or not candidate_keys:
        return 0.0
    if isinstance(candidate_keys, list):
        found = _assigned(query.token_keys, candidate_keys)
    else:
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
