"""Scores as evidence: comparison levels, their weights, and the reasons in the officer's words.

The way probabilistic record linkage (Fellegi–Sunter) weighs evidence:

1. Each field of a query and a candidate record is compared into one *level*: exact,
   phonetic, close, different or missing (`compare`). Missing is not disagreeing: a
   record without a date of birth takes no penalty and gets no credit.
2. Each level has a weight, log2(m / u): m is how often a true match shows that level,
   u how often a look-alike that the search brings up shows it. Agreement on a common
   surname or street weighs less than on a rare one (term frequencies from the register).
3. The weights add up, with a prior, to a match weight; nothing is capped before all
   evidence is in. The match weight is shown as a 0–100 score (the probability, in
   per cent, that the pair is a match) and `bands.band_for` turns that into a band.

The weights live in a JSON file (`match_weights.json`): shipped defaults in
`subjects/data/`, replaced by the output of `manage.py register_weights` in
DATA_DIR/subjects/ (see `estimate.py`).
"""

import datetime as dt
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from . import normalize as n

DEFAULTS_FILE = Path(__file__).parent / "data" / "match_weights.json"
MISSING = "missing"

# The comparisons per kind of query, and their levels from strongest to weakest.
LEVELS = {
    "surname": ["exact", "phonetic", "close", "different"],
    "given": ["exact", "variant", "initials", "close", "different"],
    "dob": ["exact", "close", "different"],
    "address": ["exact", "same_street", "street_no_place", "close_street", "one_side",
                "other_addition", "other_number", "other_place", "different"],
    "org_name": ["exact", "reordered", "phonetic", "close", "shares_words", "different"],
    "kvk": ["exact", "different"],
    "legal_form": ["exact", "different"],
    "city": ["exact", "different"],
}
# An address query is weighed on the same levels, with weights of its own.
LEVELS["location"] = LEVELS["address"]
COMPARISONS = {
    "person": ["surname", "given", "dob", "address"],
    "organisation": ["org_name", "kvk", "legal_form", "city", "address"],
    "address": ["location"],
}
TF_BOUNDS = (-1.5, 1.5)  # how far a term frequency may move an exact agreement's weight
# Levels that speak against a match (their reasons are listed as such).
AGAINST = {"different", "other_addition", "other_number", "other_place", "one_side",
           "shares_words"}
# Levels in order of strength: a weaker level never weighs more than a stronger one
# (a sparse count could make it look so).
CHAINS = {"surname": 4, "given": 5, "dob": 3, "org_name": 6, "address": 5, "location": 5}


# ---------------------------------------------------------------- the parties compared


@dataclass(frozen=True)
class Side:
    """One side of a comparison in its normal form: a query or a register record."""

    person: n.PersonName
    org: str
    address: n.Address
    dob: dt.date | None = None
    kvk: str = ""
    legal_form: str = ""


# ---------------------------------------------------------------- comparison levels


def _surname(q: n.PersonName, r: n.PersonName) -> str:
    if not q.surname or not r.surname:
        return MISSING
    if q.surname == r.surname or _spelling(q.surname) == _spelling(r.surname):
        # "de Vos" and "Vos", "van Oosthuisma" and "de Oosthuisma": near, not the same.
        return "exact" if q.prefix.replace(" ", "") == r.prefix.replace(" ", "") else "phonetic"
    qs, rs = q.surname.replace(" ", ""), r.surname.replace(" ", "")
    if n.phonetic(qs) == n.phonetic(rs):
        return "phonetic"
    qc, rc = n._surname_core(q.surname), n._surname_core(r.surname)
    if qc == rc or n.phonetic(qc) == n.phonetic(rc):
        return "phonetic"  # one half of a double surname ("Jansen" / "Jansen-de Vries")
    if fuzz.ratio(qs, rs) >= 80 or fuzz.ratio(n.phonetic(qs), n.phonetic(rs)) >= 80 or (
            n.skeleton(qc) == n.skeleton(rc)):
        return "close"
    return "different"


def _spelling(name: str) -> str:
    """One spelling for conventions that do not make another name: IJ = Y, spaces,
    hyphens and apostrophes ("IJzerman" = "Yzerman", "Jansen-Smit" = "Jansen Smit")."""
    return name.replace("ij", "y").replace(" ", "").replace("-", "").replace("'", "")


