"""Referrals through the API: refer, withdraw, record feedback; officers only."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def partners(db):
    from schakel.partners.models import Partner
    from schakel.partners.seed import load_defaults

    load_defaults()
    return {p.code: p for p in Partner.objects.all()}


def _care(partners):
    return next(p for p in partners.values() if p.is_care_coordinator and p.active)


def test_the_officer_refers_a_signal_and_it_becomes_referred(api, employee, officer,
                                                             make_signal, partners):
    signal = make_signal(employee, steps=["receive"], officer=officer)
    care = _care(partners)
    client = api(officer)
    response = client.post(f"/api/v1/signals/{signal.pk}/referrals/", {
        "referrals": [{"partner": care.pk, "parts": ["forms", "urgency"]}]},
        content_type="application/json")
    assert response.status_code == 201, response.content
    made = response.json()["results"][0]
    assert made["state"] == "sent" and made["partner"] == care.pk
    signal.refresh_from_db()
    assert signal.state == "referred"
    listed = client.get(f"/api/v1/signals/{signal.pk}/referrals/").json()["results"]
    assert [r["id"] for r in listed] == [made["id"]]
    feedback = client.post(f"/api/v1/referrals/{made['id']}/feedback/", {
        "outcome": "care", "text": "Opvang geregeld.", "channel": "phone"},
        content_type="application/json")
    assert feedback.status_code == 200 and feedback.json()["state"] == "feedback_received"


def test_leaving_out_the_care_coordinator_needs_a_reason(api, employee, officer, make_signal,
                                                        partners):
    signal = make_signal(employee, steps=["receive"], officer=officer)
    other = next(p for p in partners.values() if not p.is_care_coordinator and p.active)
    response = api(officer).post(f"/api/v1/signals/{signal.pk}/referrals/", {
        "referrals": [{"partner": other.pk, "parts": ["forms"]}]},
        content_type="application/json")
    assert response.status_code == 409
    assert _care(partners).name in response.json()["detail"]


def test_the_officer_withdraws_a_draft_referral(api, employee, officer, make_signal, partners):
    signal = make_signal(employee, steps=["receive"], officer=officer)
    client = api(officer)
    made = client.post(f"/api/v1/signals/{signal.pk}/referrals/", {
        "referrals": [{"partner": _care(partners).pk, "parts": ["forms"]}], "send": False},
        content_type="application/json").json()["results"][0]
    assert made["state"] == "draft"
    without = client.post(f"/api/v1/referrals/{made['id']}/withdraw/", {},
                          content_type="application/json")
    assert without.status_code == 400
    done = client.post(f"/api/v1/referrals/{made['id']}/withdraw/", {"reason": "Dubbel"},
                       content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "withdrawn"


def test_other_roles_get_a_404_for_referrals(api, employee, team_lead, policy, admin_user,
                                            officer, make_signal, partners):
    signal = make_signal(employee, steps=["receive"], officer=officer)
    made = api(officer).post(f"/api/v1/signals/{signal.pk}/referrals/", {
        "referrals": [{"partner": _care(partners).pk, "parts": ["forms"]}], "send": False},
        content_type="application/json").json()["results"][0]
    for user in (employee, team_lead, policy, admin_user):
        client = api(user)
        assert client.get(f"/api/v1/signals/{signal.pk}/referrals/").status_code == 404
        assert client.get(f"/api/v1/referrals/{made['id']}/").status_code == 404
        assert client.post(f"/api/v1/referrals/{made['id']}/send/").status_code == 404
