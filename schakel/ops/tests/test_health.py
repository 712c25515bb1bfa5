"""/gezondheid/live, /gezondheid/ready, /gezondheid/metrics and the administrator's panel."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from schakel.core import clock as real_clock
from schakel.ops.models import Heartbeat
from schakel.ops.tasks import worker_heartbeat

OUTSIDE = "203.0.113.7"
TOKEN = "t" * 40


class Clock:
    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment


@pytest.fixture
def clock(monkeypatch):
    c = Clock(real_clock.now())
    monkeypatch.setattr("schakel.core.clock.now", c)
    return c


def ready(client, **extra):
    response = client.get(reverse("ops:ready"), **extra)
    return response, json.loads(response.content)


def test_live_answers_anyone_without_login(client):
    response = client.get(reverse("ops:live"), REMOTE_ADDR=OUTSIDE)
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}


@pytest.mark.django_db
def test_ready_refuses_an_outside_address_without_the_token(client, settings):
    settings.HEALTH_TOKEN = TOKEN
    assert client.get(reverse("ops:ready"), REMOTE_ADDR=OUTSIDE).status_code == 403
    assert client.get(reverse("ops:ready"), REMOTE_ADDR=OUTSIDE,
                      HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get(reverse("ops:metrics"), REMOTE_ADDR=OUTSIDE).status_code == 403
    response = client.get(reverse("ops:ready"), REMOTE_ADDR=OUTSIDE,
                          HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code in (200, 503)


@pytest.mark.django_db
def test_behind_a_proxy_ready_looks_at_the_forwarded_address(client, settings):
    settings.PROXY_COUNT = 1
    assert client.get(reverse("ops:ready"), REMOTE_ADDR="127.0.0.1",
                      HTTP_X_FORWARDED_FOR=OUTSIDE).status_code == 403
    assert client.get(reverse("ops:ready"), REMOTE_ADDR="127.0.0.1",
                      HTTP_X_FORWARDED_FOR="10.1.2.3").status_code != 403


@pytest.mark.django_db
def test_ready_with_a_fresh_heartbeat_is_ok_and_a_minute_old_one_is_not(client, clock):
    Heartbeat.objects.create(name="worker", at=clock())
    response, body = ready(client)
    assert response.status_code == 200
    assert body["ready"] is True
    assert body["checks"]["worker"] == {"ok": True, "heartbeat_age_seconds": 0,
                                        "busy_seconds": None}
    assert body["checks"]["database"]["ok"] and body["checks"]["migrations"]["ok"]

    clock.moment += timedelta(seconds=61)
    response, body = ready(client)
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["worker"] == {"ok": False, "heartbeat_age_seconds": 61,
                                        "busy_seconds": None}


@pytest.mark.django_db
def test_a_worker_busy_with_one_long_job_is_alive_for_half_an_hour(client, clock):
    from django_tasks_db.models import DBTaskResult

    from schakel.privacy.tasks import retention_scan_task

    Heartbeat.objects.create(name="worker", at=clock() - timedelta(minutes=10))
    result = retention_scan_task.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", started_at=clock() - timedelta(minutes=10))
    response, body = ready(client)
    assert response.status_code == 200
    assert body["checks"]["worker"]["busy_seconds"] == 600

    clock.moment += timedelta(minutes=21)
    response, body = ready(client)
    assert response.status_code == 503
    assert body["checks"]["worker"]["busy_seconds"] is None


@pytest.mark.django_db
def test_ready_without_any_heartbeat_is_not_ready(client):
    response, body = ready(client)
    assert response.status_code == 503
    assert body["checks"]["worker"]["heartbeat_age_seconds"] is None


@pytest.mark.django_db(transaction=True)
def test_a_running_worker_keeps_ready_and_a_stopped_one_is_reported_within_a_minute(
        client, monkeypatch):
    call_command("ops_schedule", stdout=None)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    response, body = ready(client)
    assert body["checks"]["worker"]["ok"] is True
    # The worker planned its next heartbeat, once.
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="worker_heartbeat",
                                       status="READY").count() == 1
    # The worker stops: nothing writes the heartbeat; a minute later ready says so.
    later = real_clock.now() + timedelta(seconds=61)
    monkeypatch.setattr("schakel.core.clock.now", lambda: later)
    response, body = ready(client)
    assert response.status_code == 503
    assert body["checks"]["worker"]["ok"] is False


@pytest.mark.django_db
def test_the_heartbeat_keeps_one_job_waiting_and_prunes_old_finished_ones(clock):
    from django_tasks_db.models import DBTaskResult

    worker_heartbeat.call()
    worker_heartbeat.call()
    assert Heartbeat.objects.get(name="worker").at == clock()
    assert DBTaskResult.objects.filter(task_path__endswith="worker_heartbeat",
                                       status="READY").count() == 1


@pytest.mark.django_db
def test_a_waiting_mail_older_than_half_an_hour_degrades_but_keeps_ready(client, clock):
    from schakel.partners.models import MessageKind, MessageStatus, OutboxMessage

    Heartbeat.objects.create(name="worker", at=clock())
    OutboxMessage.objects.create(kind=MessageKind.REFERRAL, to="piet@example.org",
                                 subject="Verwijzing Piet Test", body="b",
                                 status=MessageStatus.PENDING,
                                 created_at=clock() - timedelta(hours=2))
    response, body = ready(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["outbox"] == {"ok": False, "waiting": 1,
                                        "oldest_waiting_age_seconds": 7200, "given_up": 0}


@pytest.mark.django_db
def test_ready_and_metrics_hold_no_personal_data(client, clock, make_signal, employee):
    from schakel.partners.models import MessageKind, MessageStatus, OutboxMessage

    signal = make_signal(employee, reporter_name="Jansen de Vries")
    OutboxMessage.objects.create(kind=MessageKind.REFERRAL, to="piet@example.org",
                                 subject="Verwijzing Piet Test", body="b",
                                 status=MessageStatus.PENDING, created_at=clock())
    texts = [client.get(reverse("ops:ready")).content.decode(),
             client.get(reverse("ops:metrics")).content.decode()]
    for text in texts:
        for personal in ("Piet", "Jansen", "example.org", "Vier mannen", employee.username):
            assert personal not in text
    signal.refresh_from_db()
    assert f'schakel_signals{{state="{signal.state}"}} 1' in texts[1]
    assert "schakel_ready 0" in texts[1]


@pytest.mark.django_db
def test_the_administrators_home_page_shows_the_health_checks(client, admin_user, clock):
    Heartbeat.objects.create(name="worker", at=clock() - timedelta(minutes=5))
    client.force_login(admin_user)
    page = client.get(reverse("home")).content.decode()
    assert 'id="h-health"' in page
    assert "300" in page  # seconds since the worker's last sign of life


@pytest.mark.django_db
def test_the_policy_officers_home_page_has_no_health_panel(client, policy):
    client.force_login(policy)
    assert 'id="h-health"' not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_monitors_on_plain_http_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("ops:live")).status_code == 200
    assert client.get(reverse("ops:ready")).status_code == 503
    assert client.get(reverse("login")).status_code == 301


@pytest.mark.django_db
def test_the_audit_check_wants_a_recent_verification_that_found_nothing(client, clock):
    from schakel.audit.anchor import anchor_head
    from schakel.audit.models import ChainCheck

    Heartbeat.objects.create(name="worker", at=clock())
    anchor_head()
    _, body = ready(client)
    assert body["checks"]["audit"]["ok"] is False  # never verified
    assert body["checks"]["audit"]["last_verification_age_seconds"] is None

    call_command("audit_verify")
    _, body = ready(client)
    assert body["checks"]["audit"]["ok"] is True
    assert body["checks"]["audit"]["last_verification_findings"] == 0

    ChainCheck.objects.create(at=clock() + timedelta(seconds=1), records=1, findings=2)  # later
    response, body = ready(client)
    assert body["checks"]["audit"]["ok"] is False and body["status"] == "degraded"
    assert response.status_code == 200  # the app keeps serving; the panel shows it

    clock.moment += timedelta(days=9)
    call_command("audit_verify")
    anchor_head()
    Heartbeat.objects.filter(name="worker").update(at=clock())
    _, body = ready(client)
    assert body["checks"]["audit"]["ok"] is True


@pytest.mark.django_db
def test_a_migration_not_applied_to_the_database_makes_the_check_fail():
    from django.db.migrations.recorder import MigrationRecorder

    from schakel.ops.health import check_migrations

    assert check_migrations(None) == {"ok": True, "unapplied": 0}
    MigrationRecorder.Migration.objects.filter(app="partners").order_by("-id")[:1].get().delete()
    assert check_migrations(None) == {"ok": False, "unapplied": 1}
