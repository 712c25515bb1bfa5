"""Problem details in Dutch or English, the schema and the documentation page."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_errors_are_problem_details_in_dutch_by_default(api, employee):
    response = api(employee).get("/api/v1/signals/999999/")
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert set(body) >= {"type", "title", "status", "detail", "instance"}
    assert body["status"] == 404 and body["title"] == "Niet gevonden"
    assert response["Content-Language"] == "nl"


def test_errors_are_in_english_when_the_client_asks(api, employee):
    response = api(employee, language="en-GB,en;q=0.8").get("/api/v1/signals/999999/")
    assert response.json()["title"] == "Not found"
    assert response["Content-Language"] == "en"


def test_an_unknown_address_under_the_api_is_a_problem_not_a_page(api, employee):
    response = api(employee).get("/api/v1/bestaat-niet/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_bad_json_is_a_problem_without_echo(api, employee):
    response = api(employee).post("/api/v1/signals/", "{geheim: ", content_type="application/json",
                                  headers={"Idempotency-Key": "k"})
    assert response.status_code == 400
    assert b"geheim" not in response.content


def test_a_server_error_shows_a_reference_and_no_stack_trace(api, employee, monkeypatch):
    from schakel.api.views import signals

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(signals.Signal.objects, "visible_to", boom)
    response = api(employee).get("/api/v1/signals/")
    assert response.status_code == 500
    assert b"secret internals" not in response.content and b"Traceback" not in response.content
    assert "referentie" in response.json()["detail"] or "reference" in response.json()["detail"]


def test_the_schema_is_valid_openapi(db):
    from drf_spectacular.validation import validate_schema

    response = Client().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert "/api/v1/signals/{id}/transitions/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_the_documentation_loads_from_this_server_only(db):
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html
    assert "<style" not in html and "<script>" not in html
    script = Client().get("/api/v1/docs/?script")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


def test_a_session_writes_only_with_its_csrf_token(employee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(employee)
    assert client.get("/api/v1/signals/").status_code == 200
    response = client.post("/api/v1/signals/", {}, content_type="application/json",
                           headers={"Idempotency-Key": "k"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
