"""Files go to a partner only when the officer ticks them; the partner downloads them
through the referral's link, every download logged (issue 14)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schakel.audit.models import AuditEvent
from schakel.partners import actions
from schakel.partners.models import Referral
from schakel.signals import attachments
from schakel.signals.access import Access


def _png(colour) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def two_files(received, officer):
    return attachments.attachments_add(
        signal=received, actor=officer, level=Access.FULL,
        files=[(SimpleUploadedFile("gedeeld.png", _png("red")), "image/png"),
               (SimpleUploadedFile("intern.png", _png("blue")), "image/png")])


@pytest.fixture
def shared_one(received, officer, seeded, two_files, django_capture_on_commit_callbacks):
    shared, _internal = two_files
    choice = actions.Choice(partner=seeded["zorgcoordinator"], parts=["forms"],
                            attachment_ids=[shared.pk])
    with django_capture_on_commit_callbacks(execute=True):
        actions.signal_referrals_create(signal=received, actor=officer, choices=[choice])
    return Referral.objects.get()


def test_the_refer_page_offers_the_files_unticked_and_keeps_what_was_ticked(
        client, officer, received, seeded, two_files, django_capture_on_commit_callbacks):
    shared, _internal = two_files
    care = seeded["zorgcoordinator"]
    client.force_login(officer)
    html = client.get(reverse("partners:refer", args=[received.pk])).content.decode()
    assert "gedeeld.png" in html and f'name="p{care.pk}-attachments"' in html
    boxes = re.findall(rf'<input[^>]*name="p{care.pk}-attachments"[^>]*>', html)
    assert len(boxes) == 2 and not any("checked" in box for box in boxes)
    data = {f"p{care.pk}-include": "on", f"p{care.pk}-parts": ["forms"],
            f"p{care.pk}-attachments": [str(shared.pk)]}
    preview = client.post(reverse("partners:refer", args=[received.pk]),
                          {**data, "do": "preview"}).content.decode()
    section = preview[preview.index('id="h-preview"'):]
    assert "gedeeld.png" in section[:section.index("</section>")]
    assert "intern.png" not in section[:section.index("</section>")]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partners:refer", args=[received.pk]), {**data, "do": "send"})
    assert Referral.objects.get().attachment_ids == [shared.pk]


def test_the_partner_downloads_a_ticked_file_through_the_link_and_it_is_logged(
        client, shared_one, two_files, token_of):
    shared, internal = two_files
    token = token_of()
    page = client.get(reverse("partners:link", args=[token])).content.decode()
    assert "gedeeld.png" in page and "intern.png" not in page
    response = client.get(reverse("partners:link_attachment", args=[token, shared.pk]))
    assert response.status_code == 200 and response.content == _png("red")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(actor=None, action="read",
                                     changes__attachment=shared.pk).exists()
    assert client.get(reverse("partners:link_attachment",
                              args=[token, internal.pk])).status_code == 404


def test_a_wrong_token_or_a_settled_referral_gives_no_file(
        client, officer, shared_one, two_files, token_of):
    shared, _internal = two_files
    token = token_of()
    assert client.get(reverse("partners:link_attachment",
                              args=["x" * 43, shared.pk])).status_code == 404
    actions.referral_record_feedback(referral=shared_one, actor=officer, outcome="care",
                                     text="In zorg.", channel="phone")
    assert client.get(reverse("partners:link_attachment",
                              args=[token, shared.pk])).status_code == 404


def test_destruction_forgets_which_files_were_shared(officer, received, shared_one):
    from schakel.privacy.retention import signal_destroy

    signal_destroy(signal=received, actor=officer)
    shared_one.refresh_from_db()
    assert shared_one.attachment_ids == []
