"""Logging a read is an insert only; the sequencer chains it after commit, in order."""

import threading
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from schakel.audit import sequencer
from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity, ChainHead, ProcessingRecord
from schakel.audit.verify import verify_chain
from schakel.core import clock


@pytest.fixture
def after_commit(settings):
    settings.AUDIT_CHAIN_AFTER_COMMIT = True
    settings.AUDIT_CHAIN_MAX_DELAY = 300


def _read(actor, subject):
    return log_processing(actor=actor, activity=Activity.VIEW, action=Action.READ,
                          subjects=[subject])


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _found():
    return [(f.seq, f.problem) for f in verify_chain()]


def _eight_readers(officer) -> list:
    """Eight threads log 15 reads each, a transaction per read; the errors they met."""
    errors = []

    def reader(n):
        try:
            for i in range(15):
                with transaction.atomic():
                    _read(officer, f"r{n}-{i}")
        except Exception as error:  # noqa: BLE001  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_logging_a_read_takes_no_lock_on_the_chain_head(db, officer, after_commit):
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        _read(officer, "a")
    assert not [q["sql"] for q in queries if "audit_chainhead" in q["sql"]]
    record = ProcessingRecord.objects.get()
    assert record.seq is None and record.prev_hash == "" and len(record.hash) == 64


def test_a_logged_read_is_one_statement_on_postgresql_with_what_the_orm_would_store(
        db, officer, after_commit, django_capture_on_commit_callbacks):
    """The event and its records go in together (PostgreSQL: one INSERT … WITH); every
    column holds what the separate inserts stored, and the chain still verifies."""
    from schakel.audit.models import AuditEvent
    from schakel.signals.models import ExploitationForm

    obj = ExploitationForm.objects.first()
    with CaptureQueriesContext(connection) as queries, \
            django_capture_on_commit_callbacks(execute=True):
        audit = log_processing(actor=officer, activity=Activity.VIEW, action=Action.READ,
                               obj=obj, subjects=["p-1", "p-2", "p-3"],
                               changes={"state": ["a", "b"], "n": 1})
    inserts = [q["sql"] for q in queries.captured_queries[:2] if "INSERT" in q["sql"]]
    assert len(inserts) == (1 if connection.vendor == "postgresql" else 2)
    stored = AuditEvent.objects.get()
    assert stored.pk == audit.pk and not audit._state.adding
    assert (stored.at, stored.actor_id, stored.actor_username, stored.actor_role,
            stored.action, stored.object_type, stored.object_id, stored.changes) == (
        audit.at, officer.pk, officer.username, officer.role, Action.READ,
        "signals.exploitationform", str(obj.pk), {"state": ["a", "b"], "n": 1})
    records = list(ProcessingRecord.objects.order_by("id"))
    assert [r.data_subject for r in records] == ["p-1", "p-2", "p-3"]
    for record in records:
        assert (record.audit_id, record.actor_pk, record.object_type, record.object_id,
                record.activity, record.status, record.ended_at) == (
            audit.pk, officer.pk, "signals.exploitationform", str(obj.pk), Activity.VIEW,
            "ok", audit.at)
        assert record.purpose == str(Activity.VIEW.label) and len(record.trace_id) == 32
    assert [r.seq for r in records] == [1, 2, 3]
    assert _found() == []


@pytest.mark.django_db(transaction=True)
def test_a_read_logged_outside_a_transaction_opens_none_on_postgresql(officer, after_commit,
                                                                    monkeypatch):
    """One statement is atomic by itself: no BEGIN and COMMIT around it (PostgreSQL); on
    SQLite the event, the records and the chain head are written in one transaction."""
    seen = []
    insert = sequencer.insert_unchained

    def spy(audit, records):
        seen.append(connection.in_atomic_block)
        insert(audit, records)

    monkeypatch.setattr(sequencer, "insert_unchained", spy)
    _read(officer, "a")
    assert seen == [connection.vendor != "postgresql"]
    record = ProcessingRecord.objects.get()
    assert record.seq == 1 and _found() == []  # chained right after, on either database


