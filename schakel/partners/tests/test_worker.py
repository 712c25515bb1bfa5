"""On the database backend, e-mails wait for the worker; the worker delivers each once."""

import pytest
from django.core.management import call_command

from schakel.partners import actions
from schakel.partners.models import MessageStatus, OutboxMessage


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_delivers_the_referral_once(settings, received, officer, seeded,
                                                        mailoutbox):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    actions.signal_referrals_create(signal=received, actor=officer, choices=[
        actions.Choice(partner=seeded["zorgcoordinator"], parts=["forms"])])
    assert OutboxMessage.objects.get().status == MessageStatus.PENDING
    to_partner = seeded["zorgcoordinator"].email
    assert not [m for m in mailoutbox if to_partner in m.to]
    call_command("db_worker", "--batch", "--no-startup-delay")
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert OutboxMessage.objects.get().status == MessageStatus.SENT
    assert len([m for m in mailoutbox if to_partner in m.to]) == 1
