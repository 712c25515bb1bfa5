"""Importing a municipal data set (CSV or XLSX) into a source of the register.

Three steps, each its own function:
1. `read_columns`: the header row, to map the file's columns onto register fields.
2. `import_check`: converts rows in chunks (so a page can show progress), collecting
   errors with their line numbers; nothing is written to the register.
3. `import_commit`: one transaction: every row again, created or updated by the
   source's own id (re-import never duplicates); any error and nothing is written.
"""

import csv
import datetime as dt
import hashlib
import io
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import clock

from . import engine
from . import normalize as n
from .models import ImportRun, ImportState, Record

MAX_ERRORS = 200
CHUNK = 5000

FIELDS = {
    "external_id": gettext_lazy("Own id of the row (for re-import)"),
    "name": gettext_lazy("Name"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "kvk_number": gettext_lazy("Chamber of Commerce number"),
    "street": gettext_lazy("Street (may include the house number)"),
    "house_number": gettext_lazy("House number"),
    "house_number_addition": gettext_lazy("Addition"),
    "postcode": gettext_lazy("Postcode"),
    "city": gettext_lazy("Place"),
    "remark": gettext_lazy("Remark"),
}
# Header names that map themselves (folded, without spaces and punctuation).
GUESSES = {
    "external_id": {"id", "nummer", "kenmerk", "vergunningnummer", "dossiernummer",
                    "registratienummer"},
    "name": {"naam", "name", "volledigenaam", "bedrijfsnaam", "handelsnaam", "organisatie"},
    "date_of_birth": {"geboortedatum", "dateofbirth", "geborenop"},
    "kvk_number": {"kvk", "kvknummer", "kvknr"},
    "street": {"straat", "straatnaam", "street", "adres"},
    "house_number": {"huisnummer", "nr", "housenumber", "huisnr"},
    "house_number_addition": {"toevoeging", "huisnummertoevoeging", "addition"},
    "postcode": {"postcode", "zipcode"},
    "city": {"plaats", "woonplaats", "city", "gemeente"},
    "remark": {"opmerking", "toelichting", "remark", "omschrijving"},
}
LIMITS = {"external_id": 100, "name": 200, "street": 200, "house_number": 20,
          "house_number_addition": 10, "city": 100, "remark": 300}


class ImportFileError(Exception):
    pass


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "uploads" / "register"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(uploaded) -> str:
    suffix = Path(uploaded.name).suffix.lower()
    name = f"{uuid.uuid4().hex}{suffix}"
    with open(upload_dir() / name, "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    return name


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(stored_as: str):
    """(line number, cells) for every row of the file, the header row included (line 1)."""
    path = upload_dir() / stored_as
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a bad file
            raise ImportFileError(_("This is not a readable XLSX file.")) from exc
        try:
            sheet = book.worksheets[0]
            for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield line, [_cell(v) for v in row]
        finally:
            book.close()
        return
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    if "\t" in sample and sample.count("\t") > sample.count(delimiter):
        delimiter = "\t"
    try:
        for line, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            yield line, [c.strip() for c in row]
    except csv.Error as exc:
        raise ImportFileError(_("This is not a readable CSV file.")) from exc


def estimate_rows(stored_as: str) -> int:
    """Data rows in the file, for the progress bar (cheap: no row is converted)."""
    path = upload_dir() / stored_as
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True)
            rows = book.worksheets[0].max_row or 1
            book.close()
            return max(rows - 1, 0)
        except Exception:
            return 0
    return max(path.read_bytes().count(b"\n") - 1, 0)


def read_columns(stored_as: str) -> list[str]:
    for _line, row in read_rows(stored_as):
        columns = [c or f"({i + 1})" for i, c in enumerate(row)]
        if not any(row):
            break
        return columns
    raise ImportFileError(_("The file is empty."))


def guess_mapping(columns: list[str]) -> dict[str, int]:
    mapping = {}
    for index, column in enumerate(columns):
        bare = re.sub(r"[^a-z]", "", n.fold(column))
        for field, names in GUESSES.items():
            if bare in names and field not in mapping:
                mapping[field] = index
    return mapping


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    for fmt in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def convert(cells: list[str], mapping: dict[str, int], kind: str, line: int):
    """(values for a Record, [error messages]) for one row."""
    raw = {f: (cells[i] if i < len(cells) else "") for f, i in mapping.items()}
    values: dict = {"kind": kind}
    errors = []
    for field, limit in LIMITS.items():
        value = raw.get(field, "")
        if len(value) > limit:
            errors.append(_("Line %(line)s: %(field)s is longer than %(limit)s characters.")
                          % {"line": line, "field": FIELDS[field], "limit": limit})
        values[field] = value[:limit]
    if kind in ("person", "organisation") and not values["name"]:
        errors.append(_("Line %(line)s: the name is empty.") % {"line": line})
    if kind == "address" and not (values["street"] or raw.get("postcode")):
        errors.append(_("Line %(line)s: street and postcode are both empty.") % {"line": line})
    dob = raw.get("date_of_birth", "")
    values["date_of_birth"] = None
    if dob:
        try:
            values["date_of_birth"] = parse_date(dob)
        except ValueError:
            errors.append(_("Line %(line)s: date of birth “%(value)s” is not a date "
                            "(write it as dd-mm-yyyy).") % {"line": line, "value": dob[:30]})
    postcode = raw.get("postcode", "")
    values["postcode"] = n.normal_postcode(postcode)
    if postcode and not values["postcode"]:
        errors.append(_("Line %(line)s: postcode “%(value)s” is not a Dutch postcode "
                        "(e.g. 3417 AB).") % {"line": line, "value": postcode[:30]})
    kvk = raw.get("kvk_number", "")
    values["kvk_number"] = n.normal_kvk(kvk)
    if kvk and not values["kvk_number"]:
        errors.append(_("Line %(line)s: Chamber of Commerce number “%(value)s” must have "
                        "8 digits.") % {"line": line, "value": kvk[:30]})
    if values["street"] and not values["house_number"]:
        # "Kerkstraat 12-A" in one column: keep the street, split off number and addition.
        match = re.match(r"^(.*?\D)\s*(\d.*)$", values["street"])
        if match:
            num, add = n.split_house_number(match.group(2))
            values["street"], values["house_number"] = match.group(1).strip(), num
            values["house_number_addition"] = values["house_number_addition"] or add.upper()[:10]
    number = values["house_number"]
    if number and not re.match(r"^\s*\d", number):
        errors.append(_("Line %(line)s: house number “%(value)s” does not start with a "
                        "number.") % {"line": line, "value": number[:30]})
    if not values["external_id"]:
        # Without an id column the row's content is its identity: the same row again
        # updates nothing, a changed row is a new record.
        identity = "|".join(str(values[f]) for f in (
            "name", "date_of_birth", "kvk_number", "street", "house_number",
            "house_number_addition", "postcode", "city"))
        values["external_id"] = "h-" + hashlib.sha256(identity.encode()).hexdigest()[:40]
    return values, errors


def _data_rows(run: ImportRun, start: int = 0):
    """(line, cells) of the data rows (header skipped, empty rows skipped) from `start`."""
    for line, cells in read_rows(run.stored_as):
        if line == 1 or line <= start or not any(cells):
            continue
        yield line, cells


def import_check(*, run: ImportRun, budget: int | None = None) -> ImportRun:
    """Check up to `budget` more rows; the run is CHECKED when all are done."""
    budget = budget or CHUNK
    mapping = {k: int(v) for k, v in run.mapping.items()}
    seen_ids: dict[str, int] = {}
    errors = list(run.errors)
    done = 0
    last_line = run.checked_rows
    finished = True
    try:
        for line, cells in _data_rows(run):
            values, row_errors = convert(cells, mapping, run.kind, line)
            ext = values["external_id"]
            if "external_id" in mapping and ext in seen_ids and line > run.checked_rows:
                row_errors.append(_("Line %(line)s: id “%(value)s” also on line %(other)s.")
                                  % {"line": line, "value": ext[:30], "other": seen_ids[ext]})
            seen_ids.setdefault(ext, line)
            if line <= run.checked_rows:
                continue  # checked in an earlier chunk; read again for the duplicate ids
            if done >= budget:
                finished = False
                break
            run.error_count += len(row_errors)
            errors += row_errors[: max(0, MAX_ERRORS - len(errors))]
            done += 1
            last_line = line
    except ImportFileError as exc:
        errors.append(str(exc))
        run.error_count += 1
    run.errors = errors
    run.checked_rows = last_line
    run.state = ImportState.CHECKED if finished else ImportState.CHECKING
    run.save()
    return run


def preview(run: ImportRun, rows: int = 10) -> list[dict]:
    mapping = {k: int(v) for k, v in run.mapping.items()}
    out = []
    for line, cells in _data_rows(run):
        values, errors = convert(cells, mapping, run.kind, line)
        out.append({"line": line, "values": values, "errors": errors})
        if len(out) >= rows:
            break
    return out


_COMPARED = ["kind", "name", "date_of_birth", "kvk_number", "street", "house_number",
             "house_number_addition", "postcode", "city", "remark"]


@transaction.atomic
def import_commit(*, actor, run: ImportRun) -> ImportRun:
    """Write every row of a checked run, all or nothing, updating rows imported before."""
    if run.state != ImportState.CHECKED or run.error_count:
        raise ImportFileError(_("Only a checked file without errors can be imported."))
    mapping = {k: int(v) for k, v in run.mapping.items()}
    existing = {r.external_id: r for r in Record.objects.filter(source=run.source).only(
        "id", "external_id", "norm", *_COMPARED)}
    new, changed, unchanged = [], [], 0
    previous: dict[int, list[str]] = {}
    now = clock.now()
    for line, cells in _data_rows(run):
        values, errors = convert(cells, mapping, run.kind, line)
        if errors:
            raise ImportFileError(errors[0])
        ext = values.pop("external_id")
        record = existing.get(ext)
        if record is None:
            record = Record(source=run.source, external_id=ext, updated_at=now, **values)
            existing[ext] = record
            new.append(record)
        elif any(getattr(record, f) != values[f] for f in _COMPARED):
            if record.pk and record.pk not in previous:
                previous[record.pk] = engine.old_keys(record)
            for f in _COMPARED:
                setattr(record, f, values[f])
            record.updated_at = now
            if record.pk:
                changed.append(record)
        else:
            unchanged += 1
    for record in new + changed:
        engine.prepare(record)
    Record.objects.bulk_create(new, batch_size=2000)
    Record.objects.bulk_update(changed, [*_COMPARED, "norm", "updated_at"], batch_size=2000)
    if new and new[0].pk is None:
        ids = dict(Record.objects.filter(source=run.source).values_list("external_id", "pk"))
        for record in new:
            record.pk = ids[record.external_id]
    engine.reindex(new + changed, previous)
    run.created, run.updated, run.unchanged = len(new), len(changed), unchanged
    run.state = ImportState.DONE
    run.finished_at = now
    run.save()
    run.source.imported_at = now
    run.source.save(update_fields=["imported_at"])
    log_processing(actor=actor, activity=Activity.ENRICH, action=Action.CREATE, obj=None,
                   purpose=_("Import a data set for enrichment"), subjects=[],
                   changes={"source": run.source.name, "created": run.created,
                            "updated": run.updated})
    return run
