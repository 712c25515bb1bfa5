"""Searching the processing log: one set of filters for the page and the API."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from .models import ProcessingRecord
from .references import resolve_reference


def search_records(data: dict):
    """The processing records a log search asks for (the page and the API share it).

    `data` is a valid `LogSearchForm`'s cleaned data. Every filter has its index in the
    log's order: the record's actor, data subject and object (copies of the event's).
    Records the sequencer has not chained yet (milliseconds after their commit) have no
    number to page by and are left out.
    """
    records = ProcessingRecord.objects.filter(seq__isnull=False).select_related("audit")
    if data["reference"]:
        object_type, object_id = resolve_reference(data["reference"]) or ("-", "-")
        records = records.filter(object_type=object_type, object_id=object_id)
    if data["user"]:
        records = records.filter(actor_pk=data["user"].pk)
    if data["subject"]:
        records = records.filter(data_subject=str(data["subject"]))
    tz = timezone.get_current_timezone()
    if data["date_from"]:
        records = records.filter(
            ended_at__gte=datetime.combine(data["date_from"], time.min, tzinfo=tz))
    if data["date_to"]:
        records = records.filter(
            ended_at__lt=datetime.combine(data["date_to"] + timedelta(days=1), time.min,
                                          tzinfo=tz))
    return records
