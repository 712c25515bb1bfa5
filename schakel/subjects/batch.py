"""Matching a list against the register: `manage.py register_match` and "Lijst controleren".

One way for both, in three steps:
1. `read_queries`: the rows of a CSV, XLSX or JSON Lines file, read within the limits of
   `tabular.py`, each turned into an `engine.Query` or a Dutch error naming its line.
   Columns (or keys): id, kind, name, date_of_birth, street, house_number, addition,
   postcode, city, kvk_number, or address (a whole one-line address, which goes into
   `Query.street` for the engine to split); Dutch names (naam, geboortedatum, straat,
   huisnummer, toevoeging, postcode, plaats, kvk, adres, soort) work as well.
2. `match_rows`: the best candidates of each query, recorded once in the processing
   log with its purpose and counts (activity "enrich"), never with the terms.
3. `output_rows`: one flat row per candidate, or one row saying "geen overeenkomst"
   or the row's error, with the query's id echoed; written as CSV, JSON Lines or XLSX.
"""

import csv
import io
import json
import re
import tempfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.utils.translation import gettext as _

from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import crypto

from . import engine, tabular
from . import normalize as n
from .dates import DateProblem, date_error, parse_date
from .importer import GUESSES
from .tabular import FileRefused  # noqa: F401 - callers catch batch.FileRefused

LIMIT = 10  # candidates per query
NO_MATCH = "geen overeenkomst"  # the band of a query without any candidate that has one
QUERY_FIELDS = ["id", "kind", "name", "date_of_birth", "street", "house_number", "addition",
                "postcode", "city", "kvk_number", "address"]
OUTPUT_COLUMNS = ["id", "line", "rank", "band", "score", "kind", "source", "source_id",
                  "record_name", "record_date_of_birth", "record_kvk_number",
                  "record_address", "reasons_for", "reasons_against", "error"]
KINDS = {"person": "person", "persoon": "person", "organisation": "organisation",
         "organization": "organisation", "organisatie": "organisation",
         "bedrijf": "organisation", "address": "address", "adres": "address"}
_IMPORT_FIELD = {"external_id": "id", "house_number_addition": "addition"}
_HEADERS = {
    **{re.sub(r"[^a-z]", "", f): f for f in QUERY_FIELDS},
    **{name: _IMPORT_FIELD.get(f, f) for f, names in GUESSES.items() for name in names
       if f != "remark"},
    "adres": "address", "address": "address", "soort": "kind", "type": "kind",
    "geboortedatum": "date_of_birth", "dob": "date_of_birth",
}
# A spreadsheet would run a cell starting with one of these as a formula.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def field_of(header: str) -> str | None:
    """The query field a column name means, or None."""
    return _HEADERS.get(re.sub(r"[^a-z]", "", n.fold(header)))


@dataclass
class Row:
    """One line of the list: its id, and the query or the reason there is none."""

    line: int
    id: str = ""
    query: engine.Query | None = None
    error: str = ""
    candidates: list = field(default_factory=list)

    @property
    def summary(self) -> str:
        return describe(self.query)


