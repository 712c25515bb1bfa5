"""The council report's figures and the processing log's search through the API."""

import pytest

pytestmark = pytest.mark.django_db


def test_policy_gets_suppressed_figures_and_officers_exact_ones(api, policy, officer,
                                                               employee, make_signal):
    make_signal(employee)
    suppressed = api(policy).get("/api/v1/reports/figures/")
    exact = api(officer).get("/api/v1/reports/figures/")
    assert suppressed.status_code == exact.status_code == 200
    assert suppressed.json()["threshold"] > 0 and exact.json()["threshold"] == 0
    assert "signals" in suppressed.json()["figures"]
    assert api(policy).get("/api/v1/reports/figures/?year=3000").status_code == 400


def test_other_roles_get_a_404_for_the_figures(api, employee, team_lead, admin_user):
    for user in (employee, team_lead, admin_user):
        assert api(user).get("/api/v1/reports/figures/").status_code == 404


def test_the_officer_searches_who_processed_a_signal(api, officer, employee, make_signal):
    from schakel.audit.models import AuditEvent

    signal = make_signal(employee)
    client = api(officer)
    client.get(f"/api/v1/signals/{signal.pk}/")
    response = client.get(f"/api/v1/processing-log/?reference={signal.reference}")
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert {r["actor"] for r in rows} >= {officer.username}
    assert all(r["object_id"] == str(signal.pk) for r in rows)
    assert AuditEvent.objects.filter(actor=officer, records__activity="log_search").exists()
    assert client.get("/api/v1/processing-log/").status_code == 400


def test_only_officers_search_the_processing_log(api, employee, team_lead, policy, admin_user):
    for user in (employee, team_lead, policy, admin_user):
        assert api(user).get(f"/api/v1/processing-log/?user={user.pk}").status_code == 404
