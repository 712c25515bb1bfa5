"""Signals through the API: what each role sees, filing, and the route's steps."""

import pytest

pytestmark = pytest.mark.django_db

NEW_SIGNAL = {
    "forms": ["labour"], "background": "Zes mensen slapen in een loods.",
    "team_lead_consulted": False,
    "subjects": [{"kind": "person", "name": "Jan Voorbeeld", "capacity": "victim"},
                 {"kind": "address", "street": "Hoofdstraat", "house_number": "12",
                  "postcode": "3417ab", "city": "Montfoort"}],
}


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_each_role_lists_exactly_the_signals_it_may_see(
        api, employee, colleague, team_lead, other_team_lead, officer, policy, admin_user,
        make_signal):
    mine = make_signal(employee)
    received = make_signal(colleague, steps=["receive"], officer=officer)
    draft = make_signal(employee, submit=False)
    assert _ids(api(employee).get("/api/v1/signals/")) == {mine.pk, draft.pk}
    assert _ids(api(colleague).get("/api/v1/signals/")) == {received.pk}
    assert _ids(api(team_lead).get("/api/v1/signals/")) == {mine.pk, received.pk}
    assert _ids(api(other_team_lead).get("/api/v1/signals/")) == set()
    assert _ids(api(officer).get("/api/v1/signals/")) == {mine.pk, received.pk}
    assert api(policy).get("/api/v1/signals/").status_code == 404
    assert api(admin_user).get("/api/v1/signals/").status_code == 404


