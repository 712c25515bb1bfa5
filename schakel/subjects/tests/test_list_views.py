"""Lijst controleren: officers check a whole list; the list is not kept, the terms stay out
of URLs and the processing log."""

import csv
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from schakel.audit.models import ProcessingRecord
from schakel.subjects import batch

from .conftest import ROLES

LIST = ("kenmerk;soort;naam;geboortedatum;adres\n"
        "R-1;persoon;Jan van den Berg;04-03-1980;\n"
        "R-2;adres;;;Kerkstraat 12a, 3417 AB Montfoort\n"
        "R-3;persoon;Zebulon Quaxelbrink;;\n"
        "R-4;persoon;Piet Janssen;31-02-1980;\n")
PURPOSE = "Integrale controle Kerkstraat, maart"


@pytest.fixture(autouse=True)
def _data(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def check(client, content=LIST, name="risicoadressen.csv", purpose=PURPOSE):
    data = content if isinstance(content, bytes) else content.encode()
    return client.post(reverse("subjects:list_check"),
                       {"file": SimpleUploadedFile(name, data), "purpose": purpose})


def token_of(html):
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("role", ROLES)
def test_only_officers_may_check_a_list(client, role_user, role, register):
    client.force_login(role_user(role))
    assert client.get(reverse("subjects:list_check")).status_code == 404
    assert check(client).status_code == 404
    response = client.post(reverse("subjects:list_download"), {"token": "x", "format": "csv"})
    assert response.status_code == 404
    assert not ProcessingRecord.objects.filter(activity="enrich").exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("subjects:list_check"))
    assert response.status_code == 302 and "inloggen" in response.url


def test_the_page_is_in_the_officers_navigation(client, officer):
    client.force_login(officer)
    html = client.get(reverse("subjects:search")).content.decode()
    assert f'href="{reverse("subjects:list_check")}"' in html and "Lijst controleren" in html


