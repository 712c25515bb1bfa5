"""Moments that passed before the plan came in: recorded afterwards as done, skipped or by
linking the meeting, control or training that held them; each step in the history."""

from datetime import date

import pytest
from django.urls import reverse

from schakel.plan import actions
from schakel.plan.models import Control, ControlKind, Meeting, MeetingKind, OccurrenceEvent
from schakel.signals.actions import TransitionNotAllowed

OUTSIDERS = ["employee", "team_lead", "admin_user"]


@pytest.fixture
def january(plan):
    """The regional meeting of January 2026: past when the plan came in on 15 June."""
    return plan["3.3.1"].occurrences.get(key="2026-m01")


@pytest.fixture
def regional(db):
    return Meeting.objects.create(kind=MeetingKind.REGIONAL, date=date(2026, 1, 13),
                                  title="Regionale bijeenkomst")


def test_a_past_moment_offers_the_meetings_of_its_kind_to_link(january, regional, officer,
                                                               as_user):
    Meeting.objects.create(kind=MeetingKind.PARTNER, date=date(2026, 1, 20))
    body = as_user(officer).get(reverse("plan:occurrence", args=[january.pk])).content.decode()
    assert "niet vastgelegd" in body
    assert f'value="meeting:{regional.pk}"' in body
    assert body.count('value="meeting:') == 1  # not the partner consultation


def test_the_officer_links_the_meeting_and_the_moment_is_done_on_its_date(
        january, regional, officer, as_user):
    response = as_user(officer).post(reverse("plan:occurrence_link", args=[january.pk]),
                                     {"record": f"meeting:{regional.pk}"})
    assert response.status_code == 302
    january.refresh_from_db()
    regional.refresh_from_db()
    assert regional.occurrence == january
    assert (january.status, january.done_on, january.recorded_by) == (
        "done", date(2026, 1, 13), officer)
    (event,) = january.events.all()
    assert (event.what, event.old_status, event.new_status, event.actor) == (
        OccurrenceEvent.What.LINKED, "planned", "done", officer)


def test_the_policy_officer_links_a_control_to_its_moment_and_action(plan, policy, as_user):
    occ = plan["3.4.3"].occurrences.get(key="2026-p1")
    control = Control.objects.create(kind=ControlKind.INTEGRAL, date=date(2026, 2, 19),
                                     street="Demostraat", house_number="1")
    as_user(policy).post(reverse("plan:occurrence_link", args=[occ.pk]),
                         {"record": f"control:{control.pk}"})
    control.refresh_from_db()
    assert control.occurrence == occ and control.action == plan["3.4.3"]


def test_a_record_of_another_kind_or_already_linked_is_refused(january, regional, officer,
                                                               as_user, plan):
    other = Meeting.objects.create(kind=MeetingKind.PARTNER, date=date(2026, 1, 20))
    client = as_user(officer)
    for value in (f"meeting:{other.pk}", "meeting:999999", "control:1", "nonsense", ""):
        response = client.post(reverse("plan:occurrence_link", args=[january.pk]),
                               {"record": value})
        assert response.status_code == 400, value
    january.refresh_from_db()
    assert january.status == "planned"
    actions.occurrence_link(occurrence=january, record=regional, actor=officer)
    may = plan["3.3.1"].occurrences.get(key="2026-m05")
    with pytest.raises(TransitionNotAllowed):
        actions.occurrence_link(occurrence=may, record=regional, actor=officer)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_others_cannot_link_or_see_a_moment(january, regional, role, request, as_user):
    client = as_user(request.getfixturevalue(role))
    assert client.get(reverse("plan:occurrence", args=[january.pk])).status_code == 404
    assert client.post(reverse("plan:occurrence_link", args=[january.pk]),
                       {"record": f"meeting:{regional.pk}"}).status_code == 404
    regional.refresh_from_db()
    assert regional.occurrence is None


