"""The plan's figures for one year, for the council report (§3.5): counts only, no names.

`year_summary(year)` answers in a fixed number of queries whatever the data size.
"""

from datetime import date

from django.db.models import Count, F, Q, Sum

from schakel.core import clock

from .coverage import coverage
from .models import (
    Campaign,
    Control,
    ControlKind,
    Meeting,
    MeetingKind,
    Occurrence,
    OccurrenceStatus,
    Pillar,
    PoliceFigures,
    Training,
)


def year_summary(year: int) -> dict:
    start, end = date(year, 1, 1), date(year, 12, 31)
    today = clock.now().date()
    pillars = Pillar.objects.annotate(
        planned=Count("actions__occurrences", filter=Q(
            actions__occurrences__due__range=(start, end))),
        done=Count("actions__occurrences", filter=Q(
            actions__occurrences__due__range=(start, end),
            actions__occurrences__status=OccurrenceStatus.DONE)),
        skipped=Count("actions__occurrences", filter=Q(
            actions__occurrences__due__range=(start, end),
            actions__occurrences__status=OccurrenceStatus.SKIPPED)),
        overdue=Count("actions__occurrences", filter=Q(
            actions__occurrences__due__range=(start, min(end, today)),
            actions__occurrences__due__lt=today,
            # Late only when known before it fell due (see OccurrenceState).
            actions__occurrences__due__gte=F("actions__occurrences__known_since"),
            actions__occurrences__status=OccurrenceStatus.PLANNED)),
    ).order_by("number")
    trainings = Training.objects.filter(date__range=(start, end)).aggregate(
        sessions=Count("id"), participants=Sum("participant_count"))
    controls = dict(Control.objects.filter(date__range=(start, end)).values_list("kind")
                    .annotate(n=Count("id")).values_list("kind", "n"))
    meetings = dict(Meeting.objects.filter(date__range=(start, end)).values_list("kind")
                    .annotate(n=Count("id")).values_list("kind", "n"))
    figures = PoliceFigures.objects.filter(year=year).values(
        "area", "reports", "victims", "suspects", "investigations", "sexual", "labour",
        "criminal", "other").first()
    reach = coverage(min(end, today))
    return {
        "year": year,
        "pillars": [{"number": p.number, "title": p.title, "planned": p.planned, "done": p.done,
                     "skipped": p.skipped, "overdue": p.overdue} for p in pillars],
        "trainings": {"sessions": trainings["sessions"],
                      "participants": trainings["participants"] or 0},
        "campaigns": Campaign.objects.filter(starts_on__range=(start, end)).count(),
        "controls": {kind: controls.get(kind, 0) for kind in ControlKind.values},
        "meetings": {kind: meetings.get(kind, 0) for kind in MeetingKind.values},
        "police_figures": figures,
        "coverage": {"trained": reach["trained_total"], "total": reach["total"],
                     "percent": reach["percent"]},
        "occurrences_total": Occurrence.objects.filter(due__range=(start, end)).count(),
    }
