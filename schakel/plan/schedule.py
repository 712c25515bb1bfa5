"""Schedules as a plan writes them, turned into planned occurrences with due dates.

The plan says when an action happens in plain Dutch ("3x per jaar, januari / mei /
september op een dinsdag", "om de 2 jaar, gepland maart/april 2025", "Doorlopend").
`parse` reads such a text into a `Schedule`; `occurrences` lists the planned
moments of a range of years. Every moment has a stable `key` (year + slot), so
generating again, or year by year, never loses or doubles one.

Rules (documented for other municipalities in data/FORMAT.md):
- "Nx per jaar" (also "jaarlijks", "halfjaarlijks", "per kwartaal", "maandelijks"):
  N periods of equal length; due at the end of each period. With months named
  ("januari / mei / september") one moment per named month, due at month end.
- "op een dinsdag" (any weekday): the moment falls on the second such weekday
  of its month.
- "bij bijeenkomst januari": the moment belongs to that month.
- "om de N jaar, gepland maart/april 2025": every N years from that year, in
  the months named (due at the end of the last one).
- "voorjaar 2025", "najaar 2025", "april 2025", "2025": once.
- "Doorlopend", "in overleg met ketenpartners": no due date of its own, but a
  yearly check-in at the end of the year.
- "geen datum" (also "zonder datum", "nog geen datum", "nog niet gepland"): the plan
  gives no date, so none is invented: one open moment without a due date, never late.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

MONTHS = {name: i for i, name in enumerate(
    ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
     "september", "oktober", "november", "december"], start=1)}
WEEKDAYS = {name: i for i, name in enumerate(
    ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"])}
SEASONS = {"voorjaar": (3, 5), "lente": (3, 5), "zomer": (6, 8), "najaar": (9, 11),
           "herfst": (9, 11)}
WORDS = {"jaarlijks": 1, "elk jaar": 1, "ieder jaar": 1, "halfjaarlijks": 2,
         "per kwartaal": 4, "elk kwartaal": 4, "maandelijks": 12, "elke maand": 12}
CONTINUOUS = ("doorlopend", "in overleg", "continu")
UNDATED = ("geen datum", "zonder datum", "niet gepland", "geen planning")
# The second weekday of its kind in the month: clear of New Year and of month-start holidays.
WEEKDAY_ORDINAL = 2
YEAR_RE = re.compile(r"\b(20\d\d)\b")


class ScheduleError(ValueError):
    """A schedule text that cannot be read; the message is for the user, in the active
    language (Dutch by default); it is made when raised, so in the request's language."""


@dataclass(frozen=True)
class Slot:
    key: str
    start_month: int
    end_month: int
    weekday: int | None = None


@dataclass(frozen=True)
class Schedule:
    kind: str  # "recurring", "once", "continuous" or "undated"
    slots: tuple[Slot, ...] = ()
    every_years: int = 1
    first_year: int | None = None

    @property
    def per_year(self) -> int:
        return len(self.slots) if self.kind == "recurring" else 1


@dataclass(frozen=True)
class Planned:
    key: str
    period_start: date | None  # None (with due) for the one moment of an undated action
    due: date | None
    check_in: bool = False


UNDATED_KEY = "undated"


def _normalise(text: str) -> str:
    text = text.lower().replace("×", "x").replace("\u00a0", " ")
    text = re.sub(r"[.,;:()]", " ", text)
    text = re.sub(r"\s*/\s*", " / ", text)
    return re.sub(r"\s+", " ", text).strip()


def _months(text: str) -> list[int]:
    return [MONTHS[w] for w in re.findall(r"[a-z]+", text) if w in MONTHS]


def _weekday(text: str) -> int | None:
    found = [WEEKDAYS[w] for w in re.findall(r"[a-z]+", text) if w in WEEKDAYS]
    if len(found) > 1:
        raise ScheduleError(_("Name at most one weekday."))
    return found[0] if found else None


