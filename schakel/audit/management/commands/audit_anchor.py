from django.core.management.base import BaseCommand

from schakel.audit.anchor import anchor_head


class Command(BaseCommand):
    help = "Anchor today's head of the processing log in the application log (once a day)."

    def handle(self, *args, **options):
        self.stdout.write(anchor_head().line())
