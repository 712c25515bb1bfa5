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


# ---------------------------------------------------------------- writes


def _past_moment(kind):
    from schakel.core import clock
    from schakel.plan.models import Occurrence

    return (Occurrence.objects.filter(action__kind=kind, status="planned",
                                      due__lt=clock.now().date(), action__active=True)
            .order_by("due").first())


def _post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def test_an_officer_marks_a_moment_done_and_it_is_in_its_history(api, officer, plan):
    moment = _past_moment("general")
    response = _post(api(officer), f"/api/v1/plan/occurrences/{moment.pk}/done/",
                     {"done_on": moment.due.isoformat(), "participants": "OOV, politie"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "done"
    moment.refresh_from_db()
    assert moment.status == "done" and moment.recorded_by == officer
    assert moment.participants == "OOV, politie"
    assert moment.events.filter(what="done", actor=officer).exists()


def test_a_moment_cannot_be_done_in_the_future(api, officer, plan):
    moment = _past_moment("general")
    response = _post(api(officer), f"/api/v1/plan/occurrences/{moment.pk}/done/",
                     {"done_on": "2099-01-01"})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["done_on"]


def test_the_policy_officer_skips_a_moment_with_a_reason_and_must_give_one(api, policy, plan):
    moment = _past_moment("general")
    client = api(policy)
    missing = _post(client, f"/api/v1/plan/occurrences/{moment.pk}/skip/", {"reason": ""})
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "reason"
    response = _post(client, f"/api/v1/plan/occurrences/{moment.pk}/skip/",
                     {"reason": "Geen overleg gepland door de regio"})
    assert response.status_code == 200 and response.json()["state"] == "skipped"
    assert response.json()["skip_reason"] == "Geen overleg gepland door de regio"
    again = _post(client, f"/api/v1/plan/occurrences/{moment.pk}/reopen/")
    assert again.json()["state"] in {"overdue", "not_recorded", "open"}


def test_an_officer_moves_a_moment(api, officer, plan):
    moment = _past_moment("general")
    response = _post(api(officer), f"/api/v1/plan/occurrences/{moment.pk}/move/",
                     {"due": "2027-02-01"})
    assert response.status_code == 200 and response.json()["due"] == "2027-02-01"
    assert moment.events.filter(what="moved").exists()


def test_a_meeting_made_through_the_api_is_linked_to_its_moment(api, officer, plan):
    moment = _past_moment("regional_meeting")
    client = api(officer)
    made = _post(client, "/api/v1/plan/meetings/",
                 {"kind": "regional", "date": moment.due.isoformat(), "title": "Regio"})
    assert made.status_code == 201, made.content
    meeting = made.json()
    assert meeting["occurrence"] is None
    wrong = _post(client, f"/api/v1/plan/occurrences/{moment.pk}/link/",
                  {"record": "training:1"})
    assert wrong.status_code == 400
    linked = _post(client, f"/api/v1/plan/occurrences/{moment.pk}/link/",
                   {"record": f"meeting:{meeting['id']}"})
    assert linked.status_code == 200, linked.content
    assert linked.json()["state"] == "done"
    assert client.get(f"/api/v1/plan/meetings/{meeting['id']}/").json()["occurrence"] \
        == moment.pk


def test_a_local_case_meeting_is_for_officers_only(api, officer, policy, plan):
    body = {"kind": "case", "date": "2026-01-10", "attendees": "wijkagenten"}
    assert _post(api(policy), "/api/v1/plan/meetings/", body).status_code == 404
    made = _post(api(officer), "/api/v1/plan/meetings/", body)
    assert made.status_code == 201
    path = f"/api/v1/plan/meetings/{made.json()['id']}/"
    assert api(policy).patch(path, {"title": "x"},
                             content_type="application/json").status_code == 404
    changed = api(officer).patch(path, {"title": "Ondermijningsoverleg januari"},
                                 content_type="application/json")
    assert changed.status_code == 200
    assert changed.json()["title"] == "Ondermijningsoverleg januari"
    assert changed.json()["date"] == "2026-01-10"  # what was not sent stays


def test_a_bibob_check_needs_its_fields_and_keeps_to_them(api, policy, plan):
    client = api(policy)
    missing = _post(client, "/api/v1/plan/controls/", {"kind": "bibob", "date": "2026-02-01"})
    assert missing.status_code == 400
    assert {e["field"] for e in missing.json()["errors"]} >= {"application_reference",
                                                             "permit_type", "bibob_outcome"}
    made = _post(client, "/api/v1/plan/controls/", {
        "kind": "bibob", "date": "2026-02-01", "application_reference": "AV-2026-12",
        "permit_type": "exploitatievergunning", "bibob_outcome": "no_risk",
        "street": "Hoofdstraat"})
    assert made.status_code == 201, made.content
    control = made.json()
    assert control["street"] == ""  # the page's form keeps a Bibob check to its fields
    assert control["action"] is not None  # it counts for the Bibob action (§3.4)


def test_a_control_is_changed_field_by_field(api, officer, employee, plan):
    client = api(officer)
    made = _post(client, "/api/v1/plan/controls/", {
        "kind": "integral", "date": "2026-03-01", "street": "Hoofdstraat",
        "house_number": "1", "postcode": "3417ab", "participants": [employee.pk]})
    assert made.status_code == 201, made.content
    assert made.json()["postcode"] == "3417 AB"
    path = f"/api/v1/plan/controls/{made.json()['id']}/"
    changed = client.patch(path, {"findings": "Geen bijzonderheden"},
                           content_type="application/json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["street"] == "Hoofdstraat"
    assert changed.json()["findings"] == "Geen bijzonderheden"
    # The employee who took part reads it, but records nothing.
    assert api(employee).get(path).status_code == 200
    assert api(employee).patch(path, {"findings": "x"},
                               content_type="application/json").status_code == 404
    assert _post(api(employee), "/api/v1/plan/controls/",
                 {"kind": "integral", "date": "2026-03-01"}).status_code == 404


def test_a_training_is_recorded_and_changed(api, policy, employee, plan):
    client = api(policy)
    made = _post(client, "/api/v1/plan/trainings/", {
        "date": "2026-04-01", "topic": "Signalen herkennen", "provider": "other",
        "provider_other": "CoMensha", "participant_count": 12, "trained": [employee.pk]})
    assert made.status_code == 201, made.content
    assert made.json()["trained"] == 1
    path = f"/api/v1/plan/trainings/{made.json()['id']}/"
    too_few = client.patch(path, {"participant_count": 0}, content_type="application/json")
    assert too_few.status_code == 400
    changed = client.patch(path, {"participant_count": 15}, content_type="application/json")
    assert changed.json()["participant_count"] == 15 and changed.json()["trained"] == 1


def test_other_roles_and_read_tokens_write_nothing_in_the_plan(api, employee, team_lead,
                                                                admin_user, officer, plan):
    moment = _past_moment("general")
    for user in (employee, team_lead, admin_user):
        client = api(user)
        assert _post(client, f"/api/v1/plan/occurrences/{moment.pk}/skip/",
                     {"reason": "x"}).status_code == 404
        assert _post(client, "/api/v1/plan/trainings/", {}).status_code == 404
        assert _post(client, "/api/v1/plan/meetings/", {}).status_code == 404
    read = api(officer, scope="read")
    assert _post(read, f"/api/v1/plan/occurrences/{moment.pk}/skip/",
                 {"reason": "x"}).status_code == 403
    moment.refresh_from_db()
    assert moment.status == "planned"
