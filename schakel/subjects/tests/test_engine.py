"""The engine proposes the right record first for the Dutch variants of the issue."""

import datetime as dt

import pytest

from schakel.subjects.engine import Query, propose


def top(query, **kw):
    found = propose(query, **kw)
    return found[0] if found else None


@pytest.mark.parametrize("written", [
    "Berg, J. van den", "Jan van den Berg", "J. van den Berg", "van den Berg, Jan",
    "BERG VAN DEN, JAN", "Berg Jan",
])
def test_it_finds_a_name_with_tussenvoegsel_in_any_notation(register, written):
    found = top(Query(kind="person", name=written, date_of_birth=dt.date(1980, 3, 4)))
    assert found.record == register["jan"]


@pytest.mark.parametrize("written", ["Klaas Ijzerman", "Klaas Yzerman", "K. IJzerman",
                                     "IJzerman Klaas"])
def test_it_finds_ij_and_y_spellings_and_swapped_names(register, written):
    assert top(Query(kind="person", name=written)).record == register["ijzerman"]


def test_it_finds_jansen_as_janssen_and_says_why(register):
    found = top(Query(kind="person", name="Piet Jansen"))
    assert found.record == register["janssen"]
    assert "Janssen".lower() in found.reason.lower() or "achternaam" in found.reason


def test_the_date_of_birth_decides_between_look_alikes(register):
    found = propose(Query(kind="person", name="Jan van den Berg",
                          date_of_birth=dt.date(1975, 11, 30)))
    assert found[0].record == register["jan2"]
    assert found[0].score > found[1].score


def test_legal_forms_are_ignored_and_the_kvk_number_is_strong_evidence(register):
    assert top(Query(kind="organisation", name="bakkerij de vries")).record == \
        register["bakkerij"]
    found = top(Query(kind="organisation", name="De Vries", kvk_number="1234 5678"))
    assert found.record == register["bakkerij"] and found.band == "zeker"
    assert "zelfde KvK-nummer" in found.reasons_for


@pytest.mark.parametrize("number, addition", [("12a", ""), ("12-A", ""), ("12 a", ""),
                                              ("12", "A")])
def test_an_address_is_found_by_postcode_and_house_number(register, number, addition):
    found = top(Query(kind="address", postcode="3417 ab", house_number=number,
                      addition=addition))
    assert found.record == register["kerkstraat"]
    assert found.band == "zeker"


def test_an_address_is_found_by_abbreviated_street_without_postcode(register):
    found = top(Query(kind="address", street="Kerkstr. 12a", city="MONTFOORT"))
    assert found.record == register["kerkstraat"]


def test_an_empty_query_proposes_nothing(register):
    assert propose(Query(kind="person")) == []


@pytest.mark.parametrize("query", [
    Query(kind="person", name="Jan van den Berg", date_of_birth=dt.date(1980, 3, 4),
          street="Kerkstraat 12a, 3417 AB Montfoort"),
    Query(kind="organisation", name="Bakkerij de Vries", kvk_number="12345678", city="Utrecht"),
    Query(kind="address", street="Kerkstraat", house_number="12", postcode="3417AB"),
])
def test_a_proposal_takes_one_query_whatever_the_register_holds(register, add_record, query,
                                                                  django_assert_num_queries):
    for i in range(30):  # more candidates, some from signals, do not add queries
        add_record(name=f"Jan van den Berg{'h' * (i % 3)}", street="Kerkstraat",
                   house_number=str(12 + i % 4), postcode="3417AB", city="Montfoort")
    with django_assert_num_queries(1):
        found = propose(query)
        assert found and all(c.reasons_for or c.reasons_against for c in found)
        # What the page shows of a candidate is there without another query.
        assert all(c.record.source.name and c.record.source.get_confidentiality_display()
                   and str(c.record) for c in found)
