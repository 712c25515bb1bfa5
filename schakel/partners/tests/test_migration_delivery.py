"""Migration 0003 counts waiting referrals from what was delivered and retries old failures."""

import importlib
from datetime import timedelta

from django.apps import apps

from schakel.partners.models import MessageKind, MessageStatus, OutboxMessage, Referral

migration = importlib.import_module("schakel.partners.migrations.0003_outbox_retries_and_delivery")


def message(referral, kind, status, at):
    return OutboxMessage.objects.create(
        kind=kind, to=referral.partner.email, subject="s", body="b", referral=referral,
        status=status, created_at=at, sent_at=at if status == MessageStatus.SENT else None)


def test_old_referrals_count_only_delivered_mail(received, send_to, clock):
    [nla, care] = send_to(received, "nla", "zorgcoordinator")
    OutboxMessage.objects.all().delete()
    start = clock()
    # nla: the referral and one reminder arrived, the second reminder failed.
    message(nla, MessageKind.REFERRAL, MessageStatus.SENT, start)
    message(nla, MessageKind.REMINDER, MessageStatus.SENT, start + timedelta(days=15))
    failed = message(nla, MessageKind.REMINDER, MessageStatus.FAILED, start + timedelta(days=22))
    # care: nothing ever arrived, but the old code set a due date and counted reminders.
    message(care, MessageKind.REFERRAL, MessageStatus.FAILED, start)
    Referral.objects.filter(pk__in=[nla.pk, care.pk]).update(
        reminders_sent=2, due_at=start + timedelta(days=14), delivered_at=None)
    migration.count_from_delivery(apps, None)
    nla.refresh_from_db()
    care.refresh_from_db()
    assert nla.delivered_at == start and nla.reminders_sent == 1
    assert nla.last_reminder_at == start + timedelta(days=15)
    assert (care.delivered_at, care.due_at, care.reminders_sent) == (None, None, 0)
    failed.refresh_from_db()
    assert failed.next_attempt_at is not None and failed.trying_since is not None
