"""Every PDF the app makes is tagged, with its language and title (PDF/UA-1)."""

import io

from pypdf import PdfReader

from schakel.core.pdf import render_pdf


def test_a_rendered_pdf_is_tagged_with_its_language_and_title():
    html = ('<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Proef</title>'
            '</head><body><h1>Kop</h1><p>Tekst</p></body></html>')
    reader = PdfReader(io.BytesIO(render_pdf(html)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == "Proef"
