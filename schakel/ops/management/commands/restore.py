from pathlib import Path

from django.core.management.base import BaseCommand

from schakel.ops.backup import backup_restore


class Command(BaseCommand):
    help = ("Restore a backup into an empty database: refuses an archive from a newer version, "
            "checks the counts, migrates, destroys again what the destruction ledger names, "
            "and verifies the processing log.")

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--ledger", help="the destruction ledger to apply "
                            "(default: DESTRUCTION_LEDGER, i.e. DATA_DIR/destructions.jsonl)")

    def handle(self, *args, **options):
        ledger = Path(options["ledger"]) if options["ledger"] else None
        result = backup_restore(archive=Path(options["archive"]), ledger_file=ledger,
                                log=self.stdout.write)
        manifest = result["manifest"]
        self.stdout.write(self.style.SUCCESS(
            f"Restored the backup of {manifest['started_at']} (Schakel {manifest['version']}); "
            f"{len(result['redestroyed'])} signal(s) destroyed again from the ledger."))
