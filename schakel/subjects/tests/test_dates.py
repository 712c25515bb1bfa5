"""Dates of birth in the notations municipal files use; doubtful ones are line errors."""

import datetime as dt

import pytest

from schakel.subjects import importer
from schakel.subjects.dates import DateProblem, date_error

TODAY = dt.date(2026, 11, 29)
BORN = dt.date(1978, 3, 12)


@pytest.mark.parametrize("text", [
    "12-03-1978", "12-3-1978", "12/03/1978", "12.03.1978", "1978-03-12", "1978/03/12",
    "12031978", "19780312", "120378", "12 maart 1978", "12 Maart 1978", "12 mrt. 1978",
    "12-mrt-78", "12 March 1978", "12 mar 1978", "March 12, 1978", "12-03-78",
    " 12 - 03 - 1978 ", "1978-03-12 00:00:00", "12 maart '78",
])
def test_a_date_of_birth_is_read_in_the_usual_dutch_and_english_notations(text):
    assert importer.parse_date(text, today=TODAY) == BORN


def test_a_two_digit_year_takes_the_century_that_keeps_it_out_of_the_future():
    assert importer.parse_date("12-03-05", today=TODAY) == dt.date(2005, 3, 12)
    assert importer.parse_date("28-11-26", today=TODAY) == dt.date(2026, 11, 28)
    assert importer.parse_date("30-11-26", today=TODAY) == dt.date(1926, 11, 30)
    assert importer.parse_date("12-03-27", today=TODAY) == dt.date(1927, 3, 12)


@pytest.mark.parametrize("text,reason", [
    ("31-02-1978", "impossible"),
    ("12-13-1978", "impossible"),
    ("30022000", "impossible"),
    ("010203", "ambiguous"),
    ("12-03-2027", "future"),
    ("12 maart 1878", "early"),
    ("12 maert 1978", "format"),
    ("1978", "format"),
    ("gisteren", "format"),
    ("12-03", "format"),
    ("12 " + ". " * 900 + "maart", "format"),
])
def test_impossible_ambiguous_and_unreadable_dates_say_why(text, reason):
    with pytest.raises(DateProblem) as caught:
        importer.parse_date(text, today=TODAY)
    assert caught.value.reason == reason


@pytest.mark.parametrize("text,message", [
    ("31-02-1978", "Regel 4: geboortedatum “31-02-1978” bestaat niet."),
    ("010203", "Regel 4: geboortedatum “010203” is op meer dan één manier te lezen; "
               "schrijf dd-mm-jjjj."),
    ("12-03-2027", "Regel 4: geboortedatum “12-03-2027” ligt in de toekomst."),
    ("morgen", "Regel 4: geboortedatum “morgen” is geen datum (schrijf dd-mm-jjjj)."),
])
def test_each_problem_is_a_dutch_line_error(text, message):
    with pytest.raises(DateProblem) as caught:
        importer.parse_date(text, today=TODAY)
    assert date_error(4, text, caught.value) == message


def test_an_import_row_with_a_doubtful_date_gets_the_line_error(db):
    _values, errors = importer.convert(["Jan Jansen", "31-02-1978"],
                                       {"name": 0, "date_of_birth": 1}, "person", 7)
    assert errors == ["Regel 7: geboortedatum “31-02-1978” bestaat niet."]
    values, errors = importer.convert(["Jan Jansen", "12 maart 1978"],
                                      {"name": 0, "date_of_birth": 1}, "person", 8)
    assert values["date_of_birth"] == BORN and errors == []
