"""Names across scripts: the same person is found however their name was written."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from ownpath.core.names import NameQuery, detect_script, name_keys, similarity, to_latin, tokens
from ownpath.core.services.people import DUPLICATE_THRESHOLD

SAME_PEOPLE = [
    ("Олександр Шевченко", "Oleksandr Shevchenko", "Aleksander Szewczenko"),
    ("Михайло Грушевський", "Mykhailo Hrushevskyi", "Mychajło Hruszewski"),
    ("محمد الأحمد", "Mohammed Al-Ahmad", "Muhammad al Ahmed"),
    ("ნინო ბერიძე", "Nino Beridze"),
    ("Юрий Иванов", "Yuriy Ivanov", "Jurij Iwanow"),
    ("Nguyễn Thị Mai", "Nguyen Thi Mai"),
    ("Ольга Ковальчук", "Olha Kovalchuk", "Olga Kowalczuk"),
]


def test_one_person_written_in_several_scripts_matches_itself() -> None:
    for spellings in SAME_PEOPLE:
        for a in spellings:
            for b in spellings:
                score = similarity(NameQuery.of(a), name_keys(b), None)
                assert score >= DUPLICATE_THRESHOLD, (a, b, score)


def test_different_people_do_not_match() -> None:
    assert similarity(NameQuery.of("Jan Kowalski"), name_keys("Олександр Шевченко"), None) < DUPLICATE_THRESHOLD
    assert similarity(NameQuery.of("Layla Haddad"), name_keys("Fatima Hassan"), None) < DUPLICATE_THRESHOLD
    assert similarity(NameQuery.of("Aleksander Szewczenko"), name_keys("Oleksandr Savchuk"), None) < DUPLICATE_THRESHOLD
    assert similarity(NameQuery.of("Oleksandr"), name_keys("Oleksandr Lysenko"), None) < DUPLICATE_THRESHOLD


def test_a_typo_with_the_same_birth_date_still_matches() -> None:
    born = date(1990, 5, 17)
    assert (
        similarity(NameQuery.of("Oleksandr Shevchenkov", birth_date=born), name_keys("Oleksandr Shevchenko"), born)
        >= DUPLICATE_THRESHOLD
    )


def test_birth_date_weighs_in() -> None:
    keys = name_keys("Oleksandr Shevchenko")
    same = similarity(NameQuery.of("Олександр Шевченко", birth_date=date(1988, 4, 12)), keys, date(1988, 4, 12))
    other = similarity(NameQuery.of("Олександр Шевченко", birth_date=date(1988, 4, 12)), keys, date(1970, 1, 1))
    swapped = similarity(NameQuery.of("Oleksandr Shevchenko", birth_date=date(1988, 4, 12)), keys, date(1988, 12, 4))
    assert same == 1.0 and other < swapped < same


def test_transliteration_follows_the_official_tables() -> None:
    assert to_latin("Олександр Шевченко") == "Oleksandr Shevchenko"
    assert to_latin("Щербак Юлія") == "Shcherbak Yuliia"
    assert to_latin("Ярослав Соловйова") == "Yaroslav Soloviova"
    assert to_latin("Łódź") == "Lodz"
    assert detect_script("Олександр") == "Cyrl" and detect_script("محمد") == "Arab" and detect_script("ნინო") == "Geor"


names = st.text(alphabet=st.sampled_from(list("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя")), min_size=2, max_size=12)
latin_names = st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzłśżźćńóęą")), min_size=2, max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(names, latin_names), min_size=1, max_size=4))
def test_a_name_matches_its_own_transliteration_as_well_as_itself(parts: list[str]) -> None:
    name = " ".join(parts)
    latin = to_latin(name)
    assert latin.isascii()
    assert similarity(NameQuery.of(name), name_keys(latin), None) == similarity(
        NameQuery.of(name), name_keys(name), None
    )
    if len(set(tokens(name))) >= 2:
        assert similarity(NameQuery.of(name), name_keys(latin), None) >= DUPLICATE_THRESHOLD


@settings(max_examples=200, deadline=None)
@given(st.lists(latin_names, min_size=1, max_size=4), st.randoms())
def test_keys_ignore_case_order_and_diacritics(parts: list[str], rnd: object) -> None:
    name = " ".join(parts)
    shuffled = list(parts)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert name_keys(name) == name_keys(" ".join(shuffled).upper())
    assert name_keys(name) == name_keys(to_latin(name))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_similarity_is_bounded_and_symmetric_on_tokens(a: str, b: str) -> None:
    score = similarity(NameQuery.of(a), name_keys(b), None)
    assert 0.0 <= score <= 1.0
    if tokens(a) and tokens(b) and len(tokens(a)) == len(tokens(b)) == 1:
        assert (similarity(NameQuery.of(a), name_keys(b), None) >= 0.75) == (
            similarity(NameQuery.of(b), name_keys(a), None) >= 0.75
        )
