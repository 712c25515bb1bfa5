"""Only what the officer chose reaches the partner; the reporter never does."""

import pytest
from django.urls import reverse

from schakel.partners.models import OutboxMessage
from schakel.signals.actions import SubjectData

MARKER = "MELDER-GEHEIM-7731"


@pytest.fixture
def signal(make_signal, employee, officer, clock):
    return make_signal(employee, steps=["receive"], officer=officer, reporter_name=MARKER,
                       background="ACHTERGROND-UNIEK van het signaal", subjects=[
                           SubjectData(kind="person", values={"name": "GEDEELD-Persoon",
                                                              "capacity": "victim"}),
                           SubjectData(kind="person", values={"name": "NIET-GEDEELD-Persoon",
                                                              "capacity": "perpetrator"})])


def test_a_part_not_chosen_never_appears_on_the_partners_page(client, signal, send_to,
                                                              token_of):
    shared = signal.subjects.get(name="GEDEELD-Persoon")
    send_to(signal, "zorgcoordinator", parts=["forms"], subject_ids=[shared.pk])
    body = client.get(reverse("partners:link", args=[token_of()])).content.decode()
    assert "GEDEELD-Persoon" in body
    assert "Arbeidsuitbuiting" in body
    assert "NIET-GEDEELD-Persoon" not in body
    assert "ACHTERGROND-UNIEK" not in body
    assert "Balie" not in body  # where: not chosen
    assert MARKER not in body


def test_the_background_appears_only_when_chosen(client, signal, send_to, token_of):
    send_to(signal, "zorgcoordinator", parts=["background"])
    body = client.get(reverse("partners:link", args=[token_of()])).content.decode()
    assert "ACHTERGROND-UNIEK" in body
    assert "Piet" not in body and "GEDEELD-Persoon" not in body


def test_the_reporter_never_appears_in_mail_outbox_or_any_partners_page(
        client, signal, send_to, token_of, mailoutbox, officer, admin_user, seeded,
        django_capture_on_commit_callbacks):
    everything = ["urgency", "forms", "where_when", "background", "indicators"]
    send_to(signal, "zorgcoordinator", "nla", parts=everything,
            subject_ids=list(signal.subjects.values_list("pk", flat=True)))
    token = token_of(0)
    pages = [client.get(reverse("partners:link", args=[token])).content.decode()]
    with django_capture_on_commit_callbacks(execute=True):
        pages.append(client.post(reverse("partners:link", args=[token]),
                                 {"outcome": "care", "text": "Gestart"}).content.decode())
    client.force_login(officer)
    referral = signal.referrals.first()
    for name, args in [("referrals", []), ("outbox", []), ("referral", [referral.pk]),
                       ("refer", [signal.pk])]:
        response = client.get(reverse(f"partners:{name}", args=args))
        assert response.status_code == 200
        pages.append(response.content.decode())
    client.force_login(admin_user)
    for name in ("directory", "rules"):
        response = client.get(reverse(f"partners:{name}"))
        assert response.status_code == 200
        pages.append(response.content.decode())
    texts = pages + [m.body + m.subject for m in mailoutbox] + [
        m.body + m.subject for m in OutboxMessage.objects.all()]
    assert mailoutbox
    for text in texts:
        assert MARKER not in text
    for mail in mailoutbox:
        assert "GEDEELD-Persoon" not in mail.body and "ACHTERGROND" not in mail.body
