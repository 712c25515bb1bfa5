"""The one clock of the application. Tests replace `now` instead of sleeping."""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()
