"""The officers hear of every submitted signal once, in one e-mail for those of a moment."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schakel.ops.tasks import worker_heartbeat
from schakel.signals import notifications
from schakel.signals.models import Signal

pytestmark = pytest.mark.django_db


def _untold():
    return set(Signal.objects.filter(announced_at__isnull=True, submitted_at__isnull=False)
               .values_list("pk", flat=True))


def test_the_signals_of_a_moment_go_in_one_email_urgent_first_and_nothing_personal(
        make_signal, employee, officer, officer2):
    # In tests the filing's commit never comes: the signals wait as after a busy moment.
    first = make_signal(employee, reporter_name="Rinske Geheimnaam")
    urgent = make_signal(employee, urgent=True)
    draft = make_signal(employee, submit=False)
    assert _untold() == {first.pk, urgent.pk}
    mail.outbox.clear()
    assert notifications.announce_new_signals() == 2
    [message] = mail.outbox
    assert sorted(message.to) == sorted([officer.email, officer2.email])
    assert message.subject == "[Schakel] URGENT: 2 nieuwe signalen, waarvan 1 urgent"
    lines = message.body.splitlines()
    assert lines[0].startswith("Er zijn nieuwe signalen gemeld in Schakel")
    assert lines[2].startswith(f"{urgent.reference} – URGENT: ")
    assert lines[2].endswith(f"/meldingen/{urgent.pk}/")
    assert lines[3].startswith(f"{first.reference}: ") and f"/meldingen/{first.pk}/" in lines[3]
    text = message.subject + message.body
    for secret in ("Piet", "Vier mannen", "Balie", "Rinske", employee.last_name, "0612"):
        assert secret not in text
    assert draft.reference is None and _untold() == set()
    # Told once: the next round finds nothing and sends nothing.
    assert notifications.announce_new_signals() == 0 and len(mail.outbox) == 1


def test_one_signal_reads_as_before_and_a_long_list_points_to_the_work_queue(
        make_signal, employee, officer, monkeypatch):
    one = make_signal(employee)
    mail.outbox.clear()
    notifications.announce_new_signals()
    [message] = mail.outbox
    assert message.subject == f"[Schakel] Nieuw signaal {one.reference}"
    assert f"/meldingen/{one.pk}/" in message.body and "Dit bericht bevat" in message.body

    monkeypatch.setattr(notifications, "NOTICE_LISTS", 2)
    many = [make_signal(employee) for _ in range(4)]
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as queries:
        assert notifications.announce_new_signals() == 4
    # Whatever their number: one read, one claim, the officers' addresses.
    assert len([q for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
                ]) <= 5
    [message] = mail.outbox
    assert message.subject == "[Schakel] 4 nieuwe signalen"
    assert many[0].reference in message.body and many[2].reference not in message.body
    assert "… en nog 2: zie de werkvoorraad." in message.body


def test_a_mail_server_that_refuses_leaves_them_for_the_next_round(
        make_signal, employee, officer, monkeypatch, caplog):
    signal = make_signal(employee)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    assert notifications.announce_new_signals() == 0
    assert _untold() == {signal.pk}
    assert "could not e-mail the officers about 1 new signal" in caplog.text
    monkeypatch.undo()
    mail.outbox.clear()
    # The worker's heartbeat tells of what the web process could not (or died before).
    worker_heartbeat.call()
    [message] = mail.outbox
    assert signal.reference in message.subject and _untold() == set()


def test_without_officers_to_tell_the_signals_count_as_told(make_signal, employee, caplog):
    make_signal(employee)
    mail.outbox.clear()
    assert notifications.announce_new_signals() == 1
    assert mail.outbox == [] and _untold() == set()
    assert "no officer has an e-mail address" in caplog.text


@pytest.fixture
def in_thread(settings):
    settings.NOTICES_IN_THREAD = True
    settings.NOTICE_GATHER_MS = 0
    yield notifications.NOTICE_THREAD
    assert notifications.NOTICE_THREAD.wait_idle()
    notifications.NOTICE_THREAD.stop()  # no connection kept to the test database


@pytest.mark.django_db(transaction=True)
def test_in_the_web_server_the_filing_leaves_the_email_to_the_processs_notice_thread(
        make_signal, employee, officer, in_thread):
    mail.outbox.clear()
    signal = make_signal(employee, urgent=True)  # committed: the thread is told
    assert in_thread.wait_idle()
    [message] = mail.outbox
    assert message.subject == f"[Schakel] URGENT: nieuw signaal {signal.reference}"
    assert _untold() == set()