def _row(line: int, values: dict[str, str]) -> Row:
    row = Row(line=line, id=values.get("id", "")[:100])
    kind_text = values.get("kind", "").strip().lower()
    if kind_text and kind_text not in KINDS:
        row.error = _("Line %(line)s: kind “%(value)s” is not person, organisation or "
                      "address.") % {"line": line, "value": kind_text[:30]}
        return row
    address = values.get("address", "").strip()
    parts = [values.get(f, "").strip() for f in ("street", "house_number", "addition",
                                                 "postcode", "city")]
    if address and any(parts):
        row.error = _("Line %(line)s: fill in either the whole address or street, house "
                      "number, postcode and place, not both.") % {"line": line}
        return row
    if address:
        parts = [address, "", "", "", ""]
    dob = None
    if dob_text := values.get("date_of_birth", "").strip():
        try:
            dob = parse_date(dob_text)
        except DateProblem as problem:
            row.error = date_error(line, dob_text, problem)
            return row
    name, kvk = values.get("name", "").strip(), values.get("kvk_number", "").strip()
    # Without a kind: a KvK number means an organisation, a name a person, else an address.
    kind = KINDS.get(kind_text) or ("organisation" if kvk else "person" if name else "address")
    street, number, addition, postcode, city = parts
    row.query = engine.Query(kind=kind, name=name, date_of_birth=dob, kvk_number=kvk,
                             street=street, house_number=number, addition=addition,
                             postcode=postcode, city=city)
    if row.query.is_empty():
        row.query = None
        row.error = _("Line %(line)s: nothing to look for (no name, date of birth, Chamber "
                      "of Commerce number, address or postcode).") % {"line": line}
    return row


def read_queries(path: Path, limits: tabular.Limits | None = None) -> list[Row]:
    """The rows of a list file; FileRefused when the file breaks a limit or has no columns."""
    path = Path(path)
    limits = limits or tabular.Limits.from_settings()
    rows: list[Row] = []
    if path.suffix.lower() in tabular.JSON_LINES:
        for line, obj, error in tabular.read_json_lines(path, limits):
            if error:
                rows.append(Row(line=line, error=error))
                continue
            values = {}
            for key, value in obj.items():
                if (name := field_of(key)) and name not in values:
                    values[name] = value
            rows.append(_row(line, values))
        return rows
    columns: dict[int, str] | None = None
    for line, cells in tabular.read_rows(path, limits):
        if columns is None:
            columns = {}
            for index, header in enumerate(cells):
                if (name := field_of(header)) and name not in columns.values():
                    columns[index] = name
            if not columns:
                raise FileRefused(_("Line 1: no known column names. Use id, kind, name, "
                                    "date_of_birth, street, house_number, addition, postcode, "
                                    "city, kvk_number or address."))
            continue
        if any(cells):
            rows.append(_row(line, {name: cells[i] for i, name in columns.items()
                                    if i < len(cells)}))
    return rows


def match_rows(rows: list[Row], *, actor, purpose: str, limit: int = LIMIT) -> list[Row]:
    """Propose candidates for every row with a query, and record it in the processing log.

    Candidates without a band (too weak to be a match) are left out; a row keeping
    none is "geen overeenkomst" in the output.
    """
    for row in rows:
        if row.query is not None:
            row.candidates = [c for c in engine.propose(row.query, limit=limit)
                              if c.band is not None]
    log_processing(actor=actor, activity=Activity.ENRICH, action=Action.READ, obj=None,
                   purpose=purpose, subjects=[],
                   changes={"list_rows": len(rows),
                            "rows_with_candidates": sum(1 for r in rows if r.candidates),
                            "rows_with_errors": sum(1 for r in rows if r.error)})
    return rows


def output_rows(rows: list[Row]) -> list[dict]:
    """One flat dict (OUTPUT_COLUMNS) per candidate, or one per row without any."""
    out = []
    for row in rows:
        base = {"id": row.id, "line": row.line}
        if not row.candidates:
            out.append({**dict.fromkeys(OUTPUT_COLUMNS, ""), **base,
                        "band": "" if row.error else NO_MATCH, "error": row.error})
            continue
        for rank, candidate in enumerate(row.candidates, start=1):
            record = candidate.record
            has_address = record.street or record.postcode
            out.append({
                **base, "rank": rank, "band": candidate.band.value, "score": candidate.score,
                "kind": record.kind, "source": record.source.name,
                "source_id": record.external_id, "record_name": record.name,
                "record_date_of_birth": record.date_of_birth.isoformat()
                if record.date_of_birth else "",
                "record_kvk_number": record.kvk_number,
                "record_address": record.address_line if has_address else "",
                "reasons_for": "; ".join(str(r) for r in candidate.reasons_for),
                "reasons_against": "; ".join(str(r) for r in candidate.reasons_against),
                "error": "",
            })
    return out


