"""Verify the processing log's keyed chain; name every changed, removed or inserted record.

Give the heads anchored outside the database to catch records cut off the end and
a chain rewritten with the key: `--anchors-from` reads every "processing log head …"
line from a file (the application log, a saved digest e-mail), `--anchor SEQ:HASH`
takes one by hand.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schakel.audit.models import ChainCheck, ProcessingRecord
from schakel.audit.verify import Anchor, anchors_in, verify_chain
from schakel.core import clock

MESSAGES = {
    "changed": "Record %(seq)s of the processing log was changed.",
    "removed": "Record %(seq)s of the processing log was removed.",
    "removed_before": "One or more records before record %(seq)s were removed "
                      "(and the rest renumbered).",
    "inserted": "Record %(seq)s of the processing log was inserted.",
    "truncated": "Records from %(seq)s on were removed from the end of the log.",
    "anchor": "Record %(seq)s differs from the head anchored outside the database "
              "(the chain was rewritten from here or earlier).",
    "unchained": "The record with id %(seq)s was not chained in time (is the task "
                 "worker running? `manage.py audit_chain` chains it; if it was written "
                 "without the key, it is then named as inserted).",
}


def _anchor(text: str) -> Anchor:
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise CommandError(f"An anchor is SEQ:HASH (64 hex characters), not {text!r}.")
    return Anchor(int(seq), digest.lower())


class Command(BaseCommand):
    help = "Verify the processing log's hash chain; name every broken record."

    def add_arguments(self, parser):
        parser.add_argument("--anchor", action="append", default=[], type=_anchor,
                            help="an anchored head, SEQ:HASH (repeatable)")
        parser.add_argument("--anchors-from", action="append", default=[], type=Path,
                            help="a file with anchored heads, e.g. the application log")

    def handle(self, *args, **options):
        anchors = list(options["anchor"])
        for path in options["anchors_from"]:
            try:
                anchors += anchors_in(path.read_text(errors="replace"))
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        findings = verify_chain(anchors=anchors)
        count = ProcessingRecord.objects.count()
        ChainCheck.objects.create(at=clock.now(), records=count, findings=len(findings))
        if findings:
            for finding in findings:
                self.stderr.write(MESSAGES[finding.problem] % {"seq": finding.seq})
            raise CommandError(f"The processing log is not intact: {len(findings)} finding(s).")
        self.stdout.write(f"The processing log is intact: {count} records verified"
                          f" against {len(anchors)} anchor(s) given and the stored ones.")
