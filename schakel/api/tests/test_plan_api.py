"""The action plan through the API, with the plan's own visibility."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(db):
    from schakel.plan.demo import load_default_plan
    from schakel.plan.models import Action

    load_default_plan()
    return {a.code: a for a in Action.objects.all()}


def _all(client, path):
    rows, url = [], path + "?page_size=200"
    while url:
        body = client.get(url).json()
        rows += body["results"]
        url = body["next"]
    return rows


def test_officers_and_policy_read_every_action_with_its_moments(api, officer, policy, plan):
    for user in (officer, policy):
        rows = _all(api(user), "/api/v1/plan/actions/")
        assert {r["code"] for r in rows} == set(plan)
        assert any(r["occurrences"] for r in rows)
        states = {o["state"] for r in rows for o in r["occurrences"]}
        assert states <= {"done", "skipped", "not_recorded", "overdue", "open", "undated"}


def test_employees_see_only_the_controls_they_took_part_in(api, employee, colleague, officer,
                                                         plan):
    from schakel.plan.models import Control

    mine = Control.objects.create(kind="integral", date=dt.date(2026, 3, 1),
                                  establishment="Nagelstudio")
    mine.participants.add(employee)
    Control.objects.create(kind="integral", date=dt.date(2026, 3, 2), establishment="Anders")
    assert [r["id"] for r in api(employee).get("/api/v1/plan/controls/").json()["results"]] \
        == [mine.pk]
    assert api(colleague).get("/api/v1/plan/controls/").json()["results"] == []
    assert len(api(officer).get("/api/v1/plan/controls/").json()["results"]) == 2


def test_other_roles_get_a_404_for_the_plan(api, employee, team_lead, admin_user):
    for user in (employee, team_lead, admin_user):
        for path in ("actions", "meetings", "trainings"):
            assert api(user).get(f"/api/v1/plan/{path}/").status_code == 404
    assert api(admin_user).get("/api/v1/plan/controls/").status_code == 404
