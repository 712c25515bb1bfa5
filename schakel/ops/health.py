"""What /gezondheid/ready and the administrator's home page report: counts and ages only.

Each check gives `ok` and a few numbers; never a name, an address or a text. The
critical checks (database, migrations, worker) decide readiness (503 when one fails);
the others (outbox, retention scan, audit anchor) make the status "degraded" so a
monitor can alert without a load balancer taking Schakel out of service.
"""

import functools
from datetime import timedelta

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from schakel.core import clock

from .tasks import STALE_AFTER

CRITICAL = ("database", "migrations", "worker")
OUTBOX_LATE = timedelta(minutes=30)      # a waiting e-mail older than this: mail is stuck
RETENTION_LATE = timedelta(days=35)      # the monthly scan did not run
ANCHOR_LATE = timedelta(days=2)          # the daily anchor did not run
VERIFY_LATE = timedelta(days=8)          # audit_verify runs daily or weekly from cron
BUSY_LIMIT = timedelta(minutes=30)       # one job longer than this: the worker is stuck


def _age(at, now) -> int | None:
    return int((now - at).total_seconds()) if at else None


def check_database(now) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True, "vendor": connection.vendor}


@functools.cache
def _migrations_on_disk() -> frozenset:
    """Every migration this code has (read once per process: the code does not change
    while it runs; building the graph cost 6 ms on every administrator's page)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def check_migrations(now) -> dict:
    applied = MigrationRecorder(connection).applied_migrations()
    unapplied = _migrations_on_disk() - set(applied)
    return {"ok": not unapplied, "unapplied": len(unapplied)}


def check_worker(now) -> dict:
    """Alive: a heartbeat within the last minute, or busy with one long job (an import,
    a report) that started less than BUSY_LIMIT ago; the worker runs one job at a time,
    so the heartbeat waits behind it."""
    from django_tasks_db.models import DBTaskResult

    from .models import Heartbeat
    from .tasks import worker_heartbeat

    beat = Heartbeat.objects.filter(name="worker").first()
    age = _age(beat.at if beat else None, now)
    heartbeat_path = f"{worker_heartbeat.func.__module__}.{worker_heartbeat.func.__qualname__}"
    running = (DBTaskResult.objects.filter(status="RUNNING", started_at__gte=now - BUSY_LIMIT)
               .exclude(task_path=heartbeat_path).order_by("started_at")
               .values_list("started_at", flat=True).first())
    busy = _age(running, now)
    return {"ok": (age is not None and age <= STALE_AFTER.total_seconds()) or busy is not None,
            "heartbeat_age_seconds": age, "busy_seconds": busy}


def check_outbox(now) -> dict:
    from schakel.partners.models import MessageStatus, OutboxMessage

    waiting = OutboxMessage.objects.filter(status__in=(MessageStatus.PENDING,
                                                       MessageStatus.FAILED),
                                           gave_up_at__isnull=True)
    oldest = waiting.order_by("created_at").values_list("created_at", flat=True).first()
    stopped = OutboxMessage.objects.filter(status=MessageStatus.FAILED,
                                           gave_up_at__isnull=False).count()
    age = _age(oldest, now)
    return {"ok": (age is None or age <= OUTBOX_LATE.total_seconds()) and not stopped,
            "waiting": waiting.count(), "oldest_waiting_age_seconds": age,
            "given_up": stopped}


def check_retention(now) -> dict:
    from django_tasks_db.models import DBTaskResult

    from schakel.privacy.tasks import retention_scan_task

    path = f"{retention_scan_task.func.__module__}.{retention_scan_task.func.__qualname__}"
    rows = DBTaskResult.objects.filter(task_path=path)
    last = (rows.filter(status="SUCCESSFUL").order_by("-finished_at")
            .values_list("finished_at", flat=True).first())
    planned = rows.filter(status="READY").values_list("run_after", flat=True).first()
    age = _age(last, now)
    recent = age is not None and age <= RETENTION_LATE.total_seconds()
    return {"ok": planned is not None or recent,
            "last_run_age_seconds": age, "next_run": planned.isoformat() if planned else None}


def check_audit(now) -> dict:
    """The daily anchor ran, and the last `audit_verify` was recent and found nothing."""
    from schakel.audit.models import ChainAnchor, ChainCheck, ChainHead

    anchor = ChainAnchor.objects.order_by("-at").first()
    head = ChainHead.objects.filter(pk=1).first()
    check = ChainCheck.objects.order_by("-at").first()
    age = _age(anchor.at if anchor else None, now)
    verified_age = _age(check.at if check else None, now)
    verified = check is not None and check.findings == 0 and \
        verified_age <= VERIFY_LATE.total_seconds()
    return {"ok": age is not None and age <= ANCHOR_LATE.total_seconds() and verified,
            "last_anchor_age_seconds": age, "last_anchor_seq": anchor.seq if anchor else None,
            "head_seq": head.seq if head else 0,
            "last_verification_age_seconds": verified_age,
            "last_verification_findings": check.findings if check else None}


CHECKS = {"database": check_database, "migrations": check_migrations, "worker": check_worker,
          "outbox": check_outbox, "retention": check_retention, "audit": check_audit}


def readiness() -> dict:
    """Every check; a check that raises counts as failed (its error class, no message)."""
    now = clock.now()
    checks = {}
    for name, check in CHECKS.items():
        try:
            checks[name] = check(now)
        except Exception as exc:  # noqa: BLE001 - report the class, never crash
            checks[name] = {"ok": False, "error": exc.__class__.__name__}
        if name == "database" and not checks[name]["ok"]:
            break
    ready = all(checks.get(name, {"ok": False})["ok"] for name in CRITICAL)
    status = "ok" if ready and all(c["ok"] for c in checks.values()) else \
        "degraded" if ready else "unavailable"
    return {"status": status, "ready": ready, "at": now.isoformat(), "checks": checks}
