"""The answer and the certificate are tagged PDFs: language, title, headings in the tree."""

import io
from datetime import UTC, date, datetime

import pypdf
import pytest
from django.utils import translation

from schakel.privacy import access_requests as ar
from schakel.privacy.answer import render_answer
from schakel.privacy.completion import render_certificate
from schakel.privacy.finding import find_everywhere
from schakel.privacy.models import DestructionCertificate
from schakel.signals import actions


def structure(content: bytes) -> tuple[dict, list[str]]:
    """The document catalogue and the kinds of element in its structure tree, in order."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    kinds: list[str] = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if "/S" in node:
                kinds.append(str(node["/S"]))
            if "/K" in node:
                walk(node["/K"])

    walk(root["/StructTreeRoot"])
    return {"lang": str(root["/Lang"]), "title": reader.metadata.title,
            "marked": bool(root["/MarkInfo"]["/Marked"]),
            "display_title": bool(root["/ViewerPreferences"]["/DisplayDocTitle"])}, kinds


@pytest.mark.django_db
@pytest.mark.parametrize("language,title", [("nl", "Antwoord op inzageverzoek"),
                                             ("en", "Answer to access request")])
def test_the_answer_is_tagged_in_its_language(make_signal, employee, officer, language, title):
    make_signal(employee, steps=["receive"], officer=officer, subjects=[actions.SubjectData(
        kind="person", values={"name": "Zofia Przybylski-Ottens", "capacity": "victim"})])
    hits = find_everywhere(person_name="Zofia Przybylski-Ottens", date_of_birth=None)
    access = ar.access_request_start(actor=officer, person_name="Zofia Przybylski-Ottens",
                                     date_of_birth=None, received_on=date(2026, 11, 1), hits=hits)
    with translation.override(language):
        info, kinds = structure(render_answer(access, actor=officer))
    assert info["lang"] == language and info["title"].startswith(title)
    assert info["marked"] and info["display_title"]
    assert kinds.count("/H1") == 1 and "/H2" in kinds and "/H3" in kinds
    assert "/Table" in kinds and "/P" in kinds


@pytest.mark.django_db
@pytest.mark.parametrize("language,title", [("nl", "Vernietigingsverklaring"),
                                             ("en", "Certificate of destruction")])
def test_the_certificate_is_tagged_in_the_installations_language(settings, officer, language,
                                                                  title):
    settings.LANGUAGE_CODE = language
    certificate = DestructionCertificate.objects.create(
        number="VV-2026-0001", created_at=datetime(2026, 11, 29, tzinfo=UTC),
        approved_by=officer, approved_by_name="A. Functionaris", reason="Termijn verstreken")
    info, kinds = structure(render_certificate(certificate))
    assert info["lang"] == language and info["title"] == f"{title} VV-2026-0001"
    assert info["marked"] and info["display_title"]
    assert kinds[:1] != [] and kinds.count("/H1") == 1 and "/H2" in kinds and "/Table" in kinds
