"""A destruction is complete only when the database files hold no old copy.

Deleting rows is not enough on SQLite. With `secure_delete` the new, blanked pages
go to the write-ahead log (WAL); the database file keeps the old pages, and the WAL
keeps earlier frames, until a checkpoint folds the log in. A TRUNCATE checkpoint
cannot finish while any connection still holds a read transaction (it may still
need those old pages), and then the names and notes stay readable in the files.

So a certificate starts "pending checkpoint". After the destruction commits we try
`PRAGMA wal_checkpoint(TRUNCATE)` once, waiting at most a second; when a reader
holds it, the task worker tries again (`destruction_checkpoint_task`, which plans
itself again with a growing pause) and only a checkpoint that succeeded marks the
certificates complete. PostgreSQL has no such log of old page images that this
app could fold in: there the destruction is complete when it commits (dead row
versions are reclaimed by autovacuum; see the README).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.tasks import task

from schakel.core import clock

from .models import DestructionCertificate

logger = logging.getLogger(__name__)

# How long one attempt may wait for readers to finish, in milliseconds.
ATTEMPT_WAIT_MS = 1000
# Pause before the worker's next attempt: doubling from one minute to one hour.
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)


def wal_checkpoint() -> bool:
    """Fold the SQLite WAL into the database file and truncate it. True when it succeeded.

    Always True on other databases; False inside a transaction (nothing can be
    folded in before it commits).
    """
    if connection.vendor != "sqlite":
        return True
    if connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA busy_timeout = {ATTEMPT_WAIT_MS}")
        try:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _log_frames, _done = cursor.fetchone()
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(previous)}")
    return busy == 0


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * (2 ** min(max(attempts - 1, 0), 16)), LONGEST_RETRY)


def destruction_complete_pending() -> int:
    """Try to finish every pending destruction. Returns how many are still pending.

    1. Nothing pending: nothing to do (idempotent).
    2. Checkpoint; when a reader blocks it, count the attempt and stop.
    3. Mark the pending certificates complete and draw their PDFs again, now
       saying when the destruction was completed.
    """
    pending = list(DestructionCertificate.objects.filter(completed_at__isnull=True)
                   .defer("pdf"))
    if not pending:
        return 0
    if not wal_checkpoint():
        DestructionCertificate.objects.filter(pk__in=[c.pk for c in pending]).update(
            checkpoint_attempts=F("checkpoint_attempts") + 1)
        logger.info("Destruction pending: a reader holds the database log (%d certificate(s)).",
                    len(pending))
        return len(pending)
    now = clock.now()
    for certificate in pending:
        with transaction.atomic():
            certificate.completed_at = now
            certificate.pdf = render_certificate(certificate)
            certificate.save(update_fields=["completed_at", "pdf"])
    logger.info("Destruction completed: %d certificate(s).", len(pending))
    return 0


def render_certificate(certificate) -> bytes:
    """The certificate as a tagged PDF, in the installation's language."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from schakel.core import pdf

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("privacy/certificate.html", {
            "certificate": certificate,
            "items": certificate.items.order_by("reference"),
            "municipality": settings.SCHAKEL["MUNICIPALITY"],
        })
    return pdf.render_pdf(html)


@task()
def destruction_checkpoint_task() -> int:
    """Try again to complete pending destructions; plan the next try while any remain."""
    remaining = destruction_complete_pending()
    if remaining:
        schedule_checkpoint()
    return remaining


def schedule_checkpoint() -> bool:
    """Enqueue the next attempt unless one is already waiting. True if one was added."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=destruction_checkpoint_task.module_path,
                                          status="READY")
    if waiting.exists():
        return False
    attempts = max(DestructionCertificate.objects.filter(completed_at__isnull=True)
                   .values_list("checkpoint_attempts", flat=True), default=0)
    destruction_checkpoint_task.using(
        run_after=clock.now() + retry_delay(attempts)).enqueue()
    return True


def destruction_finish() -> bool:
    """After a destruction commits: complete it now or leave it to the worker. True if complete."""
    remaining = destruction_complete_pending()
    if remaining:
        schedule_checkpoint()
    return remaining == 0
