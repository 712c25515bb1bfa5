from django.core.management.base import BaseCommand

from schakel.partners.seed import load_defaults


class Command(BaseCommand):
    help = "Load the chain partners and routing rules of the plan (idempotent; demo mailboxes)."

    def handle(self, *args, **options):
        created = load_defaults()
        self.stdout.write(f"partners and rules created: {created}")
