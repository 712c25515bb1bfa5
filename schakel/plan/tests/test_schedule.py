"""The schedule generator: the plan's texts, and properties over any years."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schakel.plan.schedule import ScheduleError, occurrences, parse

PLAN_TEXTS = [
    "Om de 2 jaar. Gepland maart/april 2025", "Voorjaar 2025",
    "3x per jaar januari / mei / september op een dinsdag", "4x per jaar", "1x per jaar",
    "1x per jaar bij bijeenkomst januari", "2x per jaar", "Doorlopend",
    "In overleg met ketenpartners", "2025",
]


def test_every_two_years_falls_in_march_april_from_2025():
    dues = [p.due for p in occurrences(parse("Om de 2 jaar. Gepland maart/april 2025"),
                                       2024, 2030)]
    assert dues == [date(2025, 4, 30), date(2027, 4, 30), date(2029, 4, 30)]
    assert all(p.period_start.month == 3 for p in occurrences(
        parse("om de 2 jaar gepland maart/april 2025"), 2025, 2029))


def test_spring_2025_is_once_by_the_end_of_may():
    assert [(p.period_start, p.due) for p in occurrences(parse("Voorjaar 2025"), 2020, 2030)] == [
        (date(2025, 3, 1), date(2025, 5, 31))]


def test_the_regional_meetings_fall_on_a_tuesday_in_january_may_september():
    planned = occurrences(parse("3x per jaar januari / mei / september op een dinsdag"), 2026, 2026)
    assert [p.due for p in planned] == [date(2026, 1, 13), date(2026, 5, 12), date(2026, 9, 8)]


def test_four_times_a_year_is_due_at_each_quarter_end():
    assert [p.due for p in occurrences(parse("4x per jaar"), 2026, 2026)] == [
        date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)]


def test_twice_and_once_a_year():
    assert [p.due for p in occurrences(parse("2x per jaar"), 2026, 2026)] == [
        date(2026, 6, 30), date(2026, 12, 31)]
    assert [p.due for p in occurrences(parse("1x per jaar"), 2026, 2026)] == [date(2026, 12, 31)]


def test_the_police_figures_belong_to_the_january_meeting():
    assert [p.due for p in occurrences(parse("1x per jaar bij bijeenkomst januari"),
                                       2026, 2027)] == [date(2026, 1, 31), date(2027, 1, 31)]


@pytest.mark.parametrize("text", ["Doorlopend", "In overleg met ketenpartners"])
def test_continuous_actions_get_a_yearly_check_in(text):
    planned = occurrences(parse(text), 2025, 2027)
    assert [p.due for p in planned] == [date(2025, 12, 31), date(2026, 12, 31), date(2027, 12, 31)]
    assert all(p.check_in for p in planned)


@pytest.mark.parametrize("text, message", [
    ("", "leeg"), ("af en toe", "niet herkend"), ("3x per jaar januari / mei", "maand"),
    ("5x per jaar", "gelijke perioden"), ("om de 2 jaar", "eerste jaar"),
    ("13x per jaar", "tussen 1 en 12"), ("2025 of 2026", "één jaar"),
])
def test_an_unreadable_schedule_gets_a_dutch_reason(text, message):
    with pytest.raises(ScheduleError, match=message):
        parse(text)


MONTH_NAMES = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december"]
WEEKDAY_NAMES = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


@st.composite
def schedule_texts(draw):
    choice = draw(st.integers(0, 4))
    if choice == 0:
        return draw(st.sampled_from(PLAN_TEXTS))
    if choice == 1:
        return f"{draw(st.sampled_from([1, 2, 3, 4, 6, 12]))}x per jaar"
    if choice == 2:
        months = draw(st.lists(st.sampled_from(MONTH_NAMES), min_size=1, max_size=6, unique=True))
        day = draw(st.sampled_from(WEEKDAY_NAMES))
        return f"{len(months)}x per jaar {' / '.join(months)} op een {day}"
    if choice == 3:
        month, step = draw(st.sampled_from(MONTH_NAMES)), draw(st.integers(1, 4))
        return f"om de {step} jaar, gepland {month} {draw(st.integers(2020, 2030))}"
    when = draw(st.sampled_from(["voorjaar", "zomer", "najaar", *MONTH_NAMES]))
    return f"{when} {draw(st.integers(2020, 2030))}"


years = st.integers(2020, 2035)


@given(schedule_texts(), years, years, years)
def test_no_occurrence_is_lost_or_doubled_across_years(text, a, b, c):
    a, b, c = sorted((a, b, c))
    schedule = parse(text)
    whole = occurrences(schedule, a, c)
    split = occurrences(schedule, a, b) + occurrences(schedule, b + 1, c)
    assert sorted(whole, key=lambda p: p.key) == sorted(split, key=lambda p: p.key)
    keys = [p.key for p in whole]
    assert len(keys) == len(set(keys))
    assert len({p.due for p in whole}) == len(whole)
    for p in whole:
        assert a <= p.due.year <= c
        assert p.period_start <= p.due


@given(schedule_texts(), years)
def test_a_recurring_schedule_plans_its_number_every_year(text, year):
    schedule = parse(text)
    if schedule.kind != "recurring" or schedule.every_years != 1:
        return
    if schedule.first_year is not None and year < schedule.first_year:
        assert occurrences(schedule, year, year) == []
        return
    assert len(occurrences(schedule, year, year)) == schedule.per_year


@given(st.lists(st.sampled_from(MONTH_NAMES), min_size=1, max_size=12, unique=True),
       st.sampled_from(WEEKDAY_NAMES), years, years)
def test_tuesdays_are_tuesdays(months, day, a, b):
    a, b = sorted((a, b))
    schedule = parse(f"{len(months)}x per jaar {' / '.join(months)} op een {day}")
    planned = occurrences(schedule, a, b)
    assert len(planned) == len(months) * (b - a + 1)
    assert all(p.due.weekday() == WEEKDAY_NAMES.index(day) for p in planned)
    assert all(p.due.month == p.period_start.month and 8 <= p.due.day <= 14 for p in planned)
