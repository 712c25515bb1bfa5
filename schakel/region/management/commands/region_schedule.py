from django.core.management.base import BaseCommand

from schakel.region.tasks import schedule_fetch


class Command(BaseCommand):
    help = "Make sure the region's periodic fetch waits in the task queue (region only)."

    def handle(self, *args, **options):
        added = schedule_fetch()
        self.stdout.write("region fetch planned" if added else "nothing to plan")
