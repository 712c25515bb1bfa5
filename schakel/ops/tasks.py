"""The task worker's heartbeat: a job that writes the time and plans itself again.

While the worker runs, `Heartbeat("worker")` is at most HEARTBEAT_SECONDS (plus the
worker's polling) old; a stopped or stuck worker leaves it older than STALE_AFTER,
and /gezondheid/ready then answers 503. `manage.py ops_schedule` (run by
`scripts/serve` and the worker's systemd unit before the worker starts) plants the
first one; the job keeps a single one waiting. Each beat also chains the processing
records still waiting for the sequencer, and tells the officers of submitted signals
nobody told them of (a web process that died, a mail server that was down).
"""

from datetime import timedelta

from django.tasks import task

from schakel.core import clock

HEARTBEAT_SECONDS = 30
STALE_AFTER = timedelta(minutes=1)
# Finished heartbeat jobs are removed after this, so they do not fill the task table.
KEEP_FINISHED = timedelta(hours=1)


def _path() -> str:
    return f"{worker_heartbeat.func.__module__}.{worker_heartbeat.func.__qualname__}"


def schedule_heartbeat(*, delay: timedelta = timedelta(0)) -> bool:
    """Plan the next heartbeat unless one is waiting. True when planned."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: no worker to watch
        return False
    if DBTaskResult.objects.filter(task_path=_path(), status="READY").exists():
        return False
    worker_heartbeat.using(run_after=clock.now() + delay).enqueue()
    return True


@task()
def worker_heartbeat() -> None:
    from django_tasks_db.models import DBTaskResult

    from schakel.audit.sequencer import chain_all
    from schakel.signals.notifications import announce_new_signals

    from .models import Heartbeat

    now = clock.now()
    Heartbeat.objects.update_or_create(name="worker", defaults={"at": now})
    # The processing log's backstop: records whose writer died between commit and
    # chaining are chained within a heartbeat (audit/sequencer.py).
    chain_all()
    # And the officers' notice of signals whose web process died before it told them.
    announce_new_signals()
    DBTaskResult.objects.filter(task_path=_path(), status="SUCCESSFUL",
                                finished_at__lt=now - KEEP_FINISHED).delete()
    schedule_heartbeat(delay=timedelta(seconds=HEARTBEAT_SECONDS))
