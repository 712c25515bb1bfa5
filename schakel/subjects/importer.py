"""Importing a municipal data set (CSV or XLSX) into a source of the register.

Three steps, each its own function:
1. `store_upload` / `prepare_file`: the file is read once, within the limits of
   `tabular.py`, into parts of prepared rows; its header row gives the columns to map
   onto register fields. The upload itself is not kept.
2. `import_check`: converts rows in chunks (so a page can show progress), continuing
   where the previous chunk stopped, collecting errors with their line numbers;
   nothing is written to the register.
3. `import_commit`: one transaction: every row again, created or updated by the
   source's own id (re-import never duplicates); any error and nothing is written.
   The prepared rows are removed afterwards.
"""

import bisect
import datetime as dt
import hashlib
import json
import re
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import clock
from schakel.core.text import CONTROL

from . import engine, tabular
from . import normalize as n
from .dates import DateProblem, date_error, parse_date  # noqa: F401 - importer.parse_date
from .models import ImportRun, ImportState, Record
from .tabular import FileRefused

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


ImportFileError = FileRefused  # a file or step refused; the message is for the user
PART_ROWS = 5000  # data rows per part file of a prepared upload
PREVIEW_CHARS = 80  # the preview shows at most this much of a cell
COLUMN_NAME_CHARS = 100  # a column name is shown in the mapping form; longer ones are cut
_STORED = re.compile(r"^[0-9a-f]{32}$")
STALE_DAYS = 7  # an upload not imported within this many days is removed
# Reading an upload in the page's request stops here (gunicorn's timeout is 60 s).
UPLOAD_SECONDS = 30


@dataclass
class Prepared:
    """An upload read once into parts: its folder's name, its column names, its data rows."""

    stored_as: str
    columns: list[str]
    rows: int


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "uploads" / "register"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(uploaded) -> Prepared:
    """Prepare an uploaded file (see `prepare_file`), within UPLOAD_SECONDS; the upload
    itself is not kept."""
    suffix = Path(uploaded.name).suffix.lower()
    with tempfile.NamedTemporaryFile(dir=upload_dir(), suffix=suffix) as copy:
        for chunk in uploaded.chunks():
            copy.write(chunk)
        copy.flush()
        return prepare_file(Path(copy.name), seconds=UPLOAD_SECONDS)


def _column_name(text: str, index: int) -> str:
    text = text or f"({index + 1})"
    return text if len(text) <= COLUMN_NAME_CHARS else text[:COLUMN_NAME_CHARS - 1] + "…"


def prepare_file(path: Path, *, seconds: float | None = None) -> Prepared:
    """Read a CSV or XLSX file once, within the limits, into parts of PART_ROWS rows.

    1. `tabular.read_rows` streams the file and refuses it at the first breach of a
       limit (size, rows, columns, cell length, control characters), naming the line.
    2. The header row gives the column names (each at most COLUMN_NAME_CHARS long).
    3. The data rows go, as JSON lines of [line, cells], into part files named after
       their first line, so a check step later opens only the part it continues in
       (an XLSX cannot be resumed halfway; its parts can).
    4. With `seconds` (a page's request), a file that takes longer is refused: the
       command `register_import` has no such bound.
    """
    deadline = time.monotonic() + seconds if seconds is not None else None
    name = uuid.uuid4().hex
    folder = upload_dir() / name
    folder.mkdir()
    columns: list[str] | None = None
    rows, part, in_part = 0, None, 0
    try:
        for line, cells in tabular.read_rows(path):
            if columns is None:
                if not any(cells):
                    break
                columns = [_column_name(c, i) for i, c in enumerate(cells)]
                continue
            if not any(cells):
                continue
            if deadline is not None and rows % 1000 == 0 and time.monotonic() > deadline:
                raise ImportFileError(_(
                    "Line %(line)s: reading this file takes longer than %(seconds)s seconds. "
                    "Split it into smaller files, or import it with manage.py "
                    "register_import.") % {"line": line, "seconds": seconds})
            if part is None or in_part >= PART_ROWS:
                if part is not None:
                    part.close()
                part = open(folder / f"{line:09d}.jsonl", "w", encoding="utf-8")  # noqa: SIM115
                in_part = 0
            part.write(json.dumps([line, cells], ensure_ascii=False) + "\n")
            in_part += 1
            rows += 1
        if columns is None:
            raise ImportFileError(_("The file is empty."))
    except BaseException:
        if part is not None:
            part.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if part is not None:
        part.close()
    return Prepared(name, columns, rows)


def discard(run: ImportRun) -> None:
    """Remove a run's prepared rows from disk (after importing, or when it failed)."""
    if _STORED.match(run.stored_as or ""):
        shutil.rmtree(upload_dir() / run.stored_as, ignore_errors=True)


