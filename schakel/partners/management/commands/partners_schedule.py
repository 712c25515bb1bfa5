from django.core.management.base import BaseCommand

from schakel.partners.tasks import next_run_at, schedule_daily


class Command(BaseCommand):
    help = "Make sure the daily job waits in the task queue (run before `db_worker`)."

    def handle(self, *args, **options):
        added = schedule_daily()
        self.stdout.write("daily job scheduled for " + next_run_at().isoformat()
                          if added else "daily job already scheduled (or no deferring backend)")
