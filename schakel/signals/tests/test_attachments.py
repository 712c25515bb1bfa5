"""Attachments of a signal: who adds, who sees, how they are stored, logged and destroyed."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from schakel.audit.models import ProcessingRecord
from schakel.signals import attachments
from schakel.signals.access import Access
from schakel.signals.models import SignalAttachment

FILE_NAME = "Advertentie-Geheim-q9kwz.png"


def make_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (5, 5), "red").save(buffer, "PNG")
    return buffer.getvalue()


PNG = make_png()


def upload(name=FILE_NAME, content=PNG, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _uploads_dir() -> Path:
    return Path(settings.DATA_DIR) / "uploads" / "signals"


def _add(signal, user, level, name=FILE_NAME):
    return attachments.attachments_add(signal=signal, actor=user, level=level,
                                       files=[(upload(name), "image/png")])[0]


@pytest.fixture
def received(employee, officer, make_signal):
    return make_signal(employee, steps=["receive"], officer=officer)


def _post_files(client, user, signal, *files):
    client.force_login(user)
    return client.post(reverse("signals:attachment_add", args=[signal.pk]), {"files": list(files)})


@pytest.mark.django_db
def test_an_officer_adds_a_file_that_is_stored_encrypted_under_a_random_name(
        client, officer, received):
    response = _post_files(client, officer, received, upload())
    assert response.status_code == 302
    attachment = SignalAttachment.objects.get(signal=received)
    stored = Path(settings.DATA_DIR) / "uploads" / attachment.file.name
    raw = stored.read_bytes()
    assert stored.is_relative_to(_uploads_dir())
    assert "q9kwz" not in stored.name and PNG not in raw and raw.startswith(b"gAAAAA")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM signals_signalattachment")
        (raw_name,) = cursor.fetchone()
    assert "q9kwz" not in raw_name
    assert attachment.name == FILE_NAME and attachment.size == len(PNG)


@pytest.mark.django_db
def test_the_download_gives_the_plain_file_as_an_attachment_that_is_not_cached(
        client, officer, received):
    attachment = _add(received, officer, Access.FULL)
    client.force_login(officer)
    response = client.get(reverse("signals:attachment", args=[received.pk, attachment.pk]))
    assert response.status_code == 200
    assert response.content == PNG
    assert response["Content-Disposition"].startswith("attachment;")
    assert FILE_NAME in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_adding_and_reading_are_in_the_processing_log_with_the_signals_subjects(
        client, officer, received):
    attachment = _add(received, officer, Access.FULL)
    written = ProcessingRecord.objects.filter(audit__actor=officer, audit__action="create",
                                              audit__object_id=str(received.pk))
    assert {r.data_subject for r in written} == set(received.data_subject_ids())
    client.force_login(officer)
    client.get(reverse("signals:attachment", args=[received.pk, attachment.pk]))
    read = ProcessingRecord.objects.filter(audit__actor=officer, audit__action="read",
                                           audit__changes__attachment=attachment.pk)
    assert read.exists()


@pytest.mark.django_db
def test_the_filer_adds_until_the_signal_is_received_and_sees_only_their_own_files(
        client, employee, officer, make_signal):
    signal = make_signal(employee)
    assert _post_files(client, employee, signal, upload("eigen-foto.png")).status_code == 302
    own = SignalAttachment.objects.get(signal=signal)
    from schakel.signals import actions

    signal = actions.signal_receive(signal=signal, actor=officer,
                                    expected_version=signal.version)
    officers = _add(signal, officer, Access.FULL, name="officier-scan.png")
    client.force_login(employee)
    html = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "eigen-foto.png" in html and "officier-scan.png" not in html
    assert f'action="/meldingen/{signal.pk}/bijlagen/"' not in html
    assert client.get(reverse("signals:attachment", args=[signal.pk, own.pk])).status_code == 200
    assert client.get(reverse("signals:attachment",
                              args=[signal.pk, officers.pk])).status_code == 404
    _post_files(client, employee, signal, upload("te-laat.png"))
    assert SignalAttachment.objects.filter(signal=signal).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["team_lead", "policy", "admin_user", "colleague"])
def test_no_one_else_sees_or_adds_files(client, request, officer, employee, make_signal, role):
    signal = make_signal(employee)
    attachment = _add(signal, employee, Access.OWN)
    user = request.getfixturevalue(role)
    client.force_login(user)
    url = reverse("signals:attachment", args=[signal.pk, attachment.pk])
    assert client.get(url).status_code == 404
    response = _post_files(client, user, signal, upload())
    assert response.status_code in (302, 404)
    assert SignalAttachment.objects.filter(signal=signal).count() == 1
    html = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert FILE_NAME not in html


@pytest.mark.django_db
def test_a_file_that_is_not_what_its_name_says_is_refused(client, officer, received):
    before = set(_uploads_dir().glob("*")) if _uploads_dir().exists() else set()
    fake = upload("foto.png", b"<html><script>alert(1)</script></html>")
    response = _post_files(client, officer, received, fake)
    assert response.status_code == 302
    assert not SignalAttachment.objects.exists()
    after = set(_uploads_dir().glob("*")) if _uploads_dir().exists() else set()
    assert after == before


@pytest.mark.django_db
def test_a_signal_holds_at_most_ten_files(officer, received):
    for n in range(attachments.MAX_PER_SIGNAL):
        _add(received, officer, Access.FULL, name=f"{n}.png")
    with pytest.raises(attachments.AttachmentRefused):
        _add(received, officer, Access.FULL)


@pytest.mark.django_db
def test_a_download_url_of_another_signal_gives_404(client, officer, employee, make_signal):
    one, other = make_signal(employee), make_signal(employee)
    attachment = _add(one, employee, Access.OWN)
    client.force_login(officer)
    assert client.get(reverse("signals:attachment",
                              args=[other.pk, attachment.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_destroying_the_signal_removes_rows_and_files(officer, employee, make_signal):
    from schakel.privacy.retention import signal_destroy

    signal = make_signal(employee)
    attachment = _add(signal, employee, Access.OWN)
    path = Path(settings.DATA_DIR) / "uploads" / attachment.file.name
    assert path.exists()
    signal_destroy(signal=signal, actor=officer)
    assert not SignalAttachment.objects.exists()
    assert not path.exists()


@pytest.mark.django_db(transaction=True)
def test_throwing_a_draft_away_removes_its_files(employee, make_signal):
    from schakel.signals import actions

    draft = make_signal(employee, submit=False)
    attachment = _add(draft, employee, Access.OWN)
    path = Path(settings.DATA_DIR) / "uploads" / attachment.file.name
    actions.signal_delete_draft(signal=draft, actor=employee)
    assert not path.exists()


@pytest.mark.django_db
def test_files_chosen_at_intake_arrive_with_the_signal(client, employee):
    from schakel.signals.models import Signal
    from schakel.signals.tests.test_intake_view import URL, valid_post

    client.force_login(employee)
    response = client.post(URL, {**valid_post(), "files": [upload(), upload("brief.png")]})
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert sorted(a.name for a in signal.attachments.all()) == sorted([FILE_NAME, "brief.png"])
    assert all(a.is_added_by(employee) for a in signal.attachments.all())


@pytest.mark.django_db
def test_a_bad_file_at_intake_keeps_the_form_and_files_nothing(client, employee):
    from schakel.signals.models import Signal
    from schakel.signals.tests.test_intake_view import URL, valid_post

    client.force_login(employee)
    response = client.post(URL, {**valid_post(), "files": [upload("x.png", b"not a png")]})
    assert response.status_code == 200
    assert not Signal.objects.exists()
    assert "x.png" in response.content.decode()


@pytest.mark.django_db
def test_an_image_gets_an_encrypted_thumbnail_without_metadata_shown_on_the_page(
        client, officer, received):
    from PIL import Image

    big = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Geheim-Camera-q9kwz"  # Make
    Image.new("RGB", (900, 600), "green").save(big, "JPEG", exif=exif)
    attachment = attachments.attachments_add(
        signal=received, actor=officer, level=Access.FULL,
        files=[(upload("foto.jpg", big.getvalue(), "image/jpeg"), "image/jpeg")])[0]
    raw = (Path(settings.DATA_DIR) / "uploads" / attachment.thumbnail.name).read_bytes()
    assert raw.startswith(b"gAAAAA") and b"\x89PNG" not in raw
    client.force_login(officer)
    html = client.get(reverse("signals:detail", args=[received.pk])).content.decode()
    url = reverse("signals:attachment_thumbnail", args=[received.pk, attachment.pk])
    assert f'src="{url}"' in html and 'alt="Voorbeeld van foto.jpg"' in html
    response = client.get(url)
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    thumb = Image.open(io.BytesIO(response.content))
    assert max(thumb.size) <= 240 and b"Geheim-Camera" not in response.content
    assert ProcessingRecord.objects.filter(audit__changes__thumbnail=True).exists()


@pytest.mark.django_db
def test_a_pdf_has_no_thumbnail_and_its_preview_url_gives_404(client, officer, received):
    from schakel.plan.tests.test_uploads import PDF

    attachment = attachments.attachments_add(
        signal=received, actor=officer, level=Access.FULL,
        files=[(upload("brief.pdf", PDF, "application/pdf"), "application/pdf")])[0]
    assert not attachment.thumbnail
    client.force_login(officer)
    url = reverse("signals:attachment_thumbnail", args=[received.pk, attachment.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_destruction_removes_the_thumbnail_file_too(officer, employee, make_signal):
    from schakel.privacy.retention import signal_destroy

    signal = make_signal(employee)
    attachment = _add(signal, employee, Access.OWN)
    thumb = Path(settings.DATA_DIR) / "uploads" / attachment.thumbnail.name
    assert thumb.exists()
    signal_destroy(signal=signal, actor=officer)
    assert not thumb.exists()


@pytest.mark.django_db(transaction=True)
def test_the_filer_takes_back_a_file_until_the_signal_is_received_and_it_is_logged(
        client, employee, officer, make_signal):
    from schakel.signals import actions

    signal = make_signal(employee)
    mistake, kept = (_add(signal, employee, Access.OWN, name=n) for n in ("fout.png", "goed.png"))
    path = Path(settings.DATA_DIR) / "uploads" / mistake.file.name
    client.force_login(employee)
    html = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "fout.png verwijderen" in html
    url = reverse("signals:attachment_delete", args=[signal.pk, mistake.pk])
    assert client.post(url).status_code == 302
    assert list(signal.attachments.values_list("pk", flat=True)) == [kept.pk]
    assert not path.exists()
    assert ProcessingRecord.objects.filter(audit__action="delete",
                                           audit__changes__attachment=mistake.pk).exists()
    signal = actions.signal_receive(signal=signal, actor=officer,
                                    expected_version=signal.version)
    html = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "goed.png verwijderen" not in html
    client.post(reverse("signals:attachment_delete", args=[signal.pk, kept.pk]))
    assert signal.attachments.filter(pk=kept.pk).exists()


@pytest.mark.django_db
def test_an_officer_never_removes_a_file_from_the_case(client, officer, received):
    attachment = _add(received, officer, Access.FULL)
    client.force_login(officer)
    client.post(reverse("signals:attachment_delete", args=[received.pk, attachment.pk]))
    assert SignalAttachment.objects.filter(pk=attachment.pk).exists()
