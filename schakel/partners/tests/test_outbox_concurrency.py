"""Two workers, or the job twice at once, on two connections: each message is delivered once.

Runs on SQLite (a file, IMMEDIATE transactions) and on PostgreSQL (`make test-pg`).
"""

import threading
from datetime import timedelta

import pytest
from django.db import connections

from schakel.partners import actions
from schakel.partners.jobs import run_daily
from schakel.partners.models import DeliveryAttempt, MessageKind, MessageStatus, OutboxMessage
from schakel.partners.outbox import retry_due

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(target, n=2, *, hold_sends=True):
    """Start `n` threads at one barrier; with `hold_sends` the mail server holds each send
    until one thread is done, so a second claim meets a message still being sent.

    If two threads both got to the mail server, neither finishes first; the gate then
    opens after its timeout and both send, which the tests count.
    """
    from .flaky_mail import FlakyBackend

    barrier, first_done, results = threading.Barrier(n), threading.Event(), []
    FlakyBackend.gate = threading.Event() if hold_sends else None

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(target())
        finally:
            first_done.set()
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    if hold_sends:
        first_done.wait(timeout=15)
        FlakyBackend.gate.set()
    for t in threads:
        t.join(timeout=30)
    return results


def test_two_retry_jobs_at_once_deliver_a_failed_message_once(
        received, officer, seeded, flaky_mail, clock, mailoutbox):
    actions.signal_referrals_create(signal=received, actor=officer, care_skip_reason="test",
                                    choices=[actions.Choice(partner=seeded["nla"])])
    message = OutboxMessage.objects.get()
    assert message.status == MessageStatus.FAILED
    flaky_mail.down = False
    clock.advance(minutes=1)
    results = run_together(retry_due)
    assert sorted(results) == [0, 1]
    assert len([m for m in mailoutbox if seeded["nla"].email in m.to]) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert DeliveryAttempt.objects.filter(message=message, delivered=True).count() == 1


def test_the_daily_job_twice_at_once_sends_one_reminder(
        received, officer, seeded, flaky_mail, clock, mailoutbox):
    flaky_mail.down = False
    actions.signal_referrals_create(signal=received, actor=officer, care_skip_reason="test",
                                    choices=[actions.Choice(partner=seeded["nla"])])
    clock.advance(days=15)
    results = run_together(run_daily, hold_sends=False)
    assert sorted(r["reminded"] for r in results) == [0, 1]
    assert OutboxMessage.objects.filter(kind=MessageKind.REMINDER).count() == 1
    reminders = [m for m in mailoutbox if "Herinnering" in m.subject]
    assert len(reminders) == 1
    referral = received.referrals.get()
    assert referral.reminders_sent == 1
    assert referral.due_at == referral.delivered_at + timedelta(days=14)
