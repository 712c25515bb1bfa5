"""The council report's PDF is tagged (PDF/UA-1): a screen reader finds its language, its
title, headings in order, tables with header cells and every chart's text alternative."""

import io

import pytest
from django.test import override_settings
from pypdf import PdfReader

from schakel.core import clock
from schakel.reports import figures, render
from schakel.reports.models import Report

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def signals_2025(signal_at):
    return [signal_at(at(2025, 1 + i % 12, 3), forms=("labour", "sexual")[: 1 + i % 2])
            for i in range(24)]


def _pdf(year=2025):
    data = figures.council_figures(year)
    report = Report.objects.create(year=year, created_at=clock.now(), figures=data,
                                   figures_at=clock.now())
    return PdfReader(io.BytesIO(render.render_pdf(report, data, final=False)))


def _elements(reader):
    """The structure tree as (tag, alt text) in reading order."""
    found = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if not hasattr(node, "keys"):
            return
        if "/S" in node:
            found.append((str(node["/S"]), str(node.get("/Alt", ""))))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_pdf_is_tagged_with_its_language_and_title(signals_2025):
    reader = _pdf()
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "nl"
    assert reader.metadata.title == "Raadsrapportage mensenhandel 2025 · Gemeente Montfoort"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def test_the_headings_come_in_order_without_skipping_a_level(signals_2025):
    levels = [int(tag[2]) for tag, _alt in _elements(_pdf())
              if tag.startswith("/H") and tag[2:].isdigit()]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels
    assert levels.count(2) >= 10  # contents and the ten chapters


def test_every_chart_is_a_figure_with_its_figures_in_words(signals_2025):
    tags = _elements(_pdf())
    alts = [alt for tag, alt in tags if tag == "/Figure"]
    assert len(alts) == 3 and all(alts)
    month = next(alt for alt in alts if alt.startswith("Signalen per maand"))
    assert "januari" in month and "december" in month
    assert any(alt.startswith("Signalen per vorm van uitbuiting") for alt in alts)
    # Tables keep their header cells.
    assert sum(1 for tag, _alt in tags if tag == "/TH") > 20


@override_settings(LANGUAGE_CODE="en")
def test_the_language_follows_the_language_the_report_is_written_in(signals_2025):
    reader = _pdf()
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.metadata.title.startswith("Council report on human trafficking 2025")
