"""The plan: always report to the care coordinator. Leaving it out needs a recorded reason."""

import pytest
from django.urls import reverse

from schakel.audit.models import AuditEvent
from schakel.partners import actions
from schakel.partners.models import CareCoordinatorSkip, Referral


def test_leaving_out_the_care_coordinator_without_a_reason_is_refused(received, send_to):
    with pytest.raises(actions.ReferralError):
        send_to(received, "nla")
    assert not Referral.objects.exists()
    received.refresh_from_db()
    assert received.state == "received"


def test_the_reason_is_recorded_and_logged(received, send_to, officer):
    send_to(received, "nla", skip="Betrokkene is al in zorg bij Moviera")
    skip = CareCoordinatorSkip.objects.get()
    assert skip.reason == "Betrokkene is al in zorg bij Moviera" and skip.by == officer
    assert AuditEvent.objects.filter(changes__care_coordinator_skipped=skip.partner_id).exists()


def test_the_refer_page_asks_for_the_reason_and_keeps_the_input(client, officer, received,
                                                                seeded):
    client.force_login(officer)
    nla = seeded["nla"]
    response = client.post(reverse("partners:refer", args=[received.pk]), {
        f"p{nla.pk}-include": "on", f"p{nla.pk}-parts": ["forms"],
        f"p{nla.pk}-message": "Mijn bericht blijft", "do": "send"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Zorgcoördinator mensenhandel (Moviera)" in body and "Mijn bericht blijft" in body
    assert not Referral.objects.exists()


def test_the_refer_page_sends_with_the_reason(client, officer, received, seeded,
                                              django_capture_on_commit_callbacks):
    client.force_login(officer)
    nla = seeded["nla"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partners:refer", args=[received.pk]), {
            f"p{nla.pk}-include": "on", f"p{nla.pk}-parts": ["forms"],
            "care_skip_reason": "Al bekend bij de zorgcoördinator", "do": "send"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.partner == nla and referral.state == "sent" and referral.parts == ["forms"]
    received.refresh_from_db()
    assert received.state == "referred"
