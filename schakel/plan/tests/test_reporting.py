"""The plan's yearly figures for the council report: counts only, in fixed queries."""

from datetime import date

from schakel.plan.models import Control, ControlKind, Meeting, MeetingKind, PoliceFigures, Training
from schakel.plan.reporting import year_summary


def test_the_year_summary_counts_what_was_planned_done_and_recorded(
        plan, officer, django_assert_max_num_queries):
    occ = plan["3.4.3"].occurrences.get(key="2026-p2")
    occ.status = "done"
    occ.save()
    Training.objects.create(date=date(2026, 3, 1), topic="T", provider="riec",
                            participant_count=12)
    Control.objects.create(kind=ControlKind.BIBOB, date=date(2026, 2, 1))
    Meeting.objects.create(kind=MeetingKind.REGIONAL, date=date(2026, 1, 13))
    PoliceFigures.objects.create(year=2026, victims=4, labour=2)
    with django_assert_max_num_queries(10):
        summary = year_summary(2026)
    pillar4 = summary["pillars"][3]
    assert pillar4["number"] == 4 and pillar4["done"] == 1 and pillar4["planned"] >= 2
    assert summary["trainings"] == {"sessions": 1, "participants": 12}
    assert summary["controls"]["bibob"] == 1 and summary["meetings"]["regional"] == 1
    assert summary["police_figures"]["victims"] == 4
    assert len(summary["pillars"]) == 5
