"""An access request shows the signals' attachments for the officer to include one by one,
delivers the included files with the answer, and logs every step; destruction leaves no
trace of a file in the raw database or the upload folder."""

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schakel.audit.models import ProcessingRecord
from schakel.privacy import access_requests as ar
from schakel.privacy import retention
from schakel.privacy.answer import render_answer
from schakel.privacy.finding import find_everywhere
from schakel.privacy.models import DestructionItem
from schakel.signals import actions, attachments
from schakel.signals.access import Access
from schakel.signals.models import SignalAttachment

ZOFIA = "Zofia Przybylski-Ottens"
PHOTO = "Foto-Advertentie-5f1e.png"
LETTER = "Brief-Werkgever-5f1e.pdf"


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (6, 6), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def _pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PNG, PDF = _png(), _pdf()


def pdf_text(content: bytes) -> str:
    return "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def signal(employee, officer, make_signal):
    signal = make_signal(employee, steps=["receive"], officer=officer, subjects=[
        actions.SubjectData(kind="person", values={"name": ZOFIA, "capacity": "victim"})])
    attachments.attachments_add(signal=signal, actor=officer, level=Access.FULL, files=[
        (SimpleUploadedFile(PHOTO, PNG, "image/png"), "image/png"),
        (SimpleUploadedFile(LETTER, PDF, "application/pdf"), "application/pdf")])
    return signal


def _start(officer):
    hits = find_everywhere(person_name=ZOFIA, date_of_birth=None)
    return ar.access_request_start(actor=officer, person_name=ZOFIA, date_of_birth=None,
                                   received_on=date(2026, 11, 1), hits=hits)


def _items(access):
    by_name = {}
    for item in access.items.filter(kind="attachment"):
        by_name[ar.attachment_of(item).name] = item
    return by_name


@pytest.mark.django_db
def test_each_attachment_of_the_signal_is_an_item_left_out_until_the_officer_includes_it(
        signal, officer):
    access = _start(officer)
    items = _items(access)
    assert set(items) == {PHOTO, LETTER}
    assert all(i.restricted and i.others and i.decided_by_id is None and i.signal == signal
               for i in items.values())
    start = ProcessingRecord.objects.filter(activity="access_request").latest("seq")
    assert sorted(start.audit.changes["attachments"]) == sorted(
        a.pk for a in signal.attachments.all())
    text = pdf_text(render_answer(access, actor=officer))
    assert PHOTO not in text and LETTER not in text  # not even the names of files left out
    assert "Een bijlage van het signaal" in text and "niet volledig" in text


@pytest.mark.django_db
def test_the_review_page_lists_the_files_and_says_they_cannot_be_redacted(
        client, signal, officer):
    access = _start(officer)
    client.force_login(officer)
    before = ProcessingRecord.objects.count()
    page = client.get(reverse("privacy:access_detail", args=[access.pk])).content.decode()
    assert PHOTO in page and LETTER in page and "PNG" in page and "PDF" in page
    assert signal.reference in page
    assert "niet automatisch worden weggelakt" in page
    assert ProcessingRecord.objects.filter(
        seq__gt=before, purpose="Access request: attachments listed for review").exists()


