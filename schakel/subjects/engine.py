"""The matching engine, behind one interface: `prepare`, `propose`, `rebuild_index`.

How a proposal is made (the README's "Enrichment: how matching works" explains why):
1. The query is normalised and turned into blocking keys (`normalize.py`): phonetic
   surname + first name, surname + initial, date of birth + initial, a vowel-less
   skeleton; postcode + house number, street + number; KvK number, organisation name
   without legal form. A query adds keys for other readings (swapped names).
2. One SQL statement reads at most `PER_KEY` record ids per key from the covering
   index on `RecordKey(key, record)`: an equality lookup, fast on SQLite and PostgreSQL.
3. The candidate records (a few hundred at most) are fetched in one query and scored
   with rapidfuzz on their stored normal form; each score comes with its reasons.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from . import normalize as n
from .bands import Band, band_for
from .models import Record, RecordKey

PER_KEY = 150  # record ids read per key; a key this common says little anyway
SEP = "|"


@dataclass
class Query:
    kind: str  # person, organisation, address
    name: str = ""
    date_of_birth: dt.date | None = None
    kvk_number: str = ""
    street: str = ""
    house_number: str = ""
    addition: str = ""
    postcode: str = ""
    city: str = ""

    @classmethod
    def from_subject(cls, subject) -> "Query":
        return cls(kind=subject.kind, name=subject.name, date_of_birth=subject.date_of_birth,
                   kvk_number=subject.kvk_number, street=subject.street,
                   house_number=subject.house_number, addition=subject.house_number_addition,
                   postcode=subject.postcode, city=subject.city)

    def is_empty(self) -> bool:
        return not any([self.name.strip(), self.kvk_number.strip(), self.street.strip(),
                        self.postcode.strip(), self.date_of_birth])


@dataclass
class Candidate:
    """One proposed record: its 0-100 score, band and the reasons for and against.

    `same_kind` is False for records of another kind than the query's (the person
    registered at a queried address); those are shown in their own group.
    """

    record: Record
    score: int
    reasons_for: list[str] = field(default_factory=list)
    reasons_against: list[str] = field(default_factory=list)
    same_kind: bool = True

    @property
    def band(self) -> Band | None:
        return band_for(self.score)

    @property
    def reasons(self) -> list[str]:
        return self.reasons_for + self.reasons_against

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


# ---------------------------------------------------------------- the normal form


@dataclass(frozen=True)
class Normal:
    person: n.PersonName
    org: str
    address: n.Address


def _address_of(obj) -> n.Address:
    return n.parse_address(street=obj.street, house_number=obj.house_number,
                           addition=getattr(obj, "addition", None)
                           or getattr(obj, "house_number_addition", ""),
                           postcode=obj.postcode, city=obj.city)


def normal_of(kind: str, obj) -> Normal:
    person = n.parse_person(obj.name) if kind == "person" and obj.name else n.PersonName()
    org = n.org_normal(obj.name) if kind == "organisation" else ""
    return Normal(person, org, _address_of(obj))


def dump_norm(normal: Normal) -> str:
    p, a = normal.person, normal.address
    return SEP.join([" ".join(p.given), p.prefix, p.surname, normal.org, a.street, a.number,
                     a.addition, a.postcode, a.city])


def load_norm(text: str) -> Normal:
    parts = (text or "").split(SEP)
    parts += [""] * (9 - len(parts))
    given, prefix, surname, org, street, number, addition, postcode, city = parts[:9]
    return Normal(n.PersonName(tuple(given.split()), prefix, surname), org,
                  n.Address(street, number, addition, postcode, city))


def keys_of(kind: str, normal: Normal, dob: dt.date | None, kvk: str, *, query=False) -> list[str]:
    iso = dob.isoformat() if dob else ""
    keys: list[str] = []
    if kind == "person":
        finder = n.person_query_keys if query else n.person_keys
        keys += finder(normal.person, iso)
    elif kind == "organisation":
        keys += n.org_keys(normal.org, kvk)
    keys += n.address_keys(normal.address)
    return list(dict.fromkeys(keys))


def prepare(record: Record) -> list[str]:
    """Set `record.norm` from its fields; return the keys to file it under."""
    normal = normal_of(record.kind, record)
    record.norm = dump_norm(normal)
    record.kvk_number = n.normal_kvk(record.kvk_number) or record.kvk_number
    return keys_of(record.kind, normal, record.date_of_birth, record.kvk_number)


def write_keys(pairs: list[tuple[str, int]]) -> None:
    """Insert (key, record_id) rows fast: COPY on PostgreSQL, executemany on SQLite."""
    if not pairs:
        return
    table = RecordKey._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (key, record_id) FROM STDIN") as copy:
                for pair in pairs:
                    copy.write_row(pair)
        else:
            cursor.executemany(f"INSERT INTO {table} (key, record_id) VALUES (%s, %s)", pairs)


def old_keys(record: Record) -> list[str]:
    """The keys a saved record is filed under now (call before changing its fields)."""
    return keys_of(record.kind, load_norm(record.norm), record.date_of_birth, record.kvk_number)


def reindex(records: list[Record], previous: dict[int, list[str]] | None = None) -> None:
    """File saved records under their keys, replacing `previous` ({pk: old keys}) if given."""
    table = RecordKey._meta.db_table
    gone = [(key, pk) for pk, keys in (previous or {}).items() for key in keys]
    if gone:
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {table} WHERE key = %s AND record_id = %s", gone)
    write_keys([(key, r.pk) for r in records for key in prepare(r)])


@transaction.atomic
def rebuild_index(batch: int = 20000, progress=None) -> int:
    """Recompute every record's keys from its stored normal form. Returns the keys written."""
    table = RecordKey._meta.db_table
    indexes = RecordKey._meta.indexes
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        if connection.vendor == "sqlite":
            # A bigger page cache lets SQLite sort the index in memory (this process only).
            cursor.execute("PRAGMA cache_size = -400000")
    # Building an index once over sorted data is several times faster than keeping it
    # up to date row by row.
    with connection.cursor() as cursor:
        for index in indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {index.name}")
    written, last = 0, 0
    while True:
        rows = list(Record.objects.filter(id__gt=last).order_by("id").values_list(
            "id", "kind", "norm", "date_of_birth", "kvk_number")[:batch])
        if not rows:
            with connection.cursor() as cursor:
                for index in indexes:
                    columns = ", ".join(RecordKey._meta.get_field(f).column for f in index.fields)
                    cursor.execute(f"CREATE INDEX {index.name} ON {table} ({columns})")
            return written
        pairs = []
        for pk, kind, norm, dob, kvk in rows:
            for key in keys_of(kind, load_norm(norm), dob, kvk):
                pairs.append((key, pk))
        write_keys(pairs)
        written += len(pairs)
        last = rows[-1][0]
        if progress:
            progress(last, written)