def test_records_are_chained_right_after_commit_in_the_order_written(
        db, officer, after_commit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        log_processing(actor=officer, activity=Activity.VIEW, action=Action.READ,
                       subjects=["a", "b"])
        _read(officer, "c")
    assert len(callbacks) == 1  # one sequencer run per transaction, however many records
    records = list(ProcessingRecord.objects.order_by("id"))
    assert [(r.seq, r.data_subject) for r in records] == [(1, "a"), (2, "b"), (3, "c")]
    assert ChainHead.objects.get().seq == 3
    assert _found() == []


def test_a_record_written_unchained_without_the_key_is_named_as_inserted(
        db, officer, after_commit):
    _read(officer, "a")
    sequencer.chain_all()
    _read(officer, "b")
    # Someone with write access to the database adds a record for the sequencer to sign.
    _raw("INSERT INTO audit_processingrecord (seq, trace_id, activity, started_at, ended_at, "
         "status, data_subject, purpose, audit_id, prev_hash, hash) "
         "SELECT NULL, trace_id, activity, started_at, ended_at, status, 'vals', purpose, "
         "audit_id, '', %s FROM audit_processingrecord WHERE seq = 1", ["f" * 64])
    _read(officer, "c")
    assert sequencer.chain_all() == 3
    assert _found() == [(3, "inserted")]


def test_a_record_changed_before_it_was_chained_is_caught(db, officer, after_commit):
    _read(officer, "a")
    _read(officer, "b")
    _raw("UPDATE audit_processingrecord SET data_subject = 'vervalst' WHERE data_subject = 'b'")
    sequencer.chain_all()
    assert _found() == [(2, "inserted")]


def test_removal_change_and_reordering_after_chaining_are_caught(db, officer, after_commit):
    for subject in "abcde":
        _read(officer, subject)
    sequencer.chain_all()
    assert _found() == []
    _raw("UPDATE audit_processingrecord SET data_subject = 'x' WHERE seq = 2")
    _raw("DELETE FROM audit_processingrecord WHERE seq = 4")
    assert _found() == [(2, "changed"), (4, "removed")]
    _raw("UPDATE audit_processingrecord SET data_subject = 'b' WHERE seq = 2")
    _raw("UPDATE audit_processingrecord SET seq = 99 WHERE seq = 3")  # c moved to the end
    assert (3, "removed") in _found() and _found() != []


def test_a_record_left_unchained_too_long_is_an_error(db, officer, after_commit, monkeypatch,
                                                      capsys):
    _read(officer, "a")
    assert _found() == []  # on its way: not yet an error
    pk = ProcessingRecord.objects.get().pk
    later = clock.now() + timedelta(seconds=301)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert _found() == [(pk, "unchained")]
    with pytest.raises(CommandError, match="1 finding"):
        call_command("audit_verify")
    assert f"The record with id {pk} was not chained in time" in capsys.readouterr().err
    call_command("audit_chain")
    assert _found() == []


def test_the_worker_heartbeat_chains_what_is_left(db, officer, after_commit):
    from schakel.ops.tasks import worker_heartbeat

    _read(officer, "a")
    worker_heartbeat.func()
    assert ProcessingRecord.objects.get().seq == 1


@pytest.mark.django_db(transaction=True)
def test_readers_logging_side_by_side_do_not_wait_for_the_chain_head(officer, after_commit):
    """A writer holds the head's lock; another reader logs, commits and goes on."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; there the log chains inline")
    # A transactional test before this one may have flushed the head the migration made.
    ChainHead.objects.get_or_create(pk=1)
    holding, release, done = threading.Event(), threading.Event(), threading.Event()

    def hold_head():
        try:
            with transaction.atomic():
                ChainHead.objects.select_for_update().get(pk=1)
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    def read():
        try:
            with transaction.atomic():
                _read(officer, "b")
            done.set()
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_head)
    holder.start()
    assert holding.wait(10)
    reader = threading.Thread(target=read)
    reader.start()
    finished = done.wait(5)  # with the head locked until commit, this would wait 10 s
    release.set()
    holder.join()
    reader.join()
    assert finished
    assert ProcessingRecord.objects.get().seq is None  # the holder was no sequencer
    sequencer.chain_all()
    assert _found() == []


@pytest.mark.django_db(transaction=True)
def test_eight_readers_at_once_are_all_chained_without_locking_errors(officer, after_commit):
    """No record is left behind, whoever held the head when it committed."""
    assert _eight_readers(officer) == []
    assert not sequencer.pending_exists()
    assert ProcessingRecord.objects.count() == ChainHead.objects.get().seq == 120
    assert _found() == []


@pytest.fixture
def in_thread(settings, after_commit):
    settings.AUDIT_CHAIN_IN_THREAD = True
    yield sequencer.CHAIN_THREAD
    assert sequencer.CHAIN_THREAD.wait_idle()  # nothing of this test runs on in the next
    sequencer.CHAIN_THREAD.stop()  # nor keeps a connection to the test database


@pytest.mark.django_db(transaction=True)
def test_in_the_web_server_a_reader_leaves_the_chaining_to_the_processs_chain_thread(
        officer, in_thread):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite chains inline")
    ChainHead.objects.get_or_create(pk=1)
    with CaptureQueriesContext(connection) as queries:
        with transaction.atomic():
            _read(officer, "a")
    # The reader's connection only inserted: no chain head, no numbering after commit.
    assert not [q["sql"] for q in queries
                if "audit_chainhead" in q["sql"] or q["sql"].startswith("UPDATE")]
    assert in_thread.wait_idle()
    assert ProcessingRecord.objects.get().seq == 1
    assert _found() == []


@pytest.mark.django_db(transaction=True)
def test_eight_readers_in_the_web_server_are_all_chained_by_the_thread(officer, in_thread):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite chains inline")
    ChainHead.objects.get_or_create(pk=1)
    assert _eight_readers(officer) == []
    assert in_thread.wait_idle()
    assert not sequencer.pending_exists()
    assert ProcessingRecord.objects.count() == ChainHead.objects.get().seq == 120
    assert _found() == []


@pytest.mark.django_db(transaction=True)
def test_a_failing_round_leaves_the_thread_alive_and_the_records_for_the_next(
        officer, in_thread, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite chains inline")
    ChainHead.objects.get_or_create(pk=1)
    real, calls = sequencer.chain_after_commit, []

    def fails_once():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        real()

    monkeypatch.setattr(sequencer, "chain_after_commit", fails_once)
    with transaction.atomic():
        _read(officer, "a")
    assert in_thread.wait_idle()
    assert ProcessingRecord.objects.get().seq is None  # left for the next round
    in_thread.stop()  # as at a shutdown, or after a fork: the next notice starts one
    with transaction.atomic():
        _read(officer, "b")
    assert in_thread.wait_idle()
    assert sorted(ProcessingRecord.objects.values_list("seq", flat=True)) == [1, 2]
    assert _found() == []


def test_a_record_chained_inline_stores_what_the_orm_would_store(db, officer):
    """The inline write (SQLite; PostgreSQL without after-commit) goes by plain statements:
    every column holds what the model says, each record is linked to the one before and
    signed, the head moves, and the event stays append-only."""
    from schakel.audit.chain import chain_keys
    from schakel.audit.models import AppendOnlyError, AuditEvent
    from schakel.signals.models import ExploitationForm

    obj = ExploitationForm.objects.first()
    with transaction.atomic():
        first = log_processing(actor=officer, activity=Activity.VIEW, action=Action.READ,
                               obj=obj, subjects=["p-1"])
        audit = log_processing(actor=officer, activity=Activity.REFER, action=Action.UPDATE,
                               obj=obj, subjects=["p-1", "p-2"],
                               changes={"state": ["a", "b"], "n": 1})
    stored = AuditEvent.objects.get(pk=audit.pk)
    assert not audit._state.adding and first.pk < audit.pk
    assert (stored.at, stored.actor_id, stored.actor_username, stored.actor_role,
            stored.action, stored.object_type, stored.object_id, stored.changes) == (
        audit.at, officer.pk, officer.username, officer.role, Action.UPDATE,
        "signals.exploitationform", str(obj.pk), {"state": ["a", "b"], "n": 1})
    records = list(ProcessingRecord.objects.order_by("seq"))
    assert [(r.seq, r.data_subject, r.audit_id) for r in records] == [
        (1, "p-1", first.pk), (2, "p-1", audit.pk), (3, "p-2", audit.pk)]
    assert [r.prev_hash for r in records[1:]] == [r.hash for r in records[:-1]]
    key = chain_keys()[0]
    assert records[2].hash == records[2].compute_hash(audit.digest(), key)
    assert (records[2].actor_pk, records[2].object_id, records[2].activity) == (
        officer.pk, str(obj.pk), Activity.REFER)
    head = ChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (3, records[2].hash)
    assert _found() == []
    with pytest.raises(AppendOnlyError):
        sequencer.insert_event(audit)


def test_the_inline_write_makes_the_chain_head_when_a_flush_removed_it(db, officer):
    ChainHead.objects.all().delete()
    with transaction.atomic():
        _read(officer, "a")
    assert ChainHead.objects.get(pk=1).seq == 1
    assert _found() == []


def test_a_round_links_and_signs_as_the_models_read_back_say(db, officer, after_commit):
    """The chaining round reads the unchained records by a statement made once per process
    (`sequencer._round`): each record gets the number, link and signature that the ORM's
    models give for it, across events whose changes are JSON beyond ASCII and whose dates
    SQLite keeps as text; a round takes the oldest first and at most `limit`."""
    from schakel.audit.chain import chain_keys
    from schakel.signals.models import ExploitationForm

    obj = ExploitationForm.objects.first()
    changes = {"naam": "Zoë ↔ Ærø", "lijst": [1, {"b": None}], "n": 1.5}
    for subjects in (["a"], ["b", "c"], ["d"]):
        log_processing(actor=officer, activity=Activity.REFER, action=Action.UPDATE,
                       obj=obj, subjects=subjects, changes=changes)
    assert sequencer.chain_pending(limit=2) == 2 and sequencer.pending_exists()
    assert sequencer.chain_pending() == 2 and not sequencer.pending_exists()
    assert sequencer.chain_pending() == 0

    key, prev = chain_keys()[0], "0" * 64
    records = list(ProcessingRecord.objects.select_related("audit").order_by("seq"))
    assert [(r.seq, r.data_subject) for r in records] == [
        (1, "a"), (2, "b"), (3, "c"), (4, "d")]
    for record in records:
        assert record.audit.changes == changes
        assert record.prev_hash == prev
        assert record.hash == record.compute_hash(record.audit.digest(), key)
        prev = record.hash
    assert (ChainHead.objects.get().seq, ChainHead.objects.get().hash) == (4, prev)
    assert _found() == []


def test_a_round_makes_the_chain_head_when_a_flush_removed_it(db, officer, after_commit):
    ChainHead.objects.all().delete()
    _read(officer, "a")
    assert sequencer.chain_pending(skip_locked=True) == 1
    assert ChainHead.objects.get(pk=1).seq == 1
    assert _found() == []
