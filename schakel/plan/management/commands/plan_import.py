"""Import a municipality's plan file (see schakel/plan/data/FORMAT.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from schakel.plan.actions import plan_import
from schakel.plan.loader import PlanFileError, read_plan


class Command(BaseCommand):
    help = "Import a plan file (CSV); a file with errors changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        try:
            rows = read_plan(Path(options["path"]).read_bytes())
        except OSError as exc:
            raise CommandError(_("Cannot read the file: %(reason)s")
                               % {"reason": exc.strerror}) from None
        except PlanFileError as exc:
            raise CommandError(_("Not imported, nothing has been changed:") + "\n"
                               + "\n".join(exc.errors)) from None
        counts = plan_import(actor=None, rows=rows)
        self.stdout.write(_("Imported: %(created)s new, %(updated)s updated, %(removed)s "
                            "removed, %(archived)s archived.") % counts)
