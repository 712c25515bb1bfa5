"""The matching engine, behind one interface: `prepare`, `propose`, `rebuild_index`.

How a proposal is made (the README's "Enrichment: how matching works" explains why):
1. The query is normalised and turned into blocking keys (`normalize.py`) for every
   reading of its name: surname + given name's consonants, date of birth + surname
   sound, surname skeleton + initial, surname alone; postcode + house number, street +
   number; KvK number, organisation words. A one-line address in `Query.street` is split.
2. One SQL statement reads the candidate rows under those keys (at most `PER_KEY` ids
   per key, fewer for broad keys) from the covering index on `RecordKey(key, record)`.
3. Each candidate is weighed field by field (`evidence.py`: comparison levels, m/u
   weights, term frequencies); candidates of one data set compete.
4. The queried kind comes first; other kinds at the queried address follow. The
   candidate statement also read the data set and signal of each record, so the shown
   ones become `Record`s without another query.
"""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from . import evidence as ev
from . import normalize as n
from .bands import Band, band_for
from .models import Record, RecordKey, Source

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
    weight: float = 0.0  # the match weight behind the score, in bits (orders ties)

    @property
    def band(self) -> Band | None:
        """The band; None when it is no match, and for records of another kind (those are
        registered at the queried address, not the queried person or organisation)."""
        return band_for(self.score) if self.same_kind else None

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

# Keys that many records share: read fewer ids from them.
BROAD_KEYS = ("ps:", "ot:", "pd:")
BROAD_PER_KEY = 60


def key_cap(key: str, per_key: int = PER_KEY) -> int:
    """How many record ids to read under a key: fewer under keys that many records share."""
    if key.startswith(BROAD_KEYS) or (key.startswith("ap:") and key.endswith(":")):
        return min(per_key, BROAD_PER_KEY)
    return per_key


@dataclass
class Row:
    """A candidate record as the candidate query reads it: what scoring needs, and the
    rest to make a `Record` of it once it is shown (no model instance before that)."""

    id: int
    kind: str
    name: str
    norm: str
    date_of_birth: dt.date | None
    kvk_number: str
    signal_id: int | None
    source_id: int | None = None
    rest: tuple = ()  # the columns of `_REST`, then the source's and the signal's

    def to_record(self) -> Record:
        values = dict(zip(_REST, self.rest[:len(_REST)], strict=True))
        if isinstance(values["updated_at"], str):
            values["updated_at"] = parse_datetime(values["updated_at"])
        record = Record(id=self.id, kind=self.kind, name=self.name, norm=self.norm,
                        date_of_birth=self.date_of_birth, kvk_number=self.kvk_number,
                        source_id=self.source_id, **values)
        record._state.adding = False
        name, owner, confidentiality, reference = self.rest[len(_REST):]
        source = Source(id=self.source_id, name=name, owner=owner,
                        confidentiality=confidentiality)
        source._state.adding = False
        record.source = source
        record.signal_reference = reference or ""
        return record


_REST = ("external_id", "subject_id", "street", "house_number", "house_number_addition",
         "postcode", "city", "remark", "updated_at")


def candidate_rows(keys: list[str], per_key: int = PER_KEY) -> list[Row]:
    """The records under any of the keys, with their data set and signal: one statement."""
    if not keys:
        return []
    from schakel.signals.models import Signal, Subject

    keys_table, table = RecordKey._meta.db_table, Record._meta.db_table
    union = " UNION ALL ".join(
        f"SELECT * FROM (SELECT record_id FROM {keys_table} WHERE key = %s "
        f"LIMIT {int(key_cap(key, per_key))}) k{i}" for i, key in enumerate(keys))
    rest = ", ".join(f"r.{column}" for column in _REST)
    sql = (f"SELECT r.id, r.kind, r.name, r.norm, r.date_of_birth, r.kvk_number, s.signal_id, "
           f"r.source_id, {rest}, src.name, src.owner, src.confidentiality, sig.reference "
           f"FROM {table} r JOIN {Source._meta.db_table} src ON src.id = r.source_id "
           f"LEFT JOIN {Subject._meta.db_table} s ON s.id = r.subject_id "
           f"LEFT JOIN {Signal._meta.db_table} sig ON sig.id = s.signal_id "
           f"WHERE r.id IN ({union})")
    with connection.cursor() as cursor:
        cursor.execute(sql, keys)
        rows = cursor.fetchall()
    out = []
    for pk, kind, name, norm, dob, kvk, signal_id, source_id, *others in rows:
        if isinstance(dob, str):  # SQLite through a raw cursor
            dob = dt.date.fromisoformat(dob)
        out.append(Row(pk, kind, name, norm, dob, kvk, signal_id, source_id, tuple(others)))
    return out


def query_side(query: Query) -> tuple[ev.Side, list[n.PersonName]]:
    """The query in its normal form, and every reading of a person's name."""
    normal = normal_of(query.kind, query)
    readings = n.readings(query.name) if query.kind == "person" and query.name else [
        normal.person]
    side = ev.Side(readings[0], normal.org, normal.address, query.date_of_birth,
                   n.normal_kvk(query.kvk_number),
                   n.org_legal_form(query.name) if query.kind == "organisation" else "")
    return side, readings


def record_side(record) -> ev.Side:
    """A record (or a `Row`) in its normal form."""
    normal = load_norm(record.norm)
    return ev.Side(normal.person, normal.org, normal.address, record.date_of_birth,
                   record.kvk_number,
                   n.org_legal_form(record.name) if record.kind == "organisation" else "")


