"""The access request's name matching finds Dutch spellings of one person, and only them."""

from datetime import date

import pytest

from schakel.privacy.names import Wanted, compare, find_mentions, name_spans

ZOFIA = Wanted.of("Zofia Przybylski-Ottens")


@pytest.mark.parametrize("name,band", [
    ("Zofia Przybylski-Ottens", "zeker"),
    ("Z. Przybylski Ottens", "waarschijnlijk"),
    ("Przybylski-Ottens, Zofia", "zeker"),
    ("Przybylski Ottens, Z.", "waarschijnlijk"),
    ("ZOFIA PRZYBYLSKI-OTTENS", "zeker"),
    ("Zofia Przybilski-Ottens", "waarschijnlijk"),  # a slip of the pen
    ("Zofia Ottens", "waarschijnlijk"),  # one half of the double name
    ("Przybylski-Ottens", "mogelijk"),
])
def test_spellings_of_the_same_person_are_found_with_a_band(name, band):
    assert compare(ZOFIA, name).band == band


@pytest.mark.parametrize("name", ["Karel Przybylski-Ottens", "Zofia Jansen", "Piet Ottens",
                                  "Kowalski"])
def test_other_people_are_not_found(name):
    assert compare(ZOFIA, name) is None


@pytest.mark.parametrize("query,name,found", [
    ("Jan van den Berg", "Berg, J. van den", True),
    ("Berg, Jan van den", "Jan van den Berg", True),
    ("jan VAN den berg", "Jan van den Berg", True),
    ("Müller", "Muller", True),
    ("Łukasz Wójcik", "Lukasz Wojcik", True),
    ("Jan Berg", "Piet Berg", False),
])
def test_dutch_notations_tussenvoegsels_and_diacritics(query, name, found):
    match = compare(Wanted.of(query), name)
    assert (match is not None and match.band is not None) is found


def test_a_date_of_birth_confirms_or_rules_out():
    wanted = Wanted.of("Zofia Przybylski-Ottens", date(1990, 4, 2))
    same = compare(wanted, "Z. Przybylski Ottens", date(1990, 4, 2))
    other = compare(wanted, "Z. Przybylski Ottens", date(1971, 1, 1))
    assert same.band == "zeker" and "zelfde geboortedatum" in same.reasons
    assert other is None or other.band is None


def test_the_person_is_found_in_free_text_in_any_notation():
    text = ("Gisteren sprak de BOA met Z. Przybylski Ottens bij de schuur. Later belde "
            "Karel Ander. Mevrouw Przybylski-Ottens wil hulp.")
    mentions = find_mentions(text, ZOFIA)
    found = [text[m.start:m.end] for m in mentions]
    assert found == ["Z. Przybylski Ottens", "Przybylski-Ottens"]
    assert [m.match.band for m in mentions] == ["waarschijnlijk", "mogelijk"]


def test_another_persons_name_is_marked_wherever_it_stands():
    text = "Karel Ander bracht haar; K. Ander betaalde. Karel zei niets."
    marked = [text[s:e] for s, e in name_spans(text, "Karel Ander")]
    assert marked == ["Karel", "Ander", "K. Ander", "Karel"]
