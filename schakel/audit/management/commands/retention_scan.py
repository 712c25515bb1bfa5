from django.core.management.base import BaseCommand

from schakel.audit.retention import retention_scan


class Command(BaseCommand):
    help = ("Put signals past their retention period on the destruction list and purge old "
            "login records (idempotent; run monthly from cron, or let the task worker do it).")

    def handle(self, *args, **options):
        added = retention_scan()
        self.stdout.write(f"{added} signal(s) added to the destruction list.")
