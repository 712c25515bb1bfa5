"""Background jobs of the privacy app on Django's tasks framework (django-tasks-db worker)."""

from datetime import datetime, time

from django.tasks import task
from django.utils import timezone

from schakel.core import clock


def first_of_next_month(now: datetime) -> datetime:
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return datetime.combine(now.date().replace(year=year, month=month, day=1), time(3, 0),
                            tzinfo=timezone.get_current_timezone())


def schedule_monthly_retention_scan() -> bool:
    """Enqueue the next monthly scan unless one is already waiting. Returns True if enqueued."""
    from django_tasks_db.models import DBTaskResult

    path = f"{retention_scan_task.func.__module__}.{retention_scan_task.func.__qualname__}"
    if DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        return False
    retention_scan_task.using(run_after=first_of_next_month(clock.now())).enqueue()
    return True


@task()
def retention_scan_task() -> int:
    """Monthly: put what is due on the destruction list, then plan the next run."""
    from .retention import retention_scan

    added = retention_scan()
    schedule_monthly_retention_scan()
    return added
