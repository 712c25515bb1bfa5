from django.core.management.base import BaseCommand

from schakel.partners.outbox import retry_due


class Command(BaseCommand):
    help = "Deliver outbox e-mails that are waiting or failed (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(f"sent: {retry_due()}")
