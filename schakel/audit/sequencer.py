"""Chaining the processing log in order, in short batches: the sequencer.

On PostgreSQL (AUDIT_CHAIN_AFTER_COMMIT) a record is written in two steps, so that
readers who log side by side never wait for each other on the chain head:
1. `log.log_processing` inserts it unchained: no number (`seq` is NULL), no link, and
   an entry signature in `hash` (HMAC with the chain key over its content and its
   audit event, `prev_hash` empty). An insert only.
2. `chain_pending` numbers the unchained records in the order they were inserted
   (`id`), links each to the previous one, signs it and moves the head, holding the
   head's lock for that batch only. It runs right after the writing transaction
   commits (`chain_after_commit`: whoever finds the head locked leaves the work to the
   holder, who looks again after releasing it, so no committed record is left
   behind), and every half minute from the task worker's heartbeat (`manage.py
   audit_chain` for cron), which also chains the records of a process that died
   between its commit and its chaining.
   In the web server (AUDIT_CHAIN_IN_THREAD, set by `scripts/gunicorn.conf.py`) the
   chaining after commit is handed to one thread per process (`CHAIN_THREAD`, see
   core/background.py): the request answers without waiting for it, and the records
   of readers who committed while it was busy are chained in its next batch. Woken,
   it first lets the commits of the other request threads gather for
   AUDIT_CHAIN_GATHER_MS (50 ms): at eight
   officers at once the signal page answered 49–71 requests per second with it
   against 46–56 without (three runs each). Commands and the task worker chain
   on the spot, so nothing waits on a thread that a short process would not outlive.

SQLite has one writer at a time anyway: there `log_processing` chains inside the
writing transaction, as it always did (`chain_inline`), and so do the tests unless
they ask for the after-commit path.

What the sequencer protects and what it cannot:
- A record written or changed in the database by someone without the key before it
  was chained fails its entry signature: it gets its number but no signature, and the
  chain links around it, so `verify_chain` names it "inserted".
- A record still unchained after AUDIT_CHAIN_MAX_DELAY seconds is named "unchained"
  (the sequencer is not running, or it was stopped on purpose).
- A record removed from the database in the moment between its insert and its
  chaining (milliseconds, at most the heartbeat's half minute) leaves no trace: ids
  have gaps anyway (rolled-back inserts on PostgreSQL). That window is the price of
  not queueing every reader on one row.
"""

import functools
import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from schakel.core.background import AfterCommitThread
from schakel.core.writes import insert_statement

from .chain import chain_keys
from .models import AppendOnlyError, AuditEvent, ChainHead, ProcessingRecord

logger = logging.getLogger(__name__)

BATCH = 500
# Rounds of `chain_after_commit` before it leaves the rest to the next writer or the
# heartbeat (each round chains up to BATCH records).
ROUNDS = 20


def lock_head(*, skip_locked: bool = False) -> ChainHead | None:
    """The chain head, locked until the end of the transaction; None when skipped."""
    head = ChainHead.objects.select_for_update(skip_locked=skip_locked).filter(pk=1).first()
    if head is None and not (skip_locked and ChainHead.objects.filter(pk=1).exists()):
        # Migration 0002 creates the row; this covers a database emptied by a flush.
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def writes_in_one_statement() -> bool:
    """Whether `write` is one statement (PostgreSQL, chained after commit)."""
    return settings.AUDIT_CHAIN_AFTER_COMMIT and connection.vendor == "postgresql"


def write(audit: AuditEvent, records: list[ProcessingRecord]) -> None:
    """Store a new audit event and its records (built, not saved), chained the way this
    database chains: after commit (PostgreSQL) or here, under the head's lock.

    In the caller's transaction, or in one of its own; not when the write is one
    statement (PostgreSQL), which is atomic by itself: a read logged outside a
    transaction then spares the BEGIN and COMMIT round trips. No savepoint inside a
    caller's transaction: a log that cannot be written fails the whole action, so there
    is nothing to roll back to.
    """
    if writes_in_one_statement():
        insert_unchained(audit, records)
        return
    with transaction.atomic(savepoint=False):
        if settings.AUDIT_CHAIN_AFTER_COMMIT:
            insert_unchained(audit, records)
        else:
            insert_event(audit)
            chain_inline(records, audit.digest())