def parse(text: str) -> Schedule:
    """Read a plan's schedule text (in Dutch); raises ScheduleError with a message."""
    norm = _normalise(text or "")
    if not norm:
        raise ScheduleError(_("The planning is empty. Write for example '4x per jaar' or "
                              "'Doorlopend'."))
    if any(word in norm for word in UNDATED):
        if YEAR_RE.search(norm):
            raise ScheduleError(_("Write 'geen datum' without a year, or name only the "
                                  "year."))
        return Schedule(kind="undated")
    if any(word in norm for word in CONTINUOUS):
        return Schedule(kind="continuous", slots=(Slot("check", 1, 12),))
    weekday = _weekday(norm)
    count = None
    match = re.search(r"\b(\d+)\s*x\s*per\s*jaar\b", norm) or re.search(
        r"\b(\d+)\s*keer\s*per\s*jaar\b", norm)
    if match:
        count = int(match.group(1))
    else:
        for phrase, n in WORDS.items():
            if re.search(rf"\b{phrase}\b", norm):
                count = n
                break
    every = re.search(r"\bom de (\d+) jaar\b", norm)
    if count is not None and not every:
        return _recurring(norm, count, weekday)
    years = [int(y) for y in YEAR_RE.findall(norm)]
    months = _months(norm)
    season = next((s for s in SEASONS if re.search(rf"\b{s}\b", norm)), None)
    if season:
        start, end = SEASONS[season]
    elif months:
        start, end = min(months), max(months)
    else:
        start, end = 1, 12
    if every:
        step = int(every.group(1))
        if step < 1 or step > 10:
            raise ScheduleError(_("'Om de N jaar' works with N from 1 to 10."))
        if not years:
            raise ScheduleError(_("With 'om de N jaar', name the first year, for example "
                                  "'gepland maart/april 2025'."))
        return Schedule(kind="recurring", slots=(Slot("x", start, end, weekday),),
                        every_years=step, first_year=years[0])
    if len(years) == 1:
        return Schedule(kind="once", slots=(Slot("once", start, end, weekday),),
                        first_year=years[0])
    if len(years) > 1:
        raise ScheduleError(_("Name one year, or write 'om de N jaar'."))
    raise ScheduleError(_(
        "This planning is not recognised. Write for example '4x per jaar', "
        "'3x per jaar januari / mei / september op een dinsdag', 'om de 2 jaar gepland "
        "maart/april 2025', 'voorjaar 2025', 'Doorlopend' or 'geen datum'."))


def _recurring(norm: str, count: int, weekday: int | None) -> Schedule:
    months = _months(norm)
    if count < 1 or count > 12:
        raise ScheduleError(_("The number of times per year must be between 1 and 12."))
    if months:
        if len(months) != count or len(set(months)) != count:
            raise ScheduleError(_(
                "The planning says %(count)sx per jaar but names %(months)s different "
                "month(s).") % {"count": count, "months": len(set(months))})
        slots = tuple(Slot(f"m{m:02d}", m, m, weekday) for m in sorted(months))
        return Schedule(kind="recurring", slots=slots)
    if 12 % count:
        raise ScheduleError(_(
            "%(count)sx per jaar does not fit in equal periods; name the months, for "
            "example '5x per jaar januari / maart / mei / september / november'.")
            % {"count": count})
    length = 12 // count
    slots = tuple(Slot(f"p{i + 1}", 1 + i * length, (i + 1) * length, weekday)
                  for i in range(count))
    return Schedule(kind="recurring", slots=slots)


def _nth_weekday(year: int, month: int, weekday: int, n: int = WEEKDAY_ORDINAL) -> date:
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return date(year, month, 1 + offset + 7 * (n - 1))


def _plan(year: int, slot: Slot, check_in: bool = False) -> Planned:
    if slot.weekday is not None:
        due = _nth_weekday(year, slot.start_month, slot.weekday)
    else:
        due = date(year, slot.end_month, calendar.monthrange(year, slot.end_month)[1])
    return Planned(key=f"{year}-{slot.key}", period_start=date(year, slot.start_month, 1),
                   due=due, check_in=check_in)


def occurrences(schedule: Schedule, from_year: int, to_year: int) -> list[Planned]:
    """The planned moments in the years from_year..to_year (inclusive), by due date.

    An undated schedule has one moment whatever the years: no due date, no period."""
    if schedule.kind == "undated":
        return [Planned(key=UNDATED_KEY, period_start=None, due=None)]
    result = []
    for year in range(from_year, to_year + 1):
        if schedule.kind == "continuous":
            result.append(_plan(year, schedule.slots[0], check_in=True))
        elif schedule.kind == "once":
            if year == schedule.first_year:
                result.append(_plan(year, schedule.slots[0]))
        else:
            first = schedule.first_year
            if first is not None and (year < first or (year - first) % schedule.every_years):
                continue
            result.extend(_plan(year, slot) for slot in schedule.slots)
    return sorted(result, key=lambda p: (p.due, p.key))
