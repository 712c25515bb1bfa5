"""A failed e-mail is listed, never loses the referral, and can be sent again."""

import pytest
from django.urls import reverse

from schakel.audit.models import AuditEvent
from schakel.partners.models import FeedbackLink, MessageStatus, OutboxMessage, ReferralState


@pytest.fixture
def broken_mail():
    """SMTP refuses; `.undo()` mends it (its own patcher: the clock and login stay patched)."""
    from django.core.mail import EmailMessage

    def fail(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    patcher = pytest.MonkeyPatch()
    patcher.setattr(EmailMessage, "send", fail)
    yield patcher
    patcher.undo()


def test_a_failed_send_keeps_the_referral_and_shows_in_the_outbox(
        received, send_to, broken_mail, client, officer):
    [nla, _care] = send_to(received, "nla", "zorgcoordinator")
    nla.refresh_from_db()
    assert nla.state == ReferralState.SENT
    received.refresh_from_db()
    assert received.state == "referred"
    message = OutboxMessage.objects.get(to=nla.partner.email)
    assert message.status == MessageStatus.FAILED
    assert message.error == "ConnectionRefusedError"
    assert not FeedbackLink.objects.usable(message.created_at).filter(referral=nla).exists()
    client.force_login(officer)
    page = client.get(reverse("partners:outbox") + "?status=failed").content.decode()
    assert "ConnectionRefusedError" in page and "smtp down" not in page


def test_the_officer_resends_a_failed_message_with_a_new_link(
        received, send_to, broken_mail, client, officer, mailoutbox,
        django_capture_on_commit_callbacks):
    [nla, _care] = send_to(received, "nla", "zorgcoordinator")
    message = OutboxMessage.objects.get(to=nla.partner.email)
    broken_mail.undo()
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partners:outbox_resend", args=[message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.error) == (MessageStatus.SENT, "")
    assert message.attempts == 2
    assert len(mailoutbox) == 1 and "/terugkoppeling/" in mailoutbox[0].body
    assert FeedbackLink.objects.filter(referral=nla).count() == 2
    assert AuditEvent.objects.filter(changes__outbox_message=message.pk, actor=officer).exists()


def test_delivering_twice_sends_once(received, send_to, mailoutbox):
    from schakel.partners.outbox import deliver

    send_to(received, "nla", "zorgcoordinator")
    count = len(mailoutbox)
    for message in OutboxMessage.objects.all():
        assert deliver(message.pk) == MessageStatus.SENT
    assert len(mailoutbox) == count


def test_the_retry_job_sends_failed_messages_again_when_they_are_due(
        received, send_to, broken_mail, mailoutbox, clock):
    from schakel.partners.outbox import retry_due

    send_to(received, "nla", "zorgcoordinator")
    broken_mail.undo()
    assert retry_due() == 0
    clock.advance(minutes=1)
    assert retry_due() == 2
    assert OutboxMessage.objects.filter(status=MessageStatus.SENT).count() == 2


def test_a_message_for_a_withdrawn_referral_is_not_resent(received, send_to, broken_mail,
                                                          client, officer):
    from schakel.partners import actions

    [nla, _care] = send_to(received, "nla", "zorgcoordinator")
    actions.referral_withdraw(referral=nla, actor=officer, reason="Vergissing")
    message = OutboxMessage.objects.get(to=nla.partner.email)
    client.force_login(officer)
    response = client.post(reverse("partners:outbox_resend", args=[message.pk]), follow=True)
    assert "nergens heen" in response.content.decode()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