# ---------------------------------------------------------------- writing


def _cell(value, spreadsheet: bool):
    if spreadsheet and isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def write_csv(out_rows: list[dict], stream, *, delimiter: str = ",",
              spreadsheet: bool = True) -> None:
    writer = csv.DictWriter(stream, fieldnames=OUTPUT_COLUMNS, delimiter=delimiter)
    writer.writeheader()
    for row in out_rows:
        writer.writerow({k: _cell(v, spreadsheet) for k, v in row.items()})


def write_json_lines(out_rows: list[dict], stream) -> None:
    for row in out_rows:
        stream.write(json.dumps(row, ensure_ascii=False) + "\n")


def xlsx_bytes(out_rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Matches"))
    sheet.append(OUTPUT_COLUMNS)
    for row in out_rows:
        sheet.append([_cell(row[c], True) for c in OUTPUT_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(out_rows: list[dict]) -> bytes:
    """Semicolons and a byte-order mark, so Dutch Excel opens it in columns."""
    stream = io.StringIO()
    write_csv(out_rows, stream, delimiter=";")
    return ("\ufeff" + stream.getvalue()).encode("utf-8")


# ---------------------------------------------------------------- the page's download


def seal(out_rows: list[dict], purpose: str) -> str:
    """The result rows, compressed and encrypted, for the page's download buttons.

    The list and its matches are not kept on the server: the officer's browser holds
    them in this token, which only this installation can read, and only for an hour.
    """
    data = json.dumps({"purpose": purpose, "rows": out_rows}, ensure_ascii=False)
    return crypto.fernet().encrypt(zlib.compress(data.encode(), 6)).decode()


SEAL_SECONDS = 3600


def unseal(token: str) -> tuple[str, list[dict]] | None:
    """(purpose, rows) from a token made by `seal`, or None when it is foreign or expired."""
    try:
        data = json.loads(zlib.decompress(crypto.fernet().decrypt(token.encode(),
                                                                   ttl=SEAL_SECONDS)))
    except (InvalidToken, ValueError, zlib.error, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        return None
    return str(data.get("purpose", "")), [r for r in data["rows"] if isinstance(r, dict)]


def log_download(*, actor, purpose: str, rows: int, fmt: str) -> None:
    log_processing(actor=actor, activity=Activity.ENRICH, action=Action.READ, obj=None,
                   purpose=purpose, subjects=[],
                   changes={"download": fmt, "rows": rows})


# ---------------------------------------------------------------- the page's upload

PAGE_ROWS = 500  # rows of a list checked on the page, in the request; more: the command


def read_upload(uploaded, *, max_rows: int | None = None) -> list[Row]:
    """The rows of an uploaded list, read from a temporary copy that is gone afterwards."""
    folder = Path(settings.DATA_DIR) / "uploads" / "lists"
    folder.mkdir(parents=True, exist_ok=True)
    limits = tabular.Limits.from_settings()
    limits = replace(limits, rows=min(limits.rows, max_rows or PAGE_ROWS))
    with tempfile.NamedTemporaryFile(dir=folder, suffix=Path(uploaded.name).suffix.lower()) \
            as copy:
        for chunk in uploaded.chunks():
            copy.write(chunk)
        copy.flush()
        return read_queries(Path(copy.name), limits)


def describe(query: engine.Query | None) -> str:
    """What a row looks for, in one line, for the page."""
    if query is None:
        return ""
    parts = [query.name, query.date_of_birth.strftime("%d-%m-%Y") if query.date_of_birth
             else "", f"KvK {query.kvk_number}" if query.kvk_number else "",
             " ".join(p for p in (query.street, query.house_number + query.addition,
                                  query.postcode, query.city) if p)]
    return ", ".join(p for p in parts if p)
