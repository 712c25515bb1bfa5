"""Every figure against a hand-computed fixture (`year_2025` in conftest.py):

| signal | submitted (Amsterdam) | team         | forms            | urgent | referred | informed |
| S1     | 15-01-2025 10:00      | Burgerzaken  | labour           | yes    | +2 d     | +10 d    |
| S2     | 20-01-2025 12:00      | Burgerzaken  | sexual, labour   | no     | +4 d     | +20 d    |
| S3     | 03-03-2025 12:00      | Sociaal Team | criminal         | no     | —        | —        |
| S4     | 31-12-2025 23:30      | Burgerzaken  | labour           | no     | +1.5 d   | —        |
| S5     | 01-01-2026 00:30      | (2026)       |                  |        |          |          |
| S6     | 01-06-2024            | (2024)       |                  |        |          |          |
| draft  | never submitted       |              |                  |        |          |          |

2025: 4 signals, 1 urgent; labour 3, sexual 1, criminal 1, other 0; Burgerzaken 3,
Sociaal Team 1; January 2, March 1, December 1; median to referral of 2, 4, 1.5 days
= 2.0 over 3; to informing of 10, 20 days = 15.0 over 2.
"""

from datetime import UTC, date

import pytest
from django.utils import translation

from schakel.reports import figures

from .conftest import needs_plan

pytestmark = pytest.mark.django_db


def test_total_counts_submitted_signals_of_the_year_in_local_time(year_2025):
    assert figures.signals_total(2025) == 4
    assert figures.signals_total(2026) == 1
    assert figures.signals_total(2024) == 1


def test_urgent_signals(year_2025):
    assert figures.signals_urgent(2025) == 1


def test_per_form_counts_each_form_of_a_signal(year_2025):
    counts = {code: n for code, _name, n in figures.signals_per_form(2025)}
    assert counts["labour"] == 3
    assert counts["sexual"] == 1
    assert counts["criminal"] == 1
    assert sum(counts.values()) - counts["labour"] - counts["sexual"] - counts["criminal"] == 0


def test_per_team_uses_the_reporters_team(year_2025):
    counts = dict(figures.signals_per_team(2025))
    assert counts["Burgerzaken"] == 3
    assert counts["Sociaal Team"] == 1


def test_per_month(year_2025):
    assert figures.signals_per_month(2025) == [2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]


def test_median_days_to_first_referral(year_2025):
    assert figures.median_days_to_referral(2025) == (2.0, 3)


def test_median_days_to_informing_the_reporter(year_2025):
    assert figures.median_days_to_reporter_informed(2025) == (15.0, 2)


def test_a_year_without_signals_has_no_medians(db):
    assert figures.median_days_to_referral(2020) == (None, 0)
    assert figures.signals_per_month(2020) == [0] * 12


def test_the_snapshot_hides_small_counts(year_2025):
    with translation.override("nl"):
        data = figures.council_figures(2025, 5)
    signals = data["signals"]
    assert signals["total"] == {"v": None, "s": "p"}
    assert signals["median_days_to_referral"]["v"] is None  # over fewer than 5 signals
    # 3 + 1 in two teams of a total of 4: no breakdown can protect that.
    assert signals["per_team"]["withheld"]
    assert all(r["v"] is None for r in signals["per_team"]["rows"] if r["s"])


def test_the_snapshot_with_threshold_zero_is_exact(year_2025):
    data = figures.council_figures(2025, 0)
    assert data["signals"]["total"]["v"] == 4
    assert data["signals"]["median_days_to_referral"]["v"] == 2.0
    assert [r["v"] for r in data["signals"]["per_month"]["rows"]][:3] == [2, 0, 1]


@pytest.fixture
def plan_2025(db, policy):
    from schakel.plan.models import (
        Action,
        Control,
        Meeting,
        Occurrence,
        Pillar,
        PoliceFigures,
        Training,
    )

    p1 = Pillar.objects.create(number=1, title="Voorlichten")
    p4 = Pillar.objects.create(number=4, title="Aanpak dadernetwerken")
    a = Action.objects.create(pillar=p1, code="3.1.1", title="Trainingen", schedule_text="2x")
    b = Action.objects.create(pillar=p4, code="3.4.3", title="Integrale controles",
                              schedule_text="4x per jaar")
    Action.objects.create(pillar=p4, code="3.4.9", title="Oud", schedule_text="x", active=False)
    for key, due, status in (("a1", date(2025, 3, 31), "done"), ("a2", date(2025, 9, 30),
                                                                   "planned"),
                             ("a3", date(2024, 9, 30), "done")):
        Occurrence.objects.create(action=a, key=key, period_start=due, due=due, status=status)
    for key, due, status in (("b1", date(2025, 3, 31), "done"), ("b2", date(2025, 6, 30),
                                                                   "skipped"),
                             ("b3", date(2025, 9, 30), "done"), ("b4", date(2025, 12, 31),
                                                                   "done")):
        Occurrence.objects.create(action=b, key=key, period_start=due, due=due, status=status)
    Training.objects.create(date=date(2025, 4, 1), topic="A", provider="riec",
                            participant_count=12)
    Training.objects.create(date=date(2025, 10, 1), topic="B", provider="internal",
                            participant_count=30)
    Training.objects.create(date=date(2024, 10, 1), topic="C", provider="internal",
                            participant_count=99)
    for i in range(6):
        Control.objects.create(kind="integral", date=date(2025, 2, 1 + i),
                               findings="Iets gevonden" if i < 2 else "")
    for i in range(7):
        Control.objects.create(kind="horeca", date=date(2025, 5, 1 + i))
    Control.objects.create(kind="bibob", date=date(2025, 5, 1), bibob_outcome="refused")
    Meeting.objects.create(kind="regional", date=date(2025, 1, 14))
    Meeting.objects.create(kind="regional", date=date(2025, 5, 13))
    Meeting.objects.create(kind="case", date=date(2025, 6, 1))
    Meeting.objects.create(kind="case", date=date(2024, 6, 1))
    PoliceFigures.objects.create(year=2025, area="Basisteam De Copen", reports=12, victims=3,
                                 suspects=6, investigations=2, sexual=4, labour=6, criminal=2,
                                 other=0)


