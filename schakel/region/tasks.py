"""The region's fetch in the task worker: on a schedule, and when someone asks for it.

`scheduled_fetch` runs every REGION_FETCH_HOURS and plans its next run; `manage.py
region_schedule` (run by `scripts/serve`) makes sure one waits, on the region's
installation only. `fetch_now` is what the button on the regional page queues. Both
are idempotent: a fetch replaces the last share with the newest.
"""

from datetime import timedelta

from django.conf import settings
from django.tasks import default_task_backend, task

from schakel.core import clock

from .fetch import fetch_all


@task()
def scheduled_fetch() -> dict:
    result = fetch_all()
    schedule_fetch()
    return result


@task()
def fetch_now() -> dict:
    return fetch_all()


def _waiting(task_obj):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task_obj.module_path, status="READY")


def schedule_fetch() -> bool:
    """Plan the next scheduled fetch unless one waits already. True if one was added."""
    if not settings.SCHAKEL.get("REGION") or not default_task_backend.supports_defer:
        return False
    try:
        if _waiting(scheduled_fetch).exists():
            return False
    except ImportError:  # another backend: cron runs `region_fetch`
        return False
    hours = settings.SCHAKEL.get("REGION_FETCH_HOURS", 6)
    scheduled_fetch.using(run_after=clock.now() + timedelta(hours=hours)).enqueue()
    return True


def request_fetch() -> bool:
    """The button: queue a fetch now unless one waits already. True if one was queued."""
    try:
        if _waiting(fetch_now).exists():
            return False
    except ImportError:
        pass
    fetch_now.enqueue()
    return True