def chain_inline(records: list[ProcessingRecord], digest: str) -> None:
    """Number, link and sign new records under the head's lock, then insert them.

    In plain statements, made once per process (`_inline`): on SQLite the whole log
    write runs under the database's one write lock, and building the ORM's statements
    there cost half of what a filed signal held the lock for (every other writer waits
    for it). The statements are the ones the ORM wrote.
    """
    with connection.cursor() as cursor:
        seq, prev = _head(cursor)
        key = chain_keys()[0]
        for record in records:
            seq += 1
            record.seq, record.prev_hash = seq, prev
            record.hash = record.compute_hash(digest, key)
            prev = record.hash
        _insert_records(records)
        cursor.execute(_inline()["move"], [seq, prev])


def _head(cursor, *, skip_locked: bool = False) -> tuple[int, str] | None:
    """The chain head's (seq, hash), locked until the end of the transaction, read by the
    statement `_inline` made; None when another process holds it (`skip_locked`). A
    database emptied by a flush gets its row from `lock_head`."""
    cursor.execute(_inline()["head_skip" if skip_locked else "head"])
    row = cursor.fetchone()
    if row is None:
        head = lock_head(skip_locked=skip_locked)
        row = None if head is None else (head.seq, head.hash)
    return row


def _db_values(obj, fields) -> list:
    """`obj`'s values of `fields` as the database stores them (what the ORM's insert
    would send)."""
    db = connections[DEFAULT_DB_ALIAS]  # the proxy `connection` costs a lookup per use
    return [f.get_db_prep_save(getattr(obj, f.attname), db) for f in fields]


def _insert_records(records: list[ProcessingRecord]) -> None:
    """Insert new records by the statement `_inline` made, after their event."""
    sql = _inline()
    for record in records:
        if record.audit_id is None:  # built before its event was inserted
            record.audit_id = record.audit.pk
    with connection.cursor() as cursor:
        cursor.executemany(sql["record"], [_db_values(r, sql["record_fields"])
                                           for r in records])
    for record in records:
        record._state.adding, record._state.db = False, connection.alias


def insert_event(audit: AuditEvent) -> None:
    """Insert a new audit event by the statement `_inline` made (see `chain_inline`)."""
    if audit.pk is not None or not audit._state.adding:
        raise AppendOnlyError("AuditEvent rows are append-only.")
    sql = _inline()
    with connection.cursor() as cursor:
        cursor.execute(sql["event"], _db_values(audit, sql["event_fields"]))
        audit.pk = cursor.fetchone()[0]
    audit._state.adding, audit._state.db = False, connection.alias


@functools.cache
def _inline() -> dict:
    """The statements of an inline log write, made once per process."""
    qn = connection.ops.quote_name
    event_fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    record_fields = [f for f in ProcessingRecord._meta.concrete_fields if not f.primary_key]
    head = qn(ChainHead._meta.db_table)
    features = connection.features
    # SQLite's write lock is the transaction's (IMMEDIATE); elsewhere the row's.
    read_head = (f"SELECT {qn('seq')}, {qn('hash')} FROM {head} WHERE {qn('id')} = 1"
                 + (" FOR UPDATE" if features.has_select_for_update else ""))
    return {
        "event_fields": event_fields, "record_fields": record_fields,
        "event": insert_statement(connection, AuditEvent, event_fields,
                                  returning=AuditEvent._meta.pk),
        "record": insert_statement(connection, ProcessingRecord, record_fields),
        "head": read_head,
        "head_skip": read_head + (" SKIP LOCKED"
                                  if features.has_select_for_update_skip_locked else ""),
        "move": f"UPDATE {head} SET {qn('seq')} = %s, {qn('hash')} = %s WHERE {qn('id')} = 1",
    }


def insert_unchained(audit: AuditEvent, records: list[ProcessingRecord]) -> None:
    """Insert a new event and its records without number or link, the records signed on
    entry; chain them after commit."""
    key = chain_keys()[0]
    digest = audit.digest()
    for record in records:
        record.seq, record.prev_hash = None, ""
        record.hash = record.compute_hash(digest, key)
    if writes_in_one_statement():
        _insert_together(audit, records)
    else:
        insert_event(audit)
        _insert_records(records)
    if not any(callback is after_commit for _, callback, _ in connection.run_on_commit):
        transaction.on_commit(after_commit, robust=True)


