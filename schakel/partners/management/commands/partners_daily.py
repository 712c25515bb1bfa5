from django.core.management.base import BaseCommand

from schakel.partners.jobs import run_daily


class Command(BaseCommand):
    help = ("Reminders, 'no response', the officers' digest and the outbox retry. "
            "Idempotent: safe to run from cron beside the task worker.")

    def handle(self, *args, **options):
        summary = run_daily()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in summary.items()))
