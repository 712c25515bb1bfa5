"""Estimate the match weights and store them: what `manage.py register_weights` does.

1. m and u per comparison level are counted on labelled pairs: the tuning split of the
   evaluation set (`evalset.TUNE_SEED`, never the split the benchmark reports), or a
   labelled CSV of the municipality's own decisions. Each query is blocked the way the
   engine does it (its keys, over its split's records plus synthetic register records),
   so u is measured on the look-alikes a search really brings up, not on random pairs
   (random pairs agree on almost nothing and would make every agreement look decisive).
   Counts start from an expert's guess worth 20 pairs (`EXPERT`); "missing"
   always weighs 0.
2. The prior per kind is log2(matches / non-matches) among those blocked pairs.
3. Term frequencies come from the register itself: how many persons share each
   (phonetic) surname and how many records each street. The 5,000 most common values
   are stored with the rest's floor, so a proposal reads them from memory.
4. Everything goes into DATA_DIR/subjects/match_weights.json, read by `evidence.py`.
"""

import datetime as dt
import json
import math
from collections import Counter, defaultdict

from . import engine, evalset
from . import evidence as ev
from . import normalize as n
from .models import Record

TF_KEEP = 5000
NOISE_RECORDS = 30_000
PRIOR_PAIRS = 20  # the expert guess below counts as this many labelled pairs

# An expert's guess of m (true matches) and u (look-alikes the search brings up) per
# level. The counts move it; a level seldom seen keeps close to the guess instead of
# getting an extreme weight from two or three pairs.
_ADDRESS_M = {"exact": .80, "same_street": .08, "street_no_place": .04, "close_street": .03,
              "one_side": .02, "other_addition": .005, "other_number": .005,
              "other_place": .005, "different": .015}
_ADDRESS_U = {"exact": .10, "same_street": .03, "street_no_place": .02, "close_street": .02,
              "one_side": .05, "other_addition": .10, "other_number": .25,
              "other_place": .13, "different": .30}
EXPERT = {
    "m": {"surname": {"exact": .80, "phonetic": .10, "close": .08, "different": .02},
          "given": {"exact": .78, "variant": .06, "initials": .10, "close": .04,
                    "different": .02},
          "dob": {"exact": .93, "close": .04, "different": .03},
          "address": _ADDRESS_M, "location": _ADDRESS_M,
          "org_name": {"exact": .50, "reordered": .10, "phonetic": .10, "close": .20,
                       "shares_words": .08, "different": .02},
          "kvk": {"exact": .97, "different": .03},
          "legal_form": {"exact": .80, "different": .20},
          "city": {"exact": .95, "different": .05}},
    "u": {"surname": {"exact": .40, "phonetic": .10, "close": .10, "different": .40},
          "given": {"exact": .15, "variant": .03, "initials": .10, "close": .07,
                    "different": .65},
          "dob": {"exact": .02, "close": .03, "different": .95},
          "address": _ADDRESS_U, "location": _ADDRESS_U,
          "org_name": {"exact": .05, "reordered": .02, "phonetic": .05, "close": .10,
                       "shares_words": .48, "different": .30},
          "kvk": {"exact": .002, "different": .998},
          "legal_form": {"exact": .50, "different": .50},
          "city": {"exact": .30, "different": .70}},
}


def _record(row: dict) -> Record:
    dob = row.get("date_of_birth") or None
    return Record(kind=row["kind"], name=row.get("name", ""), external_id=row["external_id"],
                  date_of_birth=dt.date.fromisoformat(dob) if dob else None,
                  **{f: row.get(f, "") for f in ("kvk_number", "street", "house_number",
                                                 "house_number_addition", "postcode", "city")})


def query_of(row: dict) -> engine.Query:
    dob = row.get("date_of_birth") or None
    return engine.Query(kind=row["kind"], name=row.get("name", ""),
                        date_of_birth=dt.date.fromisoformat(dob) if dob else None,
                        **{f: row.get(f, "") for f in ("kvk_number", "street", "house_number",
                                                       "addition", "postcode", "city")})


