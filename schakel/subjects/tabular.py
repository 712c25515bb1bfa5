"""Reading an uploaded table (CSV, XLSX or JSON Lines) row by row, within limits.

Used by the register import (`importer.py`) and by batch matching (`batch.py`). A file
is refused with a Dutch message naming the line as soon as it breaks a limit (the
settings `IMPORT_MAX_*`), never after reading it whole:

1. Size: the file on disk; for an XLSX, before openpyxl opens it, the declared
   uncompressed size of every member of the ZIP and its compression ratio. Python's
   zipfile never inflates a member beyond its declared size (a member that lies fails
   its CRC check), so the declared sizes bound the work and the memory.
2. Rows: an XLSX's declared dimension before reading; every file is counted while read.
3. Per row: the length of a physical line (before the csv module splits it), the number
   of columns, each cell's length, and control characters (NUL and the like are
   refused, not stored: PostgreSQL cannot hold NUL in text).
"""

import codecs
import csv
import datetime as dt
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from schakel.core.text import CONTROL

# Below this uncompressed size a ZIP member's ratio is not checked: small XML files
# (styles, the workbook) compress very well and are harmless.
ZIP_GRACE_BYTES = 1024 * 1024
SPREADSHEET = (".csv", ".txt", ".xlsx")
JSON_LINES = (".jsonl", ".ndjson")


class FileRefused(Exception):
    """The file cannot be read within the limits; the message is for the user."""


@dataclass(frozen=True)
class Limits:
    rows: int  # data rows, the header not counted
    columns: int
    cell: int  # characters
    bytes: int  # the file, an XLSX counted uncompressed
    zip_ratio: int

    @classmethod
    def from_settings(cls) -> "Limits":
        conf = settings.SCHAKEL
        return cls(rows=conf["IMPORT_MAX_ROWS"], columns=conf["IMPORT_MAX_COLUMNS"],
                   cell=conf["IMPORT_MAX_CELL_CHARS"],
                   bytes=conf["IMPORT_MAX_MB"] * 1024 * 1024,
                   zip_ratio=conf["IMPORT_MAX_ZIP_RATIO"])

    @property
    def line_chars(self) -> int:
        """The longest physical line a CSV row within the limits can have."""
        return self.columns * (self.cell + 3)


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def cell_text(value) -> str:
    """A spreadsheet value as text: dates as yyyy-mm-dd, whole floats without ".0"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check_row(line: int, cells: list[str], limits: Limits) -> list[str]:
    """The row without trailing empty cells, or FileRefused naming the line."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    cells = cells[:end]
    if len(cells) > limits.columns:
        raise _too_many_columns(line, len(cells), limits)
    for index, cell in enumerate(cells, start=1):
        if len(cell) > limits.cell:
            raise FileRefused(_("Line %(line)s, column %(column)s: the cell is longer than "
                                "%(limit)s characters.")
                              % {"line": line, "column": index, "limit": _n(limits.cell)})
        if CONTROL.search(cell):
            raise FileRefused(_("Line %(line)s, column %(column)s: the cell holds a control "
                                "character (such as NUL). Remove it and upload the file "
                                "again.") % {"line": line, "column": index})
    return cells


def _too_many_columns(line: int, count: int, limits: Limits) -> FileRefused:
    return FileRefused(_("Line %(line)s has %(count)s columns; at most %(limit)s are "
                         "allowed.") % {"line": line, "count": _n(count),
                                        "limit": _n(limits.columns)})


def _too_many_rows(limits: Limits) -> FileRefused:
    return FileRefused(_("The file has more than %(limit)s rows; split it into smaller "
                         "files.") % {"limit": _n(limits.rows)})


