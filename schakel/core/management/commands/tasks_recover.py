from django.core.management.base import BaseCommand

from schakel.core.taskwatch import recover_orphans


class Command(BaseCommand):
    help = ("Put background jobs that a stopped worker left running back in the queue. "
            "Run it only while no worker runs (scripts/serve does, before each start).")

    def handle(self, *args, **options):
        n = recover_orphans()
        if options["verbosity"]:
            self.stdout.write(f"{n} job(s) back in the queue")
