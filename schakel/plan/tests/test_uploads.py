"""Attachments: checked by content, size-limited, outside the web root, served to who may see."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schakel.plan.models import Attachment, Control, ControlKind, Meeting, MeetingKind


def make_pdf() -> bytes:
    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.write(buffer)
    return buffer.getvalue()


def make_image(fmt="PNG", size=(4, 4)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, fmt)
    return buffer.getvalue()


PDF = make_pdf()
PNG = make_image()
JPEG = make_image("JPEG")
POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
MAIN = {"word/": "wordprocessingml.document.main+xml", "xl/": "spreadsheetml.sheet.main+xml"}
# A minimal OLE2 header: magic, minor/major version, byte order FFFE, sector shift 9.
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
       + b"\0" * (1024 - 32))


def docx(kind="word/", main=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        part = MAIN.get(kind, "wordprocessingml.document.main+xml") if main is None else main
        archive.writestr("[Content_Types].xml", f'<Types><Override ContentType="application/'
                         f'vnd.openxmlformats-officedocument.{part}"/></Types>')
        archive.writestr(f"{kind}document.xml", "<doc/>")
    return buffer.getvalue()


def zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<Types ContentType="wordprocessingml.'
                         'document.main+xml"/>')
        archive.writestr("word/document.xml", b"\0" * (50 * 1024 * 1024))
    return buffer.getvalue()


@pytest.fixture
def occ(plan):
    return plan["3.3.2"].occurrences.first()


def upload(client, occ, name, content):
    return client.post(reverse("plan:occurrence_upload", args=[occ.pk]),
                       {"file": SimpleUploadedFile(name, content)}, follow=True)


@pytest.mark.parametrize("name, content", [
    ("verslag.pdf", PDF), ("foto.png", PNG), ("notulen.docx", docx()),
    ("cijfers.xlsx", docx("xl/")), ("oud.doc", OLE), ("foto.jpg", JPEG),
])
def test_genuine_files_are_accepted(occ, officer, as_user, name, content):
    upload(as_user(officer), occ, name, content)
    attachment = Attachment.objects.get(occurrence=occ)
    assert attachment.name == name and attachment.size == len(content)
    assert attachment.uploaded_by == officer


@pytest.mark.parametrize("name, content", [
    ("virus.pdf", b"MZ\x90\x00 not a pdf"), ("script.exe", b"MZ\x90\x00"),
    ("pagina.html", b"<html><script>alert(1)</script>"), ("nep.docx", docx("evil/")),
    ("leeg.pdf", b""), ("foto.png", PDF), ("kapot.xlsx", b"PK\x03\x04 broken zip"),
    ("polyglot.pdf", POLYGLOT), ("header-only.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"),
    ("met-script.pdf", PDF + b"<html><script>alert(1)</script></html>"),
    ("afgebroken.png", PNG[:30]), ("png-als.jpg", PNG),
    ("kop.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40),
    ("geen-word.docx", docx(main="spreadsheetml.sheet.main+xml")), ("bom.docx", zip_bomb()),
    ("kop.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 50),
])
def test_files_whose_content_does_not_match_are_refused(occ, officer, as_user, name, content):
    response = upload(as_user(officer), occ, name, content)
    assert not Attachment.objects.exists()
    assert "niet toegevoegd" in response.content.decode()


def test_a_pdf_header_followed_by_a_web_page_is_refused_with_a_dutch_message(occ, officer,
                                                                             as_user):
    response = upload(as_user(officer), occ, "rapport.pdf", POLYGLOT)
    html = response.content.decode()
    assert not Attachment.objects.exists()
    assert "De bijlage is niet toegevoegd" in html
    assert "past niet bij het type (.pdf)" in html


def test_an_image_of_too_many_pixels_is_refused(occ, officer, as_user, monkeypatch):
    from schakel.core import uploads

    monkeypatch.setattr(uploads, "MAX_PIXELS", 15)
    upload(as_user(officer), occ, "foto.png", PNG)
    assert not Attachment.objects.exists()


def test_files_over_ten_megabytes_are_refused(occ, officer, as_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    response = upload(as_user(officer), occ, "groot.pdf", PDF + b"0" * (10 * 1024 * 1024))
    assert not Attachment.objects.exists() and "10 MB" in response.content.decode()


def test_files_are_stored_outside_the_web_root_under_a_random_name(occ, officer, as_user):
    upload(as_user(officer), occ, "Verslag Jansen.pdf", PDF)
    attachment = Attachment.objects.get()
    path = Path(attachment.file.path).resolve()
    assert path.is_relative_to(Path(settings.DATA_DIR) / "uploads")
    assert not path.is_relative_to(Path(settings.STATIC_ROOT))
    assert "Jansen" not in str(path)


def test_attachments_are_served_only_to_who_may_see_them(occ, officer, policy, employee,
                                                          admin_user, as_user):
    upload(as_user(officer), occ, "verslag.pdf", PDF)
    url = reverse("plan:attachment", args=[Attachment.objects.get().pk])
    response = as_user(policy).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    for outsider in (employee, admin_user):
        assert as_user(outsider).get(url).status_code == 404


def test_case_meeting_attachments_are_for_officers_only(db, today, officer, policy, as_user):
    meeting = Meeting.objects.create(kind=MeetingKind.CASE, date=today)
    as_user(officer).post(reverse("plan:meeting_upload", args=[meeting.pk]),
                          {"file": SimpleUploadedFile("a.pdf", PDF)})
    attachment = Attachment.objects.get(meeting=meeting)
    url = reverse("plan:attachment", args=[attachment.pk])
    assert as_user(officer).get(url).status_code == 200
    assert as_user(policy).get(url).status_code == 404
    assert as_user(policy).post(reverse("plan:meeting_upload", args=[meeting.pk]),
                                {"file": SimpleUploadedFile("b.pdf", PDF)}).status_code == 404


def test_a_participant_cannot_download_or_upload_control_attachments(
        db, today, officer, employee, as_user):
    control = Control.objects.create(kind=ControlKind.INTEGRAL, date=today, street="S",
                                     house_number="1")
    control.participants.add(employee)
    as_user(officer).post(reverse("plan:control_upload", args=[control.pk]),
                          {"file": SimpleUploadedFile("a.pdf", PDF)})
    attachment = Attachment.objects.get(control=control)
    assert as_user(employee).post(reverse("plan:control_upload", args=[control.pk]),
                                  {"file": SimpleUploadedFile("b.pdf", PDF)}).status_code == 404
    assert as_user(employee).post(reverse("plan:attachment_delete",
                                          args=[attachment.pk])).status_code == 404


def test_removing_an_attachment_removes_the_file(occ, officer, as_user,
                                                 django_capture_on_commit_callbacks):
    upload(as_user(officer), occ, "verslag.pdf", PDF)
    attachment = Attachment.objects.get()
    path = Path(attachment.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        as_user(officer).post(reverse("plan:attachment_delete", args=[attachment.pk]))
    assert not Attachment.objects.exists() and not path.exists()