def test_the_list_filters_and_pages_with_a_cursor(api, employee, officer, make_signal):
    signals = [make_signal(employee, urgent=i % 2 == 0) for i in range(5)]
    client = api(officer)
    urgent = client.get("/api/v1/signals/?urgent=true").json()["results"]
    assert {r["id"] for r in urgent} == {s.pk for s in signals[::2]}
    first = client.get("/api/v1/signals/?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert {r["id"] for r in second["results"]}.isdisjoint({r["id"] for r in first["results"]})
    assert client.get("/api/v1/signals/?state=nonsense").status_code == 400


def test_only_the_officer_sees_the_reporter(api, employee, team_lead, officer, make_signal):
    signal = make_signal(employee, reporter_name="Rosa Melder")
    as_officer = api(officer).get(f"/api/v1/signals/{signal.pk}/")
    assert as_officer.json()["reporter"]["name"] == "Rosa Melder"
    for user in (employee, team_lead):
        response = api(user).get(f"/api/v1/signals/{signal.pk}/")
        assert response.status_code == 200
        assert "reporter" not in response.json()
        assert b"Rosa Melder" not in response.content
        assert employee.email.encode() not in response.content
    listing = api(team_lead).get("/api/v1/signals/")
    assert b"Rosa Melder" not in listing.content


def test_others_get_the_same_404_as_on_the_pages(api, employee, other_team_lead, policy,
                                                admin_user, make_signal):
    signal = make_signal(employee)
    for user in (other_team_lead, policy, admin_user):
        response = api(user).get(f"/api/v1/signals/{signal.pk}/")
        missing = api(user).get("/api/v1/signals/999999/")
        assert response.status_code == missing.status_code == 404
        assert response.json()["detail"] == missing.json()["detail"]
        assert response["Content-Type"] == "application/problem+json"


def test_a_team_lead_sees_only_the_status_after_receipt(api, employee, team_lead, officer,
                                                       make_signal):
    signal = make_signal(employee, steps=["receive"], officer=officer)
    body = api(team_lead).get(f"/api/v1/signals/{signal.pk}/").json()
    assert body["access"] == "status" and body["state"] == "received"
    assert "background" not in body and "subjects" not in body


def test_reading_a_signal_is_in_the_processing_log(api, employee, officer, make_signal):
    from schakel.audit.models import AuditEvent

    signal = make_signal(employee)
    api(officer).get(f"/api/v1/signals/{signal.pk}/")
    assert AuditEvent.objects.filter(actor=officer, action="read", object_id=str(signal.pk),
                                     object_type="signals.signal").exists()


def test_an_employee_files_a_signal_once_per_idempotency_key(api, employee):
    from schakel.signals.models import Signal

    client = api(employee)
    first = client.post("/api/v1/signals/", NEW_SIGNAL, content_type="application/json",
                        headers={"Idempotency-Key": "abc-1"})
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["state"] == "submitted" and body["reference"].startswith("MH-")
    assert first["Location"] == f"/api/v1/signals/{body['id']}/"
    again = client.post("/api/v1/signals/", NEW_SIGNAL, content_type="application/json",
                        headers={"Idempotency-Key": "abc-1"})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Signal.objects.count() == 1
    subjects = {s["kind"]: s for s in body["subjects"]}
    assert subjects["address"]["postcode"] == "3417 AB"  # the page's own rules


def test_the_same_key_with_the_same_body_in_another_order_replays_the_first_answer(
        api, employee):
    import json

    client = api(employee)
    first = client.post("/api/v1/signals/", NEW_SIGNAL, content_type="application/json",
                        headers={"Idempotency-Key": "same"})
    reordered = json.dumps(dict(reversed(list(NEW_SIGNAL.items()))), indent=2)
    again = client.post("/api/v1/signals/", reordered, content_type="application/json",
                        headers={"Idempotency-Key": "same"})
    assert again.status_code == 200
    assert again.json() == first.json()


@pytest.mark.parametrize("language,words", [("nl", "andere aanvraag"),
                                            ("en", "different request")])
def test_the_same_key_with_another_body_is_refused(api, employee, language, words):
    from schakel.signals.models import Signal

    client = api(employee, language=language)
    client.post("/api/v1/signals/", NEW_SIGNAL, content_type="application/json",
                headers={"Idempotency-Key": "reused"})
    other = {**NEW_SIGNAL, "background": "Iets heel anders."}
    response = client.post("/api/v1/signals/", other, content_type="application/json",
                           headers={"Idempotency-Key": "reused"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("idempotentiesleutel-hergebruikt")
    assert words in body["detail"]
    assert Signal.objects.count() == 1


def test_the_same_key_of_another_user_files_their_own_signal(api, employee, colleague):
    api(employee).post("/api/v1/signals/", NEW_SIGNAL, content_type="application/json",
                       headers={"Idempotency-Key": "shared"})
    other = {**NEW_SIGNAL, "background": "Iets heel anders."}
    response = api(colleague).post("/api/v1/signals/", other, content_type="application/json",
                                   headers={"Idempotency-Key": "shared"})
    assert response.status_code == 201


def test_filing_without_an_idempotency_key_is_refused(api, employee):
    response = api(employee).post("/api/v1/signals/", NEW_SIGNAL,
                                  content_type="application/json")
    assert response.status_code == 428
    assert "Idempotency-Key" in response.json()["detail"]


def test_a_signal_breaking_the_intake_rules_gets_its_fields_named(api, employee):
    bad = {**NEW_SIGNAL, "forms": ["nonsense"], "subjects": [
        {"kind": "address", "street": "Hoofdstraat", "house_number": "twaalf"}]}
    response = api(employee, language="en").post(
        "/api/v1/signals/", bad, content_type="application/json",
        headers={"Idempotency-Key": "k"})
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"forms", "subjects[0].house_number"} <= fields
    nothing = api(employee).post("/api/v1/signals/", {**NEW_SIGNAL, "subjects": []},
                                 content_type="application/json",
                                 headers={"Idempotency-Key": "k2"})
    assert nothing.status_code == 400
    assert nothing.json()["errors"][0]["field"] == "subjects"


def test_policy_and_admin_cannot_file(api, policy, admin_user):
    for user in (policy, admin_user):
        response = api(user).post("/api/v1/signals/", NEW_SIGNAL,
                                  content_type="application/json",
                                  headers={"Idempotency-Key": "x"})
        assert response.status_code == 404


def test_the_officer_takes_the_route_with_the_version(api, employee, officer, make_signal):
    signal = make_signal(employee)
    client = api(officer)
    url = f"/api/v1/signals/{signal.pk}/transitions/"
    response = client.post(url, {"name": "receive", "version": signal.version},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "received"
    assert response["ETag"] == f'"{signal.version + 1}"'
    stale = client.post(url, {"name": "dismiss", "version": signal.version,
                              "dismiss_reason": "Niets"}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["type"].endswith("verouderde-versie")
    assert stale["ETag"] == f'"{signal.version + 1}"'


def test_if_match_carries_the_version(api, employee, officer, make_signal):
    signal = make_signal(employee)
    client = api(officer)
    etag = client.get(f"/api/v1/signals/{signal.pk}/")["ETag"]
    url = f"/api/v1/signals/{signal.pk}/transitions/"
    ok = client.post(url, {"name": "receive"}, content_type="application/json",
                     headers={"If-Match": etag})
    assert ok.status_code == 200
    stale = client.post(url, {"name": "dismiss", "dismiss_reason": "x"},
                        content_type="application/json", headers={"If-Match": etag})
    assert stale.status_code == 409
    missing = client.post(url, {"name": "dismiss", "dismiss_reason": "x"},
                          content_type="application/json")
    assert missing.status_code == 428


def test_a_step_not_possible_now_is_a_clear_conflict(api, employee, officer, make_signal):
    signal = make_signal(employee)
    response = api(officer, language="en").post(
        f"/api/v1/signals/{signal.pk}/transitions/",
        {"name": "close", "version": signal.version, "outcome": "no_indication"},
        content_type="application/json")
    assert response.status_code == 409
    assert response.json()["type"].endswith("stap-niet-mogelijk")
    assert "close" in response.json()["detail"]
    unknown = api(officer).post(f"/api/v1/signals/{signal.pk}/transitions/",
                                {"name": "fly", "version": 1}, content_type="application/json")
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["field"] == "name"


def test_only_officers_take_steps(api, employee, team_lead, make_signal):
    signal = make_signal(employee)
    for user in (employee, team_lead):
        response = api(user).post(f"/api/v1/signals/{signal.pk}/transitions/",
                                  {"name": "receive", "version": signal.version},
                                  content_type="application/json")
        assert response.status_code == 404