def discard_stale(days: int = STALE_DAYS) -> int:
    """Remove the prepared rows of runs left unfinished for `days` (they hold personal data).

    Such a run is marked failed ("upload it again"); a folder no run points to (a
    preparation that was cut off) goes after a day. Returns the folders removed.
    """
    now = clock.now()
    stale = ImportRun.objects.filter(
        state__in=[ImportState.UPLOADED, ImportState.CHECKING, ImportState.CHECKED],
        created_at__lt=now - dt.timedelta(days=days))
    removed = 0
    for run in stale:
        discard(run)
        removed += 1
    stale.update(state=ImportState.FAILED, error_count=1,
                 errors=[_("The uploaded file was removed after %(days)s days; upload it "
                           "again.") % {"days": days}])
    known = set(ImportRun.objects.values_list("stored_as", flat=True))
    day_ago = now.timestamp() - 86400
    for folder in upload_dir().iterdir():
        if folder.is_dir() and _STORED.match(folder.name) and folder.name not in known \
                and folder.stat().st_mtime < day_ago:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _data_rows(run: ImportRun, after: int = 0):
    """(line, cells) of the data rows after line `after`, opening only the parts needed."""
    folder = upload_dir() / run.stored_as
    if not _STORED.match(run.stored_as or "") or not folder.is_dir():
        raise ImportFileError(_("The uploaded file is no longer here; upload it again."))
    parts = sorted(folder.glob("*.jsonl"))
    firsts = [int(p.stem) for p in parts]
    # The last part starting at or before the line after `after` holds that line.
    for part in parts[max(bisect.bisect_right(firsts, after + 1) - 1, 0):]:
        with open(part, encoding="utf-8") as rows:
            for text in rows:
                line, cells = json.loads(text)
                if line > after:
                    yield line, cells


def import_start(*, actor, source, file_name: str, prepared: Prepared, kind: str) -> ImportRun:
    """A run for a prepared file, its columns mapped by guessing; nothing imported yet.

    Runs left unfinished for STALE_DAYS lose their prepared rows here (see `discard_stale`).
    """
    discard_stale()
    columns = prepared.columns
    return ImportRun.objects.create(
        source=source, file_name=CONTROL.sub("", file_name)[:200],
        stored_as=prepared.stored_as, kind=kind, columns=columns,
        mapping=guess_mapping(columns), total_rows=prepared.rows, created_by=actor,
        created_at=clock.now())


def guess_mapping(columns: list[str]) -> dict[str, int]:
    mapping = {}
    for index, column in enumerate(columns):
        bare = re.sub(r"[^a-z]", "", n.fold(column))
        for field, names in GUESSES.items():
            if bare in names and field not in mapping:
                mapping[field] = index
    return mapping


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
        except DateProblem as problem:
            errors.append(date_error(line, dob, problem))
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


def import_check(*, run: ImportRun, budget: int | None = None) -> ImportRun:
    """Check up to `budget` more rows, from where the last step stopped.

    The run is CHECKED when all rows are done; a last pass then looks for ids that
    occur twice (reading only the prepared rows, once).
    """
    budget = budget or CHUNK
    mapping = {k: int(v) for k, v in run.mapping.items()}
    errors = list(run.errors)
    done = 0
    last_line = run.checked_rows
    finished = True
    try:
        for line, cells in _data_rows(run, after=run.checked_rows):
            if done >= budget:
                finished = False
                break
            _values, row_errors = convert(cells, mapping, run.kind, line)
            run.error_count += len(row_errors)
            errors += row_errors[: max(0, MAX_ERRORS - len(errors))]
            done += 1
            last_line = line
        if finished and "external_id" in mapping:
            twice = _ids_twice(run, mapping["external_id"])
            run.error_count += len(twice)
            errors += twice[: max(0, MAX_ERRORS - len(errors))]
    except ImportFileError as exc:
        errors.append(str(exc))
        run.error_count += 1
    run.errors = errors
    run.checked_rows = last_line
    run.state = ImportState.CHECKED if finished else ImportState.CHECKING
    run.save()
    return run


def _ids_twice(run: ImportRun, column: int) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for line, cells in _data_rows(run):
        ext = cells[column][:LIMITS["external_id"]] if column < len(cells) else ""
        if ext and ext in seen:
            out.append(_("Line %(line)s: id “%(value)s” also on line %(other)s.")
                       % {"line": line, "value": ext[:30], "other": seen[ext]})
        seen.setdefault(ext, line)
    return out


def shown(value, chars: int = PREVIEW_CHARS):
    """A value as the preview shows it: text cut at `chars` characters."""
    if isinstance(value, str) and len(value) > chars:
        return value[:chars - 1] + "…"
    return value


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
    transaction.on_commit(lambda: discard(run))
    log_processing(actor=actor, activity=Activity.ENRICH, action=Action.CREATE, obj=None,
                   purpose=_("Import a data set for enrichment"), subjects=[],
                   changes={"source": run.source.name, "created": run.created,
                            "updated": run.updated})
    return run
