"""Normalisation of Dutch names, organisations and addresses: tables and properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schakel.subjects import normalize as n


@pytest.mark.parametrize("written", [
    "Jan van den Berg", "Berg, Jan van den", "Berg van den, Jan", "van den Berg, Jan",
    "JAN VAN DEN BERG", "  jan   van den berg ",
])
def test_tussenvoegsels_in_any_order_read_the_same(written):
    assert n.parse_person(written) == n.PersonName(("jan",), "van den", "berg")


@pytest.mark.parametrize("written, given, prefix, surname", [
    ("Berg, J. van den", ("j",), "van den", "berg"),
    ("J.P. de Vries", ("j", "p"), "de", "vries"),
    ("Marie 't Hart", ("marie",), "'t", "hart"),
    ("in 't Veld, A.", ("a",), "in 't", "veld"),
    ("L. Meijer", ("l",), "", "meijer"),
    ("T. ten Cate", ("t",), "ten", "cate"),
    ("Łukasz Wiśniewski", ("lukasz",), "", "wisniewski"),
    ("van Dijk", (), "van", "dijk"),
])
def test_names_are_read_into_given_names_prefix_and_surname(written, given, prefix, surname):
    assert n.parse_person(written) == n.PersonName(given, prefix, surname)


@pytest.mark.parametrize("a, b", [
    ("Jansen", "Janssen"), ("IJzerman", "Ijzerman"), ("IJzerman", "Yzerman"),
    ("Meijer", "Meyer"), ("Smit", "Smid"), ("Smit", "Schmidt"), ("Claessen", "Klaassen"),
    ("Huijsman", "Huisman"), ("Philipsen", "Filipsen"), ("Hendriks", "Hendricks"),
    ("Müller", "Muller"), ("Öztürk", "Ozturk"), ("Cees", "Kees"), ("Wijnands", "Wijnandts"),
    ("Lambrechts", "Lambregts"), ("Bakker", "Baker"),
])
def test_spelling_variants_share_a_phonetic_key(a, b):
    assert n.phonetic(a) == n.phonetic(b)


@pytest.mark.parametrize("a, b", [("Jansen", "Jonker"), ("Visser", "Vos"), ("Bakker", "Bokma")])
def test_different_names_keep_different_keys(a, b):
    assert n.phonetic(a) != n.phonetic(b)


@pytest.mark.parametrize("a, b", [("Vermeulen", "Vermuelen"), ("Hendriks", "Hndriks"),
                                  ("Coenen", "Coenn"), ("Wijk", "Wjik")])
def test_vowel_slips_share_a_skeleton(a, b):
    assert n.skeleton(a) == n.skeleton(b)


def test_a_swapped_name_is_tried_the_other_way_round():
    assert n.swapped(n.parse_person("Jansen Piet")) == n.PersonName(("piet",), "", "jansen")
    assert n.swapped(n.parse_person("Jan van den Berg")) is None


@pytest.mark.parametrize("written", ["3417AB", "3417 ab", " 3417 Ab ", "3417ab"])
def test_postcodes_are_read_in_any_notation(written):
    assert n.normal_postcode(written) == "3417AB"


@pytest.mark.parametrize("written", ["0123AB", "12345", "ABCD 12", ""])
def test_a_wrong_postcode_reads_as_empty(written):
    assert n.normal_postcode(written) == ""


@pytest.mark.parametrize("number, addition, expected", [
    ("12a", "", ("12", "a")), ("12-A", "", ("12", "a")), ("12 A", "", ("12", "a")),
    ("12 bis", "", ("12", "bis")), ("12", "A", ("12", "a")), ("12", "-a", ("12", "a")),
    ("012", "", ("12", "")), ("12/2", "", ("12", "2")), ("12-hs", "", ("12", "hs")),
])
def test_house_numbers_with_additions_in_every_notation(number, addition, expected):
    assert n.split_house_number(number, addition) == expected


@pytest.mark.parametrize("written, expected", [
    ("Kerkstr.", "kerkstraat"), ("Kerkstr", "kerkstraat"), ("Stationsln.", "stationslaan"),
    ("Marktpln", "marktplein"), ("Burg. de Withstr.", "burgemeester de withstraat"),
    ("Pr. Bernhardln.", "prins bernhardlaan"), ("St. Jansstraat", "sint jansstraat"),
    ("Keizersgr.", "keizersgracht"), ("KERKSTRAAT", "kerkstraat"),
])
def test_street_abbreviations_are_written_out(written, expected):
    assert n.normal_street(written) == expected


@pytest.mark.parametrize("written", [
    "Bakkerij De Vries B.V.", "Bakkerij de Vries BV", "Bakkerij de Vries", "bakkerij de vries b.v.",
    "Bakkerij De Vries Besloten Vennootschap",
])
def test_legal_forms_are_ignored(written):
    assert n.org_normal(written) == "bakkerij de vries"


def test_a_foundation_and_a_partnership_lose_their_legal_form():
    assert n.org_normal("Stichting Het Anker") == "het anker"
    assert n.org_normal("V.O.F. Jansen & Zn.") == "jansen zonen"


@pytest.mark.parametrize("written, expected", [("12345678", "12345678"),
                                               ("1234 5678", "12345678"), ("1234567", "")])
def test_kvk_numbers_have_eight_digits(written, expected):
    assert n.normal_kvk(written) == expected


def test_every_notation_of_an_address_gets_the_same_postcode_key():
    a = n.parse_address(street="Kerkstraat 12-A", postcode="3417 ab")
    b = n.parse_address(street="Kerkstr.", house_number="12a", postcode="3417AB")
    assert n.address_keys(a)[0] == n.address_keys(b)[0] == "ap:3417AB:12"
    assert (a.street, a.addition) == (b.street, b.addition) == ("kerkstraat", "a")


# ---------------------------------------------------------------- properties

names = st.text(alphabet=st.characters(categories=["L", "Zs", "Pd", "Po"]), max_size=40)
dutch_words = st.sampled_from(["Jansen", "de Vries", "van den Berg", "Öztürk", "IJzerman",
                               "Bakker", "ten Cate", "Müller", "Çelik", "Visser"])
first_names = st.sampled_from(["Jan", "Piet", "Anna", "Zoë", "Łukasz", "Hélène", "Mohamed"])


@given(names)
def test_parsing_never_fails_and_keys_are_short(text):
    person = n.parse_person(text)
    for key in n.person_query_keys(person, "2000-01-01"):
        assert len(key) <= 80


@given(names)
def test_fold_is_idempotent_and_ascii_for_latin(text):
    assert n.fold(n.fold(text)) == n.fold(text)


@given(names)
def test_phonetic_keys_are_lowercase_letters_and_stable(text):
    key = n.phonetic(text)
    assert key == n.phonetic(key) or key.isalpha() or key == ""
    assert all("a" <= c <= "z" for c in key)


@given(first_names, dutch_words)
def test_case_and_diacritics_never_change_the_keys(first, surname):
    name = f"{first} {surname}"
    same = [name.upper(), name.lower(), n.fold(name), f"  {name}  "]
    expected = n.person_keys(n.parse_person(name), "1990-05-01")
    for variant in same:
        assert n.person_keys(n.parse_person(variant), "1990-05-01") == expected


@given(first_names, dutch_words)
def test_the_comma_notation_reads_as_the_written_name(first, surname):
    prefix, _, core = surname.rpartition(" ")
    comma = f"{core}, {first} {prefix}".strip()
    assert n.parse_person(comma) == n.parse_person(f"{first} {surname}")


@given(st.integers(1, 9999), st.sampled_from(["", "a", "B", "bis", "2", "hs"]),
       st.sampled_from(["", "-", " ", "/"]))
def test_house_number_notation_does_not_matter(number, addition, sep):
    if addition.isdigit() and not sep:
        sep = "-"  # "12" + "2" would be house number 122
    assert n.split_house_number(f"{number}{sep}{addition}") == (str(number), addition.lower())


@given(st.integers(1000, 9999), st.text(alphabet="ABCDEFGHJKLMNPRSTVWXZ", min_size=2, max_size=2),
       st.sampled_from(["", " ", "  "]), st.booleans())
def test_postcode_notation_does_not_matter(digits, letters, space, lower):
    written = f"{digits}{space}{letters.lower() if lower else letters}"
    assert n.normal_postcode(written) == f"{digits}{letters}"
