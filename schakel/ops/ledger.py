"""The destruction ledger: which signals were destroyed, kept outside the database.

A backup is a copy of the past. Restoring one taken before a destruction would bring
the destroyed names and texts back. So every destruction also appends one line to a
file beside the database (`DESTRUCTION_LEDGER`, default `DATA_DIR/destructions.jsonl`)
that neither a backup nor a restore writes: the signal's reference and id, the
certificate's number and the time; no personal data. After a restore, `replay`
destroys again every signal the ledger names that is not destroyed in the restored
database (`manage.py restore` does this by itself).
"""

import contextvars
import json
import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction

from schakel.core import clock

logger = logging.getLogger(__name__)

# Set while `replay` destroys: those destructions are already in the ledger.
_replaying = contextvars.ContextVar("schakel_ledger_replaying", default=False)


def ledger_path() -> Path:
    return Path(getattr(settings, "DESTRUCTION_LEDGER", "") or
                settings.DATA_DIR / "destructions.jsonl")


def append(entry: dict, path: Path | None = None) -> None:
    """Append one line and force it to disk (a destruction must not be forgotten)."""
    path = path or ledger_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(entry, sort_keys=True) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def entries(path: Path | None = None) -> list[dict]:
    """Every line of the ledger; a damaged line is skipped with a warning."""
    path = path or ledger_path()
    if not path.exists():
        return []
    found = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            found.append(json.loads(line))
        except ValueError:
            logger.warning("destruction ledger line %s is damaged and skipped", number)
    return found


def record_destruction(signal) -> None:
    """DESTROY_HOOKS member: after the destruction commits, append it to the ledger."""
    if _replaying.get():
        return
    signal_id, reference = signal.pk, signal.reference

    def write():
        from schakel.privacy.models import DestructionItem

        item = (DestructionItem.objects.filter(signal_id=signal_id, certificate__isnull=False)
                .select_related("certificate").order_by("-decided_at").first())
        try:
            append({"signal": signal_id, "reference": reference,
                    "certificate": item.certificate.number if item else "",
                    "at": clock.now().isoformat()})
        except OSError as exc:
            logger.error("destruction of signal %s not written to the ledger (%s)",
                         signal_id, exc.__class__.__name__)

    transaction.on_commit(write)


def replay(path: Path | None = None) -> list[str]:
    """Destroy again what the ledger names and the database still holds. Returns references.

    1. For each ledger line, the signal with that id and reference that is not destroyed.
    2. `signal_destroy` removes its data (a processing record without an actor says so);
       a destruction item still open for it is closed with the certificate's number.
    """
    from schakel.privacy.models import DestructionItem, DestructionStatus
    from schakel.privacy.retention import signal_destroy
    from schakel.signals.models import Signal

    done = []
    token = _replaying.set(True)
    try:
        for entry in entries(path):
            signal = Signal.objects.filter(pk=entry.get("signal"), reference=entry.get("reference"),
                                           destroyed_at__isnull=True).first()
            if signal is None:
                continue
            with transaction.atomic():
                signal_destroy(signal=signal, actor=None)
                DestructionItem.objects.filter(signal=signal).exclude(
                    status=DestructionStatus.DESTROYED).update(
                    status=DestructionStatus.DESTROYED, decided_at=clock.now(),
                    reason=f"Opnieuw vernietigd na het terugzetten van een back-up "
                           f"(verklaring {entry.get('certificate') or 'onbekend'}).")
            done.append(signal.reference)
    finally:
        _replaying.reset(token)
    return done
