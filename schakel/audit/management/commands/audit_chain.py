from django.core.management.base import BaseCommand

from schakel.audit.sequencer import chain_all


class Command(BaseCommand):
    help = ("Chain every processing record not chained yet (the task worker's heartbeat "
            "does this every half minute; for cron when no worker runs).")

    def handle(self, *args, **options):
        self.stdout.write(f"{chain_all()} record(s) chained.")
