"""Load the shipped plan (when none is loaded) and, with --demo, a little demo history."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from schakel.plan import demo


class Command(BaseCommand):
    help = "Load Montfoort's action plan when no plan is loaded; plan the schedules."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="also a little demo history")

    def handle(self, *args, **options):
        loaded = demo.load_default_plan()
        if options["demo"]:
            demo.load_demo_history()
        self.stdout.write(_("Plan loaded.") if loaded
                          else _("There was a plan already; schedules updated."))
