"""`when` gives the same text as Django's `date` filter, faster."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

FORMATS = ["j F Y", "j M Y H:i", "j F Y H:i", "j M Y", "j-n-Y", "F Y", "j M Y H:i:s",
           "Y-m-d", "l j F", "D"]  # the last three are not ours: they go to Django's filter
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
VALUES = [
    datetime.datetime(2026, 3, 29, 0, 59, 5, tzinfo=datetime.UTC),   # summer time starts
    datetime.datetime(2026, 3, 29, 1, 0, 0, tzinfo=datetime.UTC),
    datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC),     # and ends
    datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC),
    datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC),    # another year here
    datetime.datetime(2026, 5, 1, 9, 7, 3, tzinfo=AMSTERDAM),
    datetime.date(2026, 1, 5), datetime.date(999, 7, 9),
    *[datetime.datetime(2026, month, 9, 14, 5, tzinfo=datetime.UTC) for month in range(1, 13)],
]


def render(source: str, value) -> str:
    return Template(source).render(Context({"v": value}))


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_when_writes_what_djangos_date_filter_writes(language, fmt):
    with translation.override(language), timezone.override("Europe/Amsterdam"):
        for value in VALUES:
            if isinstance(value, datetime.datetime) or not set(fmt) & set("His"):
                expected = render('{{ v|date:"' + fmt + '" }}', value)
                assert render('{{ v|when:"' + fmt + '" }}', value) == expected, (fmt, value)


@pytest.mark.parametrize("value", [None, "", "not a date", 5])
def test_anything_else_is_what_django_makes_of_it(value):
    assert render('{{ v|when:"j M Y"|default:"—" }}', value) == render(
        '{{ v|date:"j M Y"|default:"—" }}', value)


def test_a_dutch_month_is_dutch_and_an_english_one_english():
    value = datetime.date(2026, 3, 1)
    with translation.override("nl"):
        assert render('{{ v|when:"j F Y" }}', value) == "1 maart 2026"
    with translation.override("en"):
        assert render('{{ v|when:"j F Y" }}', value) == "1 March 2026"
