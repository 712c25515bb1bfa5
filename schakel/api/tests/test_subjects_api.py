"""A signal's subjects through the API: read as on the signal page, changed by the officer."""

import pytest

from schakel.audit.models import AuditEvent
from schakel.signals.models import Subject

pytestmark = pytest.mark.django_db


def path(signal, subject=None):
    return f"/api/v1/signals/{signal.pk}/subjects/" + (f"{subject.pk}/" if subject else "")


@pytest.fixture
def received(employee, officer, make_signal):
    return make_signal(employee, steps=["receive"], officer=officer)


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_the_officer_reads_the_subjects_with_their_pseudonyms_and_links(api, officer, received):
    body = api(officer).get(path(received)).json()
    assert [s["name"] for s in body["results"]] == ["Piet Test"]
    assert "pseudonym" in body["results"][0] and body["results"][0]["links"] == []
    assert AuditEvent.objects.filter(actor=officer, action="read",
                                     object_id=str(received.pk)).exists()


def test_the_reporter_and_the_team_lead_before_receipt_read_what_was_sent(
        api, employee, team_lead, make_signal):
    signal = make_signal(employee)
    for user in (employee, team_lead):
        rows = api(user).get(path(signal)).json()["results"]
        assert [s["name"] for s in rows] == ["Piet Test"]
        assert "pseudonym" not in rows[0] and "links" not in rows[0]


def test_others_get_the_same_404_as_for_a_signal_that_does_not_exist(
        api, received, team_lead, colleague, policy, admin_user):
    subject = received.subjects.get()
    for user in (team_lead, colleague, policy, admin_user):  # the team lead: after receipt
        client = api(user)
        missing = client.get("/api/v1/signals/999999/subjects/")
        for url in (path(received), path(received, subject)):
            response = client.get(url)
            assert response.status_code == 404, (user.role, url)
            assert response.json()["detail"] == missing.json()["detail"]


def test_the_officer_adds_an_address_checked_as_on_the_intake_page(api, officer, received):
    client = api(officer)
    bad = _post(client, path(received), {"kind": "address", "street": "Hoofdstraat",
                                         "house_number": "twaalf"})
    assert bad.status_code == 400
    assert [e["field"] for e in bad.json()["errors"]] == ["house_number"]
    made = _post(client, path(received), {"kind": "address", "street": "Hoofdstraat",
                                          "house_number": "12", "postcode": "3417ab",
                                          "city": "Montfoort", "capacity": "landlord"})
    assert made.status_code == 201, made.content
    assert made.json()["postcode"] == "3417 AB"
    assert received.subjects.count() == 2
    row = AuditEvent.objects.filter(actor=officer, action="create",
                                    object_id=str(received.pk)).latest("pk")
    assert row.changes["subject"] == made.json()["id"]


def test_the_officer_corrects_a_subject_and_the_register_copy_follows(api, officer, received):
    from schakel.subjects.actions import register_sync_subjects
    from schakel.subjects.models import Record

    register_sync_subjects(signal=received)
    subject = received.subjects.get()
    response = api(officer).patch(path(received, subject), {"name": "Pieter Test"},
                                  content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Pieter Test"
    assert response.json()["capacity"] == "victim"  # what was not sent stays
    assert Subject.objects.get(pk=subject.pk).name == "Pieter Test"
    assert Record.objects.get(subject=subject).name == "Pieter Test"


def test_a_closed_signals_subjects_are_not_changed(api, officer, employee, make_signal):
    closed = make_signal(employee, steps=["receive", "dismiss", "close"], officer=officer)
    response = _post(api(officer), path(closed), {"kind": "person", "name": "Nieuw",
                                                 "capacity": "victim"})
    assert response.status_code == 409, response.content
    assert _post(api(officer), path(closed), {"kind": "person"}).status_code == 409
    assert closed.subjects.count() == 1


def test_only_the_officer_adds_or_changes_subjects(api, employee, team_lead, make_signal):
    signal = make_signal(employee)
    subject = signal.subjects.get()
    for user in (employee, team_lead):
        client = api(user)
        assert _post(client, path(signal), {"kind": "person", "name": "X"}).status_code == 404
        assert client.patch(path(signal, subject), {"name": "X"},
                            content_type="application/json").status_code == 404
    assert Subject.objects.get(pk=subject.pk).name == "Piet Test"


def test_a_correction_names_only_the_fields_that_changed_in_the_log(officer, received):
    from schakel.subjects import actions

    subject = received.subjects.get()
    actions.subject_update(actor=officer, signal=received, subject=subject,
                           values={"name": "Piet Test", "nationality": "Pools",
                                   "capacity": "victim"})
    row = AuditEvent.objects.filter(actor=officer, action="update",
                                    object_id=str(received.pk)).latest("pk")
    assert row.changes == {"subject": subject.pk, "fields": ["nationality"]}
    assert "Pools" not in str(row.changes)  # the log names fields, never their values


def test_the_officer_links_a_subject_to_a_register_record_as_on_the_enrichment_page(
        api, officer, employee, team_lead, received, make_signal):
    from schakel.subjects.actions import register_sync_subjects
    from schakel.subjects.models import Link, Record

    earlier = make_signal(employee, steps=["receive"], officer=officer)
    register_sync_subjects(signal=earlier)
    record = Record.objects.get(subject=earlier.subjects.get())
    subject = received.subjects.get()
    url = path(received, subject) + "links/"
    client = api(officer)
    linked = _post(client, url, {"record": record.pk, "decision": "linked", "score": 90})
    assert linked.status_code == 200, linked.content
    assert [(x["record"], x["decision"]) for x in linked.json()["links"]] == [
        (record.pk, "linked")]
    changed = _post(client, url, {"record": record.pk, "decision": "rejected"})
    assert [x["decision"] for x in changed.json()["links"]] == ["rejected"]
    assert Link.objects.count() == 1
    assert _post(client, url, {"record": 999999, "decision": "linked"}).status_code == 404
    assert _post(api(team_lead), url, {"record": record.pk,
                                       "decision": "linked"}).status_code == 404
    row = AuditEvent.objects.filter(actor=officer, object_id=str(received.pk),
                                    changes__decision="rejected")
    assert row.exists()
