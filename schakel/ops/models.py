from django.db import models


class Heartbeat(models.Model):
    """The last sign of life of a background process ("worker"): one row per name.

    The task worker writes it every HEARTBEAT_SECONDS (ops/tasks.py); the readiness
    check calls the worker stopped when the row is older than a minute.
    """

    name = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"
