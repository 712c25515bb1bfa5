"""SQLite writers queue for the write lock (core/sqlite/base.py) instead of polling for it."""

import fcntl
import os
import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the write lock is SQLite's")


def _write(name):
    from django.contrib.auth.models import Group

    with transaction.atomic():
        Group.objects.create(name=name)


def _in_thread(target):
    errors = []

    def run():
        try:
            target()
        except Exception as exc:  # noqa: BLE001 - handed to the test
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def test_a_second_writer_waits_on_the_lock_and_writes_once_the_first_commits():
    from django.contrib.auth.models import Group

    holding, release, second_began = threading.Event(), threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            _write("first")
            holding.set()
            assert release.wait(10)

    def second():
        with transaction.atomic():
            second_began.set()
            _write("second")

    one, errors_one = _in_thread(first)
    assert holding.wait(10)
    two, errors_two = _in_thread(second)
    assert not second_began.wait(0.3)  # queued before BEGIN, not inside SQLite
    release.set()
    one.join(10)
    two.join(10)
    assert errors_one == errors_two == []
    assert set(Group.objects.values_list("name", flat=True)) == {"first", "second"}


def test_other_processes_are_kept_out_while_a_transaction_holds_the_lock():
    path = f"{connection.settings_dict['NAME']}-writelock"
    outsider = os.open(path, os.O_RDWR | os.O_CREAT)  # another open file: another process
    try:
        with transaction.atomic():
            _write("inside")
            with pytest.raises(BlockingIOError):
                fcntl.flock(outsider, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(outsider, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free after the commit
        fcntl.flock(outsider, fcntl.LOCK_UN)
    finally:
        os.close(outsider)


def test_a_rolled_back_or_closed_transaction_gives_the_lock_back():
    with pytest.raises(ValueError), transaction.atomic():
        _write("rolled back")
        raise ValueError
    done, errors = _in_thread(lambda: _write("after rollback"))
    done.join(10)
    assert errors == []

    def crash():
        with transaction.atomic():
            _write("never committed")
            connection.close()  # as a worker that dies mid-request: ends the transaction

    crashed, _ = _in_thread(crash)
    crashed.join(10)
    done, errors = _in_thread(lambda: _write("after close"))
    done.join(10)
    assert errors == []


def test_waiting_longer_than_the_busy_timeout_is_the_usual_database_is_locked(monkeypatch):
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.2)
    holding, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            _write("holder")
            holding.set()
            release.wait(10)

    holder, errors = _in_thread(hold)
    assert holding.wait(10)
    try:
        waiter, waiter_errors = _in_thread(lambda: _write("waiter"))
        waiter.join(10)
        assert len(waiter_errors) == 1
        assert isinstance(waiter_errors[0], OperationalError)
        assert "database is locked" in str(waiter_errors[0])  # → DatabaseBusyMiddleware 503
    finally:
        release.set()
        holder.join(10)
    assert errors == []
