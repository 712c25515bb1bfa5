"""The region's figures: the municipalities' shares side by side and added up.

Suppression again after combining (DESIGN §5): a municipality's hidden count never
reaches the region, so the region adds up only what was shown. A regional figure that
would include a hidden count is hidden itself ("x"): printing the sum of the shown
parts beside the shown parts would let a reader subtract, and printing a total the
region does not have would be wrong. The region's set of hidden cells is therefore a
superset of every municipality's, column by column, so every relation a municipality's
own protection guards still has its hidden cells at the region. A regional figure
is then checked against the region's threshold once more (`suppression.single`).

A municipality without a share for a quarter (it did not answer) is left out of that
quarter's sums, and the regional figure says it is incomplete.
"""

from dataclasses import dataclass, field

from schakel.reports import suppression as sup

from . import quarters
from .share import OUTCOMES, PARTNER_MEASURES, PLAN_MEASURES, URGENCY

HIDDEN = "x"


@dataclass
class Figure:
    """One figure on the regional pages: a value, or hidden, or not there."""

    value: int | None = None
    mark: str = ""  # "" shown, "p" below the threshold, "x" hidden to protect another
    missing: bool = False  # no share for it
    incomplete: list[str] = field(default_factory=list)  # municipalities left out

    @property
    def shown(self) -> bool:
        return not self.missing and self.mark == ""

    def text(self, threshold: int) -> str:
        if self.missing:
            return "–"
        if self.mark == sup.PRIMARY:
            return f"< {threshold}"
        if self.mark:
            return "x"
        return str(self.value)


def from_cell(cell: dict | None) -> Figure:
    if cell is None:
        return Figure(missing=True)
    return Figure(value=cell["v"], mark=cell["s"])


def add(parts: list[tuple[str, Figure]], threshold: int) -> Figure:
    """The regional figure of (municipality, figure) parts."""
    present = [(name, f) for name, f in parts if not f.missing]
    left_out = [name for name, f in parts if f.missing]
    if not present:
        return Figure(missing=True)
    if any(f.mark for _name, f in present):
        return Figure(mark=HIDDEN, incomplete=left_out)
    total = sum(f.value for _name, f in present)
    cell = sup.single(total, threshold)
    return Figure(value=cell["v"], mark=cell["s"], incomplete=left_out)


def _period(share: dict | None, label: str) -> dict | None:
    if not share:
        return None
    return next((p for p in share["quarters"] if p["quarter"] == label), None)


def quarter_labels(shares: dict[str, dict | None]) -> list[str]:
    labels = {p["quarter"] for s in shares.values() if s for p in s["quarters"]}
    return sorted(labels, key=quarters.parse)


def _row(label: str, parts: list[tuple[str, Figure]], t: int) -> dict:
    return {"label": label, "cells": [f for _n, f in parts], "region": add(parts, t)}


def signals_table(shares: dict[str, dict | None], label: str, t: int) -> dict:
    """For one quarter: rows (total, urgency, forms, outcomes) × municipalities + region."""
    names = list(shares)
    periods = {n: _period(shares[n], label) for n in names}

    def parts(getter):
        return [(n, from_cell(getter(periods[n]["signals"]) if periods[n] else None))
                for n in names]

    form_codes: list[str] = []
    for p in periods.values():
        for code in (p["signals"]["forms"] if p else {}):
            if code not in form_codes:
                form_codes.append(code)
    return {
        "names": names,
        "total": _row("total", parts(lambda s: s["total"]), t),
        "urgency": [_row(k, parts(lambda s, k=k: s["urgency"][k]), t) for k in URGENCY],
        "forms": [_row(c, parts(lambda s, c=c: s["forms"].get(c)), t) for c in form_codes],
        "outcomes": [_row(k, parts(lambda s, k=k: s["outcomes"][k]), t) for k in OUTCOMES],
    }


def trend(shares: dict[str, dict | None], t: int) -> list[dict]:
    """Signals per quarter: each municipality's total and the region's."""
    names = list(shares)
    rows = []
    for label in quarter_labels(shares):
        parts = []
        for n in names:
            p = _period(shares[n], label)
            parts.append((n, from_cell(p["signals"]["total"] if p else None)))
        rows.append({"quarter": label, "cells": [f for _n, f in parts],
                     "region": add(parts, t)})
    return rows


def partners_table(shares: dict[str, dict | None], label: str, t: int) -> list[dict]:
    """Per partner code: per municipality sent, answered, no response, median days; and
    the region's sums with the answered-weighted mean of the medians shown."""
    names = list(shares)
    periods = {n: _period(shares[n], label) for n in names}
    codes: list[str] = []
    for p in periods.values():
        for row in (p["partners"] if p else []):
            if row["partner"] not in codes:
                codes.append(row["partner"])
    result = []
    for code in codes:
        per: dict[str, dict | None] = {}
        for n in names:
            p = periods[n]
            per[n] = next((r for r in p["partners"] if r["partner"] == code), None) if p else None
        measures = {}
        for key in ("sent", *PARTNER_MEASURES):
            parts = [(n, from_cell(per[n][key]) if per[n] else
                      (Figure(value=0) if periods[n] else Figure(missing=True))) for n in names]
            measures[key] = {"cells": [f for _n, f in parts], "region": add(parts, t)}
        medians = [(per[n]["median_days"], per[n]["answered"]["v"]) for n in names
                   if per[n] and per[n]["median_days"] is not None]
        region_median = None
        if measures["answered"]["region"].shown and medians:
            weight = sum(w for _m, w in medians)
            region_median = round(sum(m * w for m, w in medians) / weight, 1) if weight else None
        result.append({
            "partner": code, **measures,
            "medians": [per[n]["median_days"] if per[n] else None for n in names],
            "region_median": region_median,
        })
    return result


def plan_table(shares: dict[str, dict | None]) -> dict:
    """Per action code: each municipality's moments done of planned, side by side (exact:
    the plan's moments count the municipality's own work, not people)."""
    names = list(shares)
    codes: list[str] = []
    by_name = {}
    years = {}
    for n in names:
        share = shares[n]
        actions = {a["action"]: a for a in (share["plan"]["actions"] if share else [])}
        by_name[n] = actions
        years[n] = share["plan"]["year"] if share else None
        for code in actions:
            if code not in codes:
                codes.append(code)
    codes.sort(key=lambda c: [(0, int(x), "") if x.isdigit() else (1, 0, x)
                              for x in c.replace("-", ".").split(".")])
    rows = [{"action": c, "cells": [by_name[n].get(c) for n in names]} for c in codes]
    return {"names": names, "years": [years[n] for n in names], "rows": rows,
            "measures": PLAN_MEASURES}