@needs_plan
def test_pillars_count_the_occurrences_due_in_the_year(plan_2025):
    pillars = figures.pillar_progress(2025)
    assert [p["number"] for p in pillars] == [1, 4]
    (a,) = pillars[0]["actions"]
    # Today lies after 2025: the unmarked September moment, known before it fell due, is late.
    assert (a["planned"], a["done"], a["skipped"], a["overdue"], a["open"]) == (2, 1, 0, 1, 0)
    (b,) = pillars[1]["actions"]  # the inactive action is left out
    assert (b["planned"], b["done"], b["skipped"], b["open"]) == (4, 3, 1, 0)
    for row in (a, b):
        assert row["planned"] == sum(row[k] for k in figures.STATES)


@needs_plan
def test_trainings_and_people_reached(plan_2025):
    data = figures.trainings(2025)
    assert (data["sessions"], data["participants"], data["campaigns"]) == (2, 42, 0)
    assert data["coverage"] == {"trained": 0, "total": 0, "percent": None}


@needs_plan
def test_controls_and_findings(plan_2025):
    rows = {k: (held, found) for k, _label, held, found in figures.controls(2025)}
    assert rows == {"website": (0, 0), "integral": (6, 2), "bibob": (1, 1), "horeca": (7, 0)}


@needs_plan
def test_meetings_held(plan_2025, monkeypatch):
    from datetime import datetime

    monkeypatch.setattr("schakel.core.clock.now",
                        lambda: datetime(2025, 5, 20, tzinfo=UTC))
    rows = {k: n for k, _label, n in figures.meetings(2025)}
    assert rows == {"case": 0, "regional": 2, "partner": 0}  # June's has not been held yet


@needs_plan
def test_police_figures_are_suppressed_like_the_others(plan_2025):
    data = figures.council_figures(2025, 5)
    totals = {r["label"]: r for r in data["police"]["totals"]}
    assert [r["s"] for r in data["police"]["totals"]] == ["", "p", "", "p"]
    assert totals[str(figures._model("plan.PoliceFigures")._meta.get_field("reports")
                      .verbose_name)]["v"] == 12
    marks = [r["s"] for r in data["police"]["per_form"]["rows"]]
    assert marks[0] == "p" and marks[3] == ""  # sexual 4 hidden; other 0 shown
    assert "x" in marks  # and a partner, so 12 − shown does not give 4 away


@needs_plan
def test_controls_held_are_exact_and_their_findings_are_suppressed(plan_2025):
    data = figures.council_figures(2025, 5)
    rows = {r["label"]: r for r in data["controls"]["rows"]}
    # Controls held are the municipality's own work: exact, even the one Bibob check.
    assert [r["parent"] for r in data["controls"]["rows"]] == [
        {"v": 0, "s": ""}, {"v": 6, "s": ""}, {"v": 1, "s": ""}, {"v": 7, "s": ""}]
    assert data["controls"]["total"] == {"v": 14, "s": ""}
    # Findings are about addresses: 2 and 1 cannot be protected against their total of 3,
    # so the findings column is left out; the controls held stay.
    assert not data["controls"]["withheld"] and data["controls"]["child_withheld"]
    assert all(r["child"]["v"] in (None, 0) for r in data["controls"]["rows"])
    assert data["controls"]["total_findings"] == {"v": None, "s": "x"}
    assert rows


def _pinned(values, marks, t, total_shown):
    """Whether a hidden cell can be read off exactly from the total and the cells shown."""
    from schakel.reports import suppression as sup

    if not total_shown:
        return False
    return any(lo == hi for i, (lo, hi) in sup.intervals(values, marks, t).items()
               if marks[i] == sup.SECONDARY)


def test_an_x_never_stands_for_a_count_that_a_shown_total_gives_away():
    import itertools

    from schakel.reports import suppression as sup

    t = 5
    for values in itertools.product([0, 1, 2, 4, 5, 6, 9], repeat=3):
        values = list(values)
        protection = sup.protect(values, t)
        if protection.withheld:
            continue
        total_shown = sup.single(sum(values), t)["s"] == ""
        # An x equal to a shown total would be pinned: every other cell shown as 0.
        assert not _pinned(values, protection.marks, t, total_shown), values


@needs_plan
def test_one_finding_hides_the_findings_column_but_never_the_controls_held(db):
    from schakel.plan.models import Control

    Control.objects.create(kind="website", date=date(2025, 4, 8), findings="Advertentie")
    Control.objects.create(kind="integral", date=date(2025, 5, 1))
    data = figures.council_figures(2025, 5)
    table = data["controls"]
    assert not table["withheld"] and table["child_withheld"]
    assert [r["parent"]["v"] for r in table["rows"]][:2] == [1, 1]
    assert table["total"] == {"v": 2, "s": ""}
    assert table["total_findings"] == {"v": None, "s": "x"}