def _too_large(limits: Limits) -> FileRefused:
    return FileRefused(_("The file is larger than %(limit)s MB (an XLSX counted "
                         "unpacked); split it into smaller files.")
                       % {"limit": _n(limits.bytes // (1024 * 1024))})


def _check_size(path: Path, limits: Limits) -> None:
    if path.stat().st_size > limits.bytes:
        raise _too_large(limits)


def read_rows(path: Path, limits: Limits | None = None) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) for every row of a CSV or XLSX file, the header row as line 1.

    Trailing empty cells are dropped; an empty row comes as an empty list.
    """
    limits = limits or Limits.from_settings()
    path = Path(path)
    _check_size(path, limits)
    rows = _xlsx_rows(path, limits) if path.suffix.lower() == ".xlsx" else \
        _csv_rows(path, limits)
    for line, cells in rows:
        if line > limits.rows + 1:
            raise _too_many_rows(limits)
        yield line, check_row(line, cells, limits)


# ---------------------------------------------------------------- XLSX


def check_zip(path: Path, limits: Limits) -> None:
    """Refuse an XLSX whose members unpack too large or too well, before opening it."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise FileRefused(_("This is not a readable XLSX file.")) from exc
    if sum(m.file_size for m in members) > limits.bytes:
        raise _too_large(limits)
    for member in members:
        if member.file_size > ZIP_GRACE_BYTES and \
                member.file_size > limits.zip_ratio * max(member.compress_size, 1):
            raise FileRefused(_("This XLSX file unpacks to more than %(ratio)s times its "
                                "own size, which a real spreadsheet does not; it is not "
                                "read.") % {"ratio": _n(limits.zip_ratio)})


def _xlsx_rows(path: Path, limits: Limits):
    check_zip(path, limits)  # before openpyxl is even imported (about a second)
    from openpyxl import load_workbook
    unreadable = _("This is not a readable XLSX file.")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise FileRefused(unreadable) from exc
    try:
        # The sheet's own statement of its size, when it has one: refused before reading.
        if (sheet.max_row or 0) > limits.rows + 1:
            raise _too_many_rows(limits)
        # Then read without it: a declared size that is too small would cut rows off,
        # one too wide would pad every row.
        sheet.reset_dimensions()
        line = 0
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a broken member or XML halfway
                raise FileRefused(_("Line %(line)s: %(error)s")
                                  % {"line": line + 1, "error": unreadable}) from exc
            line += 1
            if line > limits.rows + 1:
                raise _too_many_rows(limits)
            if len(row) > limits.columns and any(v is not None for v in row[limits.columns:]):
                raise _too_many_columns(line, len(row), limits)
            yield line, [cell_text(v) for v in row[:limits.columns]]
    finally:
        book.close()


# ---------------------------------------------------------------- CSV


def _encoding(path: Path) -> str:
    """UTF-8 when the whole file is valid UTF-8 (streamed, not read whole), else cp1252."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as raw:
        try:
            while chunk := raw.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _delimiter(sample: str) -> str:
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    if "\t" in sample and sample.count("\t") > sample.count(delimiter):
        delimiter = "\t"
    return delimiter


def _csv_rows(path: Path, limits: Limits):
    encoding = _encoding(path)
    longest = limits.line_chars
    state = {"line": 1}
    with open(path, "rb") as raw:
        sample = raw.read(4096).decode(encoding, errors="replace")
        raw.seek(0)

        def physical_lines():
            while True:
                # readline with a cap: a file without line breaks is never read whole.
                data = raw.readline(4 * longest + 1)
                if not data:
                    return
                text = data.decode(encoding, errors="replace")
                if len(text.rstrip("\r\n")) > longest:
                    raise FileRefused(_(
                        "Line %(line)s is longer than %(limit)s characters: a cell holds at "
                        "most %(cell)s characters and a line at most %(columns)s columns.")
                        % {"line": state["line"], "limit": _n(longest),
                           "cell": _n(limits.cell), "columns": _n(limits.columns)})
                yield text

        reader = csv.reader(physical_lines(), delimiter=_delimiter(sample))
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise FileRefused(_("Line %(line)s: a cell is longer than %(limit)s "
                                        "characters.") % {"line": state["line"],
                                                          "limit": _n(limits.cell)}) from exc
                raise FileRefused(_("Line %(line)s: this is not a readable CSV file.")
                                  % {"line": state["line"]}) from exc
            yield state["line"], [c.strip() for c in row]
            state["line"] += 1


# ---------------------------------------------------------------- JSON Lines


def read_json_lines(path: Path, limits: Limits | None = None):
    """(line, object or None, error or "") for every non-empty line of a JSON Lines file.

    A line that is no JSON object of plain values is an error for that line only; a
    breach of the limits refuses the file (FileRefused), as for CSV and XLSX.
    """
    limits = limits or Limits.from_settings()
    path = Path(path)
    _check_size(path, limits)
    longest = limits.line_chars
    with open(path, "rb") as raw:
        line = 0
        while True:
            data = raw.readline(4 * longest + 1)
            if not data:
                return
            line += 1
            if line > limits.rows:
                raise _too_many_rows(limits)
            text = data.decode("utf-8-sig", errors="replace").strip()
            if len(text) > longest:
                raise FileRefused(_("Line %(line)s is longer than %(limit)s characters.")
                                  % {"line": line, "limit": _n(longest)})
            if not text:
                continue
            try:
                obj = json.loads(text)
            except ValueError:
                obj = None
            if not isinstance(obj, dict) or any(isinstance(v, (dict, list))
                                                for v in obj.values()):
                yield line, None, _("Line %(line)s: not a JSON object with plain values.") \
                    % {"line": line}
                continue
            if len(obj) > limits.columns:
                raise _too_many_columns(line, len(obj), limits)
            keys = check_row(line, [str(k) for k in obj], limits)
            values = ["" if v is None else cell_text(v) for v in obj.values()]
            check_row(line, values, limits)
            yield line, dict(zip(keys, values, strict=False)), ""