def _given(q: n.PersonName, r: n.PersonName) -> str:
    if not q.given or not r.given:
        return MISSING
    if len(q.first) == 1 or len(r.first) == 1:
        # Initials on one side: compare them in order, as far as both go.
        qi, ri = q.initials, r.initials
        shorter = min(len(qi), len(ri))
        return "initials" if qi[:shorter] == ri[:shorter] else "different"
    full_q = [g for g in q.given if len(g) > 1]
    full_r = [g for g in r.given if len(g) > 1]
    if full_q[0] == full_r[0] or set(full_q) & set(full_r):
        return "exact"
    best = "different"
    for a in full_q:
        for b in full_r:
            ka, kb = n.given_key(a), n.given_key(b)
            alike = max(fuzz.ratio(a, b), fuzz.ratio(n.phonetic(a), n.phonetic(b)))
            if n.phonetic(a) == n.phonetic(b) or (ka == kb and len(ka) >= 2 and alike >= 70):
                return "variant"
            if alike >= 80 or (ka == kb and len(ka) >= 2 and alike >= 60) or (
                    min(len(ka), len(kb)) >= 3 and Levenshtein.distance(ka, kb) <= 1
                    and alike >= 50):
                best = "close"
    return best


def _dob(q: dt.date | None, r: dt.date | None) -> str:
    if not q or not r:
        return MISSING
    if q == r:
        return "exact"
    if (q.year == r.year and q.month == r.day and q.day == r.month) or sum(
            a != b for a, b in zip(q.strftime("%Y%m%d"), r.strftime("%Y%m%d"),
                                   strict=True)) == 1:
        return "close"  # day and month swapped, or one digit off
    return "different"


def _place_differs(q: n.Address, r: n.Address) -> bool:
    return bool((q.postcode and r.postcode and q.postcode != r.postcode)
                or (q.city and r.city and q.city != r.city))


def _address(q: n.Address, r: n.Address) -> str:
    """Two addresses as one comparison: its levels keep together what depends on each
    other (postcode, street, number, addition, place), so a neighbour or the same number
    in another place is one level rather than several agreements."""
    if not q.number or not r.number or not (q.street or q.postcode) or not (r.street or r.postcode):
        return MISSING
    same_postcode = bool(q.postcode and q.postcode == r.postcode)
    street_q = n.street_key(q.street) if q.street else ""
    street_r = n.street_key(r.street) if r.street else ""
    same_street = bool(street_q and street_q == street_r)
    close_street = bool(street_q and street_r and not same_street
                        and fuzz.ratio(street_q, street_r) >= 85)
    conflict = _place_differs(q, r)
    if not (same_postcode or same_street or close_street):
        return "different"
    if q.number != r.number:
        return "other_number" if (same_postcode or not conflict) else "different"
    if conflict and not same_postcode:
        return "other_place"
    if q.addition != r.addition:
        return "one_side" if not (q.addition and r.addition) else "other_addition"
    if same_postcode:
        return "exact"
    if same_street:
        return "same_street" if (q.city and r.city) else "street_no_place"
    return "close_street"


def _org_name(q: str, r: str) -> str:
    if not q or not r:
        return MISSING
    if q == r:
        return "exact"
    qt, rt = q.split(), r.split()
    if sorted(qt) == sorted(rt):
        return "reordered"
    qp = sorted(n.phonetic(t) for t in qt)
    rp = sorted(n.phonetic(t) for t in rt)
    if qp == rp or "".join(n.phonetic(t) for t in qt) == "".join(n.phonetic(t) for t in rt):
        return "phonetic"
    qs, rs = n.org_significant(qt), n.org_significant(rt)
    if _words_match(qs, rs) and (_words_match(rs, qs) or len(qs) >= 2):
        return "close"  # the same words but for slips, or one word more in the register
    if set(qs) & set(rs) or _words_match(qs[-1:], rs) or _words_match(rs[-1:], qs):
        return "shares_words"
    return "different"


def _words_match(words: list[str], others: list[str]) -> bool:
    """Whether every word has a counterpart among `others`, slips allowed."""
    return bool(words) and all(
        any(a == b or fuzz.ratio(a, b) >= 80 or n.phonetic(a) == n.phonetic(b)
            for b in others) for a in words)


