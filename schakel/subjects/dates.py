"""Dates of birth as municipal files write them (`parse_date`, used by imports and lists).

Accepted: 12-03-1978, 12-3-1978, 12/03/1978, 12.03.1978, 1978-03-12, 12031978 (ddmmjjjj),
19780312 (jjjjmmdd), 120378 (ddmmjj), 12 maart 1978, 12 mrt 1978, 12-mrt-78,
12 March 1978, March 12, 1978, and 12-03-78. Day before month, as in the Netherlands.

A two-digit year gets the century that keeps the date out of the future: on 29-11-2026,
12-03-78 is 1978 and 12-03-05 is 2005. A date of birth in the future or before 1880 is
refused, and so is a text that reads as two different dates (010203: 1 February 2003
or 3 February 2001?).
"""

import datetime as dt
import re

from django.utils.translation import gettext as _

from schakel.core import clock

EARLIEST_YEAR = 1880
MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "february": 2,
    "maart": 3, "mrt": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6, "juli": 7, "jul": 7, "july": 7, "augustus": 8,
    "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_SEP = r"[\s./-]"
_NUMERIC = re.compile(rf"^(\d{{1,4}}){_SEP}+(\d{{1,2}}){_SEP}+(\d{{1,4}})$")
_DAY_MONTH_NAME = re.compile(rf"^(\d{{1,2}}){_SEP}*([a-z]+)\.?{_SEP}*,?\s*('?\d{{2}}|\d{{4}})$")
_MONTH_NAME_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_TIME = re.compile(r"^(.*?)(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")


class DateProblem(ValueError):
    """Why a text is no date of birth: format, impossible, ambiguous, future or early."""

    def __init__(self, reason: str, text: str = ""):
        super().__init__(reason, text)
        self.reason = reason


def _readings(text: str) -> list[tuple[str, str, str]]:
    """(year, month, day) texts the input may mean; a year of two digits stays short."""
    if match := _NUMERIC.match(text):
        a, b, c = match.groups()
        if len(a) == 4:
            return [(a, b, c)]
        if len(a) <= 2 and len(c) in (2, 4):
            return [(c, b, a)]
        return []
    if match := _DAY_MONTH_NAME.match(text):
        day, name, year = match.groups()
        return [(year.lstrip("'"), str(MONTHS[name]), day)] if name in MONTHS else []
    if match := _MONTH_NAME_DAY.match(text):
        name, day, year = match.groups()
        return [(year, str(MONTHS[name]), day)] if name in MONTHS else []
    if text.isdigit() and len(text) == 8:
        return [(text[4:], text[2:4], text[:2]), (text[:4], text[4:6], text[6:])]
    if text.isdigit() and len(text) == 6:
        return [(text[4:], text[2:4], text[:2]), (text[:2], text[2:4], text[4:])]
    return []


def _date(year: str, month: str, day: str, today: dt.date) -> dt.date:
    """The date, raising ValueError when it does not exist; two-digit years as documented."""
    if len(year) == 2:
        recent = dt.date(2000 + int(year), int(month), int(day))
        return recent if recent <= today else dt.date(1900 + int(year), int(month), int(day))
    return dt.date(int(year), int(month), int(day))


def parse_date(text: str, *, today: dt.date | None = None) -> dt.date:
    """The date of birth a text means, or DateProblem saying why it is none."""
    today = today or clock.now().date()
    text = " ".join(text.strip().lower().split())
    if len(text) > 40:  # no notation is longer; the patterns need not see more
        raise DateProblem("format", text[:40])
    if match := _TIME.match(text):  # "1978-03-12 00:00:00" from a database export
        text = match.group(1)
    readings = _readings(text)
    if not readings:
        raise DateProblem("format", text)
    dates, problems = set(), []
    for year, month, day in readings:
        try:
            date = _date(year, month, day, today)
        except ValueError:
            problems.append("impossible")
            continue
        if date > today:
            problems.append("future")
        elif date.year < EARLIEST_YEAR:
            problems.append("early")
        else:
            dates.add(date)
    if len(dates) > 1:
        raise DateProblem("ambiguous", text)
    if dates:
        return dates.pop()
    # Of several readings, the one that came closest to a date explains best.
    for reason in ("future", "early", "impossible"):
        if reason in problems:
            raise DateProblem(reason, text)
    raise DateProblem("format", text)


def date_error(line: int, value: str, problem: DateProblem) -> str:
    """The Dutch line error for a date of birth that could not be read."""
    values = {"line": line, "value": value[:30], "year": EARLIEST_YEAR}
    if problem.reason == "impossible":
        return _("Line %(line)s: date of birth “%(value)s” does not exist.") % values
    if problem.reason == "ambiguous":
        return _("Line %(line)s: date of birth “%(value)s” can be read as more than one "
                 "date; write it as dd-mm-yyyy.") % values
    if problem.reason == "future":
        return _("Line %(line)s: date of birth “%(value)s” lies in the future.") % values
    if problem.reason == "early":
        return _("Line %(line)s: date of birth “%(value)s” lies before %(year)s.") % values
    return _("Line %(line)s: date of birth “%(value)s” is not a date "
             "(write it as dd-mm-yyyy).") % values
