"""Import a CSV or XLSX file into a data set of the register, as the import page does.

    manage.py register_import FILE --source NAME [--kind person|organisation|address]
        [--create --owner TEXT [--confidentiality internal|confidential|secret]]

The same steps as the page: the file is read within the limits, its columns are
guessed from their (Dutch) names, every row is checked, and only a file without
errors is imported, in one transaction, logged in the processing log. A source that
does not exist is created only with --create (and --owner).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from schakel.signals.models import SubjectKind
from schakel.subjects import actions, importer
from schakel.subjects.models import Confidentiality, ImportState, Source


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV or XLSX file; the first row holds column names")
        parser.add_argument("--source", required=True, help="name of the data set")
        parser.add_argument("--kind", choices=SubjectKind.values, default=SubjectKind.PERSON,
                            help="what each row is (default: person)")
        parser.add_argument("--create", action="store_true",
                            help="create the data set when it does not exist")
        parser.add_argument("--owner", default="", help="owner of a data set made by --create")
        parser.add_argument("--confidentiality", choices=Confidentiality.values,
                            default=Confidentiality.CONFIDENTIAL)

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            self._run(Path(options["file"]), options)

    def _source(self, options) -> Source:
        source = Source.objects.filter(name=options["source"]).first()
        if source is not None:
            if source.code == Source.SIGNALS:
                raise CommandError(_("Nothing is imported into the data set of the signals."))
            return source
        if not options["create"]:
            raise CommandError(_("Data set “%(name)s” does not exist. Give --create and "
                                 "--owner to create it.") % {"name": options["source"]})
        if not options["owner"].strip():
            raise CommandError(_("Say with --owner who is responsible for the new data set."))
        return actions.source_create(actor=None, values={
            "name": options["source"][:200], "owner": options["owner"].strip()[:200],
            "confidentiality": options["confidentiality"]})

    def _run(self, path: Path, options) -> None:
        if not path.is_file():
            raise CommandError(_("%(path)s does not exist.") % {"path": path})
        if path.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError(_("Choose a .csv or .xlsx file."))
        source = self._source(options)
        try:
            prepared = importer.prepare_file(path)
        except importer.ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        run = importer.import_start(actor=None, source=source, file_name=path.name,
                                    prepared=prepared, kind=options["kind"])
        try:
            self._check_and_commit(run)
        finally:
            importer.discard(run)

    def _check_and_commit(self, run) -> None:
        if not run.mapping:
            raise CommandError(_("No column name recognised; use e.g. Naam, Geboortedatum, "
                                 "Straat, Huisnummer, Postcode, Plaats, KvK."))
        columns = ", ".join(f"{run.columns[i]} → {field}" for field, i in run.mapping.items())
        self.stdout.write(_("Columns: %(columns)s") % {"columns": columns})
        run.state = ImportState.CHECKING
        while run.state == ImportState.CHECKING:
            importer.import_check(run=run)
        if run.error_count:
            for error in run.errors:
                self.stderr.write(error)
            run.state = ImportState.FAILED
            run.save(update_fields=["state"])
            raise CommandError(_("%(count)s error(s): nothing was imported.")
                               % {"count": run.error_count})
        try:
            importer.import_commit(actor=None, run=run)
        except importer.ImportFileError as exc:
            run.state = ImportState.FAILED
            run.save(update_fields=["state"])
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Imported into “%(source)s”: %(created)s new, %(updated)s "
                            "updated, %(unchanged)s unchanged.") % {
            "source": run.source.name, "created": run.created, "updated": run.updated,
            "unchanged": run.unchanged})