def query_keys(query: Query, side: ev.Side, readings: list[n.PersonName]) -> list[str]:
    iso = query.date_of_birth.isoformat() if query.date_of_birth else ""
    keys: list[str] = []
    if query.kind == "person" and readings:
        keys += n.person_query_keys(readings[0], iso, others=readings[1:])
    elif query.kind == "organisation":
        keys += n.org_keys(side.org, side.kvk)
    keys += n.address_keys(side.address)
    return list(dict.fromkeys(keys))


def compare_record(query: Query, side: ev.Side, readings, record):
    """(levels, the kind whose weights apply, which reading of the name, the record's side)."""
    r = record_side(record)
    if record.kind != query.kind:
        # Another kind found at the queried address: compared as an address only.
        return ev.compare("address", side, r), "address", 0, r
    if query.kind == "person":
        levels, which = ev.compare_person(side, readings, r)
        return levels, "person", which, r
    return ev.compare(query.kind, side, r), query.kind, 0, r


@dataclass
class _Scored:
    row: Row
    evidence: ev.Evidence
    side: ev.Side
    which: int
    same_kind: bool
    closeness: float = 0.0  # orders candidates whose levels are all the same


def _full(person: n.PersonName) -> str:
    return " ".join([*person.given, person.prefix, person.surname])


def _score(query, side, readings, row, model) -> _Scored:
    levels, kind, which, r = compare_record(query, side, readings, row)
    reading = readings[which] if readings else None
    evidence = ev.weigh(model, kind, levels, side, reading=reading)
    closeness = 0.0
    if kind == "person" and reading is not None:
        closeness = fuzz.ratio(_full(reading), _full(r.person))
    elif kind == "organisation":
        closeness = fuzz.ratio(side.org, r.org)
    return _Scored(row, evidence, r, which, row.kind == query.kind, closeness)


def evaluate(query: Query, side: ev.Side, readings, record, model=None) -> Candidate:
    """One record weighed against the query, with its reasons (see `evidence.py`)."""
    scored = _score(query, side, readings, record, model or ev.current_model())
    return _candidate(scored, record, readings, None)


COMPETING_ODDS = 0.5  # others in the data set this likely make a candidate less certain


def _compete(scored: list[_Scored]) -> None:
    """Candidates of one data set compete: a data set holds each person, organisation or
    address once, so two records that fit equally well cannot both be it.

    The probability of each is its odds over one plus the odds of all in its data set,
    p_i = o_i / (1 + sum o_j), which leaves a lone candidate as it is and makes two equal
    ones at most 50 % each. Subjects of signals do not compete: one person may be in
    several signals, and different data sets may each hold the same person.
    """
    totals: dict[int, float] = {}
    for c in scored:
        if c.row.signal_id is None:
            totals[c.row.source_id] = totals.get(c.row.source_id, 0.0) + c.evidence.odds
    for c in scored:
        if c.row.signal_id is not None:
            continue
        odds = c.evidence.odds
        rivals = totals[c.row.source_id] - odds
        if rivals > 0.01:
            weight = math.log2(odds / (1.0 + rivals))
            c.evidence.weight, c.evidence.score = weight, ev.to_score(weight)
            # Said only of a candidate that was a match on its own and has a rival about
            # as good: a weak candidate beside a strong one needs no such reason.
            c.evidence.rivals = odds >= 1.0 and rivals >= max(COMPETING_ODDS, odds / 2)


def _candidate(scored: _Scored, record: Record, readings, reference) -> Candidate:
    pro, con = ev.explain(scored.evidence, scored.side)
    if scored.evidence.rivals:
        con.append(_("another record in this data set fits as well"))
    if scored.which:
        reading = readings[scored.which]
        pro.append(_("read as %(name)s") % {"name": " ".join(
            p for p in [*(g.capitalize() for g in reading.given), reading.prefix,
                        reading.surname.title()] if p)})
    if reference:
        pro.append(_("in signal %(ref)s") % {"ref": reference})
    return Candidate(record, scored.evidence.score, pro, con, same_kind=scored.same_kind,
                     weight=scored.evidence.weight)


def propose(query: Query, *, limit: int = 10, exclude_signal_id: int | None = None,
            exclude_record_ids=(), per_key: int = PER_KEY) -> list[Candidate]:
    """The best `limit` records of the queried kind, then records of other kinds
    registered at the queried address (at most `limit` of those), each with its score,
    band and reasons. One SQL query, whatever the register holds.

    1. The query's keys (every reading of a name, the address) select the candidate
       rows, with their data set and signal (one statement).
    2. Each candidate is weighed field by field (`evidence.py`).
    3. The queried kind comes first, best match weight first; records of another kind
       follow in their own group and only when their address is the queried one.
    4. The shown candidates become `Record`s and get their reasons: no other query.
    """
    if query.is_empty():
        return []
    side, readings = query_side(query)
    excluded = set(exclude_record_ids)
    rows = [row for row in candidate_rows(query_keys(query, side, readings), per_key)
            if row.id not in excluded
            and not (exclude_signal_id and row.signal_id == exclude_signal_id)]
    if not rows:
        return []
    model = ev.current_model()
    same, others = [], []
    for row in rows:
        scored = _score(query, side, readings, row, model)
        if scored.same_kind:
            same.append(scored)
        elif scored.evidence.levels.get("location") in AT_ADDRESS:
            others.append(scored)
    _compete(same)
    same.sort(key=lambda c: (-round(c.evidence.weight, 6), -c.closeness, c.row.id))
    others.sort(key=lambda c: (-round(c.evidence.weight, 6), c.row.id))
    out = []
    for scored in same[:limit] + others[:limit]:
        record = scored.row.to_record()
        out.append(_candidate(scored, record, readings, record.signal_reference))
    return out


# Levels at which a record of another kind is registered at the queried address itself.
AT_ADDRESS = {"exact", "same_street", "street_no_place", "close_street", "one_side"}
