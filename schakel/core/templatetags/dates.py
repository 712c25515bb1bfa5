"""`when`: Django's `date` filter for the formats Schakel's pages use, without its overhead.

Django's `date` builds a formatter object per value and looks up every format character
by name: 30 µs a value, more than half of a history line. `when` writes the characters
our templates use (`j n M F Y H i s` and the separators between them) directly, with
the month names of the active language taken once per language; any other format, and
any value that is not a date, goes to Django's own filter. The result is the same text
(`core/tests/test_dates.py` compares them over dates, formats and languages).

A builtin library (settings.TEMPLATES): no `{% load %}` needed.
"""

import datetime
from functools import lru_cache

from django import template
from django.template.defaultfilters import date as django_date
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.translation import get_language

register = template.Library()

FAST = frozenset("jnMFYHis -:.,/")
TIME = frozenset("His")


@lru_cache(maxsize=8)
def _months(language: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from django.utils import translation

    with translation.override(language):
        return (("",) + tuple(str(MONTHS[m]) for m in range(1, 13)),
                ("",) + tuple(str(MONTHS_3[m]).title() for m in range(1, 13)))


@register.filter(expects_localtime=True, is_safe=False)
def when(value, arg):
    if (not isinstance(value, datetime.date) or not arg or not FAST.issuperset(arg)
            or (not isinstance(value, datetime.datetime) and TIME.intersection(arg))):
        return django_date(value, arg)
    months, short = _months(get_language() or "nl")
    out = []
    for char in arg:
        if char == "j":
            out.append(str(value.day))
        elif char == "n":
            out.append(str(value.month))
        elif char == "M":
            out.append(short[value.month])
        elif char == "F":
            out.append(months[value.month])
        elif char == "Y":
            out.append(f"{value.year:04d}")
        elif char == "H":
            out.append(f"{value.hour:02d}")
        elif char == "i":
            out.append(f"{value.minute:02d}")
        elif char == "s":
            out.append(f"{value.second:02d}")
        else:
            out.append(char)
    return "".join(out)
