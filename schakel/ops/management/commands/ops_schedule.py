from django.core.management.base import BaseCommand

from schakel.ops.tasks import schedule_heartbeat


class Command(BaseCommand):
    help = "Plant the task worker's heartbeat job (idempotent; run before `db_worker`)."

    def handle(self, *args, **options):
        planned = schedule_heartbeat()
        self.stdout.write("Worker heartbeat planned." if planned
                          else "The worker heartbeat was already planned.")
