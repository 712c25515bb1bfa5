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


SIGNAL_PATHS = ("", "referrals/", "subjects/", "attachments/")


def _answers(client, user):
    paths = list(LISTS) + [f"/api/v1/processing-log/?user={user.pk}",
                           f"/api/v1/processing-log/?user={user.pk}&page_size=100"]
    for signal in Signal.objects.all():
        paths += [f"/api/v1/signals/{signal.pk}/{tail}" for tail in SIGNAL_PATHS]
        paths += [f"/api/v1/signals/{signal.pk}/subjects/{s.pk}/"
                  for s in signal.subjects.all()]
        paths += [f"/api/v1/signals/{signal.pk}/attachments/{a.pk}/"
                  for a in signal.attachments.all()]
    paths += [f"/api/v1/signals/?tab={tab}" for tab in ("new", "mine", "all", "own", "team")]
    answers = {}
    while paths:
        path = paths.pop()
        response = client.get(path)
        answers[path] = response.content.decode(errors="replace")
        if response.status_code == 200 and "json" in response["Content-Type"]:
            body = response.json()
            if isinstance(body, dict) and body.get("next"):
                paths.append(body["next"])
    return answers


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee_reporter", "colleague", "team_lead", "policy",
                                  "admin_user"])
def test_no_api_answer_to_any_other_role_shows_the_reporter(
        api, request, role, with_files, caplog, employee):
    user = employee if role == "employee_reporter" else request.getfixturevalue(role)
    answers = _answers(api(user), user)
    assert len(answers) > 10
    for path, body in answers.items():
        for marker in MARKERS:
            assert marker not in body, f"{marker} leaked to {role} on {path}"
    for record in caplog.records:
        assert not any(m in record.getMessage() for m in MARKERS)


@pytest.mark.django_db
def test_the_officer_sees_the_reporter_only_on_the_signal_itself(api, officer, with_files):
    signals_in_every_state = with_files
    client = api(officer)
    answers = _answers(client, officer)
    with_reporter = {p for p, body in answers.items() if any(m in body for m in MARKERS)}
    assert with_reporter == {f"/api/v1/signals/{s.pk}/" for s in signals_in_every_state}


@pytest.fixture
def with_files(signals_in_every_state, employee, officer):
    """A file from the reporter and one from the officer on every signal that takes them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from schakel.signals import attachments
    from schakel.signals.access import access_level
    from schakel.signals.tests.test_attachments import PNG

    for signal in signals_in_every_state:
        for user in (employee, officer):
            level = access_level(user, signal)
            if attachments.may_add(user, signal, level):
                attachments.attachments_add(
                    signal=signal, actor=user, level=level,
                    files=[(SimpleUploadedFile("f.png", PNG, content_type="image/png"),
                            "image/png")])
    return signals_in_every_state


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["colleague", "other_team_lead", "policy", "admin_user",
                                  "team_lead"])
def test_a_signal_out_of_reach_answers_exactly_as_one_that_does_not_exist(
        api, request, role, with_files):
    """The same 404 as the pages: the body names nothing, so nobody learns it exists."""
    user = request.getfixturevalue(role)
    client = api(user)
    missing = {tail: client.get(f"/api/v1/signals/999999/{tail}") for tail in SIGNAL_PATHS}
    hidden = 0
    for signal in with_files:
        for tail in SIGNAL_PATHS:
            response = client.get(f"/api/v1/signals/{signal.pk}/{tail}")
            if response.status_code == 200:
                continue  # the team lead still sees the status of the team's signals
            expected = missing[tail].json()
            body = response.json()
            assert response.status_code == 404 and body["detail"] == expected["detail"]
            assert body["title"] == expected["title"] and body["type"] == expected["type"]
            hidden += 1
        for attachment in signal.attachments.all():
            response = client.get(f"/api/v1/signals/{signal.pk}/attachments/{attachment.pk}/")
            assert response.status_code == 404
    assert hidden >= len(with_files) * 2
