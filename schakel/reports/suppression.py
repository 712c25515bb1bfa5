"""Small-count suppression for the figures that leave the system (DESIGN §5).

Primary suppression: a count from 1 up to the threshold (exclusive) is shown as
"< 5". Zero is shown: it points at nobody.

Secondary suppression: in a breakdown whose total is known (the total is
printed, or follows from another breakdown of the same signals), one hidden
cell could be recovered as the total minus the cells shown. So more cells are
hidden ("x") until no hidden small count can be narrowed down at all by
someone who knows the rule:

- a primary cell lies in [1, t-1] and a secondary cell in [t, total];
- the hidden cells add up to the total minus the cells shown;
- for every primary cell the values consistent with that must still be all of
  [1, t-1], and no secondary cell may be pinned to one value.

When even hiding every non-zero cell cannot achieve that (a breakdown of very
few signals), the whole breakdown is withheld.
"""

from dataclasses import dataclass

SHOWN = ""
PRIMARY = "p"
SECONDARY = "x"


@dataclass
class Protection:
    marks: list[str]  # one per cell: SHOWN, PRIMARY or SECONDARY
    withheld: bool = False  # the breakdown cannot be protected: show none of it


def is_small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def intervals(values: list[int], marks: list[str], threshold: int) -> dict[int, tuple[int, int]]:
    """What someone who knows the rule can tell of each hidden cell: its (low, high) bounds."""
    hidden = [i for i, m in enumerate(marks) if m != SHOWN]
    rest = sum(values[i] for i in hidden)  # the total minus the cells shown
    low = {i: (1 if marks[i] == PRIMARY else threshold) for i in hidden}
    high = {i: (threshold - 1 if marks[i] == PRIMARY else rest) for i in hidden}
    result = {}
    for i in hidden:
        others_low = sum(low[j] for j in hidden if j != i)
        others_high = sum(high[j] for j in hidden if j != i)
        result[i] = (max(low[i], rest - others_high), min(high[i], rest - others_low))
    return result


def is_protected(values: list[int], marks: list[str], threshold: int) -> bool:
    for i, (lo, hi) in intervals(values, marks, threshold).items():
        if marks[i] == PRIMARY and (lo > 1 or hi < threshold - 1):
            return False
        if marks[i] == SECONDARY and lo >= hi:
            return False
    return True


def protect(values: list[int], threshold: int) -> Protection:
    """Mark the cells of one breakdown (cells adding up to a known total).

    1. Mark every small count primary.
    2. While a hidden cell can be narrowed down: hide the smallest shown
       non-zero cell that is enough on its own; if none is, hide the largest
       and try again.
    3. If all non-zero cells are hidden and it is still not enough, withhold it.
    """
    if threshold <= 1:
        return Protection([SHOWN] * len(values))
    marks = [PRIMARY if is_small(v, threshold) else SHOWN for v in values]
    if PRIMARY not in marks:
        return Protection(marks)
    while not is_protected(values, marks, threshold):
        candidates = sorted((v, i) for i, v in enumerate(values) if marks[i] == SHOWN and v > 0)
        if not candidates:
            return Protection([SECONDARY if v > 0 else SHOWN for v in values], withheld=True)
        for _v, i in candidates:
            trial = list(marks)
            trial[i] = SECONDARY
            if is_protected(values, trial, threshold):
                marks = trial
                break
        else:
            marks[candidates[-1][1]] = SECONDARY
    return Protection(marks)


def cell(value: int | None, mark: str = SHOWN) -> dict:
    """A figure as stored in a report's snapshot: the value is dropped when hidden."""
    if value is None:
        return {"v": None, "s": SHOWN}
    return {"v": None if mark != SHOWN else value, "s": mark}


def single(value: int, threshold: int) -> dict:
    """A count on its own (no total to subtract it from): primary suppression only."""
    return cell(value, PRIMARY if threshold > 1 and is_small(value, threshold) else SHOWN)
