"""Reading a plan file (the format is documented in data/FORMAT.md).

One action per line, separated by semicolons (as Dutch spreadsheet programs save
CSV), with a header line. `read_plan` checks the whole file and raises
`PlanFileError` with every problem, in Dutch and with its line number; nothing
is changed until the file is right (the import itself is `actions.plan_import`).
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

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
            raise PlanFileError(["Het bestand is geen tekstbestand. Sla het op als "
                                 "'CSV UTF-8 (gescheiden door lijstscheidingsteken)'."]) from None


def read_plan(data: bytes | str) -> list[PlanRow]:
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise PlanFileError(["Het bestand is groter dan 1 MB; een plan past ruim in "
                                 "minder."])
        text = _decode(data)
    else:
        text = data
    if "\x00" in text:
        raise PlanFileError(["Het bestand is geen tekstbestand (CSV)."])
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise PlanFileError(["Regel 1: het bestand is leeg of begint met een lege regel; "
                             "de eerste regel moet de kolomnamen bevatten."])
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    errors: list[str] = []
    try:
        header = [h.strip().lower() for h in next(reader)]
    except csv.Error as exc:
        raise PlanFileError([f"Regel 1: de kolomnamen zijn niet te lezen ({exc})."]) from None
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    if missing:
        errors.append("Regel 1: de kolom(men) " + ", ".join(f"'{c}'" for c in missing)
                      + " ontbreken. Verwacht: " + ";".join(COLUMNS) + ".")
    if unknown:
        errors.append("Regel 1: onbekende kolom(men) " + ", ".join(f"'{c}'" for c in unknown)
                      + ".")
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
            errors.append(f"Regel {start}: deze regel is niet te lezen ({exc}).")
            break
        line = start
        if not any(v.strip() for v in record):
            continue
        if len(record) != len(header):
            errors.append(f"Regel {line}: {len(record)} velden gevonden, {len(header)} "
                          f"verwacht. Staat er een '{delimiter}' in een tekst zonder "
                          "aanhalingstekens?")
            continue
        values = {name: value.strip() for name, value in zip(header, record, strict=True)}
        row_errors = _check_row(line, values, codes, titles)
        if isinstance(row_errors, list):
            errors.extend(row_errors)
        else:
            rows.append(row_errors)
    if not rows and not errors:
        errors.append("Het bestand bevat geen acties: na de regel met kolomnamen volgt één "
                      "regel per actie.")
    if errors:
        raise PlanFileError(errors)
    return rows


def _check_row(line, values, codes, titles) -> PlanRow | list[str]:
    errors = []
    for column in REQUIRED:
        if not values[column]:
            errors.append(f"Regel {line}: kolom '{column}' is leeg.")
    for column, limit in LIMITS.items():
        if len(values[column]) > limit:
            errors.append(f"Regel {line}: kolom '{column}' is langer dan {limit} tekens.")
    for column, value in values.items():
        if CONTROL.search(value):
            errors.append(f"Regel {line}: kolom '{column}' bevat een stuurteken (zoals NUL of "
                          "ESC). Haal het weg en laad het bestand opnieuw.")
    pillar = 0
    if values["pijler"]:
        try:
            pillar = int(values["pijler"])
            if not 1 <= pillar <= 99:
                raise ValueError
        except ValueError:
            errors.append(f"Regel {line}: pijler '{values['pijler']}' is geen nummer van 1 "
                          "tot en met 99.")
            pillar = 0
    if pillar:
        title = values["pijler_titel"]
        if pillar in titles:
            known, known_line = titles[pillar]
            if title and title != known:
                errors.append(f"Regel {line}: pijler {pillar} heet hier '{title}' maar op "
                              f"regel {known_line} '{known}'.")
        elif not title:
            errors.append(f"Regel {line}: de eerste regel van pijler {pillar} moet de "
                          "pijler_titel noemen.")
        else:
            titles[pillar] = (title, line)
    code = values["code"]
    if code:
        if code in codes:
            errors.append(f"Regel {line}: code '{code}' staat ook op regel {codes[code]}; "
                          "elke actie heeft een eigen code.")
        else:
            codes[code] = line
    schedule = None
    if values["planning"]:
        try:
            schedule = parse(values["planning"])
        except ScheduleError as exc:
            errors.append(f"Regel {line}: planning '{values['planning']}': {exc}")
    role_name = values["verantwoordelijke"].lower() or "aandachtsfunctionaris"
    if role_name not in ROLES:
        errors.append(f"Regel {line}: verantwoordelijke '{values['verantwoordelijke']}' is "
                      "onbekend; kies " + " of ".join(ROLES) + ".")
    kind_name = values["soort"].lower() or "algemeen"
    if kind_name not in KINDS:
        errors.append(f"Regel {line}: soort '{values['soort']}' is onbekend; kies uit "
                      + ", ".join(KINDS) + ".")
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
