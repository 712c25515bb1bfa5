"""Schemathesis against the schema, in-process through the WSGI app, as every role.

0 server errors and 0 answers that break the schema. Examples per operation are kept
few (the machine is shared); hypothesis varies them per run.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

ROLES = ["employee", "team_lead", "officer", "policy", "admin"]
EXAMPLES = 8


@pytest.mark.django_db
def test_no_server_errors_and_no_answers_breaking_the_schema(make_user, make_signal,
                                                             make_token, settings):
    from rest_framework.settings import api_settings

    from schakel.wsgi import application

    # Thousands of calls from one address in a few minutes: the rate limits (tested on
    # their own) would otherwise answer most of them with 429 and test nothing else.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        scope: "100000/minute" for scope in api_settings.DEFAULT_THROTTLE_RATES}}

    users = {role: make_user(role, **({"is_staff": True} if role == "admin" else {}))
             for role in ROLES}
    make_signal(users["employee"], steps=["receive"], officer=users["officer"])
    make_signal(users["employee"])
    secrets = {role: make_token(user)[1] for role, user in users.items()}
    # As Django's test client does: the WSGI handler must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 40
        callers = [{"Authorization": f"Bearer {s}"} for s in secrets.values()]
        for headers in [*callers, {}]:  # every role, and nobody logged in
            for operation in operations:
                _run(operation, headers)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    from schakel.audit.models import AuditEvent

    calls = AuditEvent.objects.filter(object_type="api.apitoken", changes__has_key="method")
    assert calls.count() >= len(ROLES) * len(operations)  # it really called the API


def _run(operation, headers):
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(headers=headers,
                               checks=[not_a_server_error, response_schema_conformance])

    check()
