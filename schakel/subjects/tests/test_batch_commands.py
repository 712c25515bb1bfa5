"""`register_match` and `register_import`: the page's checks and matching, from a script."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from schakel.audit.models import AuditEvent, ProcessingRecord
from schakel.subjects import batch, importer
from schakel.subjects.models import ImportRun, ImportState, Record, Source

from . import hostile

LIST_CSV = (
    "id;kind;name;date_of_birth;street;house_number;addition;postcode;city;kvk_number;address\n"
    "q1;person;Jan van den Berg;04-03-1980;;;;;;;\n"
    "q2;address;;;;;;;;;Kerkstraat 12a, 3417 AB Montfoort\n"
    "q3;person;Zebulon Quaxelbrink;;;;;;;;\n"
    ";;;;;;;;;;\n"
    "q5;person;Jan van den Berg;31-02-1980;;;;;;;\n"
    "q6;;;;;;;;;;\n"
    "q7;organisation;Bakkerij De Vries;;;;;;;12345678;\n"
    "q8;vis;Jan;;;;;;;;\n"
)


@pytest.fixture(autouse=True)
def _data(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


def run_match(tmp_path, content: str, name="lijst.csv", out="uit.csv", **options):
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    target = tmp_path / out
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("register_match", str(source), str(target), stdout=stdout, stderr=stderr,
                 **options)
    return target, stdout.getvalue(), stderr.getvalue()


def read_csv(path):
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def by_id(rows):
    out = {}
    for row in rows:
        out.setdefault(row["id"], []).append(row)
    return out


def test_a_csv_list_gets_the_best_candidates_per_query_with_band_and_reasons(
        tmp_path, register):
    target, stdout, stderr = run_match(tmp_path, LIST_CSV)
    rows = by_id(read_csv(target))
    first = rows["q1"][0]
    assert first["source_id"] == register["jan"].external_id
    assert first["source"] == "Horecavergunningen" and first["kind"] == "person"
    assert first["band"] in ("zeker", "waarschijnlijk") and int(first["score"]) >= 75
    assert "zelfde geboortedatum" in first["reasons_for"]
    assert first["rank"] == "1" and first["line"] == "2"
    assert len(rows["q1"]) <= batch.LIMIT
    # A whole one-line address is split by the engine.
    assert rows["q2"][0]["source_id"] == register["kerkstraat"].external_id
    assert rows["q2"][0]["band"]
    # A query without any candidate still appears.
    assert rows["q3"] == [{**dict.fromkeys(batch.OUTPUT_COLUMNS, ""), "id": "q3", "line": "4",
                           "band": "geen overeenkomst"}]
    assert rows["q7"][0]["source_id"] == register["bakkerij"].external_id
    assert "3 regels zonder" not in stdout and "8 regels" not in stdout


def test_bad_rows_get_a_dutch_error_naming_the_line_and_the_rest_still_run(tmp_path, register):
    target, stdout, stderr = run_match(tmp_path, LIST_CSV)
    rows = by_id(read_csv(target))
    assert rows["q5"][0]["error"] == "Regel 6: geboortedatum “31-02-1980” bestaat niet."
    assert rows["q5"][0]["band"] == "" and rows["q5"][0]["source_id"] == ""
    assert rows["q6"][0]["error"].startswith("Regel 7: niets om naar te zoeken")
    assert rows["q8"][0]["error"].startswith("Regel 9: soort “vis” is geen persoon")
    assert "Regel 6: geboortedatum" in stderr and "Regel 9:" in stderr
    assert "" not in rows  # the empty line 5 is skipped, not reported
    assert "7 regels: 3 met kandidaten, 1 zonder overeenkomst, 3 met een fout" in stdout


def test_json_lines_in_and_out_with_a_one_line_address(tmp_path, register):
    lines = [
        json.dumps({"id": "a1", "kind": "address", "address": "Kerkstraat 12a, 3417 AB Montfoort"}),
        "",
        "dit is geen json",
        json.dumps({"id": 7, "name": "Klaas IJzerman", "date_of_birth": "01071969"}),
        json.dumps({"id": "a3", "street": "Kerkstraat", "address": "Kerkstraat 12a"}),
    ]
    target, _stdout, stderr = run_match(tmp_path, "\n".join(lines) + "\n", name="lijst.jsonl",
                                        out="uit.jsonl")
    rows = by_id(json.loads(line) for line in target.read_text().splitlines())
    assert rows["a1"][0]["source_id"] == register["kerkstraat"].external_id
    assert rows["7"][0]["source_id"] == register["ijzerman"].external_id
    assert rows["7"][0]["line"] == 4
    assert rows[""][0]["error"] == "Regel 3: geen JSON-object met enkelvoudige waarden."
    assert rows["a3"][0]["error"].startswith("Regel 5: vul óf het hele adres")
    assert "Regel 3" in stderr


def test_an_xlsx_list_with_dutch_column_names_is_read(tmp_path, register):
    book = Workbook()
    book.active.append(["Kenmerk", "Naam", "Geboortedatum"])
    book.active.append(["x1", "Jan van den Berg", "4 maart 1980"])
    path = tmp_path / "lijst.xlsx"
    book.save(path)
    target = tmp_path / "uit.csv"
    call_command("register_match", str(path), str(target), stdout=io.StringIO())
    assert read_csv(target)[0]["source_id"] == register["jan"].external_id


def test_the_run_is_in_the_processing_log_with_its_purpose_but_not_its_terms(
        tmp_path, register):
    run_match(tmp_path, LIST_CSV, purpose="Integrale controle Kerkstraat")
    record = ProcessingRecord.objects.select_related("audit").latest("seq")
    assert record.activity == "enrich" and record.purpose == "Integrale controle Kerkstraat"
    assert record.audit.changes["list_rows"] == 7
    stored = json.dumps(record.audit.changes) + record.purpose
    assert "berg" not in stored.lower() and "kerkstraat 12" not in stored.lower()


def test_a_list_breaking_the_limits_is_refused_as_a_whole(tmp_path, db):
    bomb = hostile.one_huge_cell(tmp_path / "bom.xlsx", megabytes=200)
    with pytest.raises(CommandError, match="groter dan 100 MB"):
        call_command("register_match", str(bomb), str(tmp_path / "uit.csv"))
    with pytest.raises(CommandError, match="stuurteken"):
        run_match(tmp_path, "id;name\nq1;Jan\x00\n")
    with pytest.raises(CommandError, match="geen bekende kolomnamen"):
        run_match(tmp_path, "foo;bar\n1;2\n")
    with pytest.raises(CommandError, match=".csv of .jsonl"):
        run_match(tmp_path, "id;name\n", out="uit.xlsx")


# ---------------------------------------------------------------- register_import

PERMITS = ("Vergunningnummer;Naam;KvK;Straat;Huisnummer;Postcode;Plaats\n"
           "H-1;Café De Zwaan B.V.;12345678;Kerkstraat;12a;3417 AB;Montfoort\n"
           "H-2;Snackbar Het Hoekje;87654321;Hoofdstraat;3;3417AC;Montfoort\n")


def run_import(tmp_path, content, *args):
    path = tmp_path / "vergunningen.csv"
    path.write_text(content, encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("register_import", str(path), *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_register_import_creates_the_source_when_asked_and_imports(tmp_path, db):
    stdout, _stderr = run_import(tmp_path, PERMITS, "--source", "Vergunningen", "--kind",
                                 "organisation", "--create", "--owner", "Team Vergunningen")
    assert "Vergunningnummer → external_id" in stdout
    assert "2 nieuw, 0 bijgewerkt, 0 ongewijzigd" in stdout
    source = Source.objects.get(name="Vergunningen")
    assert source.owner == "Team Vergunningen"
    assert set(Record.objects.filter(source=source).values_list("external_id", flat=True)) == \
        {"H-1", "H-2"}
    assert AuditEvent.objects.filter(changes__source="Vergunningen",
                                     changes__created=2).exists()
    run = ImportRun.objects.get()
    assert run.state == ImportState.DONE and run.created_by is None
    assert not any(importer.upload_dir().iterdir())  # nothing of the file kept
    stdout, _stderr = run_import(tmp_path, PERMITS, "--source", "Vergunningen", "--kind",
                                 "organisation")
    assert "0 nieuw, 0 bijgewerkt, 2 ongewijzigd" in stdout


def test_register_import_refuses_an_unknown_source_clearly(tmp_path, db):
    with pytest.raises(CommandError, match="bestaat niet. Geef --create en --owner"):
        run_import(tmp_path, PERMITS, "--source", "Onbekend")
    with pytest.raises(CommandError, match="--owner"):
        run_import(tmp_path, PERMITS, "--source", "Onbekend", "--create")
    assert not Source.objects.exists()


def test_register_import_lists_the_line_errors_of_the_page_and_imports_nothing(
        tmp_path, source):
    bad = PERMITS + "H-1;Dubbel;123;Kerkstraat;x;34170;Montfoort\n"
    with pytest.raises(CommandError, match="4 fout"):
        run_import(tmp_path, bad, "--source", source.name, "--kind", "organisation")
    assert not Record.objects.exists()
    assert ImportRun.objects.get().state == ImportState.FAILED
    assert not any(importer.upload_dir().iterdir())


def test_register_import_shows_the_errors_on_stderr(tmp_path, source):
    bad = "Naam;Geboortedatum\nJan Jansen;31-02-1980\n"
    path = tmp_path / "p.csv"
    path.write_text(bad)
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("register_import", str(path), "--source", source.name,
                     stdout=io.StringIO(), stderr=stderr)
    assert "Regel 2: geboortedatum “31-02-1980” bestaat niet." in stderr.getvalue()


def test_register_import_refuses_a_hostile_file_with_the_pages_message(tmp_path, source):
    path = tmp_path / "lijst.csv"
    path.write_bytes(b"Naam;Plaats\nJan\x00Jansen;Montfoort\n")
    with pytest.raises(CommandError, match="Regel 2, kolom 1: de cel bevat een stuurteken"):
        call_command("register_import", str(path), "--source", source.name)
    assert not ImportRun.objects.exists()