def test_marking_skipping_reopening_and_moving_each_leave_a_history_row(january, officer,
                                                                        as_user):
    client = as_user(officer)
    client.post(reverse("plan:occurrence_skip", args=[january.pk]),
                {"reason": "Bijeenkomst ging niet door"})
    client.post(reverse("plan:occurrence_reopen", args=[january.pk]))
    client.post(reverse("plan:occurrence_due", args=[january.pk]), {"due": "2026-01-20"})
    client.post(reverse("plan:occurrence_done", args=[january.pk]), {"done_on": "2026-01-20"})
    whats = list(january.events.values_list("what", "remark", "params"))
    assert whats == [("skipped", "Bijeenkomst ging niet door", {}), ("reopened", "", {}),
                     ("moved", "", {"from": "2026-01-13", "to": "2026-01-20"}),
                     ("done", "", {"date": "2026-01-20"})]
    body = client.get(reverse("plan:occurrence", args=[january.pk])).content.decode()
    assert 'id="h-history"' in body and "Bijeenkomst ging niet door" in body
    assert "(13 januari 2026 → 20 januari 2026)" in body and "(20 januari 2026)" in body


def test_the_history_of_a_moment_follows_the_readers_language(january, regional, officer,
                                                             as_user):
    from django.conf import settings

    client = as_user(officer)
    client.post(reverse("plan:occurrence_link", args=[january.pk]),
                {"record": f"meeting:{regional.pk}"})
    event = january.events.get(what="linked")
    assert event.params == {"record": "meeting", "date": regional.date.isoformat()}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("plan:occurrence", args=[january.pk])).content.decode()
    assert f"(meeting of {regional.date.day} January 2026)" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    dutch = client.get(reverse("plan:occurrence", args=[january.pk])).content.decode()
    assert f"(overleg van {regional.date.day} januari 2026)" in dutch


def test_the_migration_reads_the_old_remarks_into_params_and_keeps_typed_ones(january,
                                                                              officer):
    import importlib

    from django.apps import apps as global_apps

    migration = importlib.import_module(
        "schakel.plan.migrations.0005_occurrence_history_params")
    old = {
        "done": ("done", "20-01-2026"), "moved": ("moved", "13-01-2026 → 20-01-2026"),
        "first_move": ("moved", "→ 03-02-2026"), "linked": ("linked", "training 14-01-2026"),
        "skipped": ("skipped", "Ging niet door, 12-01-2026"),
    }
    rows = {k: OccurrenceEvent.objects.create(
        occurrence=january, at=timezone_now(), actor=officer,
        what=what, old_status="planned", new_status="done", remark=remark)
        for k, (what, remark) in old.items()}
    migration.to_params(global_apps, None)
    got = {k: OccurrenceEvent.objects.get(pk=r.pk) for k, r in rows.items()}
    assert (got["done"].params, got["done"].remark) == ({"date": "2026-01-20"}, "")
    assert got["moved"].params == {"from": "2026-01-13", "to": "2026-01-20"}
    assert got["first_move"].params == {"from": None, "to": "2026-02-03"}
    assert got["linked"].params == {"record": "training", "date": "2026-01-14"}
    assert (got["skipped"].params, got["skipped"].remark) == ({}, "Ging niet door, 12-01-2026")
    migration.to_remarks(global_apps, None)
    assert OccurrenceEvent.objects.get(pk=rows["linked"].pk).remark == "training 14-01-2026"
    assert OccurrenceEvent.objects.get(pk=rows["first_move"].pk).remark == "→ 03-02-2026"


def timezone_now():
    from schakel.core import clock

    return clock.now()


def test_a_moment_marked_done_by_hand_can_still_get_its_meeting(january, regional, officer,
                                                                as_user):
    actions.occurrence_complete(occurrence=january, actor=officer, done_on=date(2026, 1, 13))
    client = as_user(officer)
    body = client.get(reverse("plan:occurrence", args=[january.pk])).content.decode()
    assert 'id="h-link"' in body
    client.post(reverse("plan:occurrence_link", args=[january.pk]),
                {"record": f"meeting:{regional.pk}"})
    regional.refresh_from_db()
    january.refresh_from_db()
    assert regional.occurrence == january and january.status == "done"
    assert list(january.events.values_list("what", flat=True)) == ["done", "linked"]
