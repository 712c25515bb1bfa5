"""Checking the hash chain of the processing log."""

from dataclasses import dataclass

from .models import ChainHead, ProcessingRecord

GENESIS = "0" * 64


@dataclass
class Finding:
    seq: int
    problem: str  # "changed", "removed", "inserted", "truncated"

    def __str__(self) -> str:
        return f"record {self.seq}: {self.problem}"


def verify_chain(batch: int = 5000) -> Finding | None:
    """The first record that was changed, removed or inserted, or None when intact.

    1. Walk the records in order of `seq`; each must follow the previous one
       without a gap (a gap is a removal).
    2. Each must hash to its stored hash over its content, its audit event and the
       previous hash (a mismatch is a change, of the record or of its audit event).
    3. Each must point to the previous record's hash (a wrong link with a valid own
       hash is an insertion, or a removal covered up by renumbering).
    4. The last record must be the chain head (else records were cut off the end).
    """
    expected_seq, prev_hash = 1, GENESIS
    records = ProcessingRecord.objects.select_related("audit").order_by("seq")
    for record in records.iterator(chunk_size=batch):
        if record.seq != expected_seq:
            return Finding(expected_seq, "removed")
        own_ok = record.hash == record.compute_hash(record.audit.digest())
        if not own_ok:
            return Finding(record.seq, "changed")
        if record.prev_hash != prev_hash:
            return Finding(record.seq, "inserted")
        expected_seq, prev_hash = record.seq + 1, record.hash
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (expected_seq - 1, prev_hash) \
            and head.seq != 0:
        return Finding(expected_seq, "truncated")
    return None
