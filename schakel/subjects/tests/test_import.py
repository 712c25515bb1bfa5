"""Importing a data set: mapping, per-row Dutch errors, all or nothing, re-import updates."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from schakel.audit.models import AuditEvent
from schakel.subjects import importer
from schakel.subjects.engine import Query, propose
from schakel.subjects.models import ImportRun, ImportState, Record

GOOD = ("Vergunningnummer;Naam;KvK;Straat;Huisnummer;Postcode;Plaats\n"
        "H-1;Café De Zwaan B.V.;12345678;Kerkstraat;12a;3417 AB;Montfoort\n"
        "H-2;Snackbar Het Hoekje;87654321;Hoofdstraat;3;3417AC;Montfoort\n")


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def upload(client, source, content, name="vergunningen.csv", kind="organisation"):
    data = content if isinstance(content, bytes) else content.encode()
    return client.post(reverse("subjects:source", args=[source.pk]),
                       {"file": SimpleUploadedFile(name, data), "kind": kind})


def run_import(client, source, content, **kw):
    """Upload, accept the guessed mapping, check every row, import; the run at the end."""
    response = upload(client, source, content, **kw)
    assert response.status_code == 302, response.content.decode()[:2000]
    run = ImportRun.objects.latest("id")
    mapping = {f: str(i) for f, i in run.mapping.items()}
    client.post(reverse("subjects:import", args=[run.pk]), mapping)
    page = client.get(reverse("subjects:import", args=[run.pk]))
    run.refresh_from_db()
    if run.state == ImportState.CHECKED and not run.error_count:
        client.post(reverse("subjects:import_commit", args=[run.pk]))
        run.refresh_from_db()
    return run, page


def test_an_officer_imports_a_csv_and_the_records_are_found(client, officer, source):
    client.force_login(officer)
    run, page = run_import(client, source, GOOD)
    assert "Voorbeeld" in page.content.decode()  # the preview before importing
    assert run.state == ImportState.DONE and run.created == 2
    assert propose(Query(kind="organisation", name="cafe de zwaan"))[0].record.external_id == "H-1"
    event = AuditEvent.objects.filter(changes__source=source.name).latest("id")
    assert event.changes["created"] == 2


def test_the_columns_are_guessed_from_their_dutch_names(officer, source):
    assert importer.guess_mapping(["Vergunningnummer", "Naam", "KvK-nummer", "Straat",
                                   "Huisnummer", "Postcode", "Woonplaats"]) == {
        "external_id": 0, "name": 1, "kvk_number": 2, "street": 3, "house_number": 4,
        "postcode": 5, "city": 6}


def test_importing_again_updates_instead_of_doubling(client, officer, source):
    client.force_login(officer)
    run_import(client, source, GOOD)
    changed = GOOD.replace("Snackbar Het Hoekje", "Snackbar De Hoek") + \
        "H-3;Kapsalon Knip;11112222;Dorpsstraat;1;3417AD;Montfoort\n"
    run, _page = run_import(client, source, changed)
    assert (run.created, run.updated, run.unchanged) == (1, 1, 1)
    assert Record.objects.filter(source=source).count() == 3
    assert Record.objects.get(external_id="H-2").name == "Snackbar De Hoek"
    found = propose(Query(kind="organisation", name="Snackbar de Hoek"))
    assert found[0].record.external_id == "H-2"


def test_rows_with_errors_are_reported_in_dutch_with_line_numbers_and_nothing_is_written(
        client, officer, source):
    client.force_login(officer)
    bad = GOOD + ("H-4;Nagelstudio Zon;123;Kerkstraat;x;34170;Montfoort\n"
                  "H-1;Dubbel;12345679;Kerkstraat;1;3417AB;Montfoort\n"
                  ";;;;;;\n"
                  "H-5;;;Kerkstraat;1;3417AB;Montfoort\n")
    run, page = run_import(client, source, bad)
    html = page.content.decode()
    assert run.state == ImportState.CHECKED and run.error_count == 5
    assert "Regel 4: KvK-nummer" in html
    assert "Regel 4: huisnummer" in html
    assert "Regel 4: postcode" in html
    assert "Regel 5: kenmerk" in html and "regel 2" in html
    assert "Regel 7: de naam is leeg" in html
    assert Record.objects.filter(source=source).count() == 0
    # Importing anyway is refused.
    client.post(reverse("subjects:import_commit", args=[run.pk]))
    assert Record.objects.filter(source=source).count() == 0


def test_an_xlsx_file_is_imported(client, officer, source):
    book = Workbook()
    sheet = book.active
    sheet.append(["Naam", "Geboortedatum", "Adres", "Postcode", "Plaats"])
    sheet.append(["Jan van den Berg", "04-03-1980", "Kerkstraat 12-A", "3417AB", "Montfoort"])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(officer)
    run, _page = run_import(client, source, buffer.getvalue(), name="risico.xlsx", kind="person")
    assert run.state == ImportState.DONE and run.created == 1
    record = Record.objects.get(source=source)
    assert (record.street, record.house_number, record.house_number_addition,
            record.postcode) == ("Kerkstraat", "12", "A", "3417AB")
    assert propose(Query(kind="person", name="Berg, J. van den"))[0].record == record


def test_a_file_that_is_not_a_spreadsheet_gets_a_message_not_a_crash(client, officer, source):
    client.force_login(officer)
    response = upload(client, source, b"PK\x03\x04 broken", name="kapot.xlsx")
    assert response.status_code == 200
    assert "geen leesbaar XLSX-bestand" in response.content.decode()
    response = upload(client, source, b"a,b\n", name="lijst.pdf")
    assert "Kies een .csv- of .xlsx-bestand" in response.content.decode()


def test_a_large_file_is_checked_in_chunks_with_progress(client, officer, source, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK", 40)
    rows = "".join(f"P-{i};Persoon {i} Jansen\n" for i in range(100))
    client.force_login(officer)
    upload(client, source, "Nummer;Naam\n" + rows, kind="person")
    run = ImportRun.objects.latest("id")
    client.post(reverse("subjects:import", args=[run.pk]), {"external_id": "0", "name": "1"})
    page = client.get(reverse("subjects:import", args=[run.pk]))
    html = page.content.decode()
    assert 'http-equiv="refresh"' in html and "<progress" in html
    assert "regel 41 van ongeveer 100" in html
    client.get(reverse("subjects:import", args=[run.pk]))
    client.get(reverse("subjects:import", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportState.CHECKED and run.error_count == 0
    client.post(reverse("subjects:import_commit", args=[run.pk]))
    assert Record.objects.filter(source=source).count() == 100
