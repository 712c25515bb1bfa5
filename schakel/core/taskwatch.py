"""Keeping the background work going: retry a failed job, recover after a crash, and
tell the administrator.

- A job that fails is planned again, TASK_RETRY_ATTEMPTS times within a day, after
  RETRY_DELAYS (1, 5, 30 minutes…), with the same arguments. Every failure stays in
  the task table, so the administrator's home page lists it.
- A worker that dies (e.g. "database is locked" when a long write holds SQLite)
  leaves its job RUNNING; `manage.py tasks_recover` (run by `scripts/serve` before it
  starts a worker again) puts such jobs back in the queue. Only one worker runs per
  installation, so a job RUNNING while no worker runs was orphaned.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.tasks import TaskResultStatus

from schakel.core import clock

logger = logging.getLogger("schakel.tasks")

RETRY_DELAYS = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                timedelta(hours=2)]


def _db_rows():
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: cron runs the commands instead
        return None
    return DBTaskResult


def retry_failed(sender=None, task_result=None, **kwargs) -> bool:
    """task_finished receiver: plan a failed job again unless it failed often today."""
    DBTaskResult = _db_rows()
    if task_result is None or DBTaskResult is None or \
            task_result.status != TaskResultStatus.FAILED:
        return False
    try:  # a job of another backend (the immediate one in tests) has no row
        row = DBTaskResult.objects.filter(pk=uuid.UUID(str(task_result.id))).first()
    except ValueError:
        row = None
    if row is None:
        return False
    since = clock.now() - timedelta(days=1)
    failures = sum(1 for other in DBTaskResult.objects.filter(
        task_path=row.task_path, status=TaskResultStatus.FAILED, finished_at__gte=since)
        .only("args_kwargs")[:100] if other.args_kwargs == row.args_kwargs)
    if failures > settings.TASK_RETRY_ATTEMPTS:
        logger.error("task %s failed %s times today: not retried again", row.task_name,
                     failures)
        return False
    delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS)) - 1]
    task_result.task.using(run_after=clock.now() + delay).enqueue(
        *task_result.args, **task_result.kwargs)
    logger.warning("task %s failed (%s); retry %s in %s", row.task_name,
                   row.exception_class_path.rsplit(".", 1)[-1], failures, delay)
    return True


def recover_orphans() -> int:
    """Put jobs left RUNNING by a worker that died back in the queue. Returns how many."""
    DBTaskResult = _db_rows()
    if DBTaskResult is None:
        return 0
    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None)


def overview(days: int = 7) -> dict:
    """For the administrator's home page: failures of the last days and what waits."""
    DBTaskResult = _db_rows()
    if DBTaskResult is None:
        return {"failed": [], "waiting": []}
    since = clock.now() - timedelta(days=days)
    failed = list(DBTaskResult.objects.filter(status=TaskResultStatus.FAILED,
                                              finished_at__gte=since)
                  .order_by("-finished_at")
                  .only("task_path", "finished_at", "exception_class_path")[:20])
    waiting = list(DBTaskResult.objects.filter(status=TaskResultStatus.READY)
                   .order_by("run_after").only("task_path", "run_after")[:20])
    return {"failed": [{"name": r.task_path.rsplit(".", 1)[-1], "at": r.finished_at,
                        "error": r.exception_class_path.rsplit(".", 1)[-1]} for r in failed],
            "waiting": [{"name": r.task_path.rsplit(".", 1)[-1], "at": r.run_after}
                        for r in waiting]}
