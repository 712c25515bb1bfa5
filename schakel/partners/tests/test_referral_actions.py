"""Drafts, officer-entered feedback, withdrawal and the one-referral-per-partner rule."""

import pytest
from django.urls import reverse

from schakel.audit.models import AuditEvent
from schakel.partners import actions
from schakel.partners.models import ReferralState


def test_drafts_do_not_move_the_signal_until_sent(received, officer, seeded):
    [draft] = actions.signal_referrals_create(
        signal=received, actor=officer, send=False,
        choices=[actions.Choice(partner=seeded["zorgcoordinator"], parts=["forms"])])
    received.refresh_from_db()
    assert draft.state == ReferralState.DRAFT and received.state == "received"
    actions.referral_send(referral=draft, actor=officer)
    received.refresh_from_db()
    assert received.state == "referred"
    with pytest.raises(actions.ReferralError):
        actions.referral_send(referral=draft, actor=officer)


def test_one_open_referral_per_partner(received, send_to, officer, seeded):
    send_to(received, "zorgcoordinator")
    with pytest.raises(actions.ReferralError):
        actions.signal_referrals_create(signal=received, actor=officer, choices=[
            actions.Choice(partner=seeded["zorgcoordinator"])])


def test_the_officer_records_feedback_by_phone_and_the_signal_moves_on(
        client, received, send_to, officer):
    [care] = send_to(received, "zorgcoordinator")
    client.force_login(officer)
    response = client.post(reverse("partners:referral_act", args=[care.pk, "feedback"]), {
        "fb-channel": "phone", "fb-outcome": "care", "fb-text": "Zorg is gestart"})
    assert response.status_code == 302
    care.refresh_from_db()
    assert care.feedback_channel == "phone" and care.feedback_by == officer
    received.refresh_from_db()
    assert received.state == "feedback_received"
    assert AuditEvent.objects.filter(changes__referral=care.pk, changes__channel="phone",
                                     actor=officer).exists()


def test_recording_feedback_without_text_keeps_the_choice(client, received, send_to, officer):
    [care] = send_to(received, "zorgcoordinator")
    client.force_login(officer)
    response = client.post(reverse("partners:referral_act", args=[care.pk, "feedback"]), {
        "fb-channel": "letter", "fb-outcome": "care", "fb-text": ""})
    assert response.status_code == 400
    care.refresh_from_db()
    assert care.state == ReferralState.SENT


def test_withdrawing_the_only_referral_leaves_the_signal_referred(received, send_to, officer):
    [care] = send_to(received, "zorgcoordinator")
    actions.referral_withdraw(referral=care, actor=officer, reason="Verkeerde partner")
    received.refresh_from_db()
    assert received.state == "referred"
    # a new referral to the same partner is possible after withdrawal
    actions.signal_referrals_create(signal=received, actor=officer, choices=[
        actions.Choice(partner=care.partner)])


def test_a_closed_signal_cannot_be_referred(make_signal, employee, officer, seeded, clock):
    signal = make_signal(employee, steps=["receive", "dismiss"], officer=officer)
    with pytest.raises(actions.ReferralError):
        actions.signal_referrals_create(signal=signal, actor=officer, choices=[
            actions.Choice(partner=seeded["zorgcoordinator"])])


def test_the_signal_page_shows_the_referrals(client, received, send_to, officer):
    send_to(received, "zorgcoordinator")
    client.force_login(officer)
    body = client.get(reverse("signals:detail", args=[received.pk])).content.decode()
    assert "Zorgcoördinator mensenhandel (Moviera)" in body
    assert reverse("partners:refer", args=[received.pk]) in body


def test_the_signals_history_names_every_partner_referred_at_once(received, send_to):
    send_to(received, "nla", "zorgcoordinator")
    event = received.events.filter(transition="refer").get()
    assert "Nederlandse Arbeidsinspectie (NLA)" in event.text
    assert "Zorgcoördinator mensenhandel (Moviera)" in event.text