@functools.cache
def _together() -> tuple[list, list, str]:
    """The event's and the records' fields and the statement that inserts them together,
    made once per process (the models do not change while it runs)."""
    qn = connection.ops.quote_name
    event_fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    record_fields = [f for f in ProcessingRecord._meta.concrete_fields
                     if not f.primary_key and f.attname != "audit_id"]
    sql = (
        f"WITH e AS (INSERT INTO {qn(AuditEvent._meta.db_table)} "
        f"({', '.join(qn(f.column) for f in event_fields)}) "
        f"VALUES ({', '.join(['%s'] * len(event_fields))}) RETURNING id) "
        f"INSERT INTO {qn(ProcessingRecord._meta.db_table)} "
        f"({', '.join(qn(f.column) for f in record_fields)}, {qn('audit_id')}) "
        f"SELECT r.*, e.id FROM e, UNNEST("
        f"{', '.join(f'%s::{f.db_type(connection)}[]' for f in record_fields)}) AS r "
        f"RETURNING {qn('audit_id')}"
    )
    return event_fields, record_fields, sql


def _insert_together(audit: AuditEvent, records: list[ProcessingRecord]) -> None:
    """The event and its records in one statement (PostgreSQL): the event inserted in a
    WITH clause, the records from one array per column with the event's new id. One
    round trip instead of two, and no ORM statements to build: on a signal page these
    two inserts cost more than the queries that read the signal."""
    event_fields, record_fields, sql = _together()
    event_values = _db_values(audit, event_fields)
    db = connections[DEFAULT_DB_ALIAS]
    columns = [[f.get_db_prep_save(getattr(r, f.attname), db) for r in records]
               for f in record_fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*event_values, *columns])
        audit.pk = cursor.fetchone()[0]
    audit._state.adding, audit._state.db = False, connection.alias
    for record in records:
        record.audit_id = audit.pk


def after_commit() -> None:
    """A writer committed unchained records: chain them, in this process's chain thread
    (the web server) or on the spot."""
    if settings.AUDIT_CHAIN_IN_THREAD:
        CHAIN_THREAD.notify()
    else:
        chain_after_commit()


def _entry_signed(record: ProcessingRecord, digest: str, keys: list[str]) -> bool:
    return record.prev_hash == "" and any(
        record.hash == record.compute_hash(digest, key) for key in keys)


def chain_pending(*, limit: int = BATCH, skip_locked: bool = False) -> int | None:
    """Chain up to `limit` unchained records, oldest insert first.

    Returns how many were chained, or None when another process holds the head (only
    with `skip_locked`, on PostgreSQL: that process looks again when it is done).
    In plain statements made once per process (`_round`): on PostgreSQL a round follows
    every logged page view, in the web server's own process, and the ORM's statements
    cost most of it (2.1 ms of CPU for one page view's records).
    """
    sql = _round()
    with transaction.atomic(), connection.cursor() as cursor:
        row = _head(cursor, skip_locked=skip_locked)
        if row is None:
            return None
        cursor.execute(sql["pending"], [limit])
        pending = _pending_records(cursor.fetchall(), sql)
        if not pending:
            return 0
        keys = chain_keys()
        (seq, tip), digests = row, {}
        for record in pending:
            if record.audit_id not in digests:
                digests[record.audit_id] = record.audit.digest()
            digest = digests[record.audit_id]
            signed = _entry_signed(record, digest, keys)
            seq += 1
            record.seq, record.prev_hash = seq, tip
            if signed:
                record.hash = record.compute_hash(digest, keys[0])
                tip = record.hash
            else:
                # Left unsigned: the chain goes around it and verification names it.
                logger.error("processing log: record %s (id %s) was written or changed "
                             "without the chain key before it was chained", seq, record.pk)
        _write_links(pending)
        cursor.execute(_inline()["move"], [seq, tip])
    return len(pending)


