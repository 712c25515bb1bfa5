"""Checking the keyed hash chain of the processing log against its anchored heads."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings

from schakel.core import clock

from .chain import GENESIS, chain_keys
from .models import ChainAnchor, ChainHead, ProcessingRecord

ANCHOR_LINE = re.compile(r"record (\d+) hash ([0-9a-f]{64})")


@dataclass(frozen=True)
class Finding:
    seq: int
    # "changed", "removed", "removed_before" (removed and the rest renumbered),
    # "inserted", "truncated" (records cut off the end), "anchor" (the record
    # differs from a head anchored outside the database), "unchained" (not chained
    # within AUDIT_CHAIN_MAX_DELAY; `seq` is then the record's id, it has no number)
    problem: str

    def __str__(self) -> str:
        return f"record {self.seq}: {self.problem}"


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str


def anchors_in(text: str) -> list[Anchor]:
    """The anchored heads in a text: an application log, a saved digest e-mail."""
    return [Anchor(int(seq), digest) for seq, digest in ANCHOR_LINE.findall(text)]


def _signed(record, keys) -> bool:
    digest = record.audit.digest()
    return any(record.hash == record.compute_hash(digest, key) for key in keys)


def verify_chain(*, anchors=(), batch: int = 5000) -> list[Finding]:
    """Every record that was changed, removed or inserted; an empty list when intact.

    1. Walk the records in order of `seq`, one record of look-ahead. The chain is
       what the links (`prev_hash`) say; `tip` is the stored hash of the last record
       that belongs to it.
    2. A record with a valid signature that does not link to `tip` follows a removal:
       the missing numbers are named, or (after a renumbering) "before this record".
    3. A record with an invalid signature is inserted when the chain goes around it
       (the next record, or the head, links to `tip`), and changed otherwise (its
       successor links to it, or nothing links to it or around it).
    4. A record at an anchored number must have the anchored hash ("anchor": rewritten
       with the key, or replaced); the head must be the last record, and an anchor
       beyond the last record means records were cut off the end.
    5. A record the sequencer has not chained within AUDIT_CHAIN_MAX_DELAY seconds is
       "unchained" (named by its id); younger ones are on their way and not looked at.
    Anchors are those given (from outside the database) plus the stored copies.
    """
    keys = chain_keys()
    anchored: dict[int, set[str]] = {}
    for anchor in [*anchors, *(Anchor(a.seq, a.hash) for a in ChainAnchor.objects.all())]:
        if anchor.seq:
            anchored.setdefault(anchor.seq, set()).add(anchor.hash)
    head = ChainHead.objects.filter(pk=1).first()
    head_hash = head.hash if head is not None and head.seq else GENESIS
    findings: list[Finding] = []
    tip, tip_seq, last_seq = GENESIS, 0, 0
    records = (ProcessingRecord.objects.filter(seq__isnull=False).select_related("audit")
               .order_by("seq").iterator(chunk_size=batch))
    current = next(records, None)
    while current is not None:
        following = next(records, None)
        links_next = following.prev_hash if following is not None else head_hash
        if _signed(current, keys):
            if current.prev_hash != tip:
                missing = range(last_seq + 1, current.seq)
                findings += ([Finding(seq, "removed") for seq in missing]
                             or [Finding(current.seq, "removed_before")])
            tip, tip_seq = current.hash, current.seq
        elif links_next != current.hash and links_next == tip:
            findings.append(Finding(current.seq, "inserted"))
        else:
            findings.append(Finding(current.seq, "changed"))
            tip, tip_seq = current.hash, current.seq
        if current.seq in anchored and anchored[current.seq] != {current.hash}:
            findings.append(Finding(current.seq, "anchor"))
        last_seq = current.seq
        current = following
    if any(seq > last_seq for seq in anchored) or (head is not None and head.seq > last_seq):
        findings.append(Finding(tip_seq + 1, "truncated"))
    elif head is not None and head.seq and head.hash != tip:
        findings.append(Finding(head.seq, "changed"))
    late = clock.now() - timedelta(seconds=settings.AUDIT_CHAIN_MAX_DELAY)
    findings += [Finding(pk, "unchained") for pk in ProcessingRecord.objects.filter(
        seq__isnull=True, ended_at__lt=late).order_by("id").values_list("id", flat=True)]
    return findings
