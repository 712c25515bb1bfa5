"""A long write never turns a read into an error page; background work keeps going."""

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from django.db import OperationalError, connection
from django.tasks import task
from django.test import Client

from schakel.core import taskwatch

ATTEMPTS = []


@task()
def failing_job(n: int) -> None:
    ATTEMPTS.append(n)
    raise RuntimeError("stuk")


sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_page_answers_while_another_connection_holds_the_write_lock(make_user):
    user = make_user("policy", team="Beleid")
    client = Client()
    client.force_login(user)
    client.get("/account/")  # the session's idle stamp is fresh now
    # A short busy timeout, so a page that did need the lock would fail fast here.
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 300")
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0.1,
                            isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # what a long import or destruction holds
        other.execute("UPDATE accounts_team SET name = name")
        for path in ("/account/", "/", "/actieplan/"):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.django_db
def test_a_page_read_does_not_save_the_session_each_time(client, employee, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    client.force_login(employee)
    client.get("/account/")
    saves = []
    original = SessionStore.save
    monkeypatch.setattr(SessionStore, "save",
                        lambda self, *a, **k: (saves.append(1), original(self, *a, **k))[1])
    for _ in range(3):
        client.get("/account/")
    assert saves == []


@pytest.mark.django_db
def test_the_idle_stamp_is_refreshed_once_a_minute_so_the_session_stays_alive(
        client, employee, monkeypatch):
    from django.contrib.sessions.models import Session

    moment = [datetime(2026, 6, 15, 10, 0, tzinfo=UTC)]
    monkeypatch.setattr("schakel.core.clock.now", lambda: moment[0])
    client.force_login(employee)
    client.get("/account/")
    key = client.cookies["sessionid"].value
    first = Session.objects.get(session_key=key).expire_date
    moment[0] += timedelta(seconds=61)
    client.get("/account/")
    assert Session.objects.get(session_key=key).expire_date >= first


def test_a_write_that_waits_too_long_gets_a_dutch_503(rf):
    from schakel.core.middleware import DatabaseBusyMiddleware

    middleware = DatabaseBusyMiddleware(lambda request: None)
    response = middleware.process_exception(rf.post("/"), OperationalError("database is locked"))
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "probeer het over een minuut opnieuw" in response.content.decode()
    assert middleware.process_exception(rf.get("/"), OperationalError("no such table")) is None


@pytest.mark.django_db(transaction=True)
def test_a_failed_job_is_retried_with_a_delay_and_then_given_up(settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASK_RETRY_ATTEMPTS = 2
    ATTEMPTS.clear()
    failing_job.enqueue(7)
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert ATTEMPTS == [7]
    retry = DBTaskResult.objects.get(status="READY", task_path=failing_job.module_path)
    assert retry.args_kwargs == {"args": [7], "kwargs": {}}
    assert retry.run_after > datetime.now(UTC) + timedelta(seconds=50)
    for _ in range(3):  # run the retries now instead of waiting for them
        DBTaskResult.objects.filter(status="READY").update(run_after=datetime.now(UTC))
        call_command("db_worker", "--batch", "--no-startup-delay")
    assert ATTEMPTS == [7, 7, 7]  # the first run and two retries, then no more
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3


@pytest.mark.django_db
def test_jobs_a_dead_worker_left_running_go_back_in_the_queue():
    from django_tasks_db.models import DBTaskResult

    result = failing_job.enqueue(1)
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING")
    assert taskwatch.recover_orphans() == 1
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"


@pytest.mark.django_db
def test_the_administrators_home_page_shows_a_failed_job(client, admin_user):
    from django_tasks_db.models import DBTaskResult

    result = failing_job.enqueue(1)
    DBTaskResult.objects.filter(pk=result.id).update(
        status="FAILED", finished_at=datetime.now(UTC),
        exception_class_path="builtins.RuntimeError")
    client.force_login(admin_user)
    html = client.get("/").content.decode()
    assert "failing_job" in html and "RuntimeError" in html
    assert "mislukt" in html
