"""Hostile and careless files are refused at upload, quickly, with a Dutch line error.

The files of issue 13 (finding 4), built small on disk by `hostile.py`: a 0.4 MB XLSX
with one 400 MB cell, an XLSX with 3 million rows, a CSV field over 131,072 characters,
NUL bytes. None may give a 500, store anything, or be read whole.
"""

import datetime as dt
import io
import os
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from schakel.core.tests.test_settings import start
from schakel.subjects import importer, tabular
from schakel.subjects.models import ImportRun, ImportState

from . import hostile


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


def limits(settings, **values):
    settings.SCHAKEL = {**settings.SCHAKEL, **{f"IMPORT_MAX_{k.upper()}": v
                                               for k, v in values.items()}}


def upload(client, source, data: bytes, name: str, kind="person"):
    return client.post(reverse("subjects:source", args=[source.pk]),
                       {"file": SimpleUploadedFile(name, data), "kind": kind})


def refused(response) -> str:
    """The page after a refused upload: 200, the form again, nothing stored."""
    assert response.status_code == 200
    assert not ImportRun.objects.exists()
    assert not any((importer.upload_dir()).iterdir())  # no upload and no parts left
    return response.content.decode()


@pytest.fixture
def no_openpyxl(monkeypatch):
    """Fail when openpyxl opens a workbook: the file must be refused before that."""
    def forbidden(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", forbidden)


def test_an_xlsx_with_one_400_mb_cell_is_refused_before_it_is_opened(
        client, officer, source, tmp_path, no_openpyxl):
    bomb = hostile.one_huge_cell(tmp_path / "bom.xlsx", megabytes=400)
    assert bomb.stat().st_size < 450_000
    client.force_login(officer)
    html = refused(upload(client, source, bomb.read_bytes(), "lijst.xlsx"))
    assert "groter dan 100 MB" in html


def test_a_bomb_within_the_size_limit_is_refused_by_its_compression_ratio(
        client, officer, source, tmp_path, settings, no_openpyxl):
    limits(settings, mb=1000)
    bomb = hostile.one_huge_cell(tmp_path / "bom.xlsx", megabytes=50)
    client.force_login(officer)
    html = refused(upload(client, source, bomb.read_bytes(), "lijst.xlsx"))
    assert "meer dan 100 keer zijn eigen grootte" in html


def test_a_huge_cell_that_passes_the_zip_checks_is_refused_with_its_line(
        client, officer, source, tmp_path, settings):
    limits(settings, mb=1000, zip_ratio=10_000)
    bomb = hostile.one_huge_cell(tmp_path / "bom.xlsx", megabytes=3)
    client.force_login(officer)
    html = refused(upload(client, source, bomb.read_bytes(), "lijst.xlsx"))
    assert "Regel 1, kolom 1: de cel is langer dan 2.000 tekens" in html


def test_an_xlsx_with_three_million_rows_is_refused_before_it_is_opened(
        client, officer, source, tmp_path, no_openpyxl):
    rows = hostile.many_rows(tmp_path / "rijen.xlsx", 3_000_000)
    assert rows.stat().st_size < 1_000_000
    client.force_login(officer)
    html = refused(upload(client, source, rows.read_bytes(), "lijst.xlsx"))
    assert "groter dan 100 MB (een XLSX uitgepakt geteld)" in html


def test_three_million_declared_rows_are_refused_without_reading_them(
        client, officer, source, tmp_path, settings, monkeypatch):
    limits(settings, mb=1000, zip_ratio=10_000)
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    def forbidden(*args, **kwargs):
        raise AssertionError("the rows were read")

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", forbidden)
    rows = hostile.many_rows(tmp_path / "rijen.xlsx", 3_000_000)
    client.force_login(officer)
    html = refused(upload(client, source, rows.read_bytes(), "lijst.xlsx"))
    assert "meer dan 250.000 regels" in html


def test_rows_beyond_the_limit_are_counted_when_the_sheet_does_not_declare_them(
        client, officer, source, tmp_path, settings):
    limits(settings, rows=1000)
    rows = hostile.many_rows(tmp_path / "rijen.xlsx", 2000, declared=False)
    client.force_login(officer)
    html = refused(upload(client, source, rows.read_bytes(), "lijst.xlsx"))
    assert "meer dan 1.000 regels" in html


def test_a_csv_field_over_131072_characters_is_a_dutch_line_error_not_a_500(
        client, officer, source):
    client.force_login(officer)
    long_line = b"Naam;Opmerking\nJan Jansen;" + b"x" * 140_000 + b"\n"
    html = refused(upload(client, source, long_line, "lijst.csv"))
    assert "Regel 2 is langer dan" in html
    # Quoted over many short lines, the csv module's own field limit is what trips.
    quoted = b'Naam;Opmerking\nJan Jansen;"' + b"x\n" * 70_000 + b'"\n'
    html = refused(upload(client, source, quoted, "lijst.csv"))
    assert "Regel 2: een cel is langer dan 2.000 tekens" in html


def test_a_cell_over_the_limit_is_refused_with_line_and_column(client, officer, source):
    client.force_login(officer)
    data = ("Naam;Opmerking\nJan Jansen;kort\nPiet Jansen;" + "y" * 2001 + "\n").encode()
    html = refused(upload(client, source, data, "lijst.csv"))
    assert "Regel 3, kolom 2: de cel is langer dan 2.000 tekens" in html


@pytest.mark.parametrize("data", [
    b"Naam;Plaats\nJan\x00Jansen;Montfoort\n",
    b"Naam\x00;Plaats\nJan Jansen;Montfoort\n",
    b"Naam;Plaats\nJan Jansen;Mont\x1bfoort\n",
])
def test_nul_bytes_and_control_characters_are_refused_with_a_dutch_line_error(
        client, officer, source, data):
    client.force_login(officer)
    html = refused(upload(client, source, data, "lijst.csv"))
    assert "bevat een stuurteken" in html and "Regel" in html


def test_too_many_columns_are_refused(client, officer, source):
    client.force_login(officer)
    data = (";".join(f"k{i}" for i in range(60)) + "\n").encode()
    html = refused(upload(client, source, data, "lijst.csv"))
    assert "Regel 1 heeft 60 kolommen; hoogstens 50 zijn toegestaan" in html


def test_a_file_over_the_size_limit_is_refused(client, officer, source, settings):
    limits(settings, mb=1)
    client.force_login(officer)
    data = b"Naam\n" + b"Jan Jansen\n" * 100_000
    html = refused(upload(client, source, data, "lijst.csv"))
    assert "groter dan 1 MB" in html


def test_a_long_column_name_is_cut_and_the_preview_is_bounded(client, officer, source):
    client.force_login(officer)
    data = ("Naam;" + "K" * 1500 + "\n" + "J" * 150 + " Jansen;x\n").encode()
    response = upload(client, source, data, "lijst.csv")
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert len(run.columns[1]) == importer.COLUMN_NAME_CHARS
    client.post(reverse("subjects:import", args=[run.pk]), {"name": "0"})
    html = client.get(reverse("subjects:import", args=[run.pk])).content.decode()
    assert "J" * 79 + "…" in html and "J" * 80 not in html
    assert "K" * 101 not in html


def test_checking_resumes_in_the_part_where_it_stopped(client, officer, source, monkeypatch):
    monkeypatch.setattr(importer, "PART_ROWS", 10)
    monkeypatch.setattr(importer, "CHUNK", 10)
    client.force_login(officer)
    rows = "".join(f"P-{i};Persoon {i} Jansen\n" for i in range(50))
    upload(client, source, ("Nummer;Naam\n" + rows).encode(), "lijst.csv")
    run = ImportRun.objects.get()
    assert run.total_rows == 50
    client.post(reverse("subjects:import", args=[run.pk]), {"external_id": "0", "name": "1"})
    opened = []
    real_open = open

    def spy(path, *args, **kwargs):
        opened.append(int(str(path).rsplit("/", 1)[-1].split(".")[0]))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(importer, "open", spy, raising=False)
    client.get(reverse("subjects:import", args=[run.pk]))  # lines 2-11
    assert opened == [2, 12]  # the first part, and the next one to see that more follow
    opened.clear()
    client.get(reverse("subjects:import", args=[run.pk]))  # lines 12-21
    assert opened == [12, 22]
    for _step in range(3):
        client.get(reverse("subjects:import", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportState.CHECKED and run.error_count == 0


def test_an_id_twice_is_found_across_steps(client, officer, source, monkeypatch):
    monkeypatch.setattr(importer, "PART_ROWS", 3)
    monkeypatch.setattr(importer, "CHUNK", 2)
    client.force_login(officer)
    rows = "".join(f"P-{i % 5};Persoon {i} Jansen\n" for i in range(7))
    upload(client, source, ("Nummer;Naam\n" + rows).encode(), "lijst.csv")
    run = ImportRun.objects.get()
    client.post(reverse("subjects:import", args=[run.pk]), {"external_id": "0", "name": "1"})
    for _step in range(5):
        client.get(reverse("subjects:import", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportState.CHECKED
    assert run.errors == ["Regel 7: kenmerk “P-0” staat ook op regel 2.",
                          "Regel 8: kenmerk “P-1” staat ook op regel 3."]


def test_the_prepared_rows_are_removed_after_the_import(client, officer, source,
                                                        django_capture_on_commit_callbacks):
    client.force_login(officer)
    upload(client, source, b"Naam\nJan Jansen\n", "lijst.csv")
    run = ImportRun.objects.get()
    assert (importer.upload_dir() / run.stored_as).is_dir()
    client.post(reverse("subjects:import", args=[run.pk]), {"name": "0"})
    client.get(reverse("subjects:import", args=[run.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("subjects:import_commit", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportState.DONE
    assert not (importer.upload_dir() / run.stored_as).exists()


def test_a_cp1252_csv_is_read_streaming(tmp_path):
    path = tmp_path / "lijst.csv"
    path.write_bytes("Naam;Plaats\nJosé Müller;Montfoort\n".encode("cp1252"))
    assert list(tabular.read_rows(path)) == [(1, ["Naam", "Plaats"]),
                                             (2, ["José Müller", "Montfoort"])]


def test_an_xlsx_with_a_small_declared_size_is_read_whole(tmp_path):
    """A sheet that declares fewer rows than it has is not cut off (openpyxl would)."""
    book = Workbook()
    sheet = book.active
    for i in range(5):
        sheet.append([f"Rij {i}"])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "lijst.xlsx"
    path.write_bytes(buffer.getvalue().replace(b'ref="A1:A5"', b'ref="A1:A2"'))
    assert len(list(tabular.read_rows(path))) == 5


@pytest.mark.parametrize("value", ["0", "veel"])
def test_a_bad_limit_stops_start_up_with_its_name(tmp_path, value):
    result = start(tmp_path, IMPORT_MAX_ROWS=value)
    assert result.returncode != 0 and "IMPORT_MAX_ROWS" in result.stderr


def test_a_cell_limit_above_what_the_csv_module_reads_is_refused(tmp_path):
    result = start(tmp_path, IMPORT_MAX_CELL_CHARS="200000")
    assert result.returncode != 0 and "IMPORT_MAX_CELL_CHARS" in result.stderr


def test_uploads_left_unfinished_for_a_week_are_removed_at_the_next_upload(
        client, officer, source):
    client.force_login(officer)
    upload(client, source, b"Naam\nJan Jansen\n", "oud.csv")
    old = ImportRun.objects.get()
    ImportRun.objects.filter(pk=old.pk).update(
        created_at=old.created_at - dt.timedelta(days=importer.STALE_DAYS + 1))
    orphan = importer.upload_dir() / ("0" * 32)
    orphan.mkdir()
    os.utime(orphan, (time.time() - 2 * 86400,) * 2)
    upload(client, source, b"Naam\nPiet Jansen\n", "nieuw.csv")
    old.refresh_from_db()
    assert old.state == ImportState.FAILED and "na 7 dagen verwijderd" in old.errors[0]
    assert not (importer.upload_dir() / old.stored_as).exists() and not orphan.exists()
    new = ImportRun.objects.latest("id")
    assert (importer.upload_dir() / new.stored_as).is_dir()


def test_an_upload_that_takes_too_long_to_read_is_refused_and_leaves_nothing(
        client, officer, source, monkeypatch):
    monkeypatch.setattr(importer, "UPLOAD_SECONDS", 0)
    client.force_login(officer)
    html = refused(upload(client, source, b"Naam\n" + b"Jan Jansen\n" * 3000, "lijst.csv"))
    assert "duurt langer dan 0 seconden" in html and "register_import" in html


def test_an_xlsx_member_that_lies_about_its_size_is_not_unpacked_beyond_it(
        client, officer, source, tmp_path):
    """The ZIP says the sheet is 2 KB; it unpacks to 50 MB. zipfile stops at 2 KB."""
    members = [(name, *hostile.deflate_repeated(content, b"", 0, b""))
               for name, content in hostile.MEMBERS.items()]
    prefix = hostile.sheet_start() + b'<row><c t="inlineStr"><is><t>'
    sheet, crc, _size = hostile.deflate_repeated(prefix, b"A" * hostile.MB, 50,
                                                 b"</t></is></c></row>" + hostile.SHEET_END)
    members.append(("xl/worksheets/sheet1.xml", sheet, crc, 2048))
    path = hostile.write_zip(tmp_path / "leugen.xlsx", members)
    client.force_login(officer)
    html = refused(upload(client, source, path.read_bytes(), "lijst.xlsx"))
    # Not the cell error: the 50 MB cell was never unpacked, the cut-off XML is unreadable.
    assert "geen leesbaar XLSX-bestand" in html and "langer dan" not in html
