"""One archive per backup: the database, the uploaded files and a manifest.

The manifest says which version of Schakel wrote it, which migrations were applied,
how many rows each table held and the processing log's chain head at that moment.
Keys never go in: `ENCRYPTION_KEYS`, `REPORTER_LINK_KEYS`, `AUDIT_CHAIN_KEYS` (and
their generated files in DATA_DIR) are kept apart, and a restore needs them.
"""

import json
import os
import shutil
import tarfile
import tempfile
import tomllib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from schakel.audit.models import Action
from schakel.core import clock

from . import dbcopy, ledger

FORMAT = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
# Files in DATA_DIR that never go into an archive, whatever changes around them.
NEVER = {"secret_key", "encryption_keys", "reporter_link_keys", "audit_chain_keys",
         "demo_password"}


@cache
def current_version() -> str:
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def _version_key(version: str) -> tuple:
    parts = []
    for part in version.split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def _uploads_dir() -> Path:
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


def backup_create(*, target: Path) -> dict:
    """Write one archive to `target` (a .tar.gz, readable by its owner only). Returns its manifest.

    1. Copy the database consistently (dbcopy.dump): counts and chain head from the copy.
    2. Add the uploaded files (written once under random names, never changed).
    3. Write the manifest first in the archive, so `restore` reads it before anything else.
    """
    started = clock.now()
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = dbcopy.dump(Path(tmp))
        uploads = _uploads_dir()
        files = sorted(p for p in uploads.rglob("*") if p.is_file()) if uploads.exists() else []
        files = [p for p in files if p.name not in NEVER]
        manifest = {
            "format": FORMAT, "version": current_version(), "vendor": connection.vendor,
            "started_at": started.isoformat(), "finished_at": clock.now().isoformat(),
            "database": snapshot.file, "migrations": snapshot.migrations,
            "counts": snapshot.counts, "chain_head": snapshot.head, "files": len(files),
        }
        manifest_path = Path(tmp) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(manifest_path, arcname=MANIFEST)
            tar.add(Path(tmp) / snapshot.file, arcname=snapshot.file)
            for path in files:
                tar.add(path, arcname=f"{UPLOADS}/{path.relative_to(uploads).as_posix()}")
        partial.replace(target)
    _log(Action.READ, "Back-up van de database en de bijlagen",
         {"archive": target.name, "rows": sum(snapshot.counts.values()),
          "head_seq": snapshot.head["seq"]})
    return manifest


def _log(action, purpose: str, changes: dict) -> None:
    """The processing log: a backup reads, a restore writes all personal data."""
    from schakel.audit.log import log_processing
    from schakel.audit.models import Activity

    log_processing(actor=None, activity=Activity.EXPORT, action=action, purpose=purpose,
                   changes=changes, subjects=[])


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            return json.loads(member.read()) if member else {}
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise CommandError(f"{archive} is not a Schakel backup ({exc.__class__.__name__}).") \
            from None


def refusal(manifest: dict) -> str:
    """Why this code must not restore the archive; empty when it may."""
    if manifest.get("format") != FORMAT:
        return f"unknown archive format {manifest.get('format')!r}"
    theirs, ours = manifest.get("version", ""), current_version()
    if _version_key(theirs) > _version_key(ours):
        return f"the backup was made by Schakel {theirs}, newer than this {ours}: upgrade first"
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest.get("migrations", [])
               if (app, name) not in known]
    if unknown:
        return ("the backup's database has migrations this version does not know "
                f"({', '.join(unknown[:3])}): it comes from a newer version")
    return ""


def backup_restore(*, archive: Path, ledger_file: Path | None = None, log=print) -> dict:
    """Restore an archive into an empty database. Returns a summary.

    1. Refuse a newer version, or a database that is not empty.
    2. Load the database, then check every table's count and the chain head against
       the manifest (before anything changes them).
    3. Put the uploaded files back, migrate to this version.
    4. Destroy again what the destruction ledger names (destroyed after the backup).
    5. Verify the processing log's chain; any finding fails the restore.
    """
    from schakel.audit.verify import verify_chain

    manifest = read_manifest(archive)
    reason = refusal(manifest)
    if reason:
        raise CommandError(f"Not restored: {reason}.")
    if not dbcopy.is_empty():
        raise CommandError("Not restored: the database is not empty. Restore into a new, "
                           "empty database (or an empty DATA_DIR for SQLite).")
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(tmp, filter="data")
        dbcopy.load(Path(tmp) / manifest["database"])
        log(f"database loaded from {manifest['database']}")
        counts = dbcopy.counts_now(manifest["counts"].keys())
        wrong = {t: (n, counts.get(t)) for t, n in manifest["counts"].items() if counts.get(t) != n}
        if wrong:
            raise CommandError(f"Counts differ from the manifest: {sorted(wrong)[:5]}.")
        if dbcopy.head_now() != manifest["chain_head"]:
            raise CommandError("The processing log's head differs from the manifest.")
        log(f"{len(counts)} tables, {sum(counts.values())} rows: as in the manifest")
        uploaded = Path(tmp) / UPLOADS
        if uploaded.exists():
            target = _uploads_dir()
            for path in uploaded.rglob("*"):
                if path.is_file():
                    dest = target / path.relative_to(uploaded)
                    if not dest.exists():  # random names, written once: never overwrite
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        shutil.move(path, dest)
    call_command("migrate", interactive=False, verbosity=0)
    log("migrated to this version")
    ledger_at = ledger_file or ledger.ledger_path()
    if not ledger_at.exists():
        if ledger_file:
            raise CommandError(f"The destruction ledger {ledger_file} does not exist.")
        log(f"no destruction ledger at {ledger_at}: no destruction applied again "
            "(restore with --ledger when the ledger was kept elsewhere)")
    destroyed = ledger.replay(ledger_file)
    if destroyed:
        log(f"{len(destroyed)} destruction(s) from the ledger applied again")
    if connection.vendor == "sqlite":
        from schakel.privacy.completion import wal_checkpoint

        wal_checkpoint()  # no old page of the destroyed data stays in the files
    findings = verify_chain()
    if findings:
        raise CommandError(f"The processing log's chain is broken after the restore: "
                           f"{', '.join(map(str, findings[:5]))}.")
    log("processing log chain verified")
    _log(Action.CREATE, "Back-up teruggezet",
         {"backup_started_at": manifest["started_at"], "version": manifest["version"],
          "destroyed_again": len(destroyed)})
    return {"manifest": manifest, "redestroyed": destroyed}
