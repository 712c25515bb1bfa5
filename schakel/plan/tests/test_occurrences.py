"""Marking occurrences done or skipped, and the overdue ones on the start page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from schakel.core import clock
from schakel.plan.actions import occurrence_skip, plan_extend_schedules
from schakel.plan.models import Occurrence
from schakel.signals.actions import MissingFields


@pytest.fixture
def occ(plan):
    occ = plan["3.3.2"].occurrences.order_by("due").first()
    occ.due = date(2026, 6, 1)
    occ.save()
    return occ


def test_an_officer_marks_an_occurrence_done(occ, officer, as_user):
    response = as_user(officer).post(reverse("plan:occurrence_done", args=[occ.pk]), {
        "done_on": "2026-06-02", "participants": "SWOM, Jeugdteam", "notes": "Goed overleg."})
    assert response.status_code == 302
    occ.refresh_from_db()
    assert (occ.status, occ.done_on, occ.participants, occ.notes) == (
        "done", date(2026, 6, 2), "SWOM, Jeugdteam", "Goed overleg.")
    assert occ.recorded_by == officer and occ.recorded_at


def test_a_done_date_in_the_future_is_refused_and_the_input_kept(occ, officer, as_user):
    response = as_user(officer).post(reverse("plan:occurrence_done", args=[occ.pk]), {
        "done_on": "2027-01-01", "participants": "Blijft staan"})
    assert response.status_code == 400 and "Blijft staan" in response.content.decode()
    occ.refresh_from_db()
    assert occ.status == "planned"


def test_skipping_needs_a_reason(occ, policy, as_user):
    client = as_user(policy)
    assert client.post(reverse("plan:occurrence_skip", args=[occ.pk]),
                       {"reason": ""}).status_code == 400
    client.post(reverse("plan:occurrence_skip", args=[occ.pk]), {"reason": "Geen agenda."})
    occ.refresh_from_db()
    assert occ.status == "skipped" and occ.skip_reason == "Geen agenda."
    with pytest.raises(MissingFields):
        occurrence_skip(occurrence=occ, actor=policy, reason=" ")
    client.post(reverse("plan:occurrence_reopen", args=[occ.pk]))
    occ.refresh_from_db()
    assert occ.status == "planned" and occ.skip_reason == ""


def test_the_due_date_can_be_moved_and_generation_does_not_double_it(occ, officer, as_user):
    as_user(officer).post(reverse("plan:occurrence_due", args=[occ.pk]), {"due": "2026-06-09"})
    occ.refresh_from_db()
    assert occ.due == date(2026, 6, 9)
    count = Occurrence.objects.count()
    plan_extend_schedules()
    assert Occurrence.objects.count() == count


def _section(body, anchor="h-overdue"):
    return body.split(f'id="{anchor}"')[1].split("</section>")[0]


def _later(monkeypatch, when):
    from datetime import UTC, datetime

    monkeypatch.setattr("schakel.core.clock.now", lambda: datetime(*when, 10, tzinfo=UTC))


def test_overdue_occurrences_show_on_the_responsible_persons_start_page(plan, policy, officer,
                                                                       as_user, monkeypatch):
    # Loaded on 15 June 2026; by 5 January 2027 the report to the council (3.5.1, policy)
    # and the partner consultation of the second quarter (3.3.2, officer) are late.
    _later(monkeypatch, (2027, 1, 5))
    section = _section(as_user(policy).get(reverse("plan:overview")).content.decode())
    assert "3.5.1" in section and "3.3.2" not in section
    section = _section(as_user(officer).get(reverse("plan:overview")).content.decode())
    assert "3.3.2" in section and "3.5.1" not in section


def test_moments_past_when_the_plan_was_loaded_are_not_recorded_not_overdue(plan, officer,
                                                                           as_user):
    body = as_user(officer).get(reverse("plan:overview")).content.decode()
    # Spring 2025 (3.2.1) and the regional meeting of January 2026 (3.3.1) went before
    # the plan came in on 15 June 2026: nobody is late, but they are shown.
    assert "3.2.1" not in _section(body) and "3.3.1" not in _section(body)
    not_recorded = _section(body, "h-not-recorded")
    assert "3.2.1" in not_recorded and "3.3.1" in not_recorded
    jan = plan["3.3.1"].occurrences.get(key="2026-m01")
    assert jan.state == "not_recorded" and jan.due == date(2026, 1, 13)


def test_an_action_without_a_date_in_the_plan_has_none_and_is_never_overdue(plan, policy,
                                                                           as_user, monkeypatch):
    occ = plan["3.5.2"].occurrences.get()
    assert (occ.due, occ.period_start, occ.state) == (None, None, "undated")
    _later(monkeypatch, (2030, 1, 5))
    assert not Occurrence.objects.overdue().filter(pk=occ.pk).exists()
    body = as_user(policy).get(reverse("plan:action", args=[plan["3.5.2"].pk])).content.decode()
    assert "geen datum" in body


def test_a_named_owner_gets_the_overdue_ones_instead_of_the_role(plan, policy, make_user,
                                                                 as_user, monkeypatch):
    other = make_user("policy", team="Beleid")
    action = plan["3.5.1"]
    action.owner = other
    action.save()
    _later(monkeypatch, (2027, 1, 5))
    body = as_user(policy).get(reverse("plan:overview")).content.decode()
    assert "3.5.1" not in _section(body)
    body = as_user(other).get(reverse("plan:overview")).content.decode()
    assert "3.5.1" in _section(body)


def test_next_year_is_planned_when_the_year_turns(plan, monkeypatch):
    from datetime import UTC, datetime

    from schakel.plan.actions import schedules_need_extending

    assert not schedules_need_extending()
    monkeypatch.setattr("schakel.core.clock.now", lambda: datetime(2027, 1, 5, tzinfo=UTC))
    assert schedules_need_extending()
    plan_extend_schedules()
    assert plan["3.3.1"].occurrences.filter(due__year=2028).count() == 3
    assert not schedules_need_extending()


def test_the_policy_officers_start_page_lists_their_overdue_occurrences(plan, policy, as_user,
                                                                        monkeypatch):
    _later(monkeypatch, (2027, 1, 5))
    body = as_user(policy).get(reverse("home")).content.decode()
    section = _section(body)
    assert "3.5.1" in section and reverse("plan:occurrence", args=[
        plan["3.5.1"].occurrences.get(key="2026-p1").pk]) in section


def test_the_not_recorded_heading_counts_them_all_below_and_above_the_fifty_shown(
        plan, officer, as_user):
    client = as_user(officer)

    def heading():
        body = client.get(reverse("plan:overview")).content.decode()
        return body.split('id="h-not-recorded">')[1].split("</h2>")[0]

    today = clock.now().date()
    expected = Occurrence.objects.visible_to(officer).not_recorded(today).count()
    assert 0 < expected <= 50 and heading().endswith(f"({expected})")
    action = plan["3.3.1"]
    Occurrence.objects.bulk_create([
        Occurrence(action=action, key=f"old-{n}", due=date(2020, 1, 1) + timedelta(days=n),
                   known_since=date(2026, 6, 15)) for n in range(60)])
    expected = Occurrence.objects.visible_to(officer).not_recorded(today).count()
    assert expected > 60 and heading().endswith(f"({expected})")
