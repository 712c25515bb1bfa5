"""The partner directory and the register's match through the API."""

import pytest

from schakel.subjects import engine
from schakel.subjects.models import Record, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(db):
    from schakel.partners.models import Contact, Partner
    from schakel.partners.seed import load_defaults

    load_defaults()
    partner = Partner.objects.order_by("name").first()
    Contact.objects.create(partner=partner, name="Els Contact", phone="030-1234567")
    return partner


@pytest.fixture
def register_record(db):
    source = Source.objects.create(name="Horecavergunningen", owner="Team Vergunningen",
                                   confidentiality="confidential")
    import datetime as dt

    record = Record(source=source, external_id="r1", kind="person", name="Jan van den Berg",
                    date_of_birth=dt.date(1980, 3, 4))
    engine.prepare(record)
    record.save()
    engine.reindex([record])
    return record


def test_officers_and_administrators_read_the_directory(api, officer, admin_user, partners):
    for user in (officer, admin_user):
        page = api(user).get("/api/v1/partners/")
        assert page.status_code == 200
        names = [row["name"] for row in page.json()["results"]]
        assert partners.name in names and names == sorted(names)
        one = api(user).get(f"/api/v1/partners/{partners.pk}/").json()
        assert one["contacts"][0]["name"] == "Els Contact"


def test_other_roles_get_a_404_for_the_directory(api, employee, team_lead, policy, partners):
    for user in (employee, team_lead, policy):
        assert api(user).get("/api/v1/partners/").status_code == 404
        assert api(user).get(f"/api/v1/partners/{partners.pk}/").status_code == 404


def test_the_officer_matches_one_query_against_the_register(api, officer, register_record):
    response = api(officer).post("/api/v1/register/match/", {
        "purpose": "Controle adreslijst",
        "queries": [{"id": "a", "name": "Jan van den Berg", "date_of_birth": "04-03-1980"}],
    }, content_type="application/json")
    assert response.status_code == 200, response.content
    row = response.json()["results"][0]
    assert row["id"] == "a" and row["candidates"][0]["source_id"] == "r1"
    assert row["candidates"][0]["band"] == "zeker"


def test_a_batch_answers_each_query_and_is_logged_once_without_the_terms(
        api, officer, register_record):
    from schakel.audit.models import AuditEvent, ProcessingRecord

    queries = [{"id": str(i), "name": "Niemand Bekend"} for i in range(20)]
    queries.append({"id": "bad", "kind": "person"})
    response = api(officer).post("/api/v1/register/match/",
                                 {"purpose": "Lijst", "queries": queries},
                                 content_type="application/json")
    results = response.json()["results"]
    assert len(results) == 21 and results[-1]["error"]
    enrich = AuditEvent.objects.filter(actor=officer, changes__list_rows=21)
    assert enrich.count() == 1
    assert not ProcessingRecord.objects.filter(purpose__icontains="Niemand").exists()


def test_a_batch_above_1000_is_refused(api, officer):
    response = api(officer).post("/api/v1/register/match/", {
        "purpose": "x", "queries": [{"name": "a"}] * 1001}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "queries"


def test_only_officers_match(api, employee, team_lead, policy, admin_user):
    for user in (employee, team_lead, policy, admin_user):
        response = api(user).post("/api/v1/register/match/", {
            "purpose": "x", "queries": [{"name": "a"}]}, content_type="application/json")
        assert response.status_code == 404