@pytest.mark.django_db
def test_an_included_file_is_in_the_answer_and_delivered_beside_it_and_logged(
        client, signal, officer):
    access = _start(officer)
    photo, letter = _items(access)[PHOTO], _items(access)[LETTER]
    client.force_login(officer)
    response = client.post(reverse("privacy:access_decide", args=[access.pk, photo.pk]),
                           {f"i{photo.pk}-decision": "give"})
    assert response.status_code == 302
    photo.refresh_from_db()
    assert not photo.restricted and photo.decided_by == officer
    included = ProcessingRecord.objects.filter(purpose="Access request: attachment included")
    assert included.count() == 1
    assert included.get().audit.changes == {"attachment": photo.object_id, "included": True}
    client.post(reverse("privacy:access_decide", args=[access.pk, letter.pk]),
                {f"i{letter.pk}-decision": "restrict", f"i{letter.pk}-reason": "Naam derde"})
    assert ProcessingRecord.objects.filter(purpose="Access request: attachment left out").exists()

    text = pdf_text(render_answer(access, actor=officer))
    assert "Bestanden bij dit antwoord" in text and PHOTO in text and signal.reference in text
    assert LETTER not in text and "Naam derde" in text

    page = client.get(reverse("privacy:access_detail", args=[access.pk])).content.decode()
    url = reverse("privacy:access_attachment", args=[access.pk, photo.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response.content == PNG
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    delivered = ProcessingRecord.objects.filter(
        activity="export", purpose="Access request: attachment delivered with the answer")
    assert delivered.count() == 1
    assert delivered.get().data_subject in photo.subject_ids
    # The file left out is not delivered, whoever asks.
    left_out = reverse("privacy:access_attachment", args=[access.pk, letter.pk])
    assert client.get(left_out).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee", "team_lead", "policy", "admin_user"])
def test_no_one_but_the_officer_downloads_an_included_file(client, request, signal, officer,
                                                           role):
    access = _start(officer)
    photo = _items(access)[PHOTO]
    ar.access_item_decide(item=photo, actor=officer, restricted=False, reason="")
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("privacy:access_attachment", args=[access.pk, photo.pk]))
    assert response.status_code in (403, 404)
    assert PNG not in response.content


@pytest.mark.django_db
def test_after_destruction_the_file_is_named_as_gone_and_not_delivered(client, signal,
                                                                       officer):
    access = _start(officer)
    photo = _items(access)[PHOTO]
    ar.access_item_decide(item=photo, actor=officer, restricted=False, reason="")
    retention.signal_destroy(signal=signal, actor=officer)
    assert ar.attachment_of(photo) is None
    client.force_login(officer)
    assert client.get(reverse("privacy:access_attachment",
                              args=[access.pk, photo.pk])).status_code == 404
    text = pdf_text(render_answer(access, actor=officer))
    assert PHOTO not in text
    with pytest.raises(ar.AccessError):
        ar.access_item_decide(item=_items_all(access)[0], actor=officer, restricted=False,
                              reason="")


def _items_all(access):
    return list(access.items.filter(kind="attachment", restricted=True))


def _raw_database_bytes() -> bytes:
    from schakel.privacy.tests.test_destruction import _raw_database_bytes as raw

    return raw()


def _files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.django_db(transaction=True)
def test_destruction_leaves_no_trace_of_a_file_in_the_raw_database_or_the_upload_folder(
        make_signal, employee, officer, monkeypatch):
    from schakel.core import clock

    uploads = Path(SignalAttachment._meta.get_field("file").storage.location)
    before = set(_files_under(uploads))
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 1, 10, 12, tzinfo=UTC))
    signal = make_signal(employee, steps=["receive"], officer=officer)
    attachments.attachments_add(signal=signal, actor=officer, level=Access.FULL, files=[
        (SimpleUploadedFile(PHOTO, PNG, "image/png"), "image/png")])
    signal = actions.signal_dismiss(signal=signal, actor=officer, expected_version=signal.version,
                                    dismiss_reason="Geen aanwijzingen")
    actions.signal_close(signal=signal, actor=officer, expected_version=signal.version,
                         outcome="other", outcome_other="x", message_for_reporter="Dank u.")
    stored = SignalAttachment.objects.get(signal=signal)
    paths = [stored.file.name, stored.thumbnail.name]
    added = set(_files_under(uploads)) - before
    assert all(p for p in paths) and {str(p.relative_to(uploads)) for p in added} == set(paths)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 29, 12, tzinfo=UTC))
    retention.retention_scan()
    raw_before = _raw_database_bytes()
    assert all(p.encode() in raw_before for p in paths)  # the check can see the rows

    retention.destruction_approve(items=DestructionItem.objects.all(), actor=officer,
                                  reason="Termijn verstreken")

    assert set(_files_under(uploads)) == before  # the file and its thumbnail are gone
    assert not SignalAttachment.objects.filter(signal=signal).exists()
    raw = _raw_database_bytes()
    for path in paths:
        assert path.encode() not in raw, path
        assert Path(path).name.encode() not in raw, path
