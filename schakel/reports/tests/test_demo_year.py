"""A fresh demo on 29 November 2026, walked action by action: the action plan shows every
2026 moment of the plan, and the council report's figures agree with the plan and with its
own sections on meetings, controls, trainings and campaigns."""

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from schakel.plan import schedule as sched
from schakel.plan.models import Action, Meeting, Occurrence
from schakel.reports import figures as fig
from schakel.reports.models import Report

YEAR = 2026
DEMO_TODAY = datetime(YEAR, 11, 29, 11, 0, tzinfo=UTC)

# Which records of a section hold the moments of which kind of action.
SECTIONS = {
    "regional_meeting": ("meetings", "regional"),
    "partner_meeting": ("meetings", "partner"),
    "website_check": ("controls", "website"),
    "integral_control": ("controls", "integral"),
    "training": ("trainings", None),
    "campaign": ("campaigns", None),
}


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setattr("schakel.core.clock.now", lambda: DEMO_TODAY)
    call_command("demo", quiet=True)
    return {a.code: a for a in Action.objects.filter(active=True)}


@pytest.fixture
def report_figures(demo):
    return fig.council_figures(YEAR)


def _actions(f):
    return {a["code"]: a for p in f["pillars"] for a in p["actions"]}


def test_the_action_plan_has_every_moment_the_plan_schedules_for_the_year(demo):
    for code, action in demo.items():
        expected = {p.key for p in sched.occurrences(sched.parse(action.schedule_text), YEAR,
                                                     YEAR)}
        have = set(action.occurrences.filter(key__in=expected).values_list("key", flat=True))
        assert have == expected, code


def test_the_report_plans_what_the_plan_says_action_by_action(report_figures):
    rows = _actions(report_figures)
    assert {c: rows[c]["planned"] for c in ("3.3.1", "3.3.2", "3.3.4", "3.4.1", "3.4.3")} == {
        "3.3.1": 3, "3.3.2": 4, "3.3.4": 1, "3.4.1": 2, "3.4.3": 4}
    for code, row in rows.items():
        assert row["planned"] == sum(row[s] for s in fig.STATES), code
    # 3.5.2: the plan gives no date, so it is open without one and never overdue.
    assert rows["3.5.2"]["undated"] and rows["3.5.2"]["open"] == 1
    assert rows["3.5.2"]["overdue"] == 0


def test_the_demo_year_shows_every_state(report_figures):
    rows = _actions(report_figures)
    assert (rows["3.3.1"]["done"], rows["3.3.1"]["not_recorded"]) == (2, 1)
    assert (rows["3.3.2"]["done"], rows["3.3.2"]["skipped"], rows["3.3.2"]["open"]) == (2, 1, 1)
    assert (rows["3.4.3"]["done"], rows["3.4.3"]["open"]) == (3, 1)
    assert rows["3.4.1"]["done"] == 2 and rows["3.3.4"]["done"] == 1


def test_every_section_agrees_with_the_moments_it_held(demo, report_figures):
    f = fig.council_figures(YEAR, 0)
    rows = _actions(f)
    meetings = {k: n for k, _l, n in fig.meetings(YEAR)}
    controls = {k: held for k, _l, held, _found in fig.controls(YEAR)}
    section = {"meetings": meetings, "controls": controls,
               "trainings": {None: f["trainings"]["sessions"]},
               "campaigns": {None: f["trainings"]["campaigns"]}}
    for kind, (name, sub) in SECTIONS.items():
        held = sum(rows[c]["done"] for c, a in demo.items() if a.kind == kind)
        assert section[name][sub] == held, kind
    # The report shows the same numbers (activity counts are exact at any threshold).
    shown = {r["label"]: r["v"] for r in report_figures["meetings"]}
    assert sum(shown.values()) == sum(meetings.values())
    assert report_figures["controls"]["total"]["v"] == sum(controls.values())
    # And every past meeting of the plan is linked to its moment.
    assert not Meeting.objects.filter(date__year=YEAR, date__lte=DEMO_TODAY.date(),
                                      occurrence__isnull=True).exclude(kind="case").exists()


def test_open_and_overdue_actions_are_listed_with_who_answers_for_them(report_figures):
    mention = report_figures["mention"]
    open_codes = {a["code"] for a in mention["open"]}
    assert {"3.5.2", "3.4.3", "3.3.2", "3.5.1"} <= open_codes
    assert all(a["owner"] for a in mention["open"] + mention["overdue"])
    # Loaded today: nothing fell due while the plan was in the app.
    assert mention["overdue"] == []


def test_the_demo_draft_is_this_years_report_and_its_document_lists_the_actions(demo):
    report = Report.objects.get(year=YEAR)
    rows = _actions(report.figures)
    assert rows["3.3.1"]["done"] == 2
    html = bytes(report.files.get(format="html").content).decode()
    assert "3.5.2" in html and "Niet vastgelegd" in html and "geen datum" in html


def test_the_action_plan_page_shows_the_moments_and_their_states(demo, client):
    from schakel.accounts.models import User

    client.force_login(User.objects.get(username="aandachtsfunctionaris"))
    body = client.get(reverse("plan:action", args=[demo["3.3.1"].pk])).content.decode()
    for day in ("13 januari 2026", "12 mei 2026", "8 september 2026"):
        assert day in body
    assert "niet vastgelegd" in body and "uitgevoerd" in body
    overview = client.get(reverse("plan:overview")).content.decode()
    assert 'id="h-not-recorded"' in overview
    sep = Occurrence.objects.get(action=demo["3.3.1"], key=f"{YEAR}-m09")
    assert sep.due == date(YEAR, 9, 8) and sep.state == "not_recorded"


def test_the_dashboard_points_at_the_moments_still_to_record(demo, client):
    from schakel.accounts.models import User

    client.force_login(User.objects.get(username="beleid"))
    body = client.get(reverse("reports:dashboard")).content.decode()
    count = Occurrence.objects.not_recorded(DEMO_TODAY.date()).count()
    assert count and f"{count} momenten waren al voorbij" in body
    assert "0 geplande momenten zijn over de datum" in body  # loaded today: none late