def test_an_officer_sees_the_matches_row_by_row_with_band_and_reasons(
        client, officer, register):
    client.force_login(officer)
    response = check(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "4 regels gecontroleerd" in html
    body = html.split('id="h-results"')[1]
    assert "Jan van den Berg" in body and "zelfde geboortedatum" in body
    assert re.search(r"<strong>(zeker|waarschijnlijk)</strong>", body)
    assert "Kerkstraat 12A, 3417AB Montfoort" in body  # the one-line address's record
    assert "geen overeenkomst" in body
    assert "Regel 5: geboortedatum “31-02-1980” bestaat niet." in body
    assert response["Cache-Control"].count("no-store")


def test_the_check_is_in_the_processing_log_with_its_purpose_but_not_its_terms(
        client, officer, register):
    client.force_login(officer)
    check(client)
    record = ProcessingRecord.objects.select_related("audit").latest("seq")
    assert record.activity == "enrich" and record.purpose == PURPOSE
    assert record.audit.actor == officer and record.audit.action == "read"
    assert record.audit.changes == {"list_rows": 4, "rows_with_candidates": 2,
                                    "rows_with_errors": 1}
    stored = str(record.__dict__) + str(record.audit.__dict__)
    assert "berg" not in stored.lower() and "quaxelbrink" not in stored.lower()


def test_no_term_of_the_list_ends_up_in_a_url(client, officer, register):
    client.force_login(officer)
    response = check(client)
    assert response.status_code == 200  # answered in place: no redirect carrying anything
    html = response.content.decode()
    urls = re.findall(r'(?:href|action|src)="([^"]*)"', html)
    assert urls and not [u for u in urls if re.search(r"berg|kerkstraat|quaxel|1980", u, re.I)]
    download = client.post(reverse("subjects:list_download"),
                           {"token": token_of(html), "format": "csv"})
    assert "Location" not in download
    assert re.fullmatch(r'attachment; filename="lijst-overeenkomsten-[\d-]+\.csv"',
                        download["Content-Disposition"])


def test_the_uploaded_list_is_not_kept(client, officer, register, settings):
    client.force_login(officer)
    check(client)
    folder = settings.DATA_DIR / "uploads" / "lists"
    assert folder.is_dir() and not any(folder.iterdir())


def test_the_matches_download_as_xlsx_and_csv_and_each_download_is_logged(
        client, officer, register):
    client.force_login(officer)
    token = token_of(check(client).content.decode())
    response = client.post(reverse("subjects:list_download"), {"token": token, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == batch.OUTPUT_COLUMNS
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["id"] == "R-1" and first["source_id"] == register["jan"].external_id
    assert first["band"] in ("zeker", "waarschijnlijk")
    response = client.post(reverse("subjects:list_download"), {"token": token, "format": "csv"})
    text = response.content.decode("utf-8-sig")
    table = list(csv.DictReader(text.splitlines(), delimiter=";"))
    assert {r["id"] for r in table} == {"R-1", "R-2", "R-3", "R-4"}
    assert [r["band"] for r in table if r["id"] == "R-3"] == ["geen overeenkomst"]
    assert [r["error"] for r in table if r["id"] == "R-4"] == [
        "Regel 5: geboortedatum “31-02-1980” bestaat niet."]
    logged = ProcessingRecord.objects.select_related("audit").order_by("-seq")[:2]
    assert [r.audit.changes["download"] for r in logged] == ["csv", "xlsx"]
    assert all(r.purpose == PURPOSE and r.activity == "enrich" for r in logged)


def test_a_foreign_or_broken_token_downloads_nothing(client, officer):
    client.force_login(officer)
    for token in ["", "nonsense", batch.seal([], "x")[:-4] + "AAAA"]:
        response = client.post(reverse("subjects:list_download"),
                               {"token": token, "format": "xlsx"})
        assert response.status_code == 302 and response.url == reverse("subjects:list_check")
    assert not ProcessingRecord.objects.filter(activity="enrich").exists()


def test_a_cell_that_looks_like_a_formula_is_not_run_by_the_spreadsheet(client, officer,
                                                                        add_record):
    add_record(name="=Jan Jansen", date_of_birth="1980-03-04")
    client.force_login(officer)
    token = token_of(check(client, "naam;geboortedatum\nJan Jansen;04-03-1980\n")
                     .content.decode())
    response = client.post(reverse("subjects:list_download"), {"token": token, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [c.value for c in sheet["I"]]
    assert "'=Jan Jansen" in names
    assert all(c.data_type != "f" for c in sheet["I"])


def test_an_xlsx_and_a_json_lines_list_are_checked_too(client, officer, register):
    client.force_login(officer)
    book = Workbook()
    book.active.append(["Naam", "Geboortedatum"])
    book.active.append(["Klaas IJzerman", "1 juli 1969"])
    buffer = io.BytesIO()
    book.save(buffer)
    html = check(client, buffer.getvalue(), name="lijst.xlsx").content.decode()
    assert "Klaas IJzerman" in html.split('id="h-results"')[1]
    lines = json.dumps({"id": "A", "address": "Kerkstraat 12a, 3417 AB Montfoort"}) + "\n"
    html = check(client, lines, name="lijst.jsonl").content.decode()
    assert "Kerkstraat 12A, 3417AB Montfoort" in html.split('id="h-results"')[1]


@pytest.mark.parametrize("content,name,message", [
    (b"naam\nJan\x00Jansen\n", "lijst.csv", "bevat een stuurteken"),
    (b"naam\n" + b"x" * 140_000 + b"\n", "lijst.csv", "Regel 2 is langer dan"),
    (b"a,b\n", "lijst.pdf", "Kies een .csv-, .xlsx- of .jsonl-bestand"),
    (b"foo;bar\n1;2\n", "lijst.csv", "geen bekende kolomnamen"),
])
def test_a_bad_list_is_refused_with_a_dutch_message_linked_from_the_summary(
        client, officer, content, name, message):
    client.force_login(officer)
    response = check(client, content, name=name)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'href="#id_file"' in html  # the error summary links the field
    assert not ProcessingRecord.objects.filter(activity="enrich").exists()


def test_more_rows_than_the_page_takes_are_refused(client, officer, register, monkeypatch):
    monkeypatch.setattr(batch, "PAGE_ROWS", 3)
    client.force_login(officer)
    html = check(client).content.decode()
    assert "meer dan 3 regels" in html


def test_without_a_purpose_nothing_is_checked(client, officer, register):
    client.force_login(officer)
    html = check(client, purpose="").content.decode()
    assert "Dit veld is verplicht" in html and 'id="h-results"' not in html
