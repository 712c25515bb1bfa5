import time

from django.core.management.base import BaseCommand

from schakel.subjects import actions, engine


class Command(BaseCommand):
    help = "File the subjects of signals into the register and rebuild every matching key."

    def handle(self, *args, **options):
        filed = 0
        while True:
            batch = actions.register_sync_subjects(limit=5000)
            filed += batch
            if not batch:
                break
        started = time.perf_counter()
        keys = engine.rebuild_index()
        self.stdout.write(f"{filed} subjects filed; {keys} keys written in "
                          f"{time.perf_counter() - started:.1f} s.")
