"""Deadlines count from delivery; the outbox keeps trying, then flags; one delivery per message.

The mail server is `FlakyBackend`: it refuses until mended. The clock is injected;
nothing sleeps.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from schakel.audit.models import AuditEvent
from schakel.partners import actions
from schakel.partners.jobs import run_daily
from schakel.partners.models import (
    DeliveryAttempt,
    MessageKind,
    MessageStatus,
    OutboxMessage,
    Referral,
    ReferralState,
)
from schakel.partners.outbox import deliver, retry_due


@pytest.fixture
def daily(django_capture_on_commit_callbacks):
    """The daily job as the worker runs it: e-mails are handed over after commit."""
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return run_daily()
    return run


def to_partner(mailoutbox, partner, word=""):
    return [m for m in mailoutbox if partner.email in m.to and word in m.subject]


def retry_until_done(clock, message, limit=50):
    """Play the worker: at each planned moment, deliver what is due. Returns the moments."""
    moments = []
    for _ in range(limit):
        message.refresh_from_db()
        if message.next_attempt_at is None:
            return moments
        clock.moment = message.next_attempt_at
        moments.append(clock())
        retry_due()
    raise AssertionError("the outbox never stopped trying")


def test_the_feedback_period_starts_when_the_mail_server_accepts_the_referral(
        received, send_to, flaky_mail, clock, seeded, mailoutbox, daily):
    [nla] = send_to(received, "nla", skip="test")
    assert (nla.state, nla.delivered_at, nla.due_at) == (ReferralState.SENT, None, None)
    clock.advance(hours=20)
    flaky_mail.down = False
    assert retry_due() == 1
    nla.refresh_from_db()
    assert nla.delivered_at == clock()
    assert nla.due_at == clock() + timedelta(days=14)
    clock.advance(days=14)  # 14 days after the officer sent it, but not after delivery
    assert daily()["reminded"] == 0
    clock.advance(hours=21)
    assert daily()["reminded"] == 1
    assert len(to_partner(mailoutbox, seeded["nla"], "Herinnering")) == 1


def test_an_undelivered_reminder_is_not_counted_and_never_leads_to_no_response(
        received, send_to, flaky_mail, clock, seeded, mailoutbox, daily, client, officer):
    """The issue's case: two failing reminders were counted, then 'no response'."""
    flaky_mail.down = False
    [nla] = send_to(received, "nla", skip="test")
    flaky_mail.down = True
    clock.advance(days=15)
    assert daily()["reminded"] == 1
    nla.refresh_from_db()
    assert (nla.reminders_sent, nla.last_reminder_at) == (0, None)
    for _ in range(4):  # four weeks of a broken mail server, the daily job running on
        clock.advance(days=7)
        assert daily() | {"digests": 0} == {"reminded": 0, "no_response": 0, "digests": 0,
                                           "retried": 0}
    nla.refresh_from_db()
    assert nla.state == ReferralState.SENT and nla.reminders_sent == 0
    assert list(Referral.objects.undelivered()) == [nla]
    assert OutboxMessage.objects.filter(kind=MessageKind.REMINDER).count() == 1
    client.force_login(officer)
    page = client.get(reverse("signals:queue")).content.decode()
    assert "niet bezorgd" in page and "?show=undelivered" in page
    flaky_mail.down = False
    call_command("partners_outbox")
    nla.refresh_from_db()
    assert (nla.reminders_sent, nla.last_reminder_at) == (1, clock())
    assert not Referral.objects.undelivered().exists()
    assert len(to_partner(mailoutbox, seeded["nla"], "Herinnering")) == 1


def test_the_officer_sees_not_delivered_on_the_queue_the_list_and_the_signal_page(
        received, send_to, flaky_mail, clock, client, officer):
    [nla] = send_to(received, "nla", skip="test")
    clock.advance(minutes=1)
    retry_due()
    client.force_login(officer)
    queue = client.get(reverse("signals:queue")).content.decode()
    assert "1 doorverwijzing niet bezorgd" in queue
    listing = client.get(reverse("partners:referrals") + "?show=undelivered").content.decode()
    assert "niet bezorgd" in listing and received.reference in listing
    for show in ("open", "undelivered", "all"):  # the row itself says so, on every tab
        listing = client.get(reverse("partners:referrals"), {"show": show}).content.decode()
        row = listing.split(received.reference)[1].split("</tr>")[0]
        assert 'badge-overdue">niet bezorgd</strong>' in row, show
    signal_page = client.get(reverse("signals:detail", args=[received.pk])).content.decode()
    assert "niet bezorgd" in signal_page
    assert "2 pogingen" in signal_page and "SMTPServerDisconnected" in signal_page
    assert "mail.gemeente.invalid" not in signal_page
    referral_page = client.get(reverse("partners:referral", args=[nla.pk])).content.decode()
    assert referral_page.count("mislukt (SMTPServerDisconnected)") == 2
    assert "volgende poging" in referral_page


