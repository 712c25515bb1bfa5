from django.core.management.base import BaseCommand

from schakel.privacy.completion import schedule_checkpoint
from schakel.privacy.models import DestructionCertificate
from schakel.privacy.retention import retention_scan


class Command(BaseCommand):
    help = ("Put signals past their retention period on the destruction list and purge old "
            "login records (idempotent; run monthly from cron, or let the task worker do it).")

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true",
                            help="only plan the monthly run for the task worker (idempotent)")

    def handle(self, *args, **options):
        if options["schedule"]:
            from schakel.privacy.tasks import schedule_monthly_retention_scan

            planned = schedule_monthly_retention_scan()
            self.stdout.write("Monthly retention scan planned." if planned
                              else "The monthly retention scan was already planned.")
            # A destruction left pending (a reader held the database) is retried too.
            if DestructionCertificate.objects.filter(completed_at__isnull=True).exists():
                schedule_checkpoint()
                self.stdout.write("Pending destructions will be completed by the worker.")
            return
        added = retention_scan()
        self.stdout.write(f"{added} signal(s) added to the destruction list.")
