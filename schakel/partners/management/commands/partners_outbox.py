from django.core.management.base import BaseCommand

from schakel.partners.outbox import retry_due


class Command(BaseCommand):
    help = ("Deliver every outbox e-mail that is still wanted: waiting, failed (also those "
            "whose automatic retries stopped) or stuck. With --due, only what the retry "
            "schedule says is due (for cron without the task worker). Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--due", action="store_true",
                            help="only messages whose next attempt is due")

    def handle(self, *args, **options):
        self.stdout.write(f"sent: {retry_due(everything=not options['due'])}")
