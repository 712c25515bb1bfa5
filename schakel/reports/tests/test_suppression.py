"""Small counts are hidden, and no hidden count can be worked out from totals or other cells."""

from hypothesis import given, settings
from hypothesis import strategies as st

from schakel.reports.suppression import PRIMARY, SECONDARY, SHOWN, protect, single

T = 5


def feasible_values(values, marks, t):
    """A brute-force attacker, independent of the rule's own arithmetic: for each hidden cell,
    every value it can take given the cells shown, the total and the meaning of the marks."""
    hidden = [i for i, m in enumerate(marks) if m != SHOWN]
    rest = sum(values[i] for i in hidden)  # total − shown: published
    ranges = {i: range(1, t) if marks[i] == PRIMARY else range(t, rest + 1) for i in hidden}
    result = {}
    for i in hidden:
        # Sums the other hidden cells can make together.
        sums = {0}
        for j in hidden:
            if j != i:
                sums = {s + v for s in sums for v in ranges[j] if s + v <= rest}
        result[i] = {v for v in ranges[i] if rest - v in sums}
    return result


def assert_unrecoverable(values, t=T):
    protection = protect(values, t)
    if protection.withheld:
        return protection
    for i, v in enumerate(values):
        if 0 < v < t:
            assert protection.marks[i] == PRIMARY
    for i, options in feasible_values(values, protection.marks, t).items():
        assert values[i] in options
        if protection.marks[i] == PRIMARY:
            assert options == set(range(1, t)), (values, protection.marks, i, options)
        else:
            assert len(options) > 1, (values, protection.marks, i, options)
    return protection


def test_nothing_is_hidden_when_no_count_is_small():
    assert protect([0, 5, 12], T).marks == [SHOWN, SHOWN, SHOWN]


def test_zero_is_shown():
    assert protect([0, 0, 7], T).marks[0] == SHOWN


def test_a_lone_small_count_gets_a_partner_so_the_total_does_not_give_it_away():
    protection = protect([3, 10, 12], T)
    assert protection.marks == [PRIMARY, SECONDARY, SHOWN]
    # total 25 − shown 12 = 13 = the two hidden cells together: 3 is still anything from 1 to 4.
    assert_unrecoverable([3, 10, 12])


def test_a_partner_too_small_to_hide_the_count_is_passed_over():
    # Hiding 5 beside 1 would give away 1 (6 − at least 5); so 20 is hidden instead.
    assert protect([1, 5, 20], T).marks == [PRIMARY, SHOWN, SECONDARY]
    assert_unrecoverable([1, 5, 20])


def test_two_small_counts_that_together_give_nothing_away_need_no_partner():
    # Together 5: either could be anything from 1 to 4.
    assert protect([1, 4, 30], T).marks == [PRIMARY, PRIMARY, SHOWN]
    assert_unrecoverable([1, 4, 30])


def test_two_small_counts_whose_sum_gives_them_away_get_a_partner():
    # 4 + 4 = 8 would mean both are 4.
    assert protect([4, 4, 30], T).marks == [PRIMARY, PRIMARY, SECONDARY]
    assert_unrecoverable([4, 4, 30])


def test_two_small_counts_whose_sum_would_narrow_them_get_a_partner():
    protection = assert_unrecoverable([1, 1, 30, 40])
    assert SECONDARY in protection.marks


def test_a_breakdown_that_cannot_be_protected_is_withheld():
    protection = protect([1, 5], T)
    assert protection.withheld


def test_threshold_zero_shows_exact_counts():
    assert protect([1, 2, 3], 0).marks == [SHOWN] * 3
    assert single(2, 0) == {"v": 2, "s": SHOWN}


def test_a_single_small_count_is_shown_as_small_without_its_value():
    assert single(3, T) == {"v": None, "s": PRIMARY}
    assert single(0, T) == {"v": 0, "s": SHOWN}
    assert single(5, T) == {"v": 5, "s": SHOWN}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=14), min_size=1, max_size=5),
       st.sampled_from([3, 5]))
def test_no_hidden_count_can_be_narrowed_down_in_any_breakdown(values, t):
    assert_unrecoverable(values, t)
