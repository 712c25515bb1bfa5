"""Prometheus' plain text format: counts and ages, never names."""

from django.db.models import Count

from .health import readiness


def _lines(name: str, help_text: str, samples) -> list[str]:
    out = [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
    for labels, value in samples:
        label = ",".join(f'{k}="{v}"' for k, v in labels.items())
        out.append(f"{name}{{{label}}} {value}" if label else f"{name} {value}")
    return out


def render_metrics() -> str:
    from django_tasks_db.models import DBTaskResult

    from schakel.audit.models import ChainHead
    from schakel.partners.models import OutboxMessage
    from schakel.signals.models import Signal

    report = readiness()
    checks = report["checks"]
    lines = []
    lines += _lines("schakel_ready", "1 when the database, migrations and task worker are fine.",
                    [({}, int(report["ready"]))])
    lines += _lines("schakel_check_ok", "1 per health check that passes.",
                    [({"check": name}, int(c["ok"])) for name, c in checks.items()])
    age = checks.get("worker", {}).get("heartbeat_age_seconds")
    if age is not None:
        lines += _lines("schakel_worker_heartbeat_age_seconds",
                        "Seconds since the task worker's last heartbeat.", [({}, age)])
    lines += _lines("schakel_signals", "Signals by state (destroyed ones included).",
                    [({"state": r["state"]}, r["n"]) for r in
                     Signal.objects.values("state").annotate(n=Count("id")).order_by("state")])
    lines += _lines("schakel_outbox_messages", "E-mails in the outbox by status.",
                    [({"status": r["status"]}, r["n"]) for r in
                     OutboxMessage.objects.values("status").annotate(n=Count("id"))
                     .order_by("status")])
    lines += _lines("schakel_tasks", "Background jobs by status.",
                    [({"status": r["status"]}, r["n"]) for r in
                     DBTaskResult.objects.values("status").annotate(n=Count("id"))
                     .order_by("status")])
    head = ChainHead.objects.filter(pk=1).first()
    lines += _lines("schakel_processing_records", "Records in the processing log.",
                    [({}, head.seq if head else 0)])
    return "\n".join(lines) + "\n"
