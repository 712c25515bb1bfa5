"""Every PDF the app makes goes through here: tagged (PDF/UA-1), with its language and title.

Dutch government publications must be accessible (Besluit digitale toegankelijkheid
overheid), so a council report, a certificate of destruction or an access-request answer
is a tagged PDF that a screen reader can follow: a structure tree, the document's
language (from `<html lang>`) and its title (from `<title>`), shown as the window title.
Give every image and chart an `alt` text in the HTML; WeasyPrint carries it into the tags.
"""

import logging

PDF_VARIANT = "pdf/ua-1"


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render HTML (with `lang` on `<html>` and a `<title>`) to a tagged PDF."""
    from weasyprint import HTML  # lazily: importing WeasyPrint takes seconds

    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # no line per layout step
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)
