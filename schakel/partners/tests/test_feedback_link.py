"""The partner's link, its whole life: open, confirm, feedback, reuse, expiry, revocation,
tampering and guessing."""

from datetime import timedelta

from django.urls import reverse

from schakel.audit.models import AuditEvent
from schakel.partners import actions, linkguard
from schakel.partners.models import FeedbackLink, Referral, ReferralState, hash_token


def url(token):
    return reverse("partners:link", args=[token])


def test_the_token_is_stored_only_as_its_hash(received, send_to, token_of):
    send_to(received, "nla", "zorgcoordinator")
    token = token_of()
    assert not FeedbackLink.objects.filter(token_hash=token).exists()
    assert FeedbackLink.objects.filter(token_hash=hash_token(token)).count() == 1


def test_the_partner_confirms_receipt_and_gives_feedback_once(
        client, received, send_to, token_of, mailoutbox, officer,
        django_capture_on_commit_callbacks):
    [nla, care] = send_to(received, "nla", "zorgcoordinator")
    token = token_of(0)
    assert client.get(url(token)).status_code == 200
    client.post(url(token), {"do": "confirm"})
    assert Referral.objects.get(pk=nla.pk).state == ReferralState.RECEIVED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(token), {"outcome": "investigation",
                                            "text": "We gaan kijken."})
    assert response.status_code == 200
    nla.refresh_from_db()
    assert nla.state == ReferralState.FEEDBACK_RECEIVED
    assert nla.feedback_text == "We gaan kijken."
    assert any(officer.email in m.to for m in mailoutbox)
    again = client.get(url(token))
    assert again.status_code == 410
    assert "al gebruikt" in again.content.decode()
    assert client.post(url(token), {"outcome": "no_action", "text": "x"}).status_code == 410
    assert AuditEvent.objects.filter(changes__referral=nla.pk, actor=None).exists()


def test_the_signal_moves_on_when_the_last_partner_answers(client, received, send_to, token_of):
    send_to(received, "nla", "zorgcoordinator")
    received.refresh_from_db()
    assert received.state == "referred"
    client.post(url(token_of(0)), {"outcome": "investigation", "text": "a"})
    received.refresh_from_db()
    assert received.state == "referred"
    client.post(url(token_of(1)), {"outcome": "care", "text": "b"})
    received.refresh_from_db()
    assert received.state == "feedback_received"


def test_an_expired_link_shows_a_clear_page_and_no_data(client, received, send_to, token_of,
                                                        clock):
    send_to(received, "nla", "zorgcoordinator", parts=["background"])
    clock.advance(days=14, seconds=1)
    response = client.get(url(token_of(0)))
    assert response.status_code == 410
    body = response.content.decode()
    assert "verlopen" in body
    assert "Vier mannen" not in body and received.reference not in body


def test_a_link_just_before_expiry_still_works(client, received, send_to, token_of, clock):
    send_to(received, "nla", "zorgcoordinator")
    clock.advance(days=13, hours=23)
    assert client.get(url(token_of(0))).status_code == 200


def test_a_reminder_revokes_the_old_link(client, received, send_to, token_of, officer,
                                         django_capture_on_commit_callbacks):
    [nla, _care] = send_to(received, "nla", "zorgcoordinator")
    old = token_of(0)
    with django_capture_on_commit_callbacks(execute=True):
        actions.referral_remind(referral=nla, actor=officer)
    new = token_of()
    assert new != old
    response = client.get(url(old))
    assert response.status_code == 410 and "werkt niet meer" in response.content.decode()
    assert client.get(url(new)).status_code == 200


def test_a_withdrawn_referral_link_no_longer_opens(client, received, send_to, token_of, officer):
    [nla, _care] = send_to(received, "nla", "zorgcoordinator")
    actions.referral_withdraw(referral=nla, actor=officer, reason="Verkeerde partner")
    assert client.get(url(token_of(0))).status_code == 410


def test_a_tampered_link_is_not_valid(client, received, send_to, token_of):
    send_to(received, "nla", "zorgcoordinator")
    token = token_of(0)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.get(url(tampered))
    assert response.status_code == 404
    assert "niet geldig" in response.content.decode()
    assert received.reference not in response.content.decode()


def test_guessing_is_limited_per_client_but_a_real_link_still_opens(client, received, send_to,
                                                                    token_of):
    send_to(received, "nla", "zorgcoordinator")
    for n in range(linkguard.PER_CLIENT):
        assert client.get(url(f"geraden-token-nummer-{n:04d}")).status_code == 404
    assert client.get(url("nog-een-geraden-token-0000")).status_code == 429
    assert client.get(url(token_of(0))).status_code == 200


def test_failed_lookups_from_twenty_addresses_do_not_block_a_valid_link(
        client, received, send_to, token_of):
    from django.test import Client

    send_to(received, "nla", "zorgcoordinator")
    for address in range(20):
        guesser = Client(REMOTE_ADDR=f"198.51.100.{address}")
        for n in range(linkguard.PER_CLIENT + 2):
            guesser.get(url(f"geraden-token-nummer-{n:04d}"))
    # from one of the guessing addresses (a shared office) and from anywhere else
    assert Client(REMOTE_ADDR="198.51.100.3").get(url(token_of(0))).status_code == 200
    assert Client(REMOTE_ADDR="203.0.113.7").get(url(token_of(1))).status_code == 200


def test_a_guesser_past_the_limit_writes_no_more_rows(client, received, send_to):
    from schakel.partners.models import LinkAttempt

    for n in range(linkguard.PER_CLIENT * 3):
        client.get(url(f"geraden-token-nummer-{n:04d}"))
    assert LinkAttempt.objects.count() == linkguard.PER_CLIENT


def test_the_limit_lifts_after_the_window(client, received, send_to, token_of, clock):
    send_to(received, "nla", "zorgcoordinator")
    for n in range(linkguard.PER_CLIENT):
        client.get(url(f"geraden-token-nummer-{n:04d}"))
    assert client.get(url("nog-een-geraden-token-0000")).status_code == 429
    clock.advance(hours=1, seconds=1)
    assert client.get(url("nog-een-geraden-token-0000")).status_code == 404


def test_feedback_without_outcome_is_refused_with_the_text_kept(client, received, send_to,
                                                                token_of):
    send_to(received, "nla", "zorgcoordinator")
    response = client.post(url(token_of(0)), {"text": "Mijn tekst blijft staan"})
    assert response.status_code == 400
    assert "Mijn tekst blijft staan" in response.content.decode()
    assert Referral.objects.filter(state=ReferralState.FEEDBACK_RECEIVED).count() == 0


def test_the_admin_shortens_the_links_life_and_the_feedback_period(
        client, admin_user, received, send_to, token_of, clock):
    client.force_login(admin_user)
    response = client.post(reverse("partners:settings"), {
        "link_valid_days": 3, "feedback_due_days": 5, "reminder_interval_days": 7,
        "max_reminders": 2})
    assert response.status_code == 302
    [care] = send_to(received, "zorgcoordinator")
    assert care.due_at == clock() + timedelta(days=5)
    client.logout()
    clock.advance(days=3, seconds=1)
    assert client.get(url(token_of())).status_code == 410


def test_settings_out_of_range_are_refused(client, admin_user, db):
    client.force_login(admin_user)
    response = client.post(reverse("partners:settings"), {
        "link_valid_days": 0, "feedback_due_days": 5, "reminder_interval_days": 7,
        "max_reminders": 2})
    assert response.status_code == 200
    assert "Tussen 1 en 365 dagen" in response.content.decode()