# ---------------------------------------------------------------- proposing


def candidate_ids(keys: list[str], per_key: int = PER_KEY) -> list[int]:
    """Record ids under any of the keys, in key order (most selective first), one statement."""
    if not keys:
        return []
    table = RecordKey._meta.db_table
    part = f"SELECT * FROM (SELECT record_id FROM {table} WHERE key = %s LIMIT {int(per_key)}) k"
    sql = " UNION ALL ".join([part] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(sql, keys)
        return list(dict.fromkeys(row[0] for row in cursor.fetchall()))


def propose(query: Query, *, limit: int = 10, exclude_signal_id: int | None = None,
            exclude_record_ids=(), per_key: int = PER_KEY) -> list[Candidate]:
    """The best `limit` records for a person, organisation or address, with score and reasons."""
    if query.is_empty():
        return []
    q_normal = normal_of(query.kind, query)
    kvk = n.normal_kvk(query.kvk_number)
    ids = candidate_ids(keys_of(query.kind, q_normal, query.date_of_birth, kvk, query=True),
                        per_key)
    excluded = set(exclude_record_ids)
    ids = [i for i in ids if i not in excluded]
    if not ids:
        return []
    records = Record.objects.filter(id__in=ids).select_related("source", "subject__signal")
    readings = [q_normal.person]
    other = n.swapped(q_normal.person)
    if other is not None:
        readings.append(other)
    out = []
    for record in records:
        if exclude_signal_id and record.subject_id and \
                record.subject.signal_id == exclude_signal_id:
            continue
        score, reasons = score_record(query, q_normal, readings, kvk, record)
        if score > 0:
            out.append(Candidate(record, score, reasons,
                                 same_kind=record.kind == query.kind))
    out.sort(key=lambda c: (-c.score, c.record.pk))
    return out[:limit]


def _ratio(a: str, b: str) -> float:
    return fuzz.ratio(a, b) if a and b else 0.0


def _surname_score(q: str, r: str) -> tuple[float, str]:
    if not q or not r:
        return 0.0, ""
    if q == r:
        return 100.0, "same"
    qc, rc = n._surname_core(q), n._surname_core(r)
    if n.phonetic(qc) == n.phonetic(rc):
        return 94.0, "sounds"
    return max(_ratio(q, r), _ratio(n.phonetic(qc), n.phonetic(rc)) - 3), "like"


def _given_score(q: tuple, r: tuple) -> tuple[float, str]:
    if not q or not r:
        return 55.0, ""
    qf, rf = q[0], r[0]
    if len(qf) == 1 or len(rf) == 1:
        q_init, r_init = "".join(g[0] for g in q), "".join(g[0] for g in r)
        if q_init == r_init:
            return 88.0, "initials"
        return (78.0, "initial") if qf[0] == rf[0] else (10.0, "")
    if qf == rf:
        return 100.0, "same"
    if n.phonetic(qf) == n.phonetic(rf):
        return 94.0, "sounds"
    # "Jan Peter" against "Peter": any given name may be the one in use.
    best = max(_ratio(a, b) for a in q for b in r if len(a) > 1 and len(b) > 1) \
        if any(len(a) > 1 for a in q) and any(len(b) > 1 for b in r) else 0.0
    return best, "like" if best >= 75 else ""


def _person_score(readings, record_person) -> tuple[float, list[str]]:
    best, best_reasons = 0.0, []
    for i, q in enumerate(readings):
        sur, how = _surname_score(q.surname, record_person.surname)
        given, ghow = _given_score(q.given, record_person.given)
        score = 0.62 * sur + 0.38 * given
        reasons = []
        if how == "same":
            reasons.append(_("same surname"))
        elif how in ("sounds", "like") and sur >= 70:
            reasons.append(_("surname looks like %(name)s") % {"name": record_person.surname})
        if ghow == "same":
            reasons.append(_("same first name"))
        elif ghow in ("sounds", "like"):
            reasons.append(_("first name looks like %(name)s") % {"name": record_person.given[0]})
        elif ghow in ("initials", "initial"):
            reasons.append(_("same initial"))
        if q.prefix and record_person.prefix and q.prefix != record_person.prefix:
            score -= 2
        if i == 1:
            score -= 1
            reasons.append(_("first and last name swapped"))
        if score > best:
            best, best_reasons = score, reasons
    return best, best_reasons


def _address_score(q: n.Address, r: n.Address) -> tuple[float, list[str]]:
    if not (q.street or q.postcode) or not (r.street or r.postcode):
        return 0.0, []
    reasons = []
    same_number = q.number and q.number == r.number
    if q.postcode and q.postcode == r.postcode and same_number:
        score = 90.0
        reasons.append(_("same postcode and house number"))
    elif q.postcode and q.postcode == r.postcode and not q.number:
        score = 80.0
        reasons.append(_("same postcode"))
    else:
        street = _ratio(n.street_key(q.street), n.street_key(r.street)) if q.street else 0.0
        score = 0.65 * street + (25.0 if same_number else 0.0)
        if street >= 99:
            reasons.append(_("same street"))
        elif street >= 70:
            reasons.append(_("street looks like %(name)s") % {"name": r.street})
        if same_number:
            reasons.append(_("same house number"))
        if q.city and r.city:
            if q.city == r.city:
                score += 8
            else:
                score -= 10
    if same_number and (q.addition or r.addition):
        if q.addition == r.addition:
            score += 10
            reasons.append(_("same addition"))
        else:
            score -= 12
            reasons.append(_("other addition"))
    elif same_number:
        score += 10
    return min(score, 100.0), reasons


def score_record(query: Query, q: Normal, readings, kvk: str, record: Record):
    """Score 0–100 and the reasons, in the officer's words."""
    r = load_norm(record.norm)
    reasons: list[str] = []
    if query.kind == "person":
        if record.kind != "person":
            score, reasons = _address_score(q.address, r.address)
            return int(score * 0.8), reasons
        score, reasons = _person_score(readings, r.person)
        if query.date_of_birth and record.date_of_birth:
            if query.date_of_birth == record.date_of_birth:
                score += 20
                reasons.append(_("same date of birth"))
            else:
                score -= 30
                reasons.append(_("other date of birth"))
        if q.address.number:
            addr, _reasons = _address_score(q.address, r.address)
            if addr >= 90:
                score += 8
                reasons.append(_("same address"))
    elif query.kind == "organisation":
        if record.kind != "organisation":
            score, reasons = _address_score(q.address, r.address)
            return int(score * 0.8), reasons
        if kvk and record.kvk_number == kvk:
            score = 100.0
            reasons.append(_("same Chamber of Commerce number"))
        else:
            name = max(fuzz.token_sort_ratio(q.org, r.org),
                       _ratio(_org_phonetic(q.org), _org_phonetic(r.org)))
            score = name
            if q.org == r.org:
                reasons.append(_("same name (legal form ignored)"))
            elif name >= 70:
                reasons.append(_("name looks like %(name)s") % {"name": record.name})
            if kvk and record.kvk_number:
                score -= 30
                reasons.append(_("other Chamber of Commerce number"))
        if q.address.number:
            addr, _reasons = _address_score(q.address, r.address)
            if addr >= 90:
                score += 8
                reasons.append(_("same address"))
    else:
        score, reasons = _address_score(q.address, r.address)
    if record.subject_id and record.subject and record.subject.signal.reference:
        reasons.append(_("in signal %(ref)s") % {"ref": record.subject.signal.reference})
    return int(max(0.0, min(score, 100.0))), reasons


def _org_phonetic(text: str) -> str:
    return "".join(n.phonetic(t) for t in text.split())
