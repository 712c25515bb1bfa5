"""The region's strict check of what a municipality sends: a share (or agenda) that
deviates in any way is refused whole, and nothing of it is stored.

Refused: a key more or fewer than the schema has; a string that is not a code (lower-case
letters, digits, '-' and '_', at most 40 characters), an action code or a quarter; a
count that is negative, not a whole number, or shown while below the threshold; a hidden
count that still carries its value; a threshold below the region's own; more quarters,
partners or actions than a municipality can have. Only the agenda's questions are text,
checked for length and control characters; they were confirmed anonymous by a person in
the municipality and are stored encrypted.
"""

import re

from . import quarters as q
from .share import OUTCOMES, PARTNER_MEASURES, PLAN_MEASURES, SCHEMA, URGENCY

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
ACTION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,19}$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
AGENDA_SCHEMA = "schakel.region.agenda/1"
MAX_QUARTERS, MAX_PARTNERS, MAX_FORMS, MAX_ACTIONS, MAX_ITEMS = 12, 100, 20, 500, 50
MAX_COUNT = 10_000_000


class Invalid(Exception):
    """What is wrong, for the log (never shown with the data)."""


def _keys(obj, expected: set, where: str) -> None:
    if not isinstance(obj, dict):
        raise Invalid(f"{where}: not an object")
    if set(obj) != expected:
        raise Invalid(f"{where}: keys {sorted(set(obj) ^ expected)} unexpected or missing")


def _int(value, where: str, low: int = 0, high: int = MAX_COUNT) -> int:
    if type(value) is not int or not low <= value <= high:
        raise Invalid(f"{where}: not a whole number in range")
    return value


def _code(value, where: str, pattern=CODE) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise Invalid(f"{where}: not a code")
    return value


def _quarter(value, where: str) -> str:
    if not isinstance(value, str) or not q.PATTERN.match(value):
        raise Invalid(f"{where}: not a quarter")
    return value


def _cell(obj, where: str, t: int) -> None:
    _keys(obj, {"v", "s"}, where)
    if obj["s"] == "":
        value = _int(obj["v"], where)
        if 0 < value < t:
            raise Invalid(f"{where}: a small count is shown")
    elif obj["s"] in ("p", "x"):
        if obj["v"] is not None:
            raise Invalid(f"{where}: a hidden count carries its value")
    else:
        raise Invalid(f"{where}: unknown mark")


def _cells(obj, keys, where: str, t: int) -> None:
    _keys(obj, set(keys), where)
    for key in keys:
        _cell(obj[key], f"{where}.{key}", t)


def _signals(obj, where: str, t: int) -> None:
    _keys(obj, {"total", "urgency", "forms", "outcomes"}, where)
    _cell(obj["total"], f"{where}.total", t)
    _cells(obj["urgency"], URGENCY, f"{where}.urgency", t)
    _cells(obj["outcomes"], OUTCOMES, f"{where}.outcomes", t)
    forms = obj["forms"]
    if not isinstance(forms, dict) or len(forms) > MAX_FORMS:
        raise Invalid(f"{where}.forms: not an object of forms")
    for code, cell in forms.items():
        _code(code, f"{where}.forms key")
        _cell(cell, f"{where}.forms.{code}", t)


def _partner(obj, where: str, t: int) -> None:
    _keys(obj, {"partner", "sent", *PARTNER_MEASURES, "median_days"}, where)
    _code(obj["partner"], f"{where}.partner")
    for key in ("sent", *PARTNER_MEASURES):
        _cell(obj[key], f"{where}.{key}", t)
    median = obj["median_days"]
    if median is not None and (type(median) not in (int, float) or not 0 <= median <= 3660):
        raise Invalid(f"{where}.median_days: not a number of days")
    if median is not None and obj["answered"]["s"] != "":
        raise Invalid(f"{where}.median_days: a median over a hidden count")


def _list(value, where: str, limit: int) -> list:
    if not isinstance(value, list) or len(value) > limit:
        raise Invalid(f"{where}: not a list, or too long")
    return value


def share(data, *, threshold: int) -> dict:
    """Check a share; returns it unchanged, or raises Invalid."""
    _keys(data, {"schema", "threshold", "quarter", "quarters", "plan"}, "share")
    if data["schema"] != SCHEMA:
        raise Invalid("share.schema: unknown")
    t = _int(data["threshold"], "share.threshold", 0, 100)
    if t < threshold:
        raise Invalid("share.threshold: below the region's")
    _quarter(data["quarter"], "share.quarter")
    seen = set()
    for i, period in enumerate(_list(data["quarters"], "share.quarters", MAX_QUARTERS)):
        where = f"share.quarters[{i}]"
        _keys(period, {"quarter", "signals", "partners"}, where)
        seen_quarter = _quarter(period["quarter"], f"{where}.quarter")
        if seen_quarter in seen:
            raise Invalid(f"{where}.quarter: twice")
        seen.add(seen_quarter)
        _signals(period["signals"], f"{where}.signals", t)
        codes = set()
        for j, partner in enumerate(_list(period["partners"], f"{where}.partners",
                                          MAX_PARTNERS)):
            _partner(partner, f"{where}.partners[{j}]", t)
            if partner["partner"] in codes:
                raise Invalid(f"{where}.partners[{j}]: twice")
            codes.add(partner["partner"])
    plan = data["plan"]
    _keys(plan, {"year", "actions"}, "share.plan")
    _int(plan["year"], "share.plan.year", 2000, 2100)
    for i, action in enumerate(_list(plan["actions"], "share.plan.actions", MAX_ACTIONS)):
        where = f"share.plan.actions[{i}]"
        _keys(action, {"action", *PLAN_MEASURES}, where)
        _code(action["action"], f"{where}.action", ACTION)
        for key in PLAN_MEASURES:
            _int(action[key], f"{where}.{key}", 0, 10_000)
    return data


def agenda(data) -> list[dict]:
    """Check an agenda; returns its items, or raises Invalid."""
    _keys(data, {"schema", "items"}, "agenda")
    if data["schema"] != AGENDA_SCHEMA:
        raise Invalid("agenda.schema: unknown")
    ids = set()
    for i, item in enumerate(_list(data["items"], "agenda.items", MAX_ITEMS)):
        where = f"agenda.items[{i}]"
        _keys(item, {"id", "question", "quarter"}, where)
        ids.add(_int(item["id"], f"{where}.id", 1, 2**31))
        text = item["question"]
        if not isinstance(text, str) or not 1 <= len(text.strip()) <= 1000 \
                or CONTROL.search(text):
            raise Invalid(f"{where}.question: not a question text")
        _quarter(item["quarter"], f"{where}.quarter")
    if len(ids) != len(data["items"]):
        raise Invalid("agenda.items: an id twice")
    return data["items"]
