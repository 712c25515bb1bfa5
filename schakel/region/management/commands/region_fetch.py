from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from schakel.region.fetch import fetch_all


class Command(BaseCommand):
    help = "Fetch every municipality's anonymous share (region's installation; for cron)."

    def handle(self, *args, **options):
        if not settings.SCHAKEL.get("REGION"):
            raise CommandError("This installation is not the region's (REGION_MUNICIPALITIES).")
        for name, status in fetch_all().items():
            self.stdout.write(f"{name}: {status}")
