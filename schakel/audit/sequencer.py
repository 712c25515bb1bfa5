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

import logging

from django.db import connection, transaction

from .chain import chain_keys
from .models import ChainHead, ProcessingRecord

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


def chain_inline(records: list[ProcessingRecord], digest: str) -> None:
    """Number, link and sign new records under the head's lock, then insert them."""
    head = lock_head()
    key = chain_keys()[0]
    seq, prev = head.seq, head.hash
    for record in records:
        seq += 1
        record.seq, record.prev_hash = seq, prev
        record.hash = record.compute_hash(digest, key)
        prev = record.hash
    ProcessingRecord.objects.bulk_create(records)
    ChainHead.objects.filter(pk=1).update(seq=seq, hash=prev)


def insert_unchained(records: list[ProcessingRecord], digest: str) -> None:
    """Insert new records without number or link, signed on entry; chain them after commit."""
    key = chain_keys()[0]
    for record in records:
        record.seq, record.prev_hash = None, ""
        record.hash = record.compute_hash(digest, key)
    ProcessingRecord.objects.bulk_create(records)
    if not any(callback is chain_after_commit for _, callback, _ in connection.run_on_commit):
        transaction.on_commit(chain_after_commit, robust=True)


def _entry_signed(record: ProcessingRecord, digest: str, keys: list[str]) -> bool:
    return record.prev_hash == "" and any(
        record.hash == record.compute_hash(digest, key) for key in keys)


def chain_pending(*, limit: int = BATCH, skip_locked: bool = False) -> int | None:
    """Chain up to `limit` unchained records, oldest insert first.

    Returns how many were chained, or None when another process holds the head (only
    with `skip_locked`, on PostgreSQL: that process looks again when it is done).
    """
    with transaction.atomic():
        head = lock_head(skip_locked=skip_locked)
        if head is None:
            return None
        pending = list(ProcessingRecord.objects.filter(seq__isnull=True)
                       .select_related("audit").order_by("id")[:limit])
        if not pending:
            return 0
        keys = chain_keys()
        seq, tip, digests = head.seq, head.hash, {}
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
        ProcessingRecord.objects.bulk_update(pending, ["seq", "prev_hash", "hash"])
        ChainHead.objects.filter(pk=1).update(seq=seq, hash=tip)
    return len(pending)


def pending_exists() -> bool:
    return ProcessingRecord.objects.filter(seq__isnull=True).exists()


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