def _equal(q: str, r: str) -> str:
    if not q or not r:
        return MISSING
    return "exact" if q == r else "different"


def compare(kind: str, q: Side, r: Side) -> dict[str, str]:
    """The level of every comparison of `kind` between query `q` and record `r`."""
    if kind == "person":
        return {"surname": _surname(q.person, r.person), "given": _given(q.person, r.person),
                "dob": _dob(q.dob, r.dob), "address": _address(q.address, r.address)}
    if kind == "organisation":
        return {"org_name": _org_name(q.org, r.org), "kvk": _equal(q.kvk, r.kvk),
                "legal_form": _equal(q.legal_form, r.legal_form),
                "city": _equal(q.address.city, r.address.city),
                "address": _address(q.address, r.address)}
    return {"location": _address(q.address, r.address)}


def compare_person(q: Side, readings: list[n.PersonName], r: Side) -> tuple[dict, int]:
    """The person comparison under the query's best reading of its name (and which one)."""
    best, best_i, best_rank = None, 0, None
    for i, person in enumerate(readings):
        levels = {"surname": _surname(person, r.person), "given": _given(person, r.person)}
        rank = (LEVELS["surname"] + [MISSING]).index(levels["surname"]) * 10 + (
            LEVELS["given"] + [MISSING]).index(levels["given"])
        if best_rank is None or rank < best_rank:
            best, best_i, best_rank = levels, i, rank
    best["dob"] = _dob(q.dob, r.dob)
    best["address"] = _address(q.address, r.address)
    return best, best_i


# ---------------------------------------------------------------- the weights


class Model:
    """Weights per comparison level (log2 m/u), the prior, and the term frequencies."""

    def __init__(self, data: dict):
        self.data = data
        self.prior = {kind: float(v) for kind, v in data["prior"].items()}
        self.weights: dict[str, dict[str, float]] = {}
        for comparison, levels in data["m"].items():
            u = data["u"][comparison]
            self.weights[comparison] = {
                level: math.log2(levels[level] / u[level]) for level in levels}
            self.weights[comparison][MISSING] = 0.0  # missing is no evidence either way
        for comparison, length in CHAINS.items():
            chain, weights = LEVELS[comparison][:length], self.weights.get(comparison, {})
            for stronger, weaker in zip(chain, chain[1:], strict=False):
                if weaker in weights and stronger in weights:
                    weights[weaker] = min(weights[weaker], weights[stronger])
        self.tf = {name: (table.get("values", {}), float(table.get("floor", 1)),
                          float(table.get("typical", 0)))
                   for name, table in data.get("tf", {}).items()}

    def tf_adjustment(self, name: str, value: str) -> float:
        """log2(typical / frequency of this value): negative for a common surname or street."""
        values, floor, typical = self.tf.get(name, ({}, 1.0, 0.0))
        if not typical or not value:
            return 0.0
        count = values.get(value, floor)
        low, high = TF_BOUNDS
        return max(low, min(high, math.log2(typical / count)))


_cache: dict = {}


def stored_file() -> Path:
    return Path(settings.DATA_DIR) / "subjects" / "match_weights.json"


def current_model() -> Model:
    """The stored weights if `register_weights` wrote any, else the shipped defaults.

    Re-read when the file changes (one stat per proposal, no database query).
    """
    path = stored_file()
    try:
        stamp = (str(path), os.stat(path).st_mtime_ns)
    except OSError:
        path, stamp = DEFAULTS_FILE, (str(DEFAULTS_FILE), 0)
    if _cache.get("stamp") != stamp:
        with open(path, encoding="utf-8") as f:
            _cache.update(stamp=stamp, model=Model(json.load(f)))
    return _cache["model"]


# ---------------------------------------------------------------- scoring


@dataclass
class Evidence:
    weight: float  # the match weight: prior + the levels' weights, in bits
    score: int  # 0-100
    levels: dict[str, str]
    common_surname: bool = False
    rivals: bool = False  # others in the same data set fit about as well

    @property
    def odds(self) -> float:
        return 2.0 ** max(-60.0, min(60.0, self.weight))


def to_score(weight: float) -> int:
    """The match weight as the probability of a match, in whole per cent."""
    probability = 1.0 / (1.0 + 2.0 ** (-max(-60.0, min(60.0, weight))))
    return int(math.floor(probability * 100 + 0.5)) if probability < 0.995 else (
        100 if probability >= 0.999 else 99)


