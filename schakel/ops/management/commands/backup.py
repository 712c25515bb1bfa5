from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from schakel.core import clock
from schakel.ops.backup import backup_create


class Command(BaseCommand):
    help = ("Write a consistent backup while Schakel runs: the database and the uploaded files "
            "in one archive with a manifest. Encryption keys are never in it.")

    def add_arguments(self, parser):
        parser.add_argument("--out", help="the archive to write (default: "
                            "DATA_DIR/backups/schakel-<time>.tar.gz)")

    def handle(self, *args, **options):
        out = options["out"]
        if not out:
            stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
            out = settings.DATA_DIR / "backups" / f"schakel-{stamp}.tar.gz"
        manifest = backup_create(target=Path(out))
        self.stdout.write(f"Backup written to {out}: Schakel {manifest['version']}, "
                          f"{sum(manifest['counts'].values())} rows in "
                          f"{len(manifest['counts'])} tables, {manifest['files']} files, "
                          f"processing log head #{manifest['chain_head']['seq']}.")
