"""Match a list (CSV, XLSX or JSON Lines, one query a row) against the register.

    manage.py register_match IN OUT [--purpose TEXT]

IN's columns or keys: id, kind, name, date_of_birth, street, house_number, addition,
postcode, city, kvk_number, or address (a whole one-line address). OUT is CSV or JSON
Lines by its extension: per query its best candidates (source id, source, kind, score,
band, reasons), `id` echoed; a query without any says "geen overeenkomst", a bad row its
Dutch error. The run is recorded in the processing log with its purpose, not its terms.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from schakel.subjects import batch


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser):
        parser.add_argument("input", help="CSV, XLSX or JSON Lines (.jsonl) file")
        parser.add_argument("output", help="CSV (.csv) or JSON Lines (.jsonl) file to write")
        parser.add_argument("--purpose", default="",
                            help="why the list is matched; recorded in the processing log")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            purpose = options["purpose"] or _("Check a list against the register "
                                              "(manage.py register_match)")
            self._run(Path(options["input"]), Path(options["output"]), purpose)

    def _run(self, source: Path, target: Path, purpose: str) -> None:
        suffix = target.suffix.lower()
        if suffix not in (".csv", *batch.tabular.JSON_LINES):
            raise CommandError(_("OUT must end in .csv or .jsonl."))
        if not source.is_file():
            raise CommandError(_("%(path)s does not exist.") % {"path": source})
        try:
            rows = batch.read_queries(source)
        except batch.FileRefused as exc:
            raise CommandError(str(exc)) from exc
        rows = batch.match_rows(rows, actor=None, purpose=purpose)
        out_rows = batch.output_rows(rows)
        with open(target, "w", encoding="utf-8", newline="") as stream:
            if suffix == ".csv":
                batch.write_csv(out_rows, stream)
            else:
                batch.write_json_lines(out_rows, stream)
        for row in rows:
            if row.error:
                self.stderr.write(row.error)
        found = sum(1 for r in rows if r.candidates)
        errors = sum(1 for r in rows if r.error)
        self.stdout.write(_("%(rows)s rows: %(found)s with candidates, %(none)s without a "
                            "match, %(errors)s with an error. Written to %(path)s.") % {
            "rows": len(rows), "found": found, "none": len(rows) - found - errors,
            "errors": errors, "path": target})