def weigh(model: Model, kind: str, levels: dict[str, str], q: Side,
          reading: n.PersonName | None = None) -> Evidence:
    """Add up the weights of the levels (and the term-frequency adjustments)."""
    weight = model.prior[kind]
    common = False
    for comparison, level in levels.items():
        w = model.weights[comparison].get(level, 0.0)
        if comparison == "surname" and level in ("exact", "phonetic"):
            tf = model.tf_adjustment("surname", n.phonetic(
                n._surname_core((reading or q.person).surname)))
            # Agreeing on a common surname says less, but never less than nearly agreeing.
            w = max(w + tf, model.weights["surname"]["close"])
            common = tf <= -1
        elif comparison == "location" and level in ("same_street", "street_no_place"):
            w += model.tf_adjustment("street", n.street_key(q.address.street))
        weight += w
    return Evidence(weight, to_score(weight), levels, common)


def explain(evidence: Evidence, r: Side) -> tuple[list[str], list[str]]:
    """The reasons for and against, in the officer's words (only for shown candidates)."""
    pro: list[str] = []
    con: list[str] = []
    for comparison, level in evidence.levels.items():
        msgid = REASONS.get((comparison, level))
        if msgid:
            text = _(msgid)
            if "%(name)s" in text:
                text = text % {"name": _named(comparison, r)}
            (con if level in AGAINST else pro).append(text)
    if evidence.common_surname:
        con.append(_("common surname"))
    return pro, con


def _named(comparison: str, r: Side) -> str:
    if comparison == "surname":
        return " ".join(p for p in [r.person.prefix, r.person.surname] if p)
    if comparison == "given":
        return r.person.first
    if comparison == "org_name":
        return r.org
    return r.address.street


_LOCATION = {
    "same_street": gettext_noop("same street, house number and place"),
    "street_no_place": gettext_noop("same street and house number"),
    "close_street": gettext_noop("street looks like %(name)s, same house number"),
    "one_side": gettext_noop("addition on one side only"),
    "other_addition": gettext_noop("other addition"),
    "other_number": gettext_noop("other house number"),
    "other_place": gettext_noop("same street and number in another place"),
    "different": gettext_noop("other address"),
}
# The officer's words per level; a level not listed (missing, …) says nothing.
REASONS = {
    ("surname", "exact"): gettext_noop("same surname"),
    ("surname", "phonetic"): gettext_noop("surname sounds the same (%(name)s)"),
    ("surname", "close"): gettext_noop("surname looks like %(name)s"),
    ("surname", "different"): gettext_noop("other surname"),
    ("given", "exact"): gettext_noop("same first name"),
    ("given", "variant"): gettext_noop("first name written differently (%(name)s)"),
    ("given", "initials"): gettext_noop("same initials"),
    ("given", "close"): gettext_noop("first name looks like %(name)s"),
    ("given", "different"): gettext_noop("other first name"),
    ("dob", "exact"): gettext_noop("same date of birth"),
    ("dob", "close"): gettext_noop("date of birth almost the same"),
    ("dob", "different"): gettext_noop("other date of birth"),
    ("address", "exact"): gettext_noop("same address"),
    ("location", "exact"): gettext_noop("same postcode and house number"),
    **{("address", level): text for level, text in _LOCATION.items()},
    **{("location", level): text for level, text in _LOCATION.items()},
    ("org_name", "exact"): gettext_noop("same name (legal form ignored)"),
    ("org_name", "reordered"): gettext_noop("same words in another order"),
    ("org_name", "phonetic"): gettext_noop("name sounds the same"),
    ("org_name", "close"): gettext_noop("name looks like %(name)s"),
    ("org_name", "shares_words"): gettext_noop("name shares words only"),
    ("org_name", "different"): gettext_noop("other name"),
    ("kvk", "exact"): gettext_noop("same Chamber of Commerce number"),
    ("kvk", "different"): gettext_noop("other Chamber of Commerce number"),
    ("legal_form", "different"): gettext_noop("other legal form"),
    ("city", "exact"): gettext_noop("same place"),
    ("city", "different"): gettext_noop("other place"),
}
