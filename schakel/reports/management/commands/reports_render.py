from django.core.management.base import BaseCommand, CommandError

from schakel.reports.models import Report
from schakel.reports.tasks import render_now


class Command(BaseCommand):
    help = "Render a council report's files now (what the background task does; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("report_id", type=int)

    def handle(self, *args, report_id, **options):
        if not Report.objects.filter(pk=report_id).exists():
            raise CommandError(f"No report {report_id}.")
        self.stdout.write(render_now(report_id))
