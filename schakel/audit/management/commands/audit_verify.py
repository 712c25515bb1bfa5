from django.core.management.base import BaseCommand, CommandError

from schakel.audit.models import ProcessingRecord
from schakel.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the processing log; name the first broken record."

    def handle(self, *args, **options):
        finding = verify_chain()
        if finding is not None:
            messages = {
                "changed": "Record %(seq)s of the processing log was changed.",
                "removed": "Record %(seq)s of the processing log was removed.",
                "inserted": "A record was inserted before record %(seq)s of the processing log.",
                "truncated": "Records from %(seq)s on were removed from the end of the log.",
            }
            raise CommandError(messages[finding.problem] % {"seq": finding.seq})
        count = ProcessingRecord.objects.count()
        self.stdout.write(f"The processing log is intact: {count} records verified.")