@functools.cache
def _round() -> dict:
    """The statements of a chaining round, made once per process (the head's are
    `_inline`'s): the unchained records with the fields of their event that the chain
    protects, and whether any are left."""
    qn = connection.ops.quote_name
    records, events = ProcessingRecord._meta, AuditEvent._meta
    record_fields = [f for f in records.concrete_fields if f.attname != "seq"]
    # What `AuditEvent.digest` reads, in the model's order (as `from_db` takes them).
    protected = {"id", "at", "actor_username", "actor_role", "action", "object_type",
                 "object_id", "changes"}
    event_fields = [f for f in events.concrete_fields if f.name in protected]
    columns = ([f"r.{qn(f.column)}" for f in record_fields]
               + [f"e.{qn(f.column)}" for f in event_fields])
    return {
        "pending": f"SELECT {', '.join(columns)} FROM {qn(records.db_table)} r "
                   f"JOIN {qn(events.db_table)} e ON e.{qn('id')} = r.{qn('audit_id')} "
                   f"WHERE r.{qn('seq')} IS NULL ORDER BY r.{qn('id')} LIMIT %s",
        "exists": f"SELECT 1 FROM {qn(records.db_table)} WHERE {qn('seq')} IS NULL LIMIT 1",
        "record": (record_fields, _converters(record_fields)),
        "event": (event_fields, _converters(event_fields)),
    }


def _converters(fields) -> list:
    """Per field, what the ORM does to a value read from this database (SQLite's dates
    from text, a JSON field's text to its value)."""
    out = []
    for field in fields:
        col = field.get_col(field.model._meta.db_table)
        out.append((connection.ops.get_db_converters(col)
                    + field.get_db_converters(connection), col))
    return out


def _from_row(model, fields, converters, values):
    """A model instance from a row of plain values, as the ORM would make it."""
    converted = []
    for value, (functions, col) in zip(values, converters, strict=True):
        for function in functions:
            value = function(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


def _pending_records(rows, sql) -> list[ProcessingRecord]:
    """The rows of `_round`'s query as records, each with its event (one instance per
    event)."""
    record_fields, record_converters = sql["record"]
    event_fields, event_converters = sql["event"]
    split, events, records = len(record_fields), {}, []
    for row in rows:
        event_values = row[split:]
        event = events.get(event_values[0])
        if event is None:
            event = events[event_values[0]] = _from_row(
                AuditEvent, event_fields, event_converters, event_values)
        record = _from_row(ProcessingRecord, record_fields, record_converters, row[:split])
        record.seq = None
        record.audit = event
        records.append(record)
    return records


def _write_links(records: list[ProcessingRecord]) -> None:
    """Store the records' numbers, links and signatures. On PostgreSQL one UPDATE from a
    list of values (Django's bulk_update writes a CASE per column and row, whose building
    cost more than the rest of a round); elsewhere (SQLite in tests) bulk_update."""
    if connection.vendor != "postgresql":
        ProcessingRecord.objects.bulk_update(records, ["seq", "prev_hash", "hash"])
        return
    table = connection.ops.quote_name(ProcessingRecord._meta.db_table)
    rows = ", ".join(["(%s::bigint, %s::bigint, %s, %s)"] * len(records))
    params = [value for r in records for value in (r.pk, r.seq, r.prev_hash, r.hash)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS r SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash "
            f"FROM (VALUES {rows}) AS v(id, seq, prev_hash, hash) WHERE r.id = v.id", params)


def pending_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(_round()["exists"])
        return cursor.fetchone() is not None


def chain_after_commit() -> None:
    """After a writer's commit: chain what is pending unless another process is at it.

    The holder of the head looks for pending records again after releasing it, so a
    record committed while the head was held is chained by the holder or by the next
    one to find the head free.
    """
    for _ in range(ROUNDS):
        if chain_pending(skip_locked=True) is None or not pending_exists():
            return


def chain_all() -> int:
    """Chain every pending record (the heartbeat, `manage.py audit_chain`)."""
    total = 0
    while chained := chain_pending():
        total += chained
    return total


# One per process in the web server: the request answers without waiting for the round.
# The work looked up when it runs (`chain_after_commit` as the module has it then).
CHAIN_THREAD = AfterCommitThread("audit-chain", lambda: chain_after_commit(),
                                 lambda: settings.AUDIT_CHAIN_GATHER_MS)