def labelled_levels(seed: int = evalset.TUNE_SEED, queries: int = 2600, noise: int = NOISE_RECORDS):
    """(kind, levels, is_match) for every blocked same-kind pair of the split's queries."""
    from . import benchdata

    split = evalset.generate(seed, queries)
    rows = split.records + list(benchdata.noise_records(noise, seed=seed + 99))
    records, index = [], defaultdict(list)
    for i, row in enumerate(rows):
        record = _record(row)
        record.pk = i + 1
        for key in engine.prepare(record):
            index[key].append(record)
        records.append(record)
    by_ext = {r.external_id: r for r in records}
    for row in split.queries:
        query = query_of(row)
        side, readings = engine.query_side(query)
        seen = {}
        for key in engine.query_keys(query, side, readings):
            for record in index.get(key, ())[: engine.key_cap(key)]:
                seen[record.pk] = record
        truth = by_ext.get(row["truth"])
        if truth is not None:
            seen[truth.pk] = truth  # m is about the truth, found or not
        for record in seen.values():
            if record.kind != query.kind:
                continue
            levels = engine.compare_record(query, side, readings, record)[0]
            yield query.kind, levels, truth is not None and record.pk == truth.pk


def estimate_levels(pairs) -> dict:
    counts = {True: defaultdict(Counter), False: defaultdict(Counter)}
    totals = Counter()
    for kind, levels, is_match in pairs:
        totals[(kind, is_match)] += 1
        for comparison, level in levels.items():
            counts[is_match][comparison][level] += 1
    m, u = {}, {}
    for comparison, levels in ev.LEVELS.items():
        for target, source, guess in ((m, counts[True], EXPERT["m"]),
                                      (u, counts[False], EXPERT["u"])):
            seen = source[comparison]
            total = sum(seen[level] for level in levels) + PRIOR_PAIRS
            target[comparison] = {
                level: round((seen[level] + PRIOR_PAIRS * guess[comparison][level]) / total, 6)
                for level in levels}
    prior = {kind: round(math.log2(max(1, totals[(kind, True)]) /
                                   max(1, totals[(kind, False)])), 4)
             for kind in ev.COMPARISONS}
    return {"m": m, "u": u, "prior": prior,
            "pairs": {f"{kind}/{'match' if match else 'other'}": count
                      for (kind, match), count in sorted(totals.items())}}


def term_frequencies(values) -> dict:
    """A frequency table: the most common values, the floor for the rest, and the typical
    frequency (what a random pair of records that agree would share, sum of count²/N)."""
    counts = Counter(v for v in values if v)
    total = sum(counts.values())
    if not total:
        return {}
    typical = sum(c * c for c in counts.values()) / total
    common = dict(counts.most_common(TF_KEEP))
    floor = min(common.values()) if len(counts) > TF_KEEP else 1
    return {"total": total, "typical": round(typical, 4), "floor": floor, "values": common}


def register_frequencies(batch: int = 50_000) -> dict:
    """Surname and street frequencies of the register, read in batches of norms."""
    surnames, streets = [], []
    last = 0
    while True:
        rows = list(Record.objects.filter(id__gt=last).order_by("id").values_list(
            "id", "kind", "norm")[:batch])
        if not rows:
            break
        for _pk, kind, norm in rows:
            normal = engine.load_norm(norm)
            if kind == "person" and normal.person.surname:
                surnames.append(n.phonetic(n._surname_core(normal.person.surname)))
            if normal.address.street:
                streets.append(n.street_key(normal.address.street))
        last = rows[-1][0]
    return {"surname": term_frequencies(surnames), "street": term_frequencies(streets)}


def estimate(*, seed: int = evalset.TUNE_SEED, labelled=None, with_register: bool = True) -> dict:
    """The whole model: levels from `labelled` pairs (or the tuning split), TF from the register."""
    data = estimate_levels(labelled if labelled is not None else labelled_levels(seed))
    data["tf"] = register_frequencies() if with_register else {}
    data["about"] = (f"Estimated by register_weights from "
                     f"{'a labelled file' if labelled is not None else f'tuning split {seed}'}"
                     f"{' and the register' if with_register else ''}.")
    return data


def save(data: dict, path=None) -> str:
    path = path or ev.stored_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    tmp.replace(path)
    return str(path)


def labelled_file(path: str):
    """(kind, levels, is_match) from a CSV of decisions: the query's fields prefixed `q_`,
    the record's fields as in the register, and `match` (1/0)."""
    import csv

    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            query = query_of({k[2:]: v for k, v in row.items() if k.startswith("q_")} | {
                "kind": row["kind"]})
            record = _record({**row, "external_id": "x"})
            engine.prepare(record)
            side, readings = engine.query_side(query)
            levels = engine.compare_record(query, side, readings, record)[0]
            yield query.kind, levels, row["match"].strip() in {"1", "true", "ja", "yes"}
