"""The reporter's identity through the API: only in an officer's answer on one signal.

The per-role leak test of the pages (`signals/tests/test_reporter_never_leaks.py`), over
every GET endpoint of the API: the same planted markers, the same signals in every state.
"""

import pytest

from schakel.signals.models import Signal
from schakel.signals.tests import test_reporter_never_leaks as pages

MARKERS = pages.MARKERS
signals_in_every_state = pages.signals_in_every_state  # the same fixture as the pages' test

LISTS = ["/api/v1/signals/", "/api/v1/partners/", "/api/v1/plan/actions/",
         "/api/v1/plan/meetings/", "/api/v1/plan/controls/", "/api/v1/plan/trainings/",
         "/api/v1/reports/figures/", "/api/v1/schema/"]


def _answers(client, user):
    paths = list(LISTS) + [f"/api/v1/processing-log/?user={user.pk}"]
    for signal in Signal.objects.all():
        paths += [f"/api/v1/signals/{signal.pk}/", f"/api/v1/signals/{signal.pk}/referrals/"]
    answers = {}
    while paths:
        path = paths.pop()
        response = client.get(path)
        answers[path] = response.content.decode()
        if response.status_code == 200 and "json" in response["Content-Type"]:
            body = response.json()
            if isinstance(body, dict) and body.get("next"):
                paths.append(body["next"])
    return answers


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee_reporter", "colleague", "team_lead", "policy",
                                  "admin_user"])
def test_no_api_answer_to_any_other_role_shows_the_reporter(
        api, request, role, signals_in_every_state, caplog, employee):
    user = employee if role == "employee_reporter" else request.getfixturevalue(role)
    answers = _answers(api(user), user)
    assert len(answers) > 10
    for path, body in answers.items():
        for marker in MARKERS:
            assert marker not in body, f"{marker} leaked to {role} on {path}"
    for record in caplog.records:
        assert not any(m in record.getMessage() for m in MARKERS)


@pytest.mark.django_db
def test_the_officer_sees_the_reporter_only_on_the_signal_itself(api, officer,
                                                                 signals_in_every_state):
    client = api(officer)
    answers = _answers(client, officer)
    with_reporter = {p for p, body in answers.items() if any(m in body for m in MARKERS)}
    assert with_reporter == {f"/api/v1/signals/{s.pk}/" for s in signals_in_every_state}