def test_failed_messages_are_retried_at_growing_intervals_then_flagged(
        received, send_to, flaky_mail, clock, settings, daily, client, officer, admin_user,
        mailoutbox):
    start = clock()
    [nla] = send_to(received, "nla", skip="test")
    message = OutboxMessage.objects.get(referral=nla)
    moments = retry_until_done(clock, message)
    gaps = [(b - a) for a, b in zip([start, *moments], moments, strict=False)]
    minutes = [int(g.total_seconds() // 60) for g in gaps]
    assert minutes[:6] == [1, 5, 15, 60, 240, 720]
    assert all(m <= 720 for m in minutes)
    assert moments[-1] == start + timedelta(hours=72)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.gave_up_at == moments[-1]
    assert message.attempts == len(moments) + 1 == DeliveryAttempt.objects.filter(
        message=message, delivered=False).count()
    nla.refresh_from_db()
    assert nla.due_at is None and nla.state == ReferralState.SENT
    client.force_login(admin_user)
    home = client.get(reverse("home")).content.decode()
    assert "niet meer vanzelf" in home and "Nederlandse Arbeidsinspectie" in home
    assert nla.partner.email not in home and received.reference not in home
    flaky_mail.down = False
    daily()
    digest = [m for m in mailoutbox if officer.email in m.to]
    assert len(digest) == 1
    assert "Niet bezorgd" in digest[0].body and received.reference in digest[0].body
    assert "1 e-mail" in digest[0].body


def test_after_recovery_each_message_is_delivered_exactly_once(
        received, send_to, flaky_mail, clock, seeded, mailoutbox, daily):
    send_to(received, "nla", "zorgcoordinator")
    for minutes in (1, 5, 15):
        clock.advance(minutes=minutes)
        retry_due()
    flaky_mail.down = False
    clock.advance(minutes=60)
    assert retry_due() == 2
    assert retry_due() == 0
    call_command("partners_outbox")
    daily()
    for message in OutboxMessage.objects.all():
        assert deliver(message.pk, force=True) == MessageStatus.SENT
    for code in ("nla", "zorgcoordinator"):
        assert len(to_partner(mailoutbox, seeded[code])) == 1
    for message in OutboxMessage.objects.filter(kind=MessageKind.REFERRAL):
        log = list(message.attempt_log.values_list("delivered", "error"))
        assert log == [(False, "SMTPServerDisconnected")] * 4 + [(True, "")]
        assert message.sent_at == clock() and message.attempts == 5
    assert AuditEvent.objects.filter(changes__due_at__isnull=False).count() == 2


def test_partners_outbox_delivers_messages_whose_retries_stopped(
        received, send_to, flaky_mail, clock, seeded, mailoutbox):
    [nla] = send_to(received, "nla", skip="test")
    message = OutboxMessage.objects.get(referral=nla)
    retry_until_done(clock, message)
    flaky_mail.down = False
    clock.advance(days=2)
    assert retry_due() == 0  # the schedule is over: the automatic job leaves it
    call_command("partners_outbox", "--due")
    assert not mailoutbox
    call_command("partners_outbox")
    message.refresh_from_db()
    assert (message.status, message.gave_up_at) == (MessageStatus.SENT, None)
    nla.refresh_from_db()
    assert nla.due_at == clock() + timedelta(days=14)


def test_a_delivered_request_supersedes_the_older_undelivered_one(
        received, send_to, flaky_mail, clock, seeded, mailoutbox, officer,
        django_capture_on_commit_callbacks):
    [nla] = send_to(received, "nla", skip="test")
    flaky_mail.down = False
    with django_capture_on_commit_callbacks(execute=True):
        actions.referral_remind(referral=nla, actor=officer)
    first = OutboxMessage.objects.get(kind=MessageKind.REFERRAL)
    assert first.status == MessageStatus.CANCELLED
    nla.refresh_from_db()
    # The first request to arrive starts the period; it is not counted as a reminder.
    assert nla.delivered_at == clock() and nla.reminders_sent == 0
    clock.advance(hours=1)
    call_command("partners_outbox")
    assert len(to_partner(mailoutbox, seeded["nla"])) == 1


def test_the_officer_resends_a_stopped_message_with_a_new_retry_period(
        received, send_to, flaky_mail, clock, client, officer,
        django_capture_on_commit_callbacks):
    [nla] = send_to(received, "nla", skip="test")
    message = OutboxMessage.objects.get(referral=nla)
    retry_until_done(clock, message)
    clock.advance(days=1)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partners:outbox_resend", args=[message.pk]))
    message.refresh_from_db()
    assert message.gave_up_at is None and message.trying_since == clock()
    assert message.next_attempt_at == clock() + timedelta(minutes=1)


def test_a_failure_is_logged_with_its_error_class_only(received, send_to, flaky_mail, caplog):
    [nla] = send_to(received, "nla", skip="test")
    text = caplog.text
    assert "SMTPServerDisconnected" in text
    assert nla.partner.email not in text and "gemeente.invalid" not in text
    assert received.reference not in text


@pytest.mark.django_db(transaction=True)
def test_the_worker_plans_the_retry_itself(settings, received, officer, seeded, flaky_mail,
                                           clock, monkeypatch, mailoutbox):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr("django.utils.timezone.now", clock)  # the worker's clock too
    actions.signal_referrals_create(signal=received, actor=officer, care_skip_reason="test",
                                    choices=[actions.Choice(partner=seeded["nla"])])
    call_command("db_worker", "--batch", "--no-startup-delay")
    message = OutboxMessage.objects.get()
    assert message.status == MessageStatus.FAILED
    planned = DBTaskResult.objects.get(status="READY")
    assert planned.run_after == message.next_attempt_at == clock() + timedelta(minutes=1)
    call_command("db_worker", "--batch", "--no-startup-delay")  # not yet due: waits
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    flaky_mail.down = False
    clock.advance(minutes=1)
    call_command("db_worker", "--batch", "--no-startup-delay")
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(to_partner(mailoutbox, seeded["nla"])) == 1
    assert not DBTaskResult.objects.filter(status="READY").exists()
