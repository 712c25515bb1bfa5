"""Background work on Django's tasks framework (worker: `manage.py db_worker`).

`daily_job` reschedules itself for the next morning; `manage.py partners_schedule`
(run by `make run` before the worker starts) makes sure one is waiting. The same
work is `manage.py partners_daily` for cron. The delivery task lives beside the
outbox (`outbox.deliver_message`) and plans its own retries. Both are idempotent.
"""

import logging
from datetime import datetime, time, timedelta

from django.tasks import default_task_backend, task
from django.utils import timezone

from schakel.core import clock

from .jobs import run_daily
from .outbox import deliver_message  # noqa: F401 - tasks queued under this path still run

logger = logging.getLogger(__name__)

DAILY_AT = time(7, 0)


@task()
def daily_job() -> dict:
    summary = run_daily()
    schedule_daily()
    return summary


def next_run_at(now=None) -> datetime:
    now = timezone.localtime(now or clock.now())
    moment = timezone.make_aware(datetime.combine(now.date(), DAILY_AT))
    return moment if moment > now else moment + timedelta(days=1)


def schedule_daily() -> bool:
    """Enqueue the next daily job unless one is already waiting. True if one was added."""
    if not default_task_backend.supports_defer:
        return False
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: cron runs `partners_daily`
        return False
    waiting = DBTaskResult.objects.filter(task_path=daily_job.module_path, status="READY")
    if waiting.exists():
        return False
    daily_job.using(run_after=next_run_at()).enqueue()
    return True
