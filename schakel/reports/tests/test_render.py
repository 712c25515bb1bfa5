"""The three files: what they hold, and what they never hold."""

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from schakel.core import clock
from schakel.reports import figures, render
from schakel.reports.models import Report
from schakel.signals.actions import SubjectData

from .conftest import at

pytestmark = pytest.mark.django_db

MARKERS = ["Zqxreportername", "Zqxvictimname", "Zqxorgname", "Zqxstreet", "Zqxcity", "9999ZQ",
           "Zqxbackground", "Zqxwhere", "Zqxdescription", "Zqxnationality", "13-07-1977",
           "1977-07-13", "13 juli 1977", "+31699999999"]


@pytest.fixture
def marked_signals(signal_at):
    """Twelve signals whose personal fields all carry unique markers."""
    subjects = [
        SubjectData(kind="person", values={
            "name": "Zqxvictimname", "capacity": "victim", "date_of_birth": date(1977, 7, 13),
            "nationality": "Zqxnationality", "description": "Zqxdescription"}),
        SubjectData(kind="organisation", values={"name": "Zqxorgname", "capacity": "employer"}),
        SubjectData(kind="address", values={"street": "Zqxstreet", "house_number": "7",
                                            "postcode": "9999ZQ", "city": "Zqxcity"}),
    ]
    return [signal_at(at(2025, 1 + i % 12, 3), forms=("labour", "sexual")[: 1 + i % 2],
                      urgent=i % 3 == 0, referred=timedelta(days=i),
                      reporter_name="Zqxreportername",
                      background="Zqxbackground gezien", subjects=subjects,
                      observed_where="Zqxwhere")
            for i in range(12)]


def _report(year=2025):
    data = figures.council_figures(year)
    return Report.objects.create(year=year, created_at=clock.now(), figures=data,
                                 figures_at=clock.now(), introduction="Inleiding van beleid.",
                                 pillar_texts={"1": "Tekst pijler een."}), data


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_markers_in_personal_fields_never_reach_html_csv_or_pdf(marked_signals):
    report, data = _report()
    html = render.render_html(report, data, final=False)
    csv = render.render_csv(report, data, final=False).decode("utf-8")
    pdf = _pdf_text(render.render_pdf(report, data, final=False))
    for marker in MARKERS:
        assert marker not in html
        assert marker not in csv
        assert marker not in pdf
    assert "12" in html  # the signals are counted all the same


def test_the_pdf_has_a_table_of_contents_page_numbers_and_the_chapters(marked_signals):
    report, data = _report()
    pdf = render.render_pdf(report, data, final=False)
    reader = PdfReader(io.BytesIO(pdf))
    text = _pdf_text(pdf)
    assert len(reader.pages) >= 3
    for heading in ("Raadsrapportage mensenhandel 2025", "Inhoud", "1. Inleiding",
                    "2. Uitvoering per pijler", "3. Signalen",
                    "4. Doorverwijzingen naar ketenpartners",
                    "5. Voorlichting en training", "6. Controles", "7. Overleggen",
                    "8. Cijfers van de politie", "9. Tot slot"):
        assert heading in text, heading
    assert "Pagina 2 van" in text
    assert "Concept" in text


def test_the_html_is_dutch_with_suppressed_small_counts(marked_signals):
    report, data = _report()
    html = render.render_html(report, data, final=True)
    assert '<html lang="nl">' in html
    assert "Definitieve versie" in html
    assert "&lt;\u00a05" in html  # the four urgent ones
    assert "Niet getoond" in html  # twelve months of one signal each
    assert "Tekst pijler een." in html or data["pillars"] == []
    assert "<script" not in html


def test_the_csv_lists_the_figures_with_semicolons(marked_signals):
    report, data = _report()
    csv = render.render_csv(report, data, final=False).decode("utf-8")
    assert csv.startswith("\ufeff")
    lines = csv.splitlines()
    assert lines[3] == "signalen;totaal;12;"
    assert "signalen;waarvan spoedeisend;< 5;" in lines
    assert "signalen;per maand;x;niet getoond: te weinig signalen" in lines


def test_a_withheld_breakdown_is_said_so_not_shown(signal_at):
    signal_at(at(2025, 1, 3), team="Burgerzaken")
    signal_at(at(2025, 1, 4), team="Sociaal Team")
    report, data = _report()
    html = render.render_html(report, data, final=False)
    assert data["signals"]["per_team"]["withheld"]
    assert "Niet getoond" in html
