"""The regional report for the meeting, as CSV on standard output (region's installation)."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Write the regional report as CSV (region's installation)."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", help="e.g. 2026-Q3; default the latest")

    def handle(self, *args, **options):
        if not settings.SCHAKEL.get("REGION"):
            raise CommandError("This installation is not the region's (REGION_MUNICIPALITIES).")
        from schakel.region import actions, report

        actions.municipalities_sync(settings.SCHAKEL["REGION"])
        sys.stdout.buffer.write(report.document_csv(report.picture(options["quarter"])))
