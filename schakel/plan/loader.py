"""Reading a plan file (the format is documented in data/FORMAT.md).

One action per line, separated by semicolons (as Dutch spreadsheet programs save
CSV), with a header line. `read_plan` checks the whole file and raises
`PlanFileError` with every problem, in the active language (Dutch by default)
and with its line number; nothing is changed until the file is right (the import
itself is `actions.plan_import`). Column names and the words of the file format
(pijler, soort, beleid, ...) stay Dutch in every language: they are what the
file must contain.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from schakel.accounts.models import Role
from schakel.core.text import CONTROL

from .models import ActionKind
from .schedule import Schedule, ScheduleError, parse

COLUMNS = ["pijler", "pijler_titel", "code", "titel", "omschrijving", "planning", "wie",
           "verantwoordelijke", "soort"]
REQUIRED = ["pijler", "code", "titel", "planning"]
ROLES = {"aandachtsfunctionaris": Role.OFFICER, "beleid": Role.POLICY}
KINDS = {
    "algemeen": ActionKind.GENERAL, "training": ActionKind.TRAINING,
    "campagne": ActionKind.CAMPAIGN, "regionaal_overleg": ActionKind.REGIONAL_MEETING,
    "ketenoverleg": ActionKind.PARTNER_MEETING, "politiecijfers": ActionKind.POLICE_FIGURES,
    "websitecontrole": ActionKind.WEBSITE_CHECK, "controle": ActionKind.CONTROL,
    "integrale_controle": ActionKind.INTEGRAL_CONTROL, "bibob": ActionKind.BIBOB,
    "horeca": ActionKind.HORECA, "raadsrapportage": ActionKind.COUNCIL_REPORT,
}
KIND_NAMES = {v: k for k, v in KINDS.items()}
ROLE_NAMES = {v: k for k, v in ROLES.items()}
MAX_BYTES = 1_000_000
LIMITS = {"pijler_titel": 200, "code": 20, "titel": 300, "planning": 200, "wie": 300,
          "omschrijving": 5000}
DEFAULT_PLAN = Path(__file__).resolve().parent / "data" / "montfoort.csv"


class PlanFileError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class PlanRow:
    line: int
    pillar: int
    pillar_title: str
    code: str
    title: str
    description: str
    schedule_text: str
    schedule: Schedule
    who: str
    role: str
    kind: str


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Dutch Windows saves "CSV (gescheiden door lijstscheidingsteken)" as cp1252.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise PlanFileError([_(
                "The file is not a text file. Save it as "
                "'CSV UTF-8 (gescheiden door lijstscheidingsteken)'.")]) from None


def _quoted(columns: list[str]) -> str:
    return ", ".join(f"'{c}'" for c in columns)


def read_plan(data: bytes | str) -> list[PlanRow]:
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise PlanFileError([_("The file is larger than 1 MB; a plan fits easily in "
                                   "less.")])
        text = _decode(data)
    else:
        text = data
    if "\x00" in text:
        raise PlanFileError([_("The file is not a text file (CSV).")])
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise PlanFileError([_("Line 1: the file is empty or starts with an empty line; "
                               "the first line must hold the column names.")])
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    errors: list[str] = []
    try:
        header = [h.strip().lower() for h in next(reader)]
    except csv.Error as exc:
        raise PlanFileError([_("Line 1: the column names cannot be read (%(reason)s).")
                             % {"reason": exc}]) from None
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    if missing:
        errors.append(_("Line 1: the column(s) %(columns)s are missing. Expected: "
                        "%(expected)s.") % {"columns": _quoted(missing),
                                            "expected": ";".join(COLUMNS)})
    if unknown:
        errors.append(_("Line 1: unknown column(s) %(columns)s.")
                      % {"columns": _quoted(unknown)})
    if errors:
        raise PlanFileError(errors)
    rows: list[PlanRow] = []
    codes: dict[str, int] = {}
    titles: dict[int, tuple[str, int]] = {}
    line = 1
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(_("Line %(line)s: this line cannot be read (%(reason)s).")
                          % {"line": start, "reason": exc})
            break
        line = start
        if not any(v.strip() for v in record):
            continue
        if len(record) != len(header):
            errors.append(_(
                "Line %(line)s: %(found)s fields found, %(expected)s expected. Is there a "
                "'%(delimiter)s' in a text without quotation marks?") % {
                    "line": line, "found": len(record), "expected": len(header),
                    "delimiter": delimiter})
            continue
        values = {name: value.strip() for name, value in zip(header, record, strict=True)}
        row_errors = _check_row(line, values, codes, titles)
        if isinstance(row_errors, list):
            errors.extend(row_errors)
        else:
            rows.append(row_errors)
    if not rows and not errors:
        errors.append(_("The file holds no actions: after the line with the column names "
                        "comes one line per action."))
    if errors:
        raise PlanFileError(errors)
    return rows


def _check_row(line, values, codes, titles) -> PlanRow | list[str]:
    errors = []
    for column in REQUIRED:
        if not values[column]:
            errors.append(_("Line %(line)s: column '%(column)s' is empty.")
                          % {"line": line, "column": column})
    for column, limit in LIMITS.items():
        if len(values[column]) > limit:
            errors.append(_("Line %(line)s: column '%(column)s' is longer than %(limit)s "
                            "characters.") % {"line": line, "column": column, "limit": limit})
    for column, value in values.items():
        if CONTROL.search(value):
            errors.append(_(
                "Line %(line)s: column '%(column)s' holds a control character (such as NUL "
                "or ESC). Remove it and load the file again.")
                % {"line": line, "column": column})
    pillar = 0
    if values["pijler"]:
        try:
            pillar = int(values["pijler"])
            if not 1 <= pillar <= 99:
                raise ValueError
        except ValueError:
            errors.append(_("Line %(line)s: pijler '%(value)s' is not a number from 1 to "
                            "99.") % {"line": line, "value": values["pijler"]})
            pillar = 0
    if pillar:
        title = values["pijler_titel"]
        if pillar in titles:
            known, known_line = titles[pillar]
            if title and title != known:
                errors.append(_(
                    "Line %(line)s: pijler %(pillar)s is called '%(title)s' here but "
                    "'%(known)s' on line %(known_line)s.") % {
                        "line": line, "pillar": pillar, "title": title, "known": known,
                        "known_line": known_line})
        elif not title:
            errors.append(_("Line %(line)s: the first line of pijler %(pillar)s must give "
                            "the pijler_titel.") % {"line": line, "pillar": pillar})
        else:
            titles[pillar] = (title, line)
    code = values["code"]
    if code:
        if code in codes:
            errors.append(_("Line %(line)s: code '%(code)s' is also on line %(other)s; "
                            "every action has a code of its own.")
                          % {"line": line, "code": code, "other": codes[code]})
        else:
            codes[code] = line
    schedule = None
    if values["planning"]:
        try:
            schedule = parse(values["planning"])
        except ScheduleError as exc:
            errors.append(_("Line %(line)s: planning '%(value)s': %(reason)s")
                          % {"line": line, "value": values["planning"], "reason": exc})
    role_name = values["verantwoordelijke"].lower() or "aandachtsfunctionaris"
    if role_name not in ROLES:
        names = list(ROLES)
        errors.append(_("Line %(line)s: verantwoordelijke '%(value)s' is unknown; choose "
                        "%(choices)s.") % {
            "line": line, "value": values["verantwoordelijke"],
            "choices": _("%(first)s or %(last)s") % {"first": ", ".join(names[:-1]),
                                                    "last": names[-1]}})
    kind_name = values["soort"].lower() or "algemeen"
    if kind_name not in KINDS:
        errors.append(_("Line %(line)s: soort '%(value)s' is unknown; choose from "
                        "%(choices)s.") % {"line": line, "value": values["soort"],
                                           "choices": ", ".join(KINDS)})
    if errors:
        return errors
    return PlanRow(
        line=line, pillar=pillar, pillar_title=titles[pillar][0], code=code,
        title=values["titel"], description=values["omschrijving"],
        schedule_text=values["planning"], schedule=schedule, who=values["wie"],
        role=ROLES[role_name], kind=KINDS[kind_name],
    )


def write_plan(actions) -> str:
    """The plan as a file in the same format, to edit in a spreadsheet and import again."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for action in actions:
        writer.writerow([action.pillar.number, action.pillar.title, action.code, action.title,
                         action.description, action.schedule_text, action.who,
                         ROLE_NAMES.get(action.responsible_role, ""),
                         KIND_NAMES.get(action.kind, "algemeen")])
    return out.getvalue()
