"""The share endpoint takes only the regional token, and the regional token opens nothing else."""

import pytest

from schakel.audit.models import AuditEvent
from schakel.region import actions
from schakel.region.models import ShareSwitch

pytestmark = pytest.mark.django_db

SHARE, AGENDA = "/api/v1/region/share/", "/api/v1/region/agenda/"


@pytest.fixture
def sharing(policy):
    actions.share_switch(actor=policy, enabled=True)


def test_the_region_token_fetches_the_share_and_it_is_logged(sharing, region_token, bearer):
    response = bearer(region_token).get(SHARE)
    assert response.status_code == 200
    assert response.json()["schema"] == "schakel.region.share/1"
    assert AuditEvent.objects.filter(changes__what="share", changes__token="Regio").exists()
    assert ShareSwitch.current().last_fetched_at is not None


def test_with_sharing_off_the_region_gets_403(region_token, bearer):
    assert bearer(region_token).get(SHARE).status_code == 403
    assert bearer(region_token).get(AGENDA).status_code == 403


@pytest.mark.parametrize("path", ["/api/v1/signals/", "/api/v1/partners/",
                                  "/api/v1/reports/figures/?year=2026", "/api/v1/plan/actions/",
                                  "/api/v1/processing-log/"])
def test_the_region_token_is_refused_everywhere_else(sharing, region_token, bearer, path):
    assert bearer(region_token).get(path).status_code == 403


def test_the_region_token_cannot_write(sharing, region_token, bearer):
    response = bearer(region_token).post("/api/v1/signals/", {}, content_type="application/json")
    assert response.status_code == 403


def test_other_tokens_and_sessions_do_not_see_the_share(sharing, policy, officer, client,
                                                        bearer):
    import datetime as dt

    from schakel.api import tokens
    from schakel.core import clock

    _token, secret = tokens.token_create(actor=policy, name="script", scope="read",
                                         expires_at=clock.now() + dt.timedelta(days=3))
    assert bearer(secret).get(SHARE).status_code == 404
    client.force_login(officer)
    assert client.get(SHARE).status_code == 404
    assert client.get(AGENDA).status_code == 404


def test_nobody_makes_a_personal_region_token(policy):
    import datetime as dt

    from schakel.api import tokens
    from schakel.core import clock

    with pytest.raises(tokens.TokenError):
        tokens.token_create(actor=policy, name="x", scope="region",
                            expires_at=clock.now() + dt.timedelta(days=3))


def test_the_agenda_carries_confirmed_open_questions_and_no_signal(sharing, officer,
                                                                   region_token, bearer,
                                                                   signals_in):
    signal = signals_in(1)[0]
    question = actions.question_submit(actor=officer, text="Hoe pakken jullie dit aan?",
                                       signal=signal, confirmed=True)
    data = bearer(region_token).get(AGENDA).json()
    assert data["items"] == [{"id": question.pk, "question": "Hoe pakken jullie dit aan?",
                              "quarter": data["items"][0]["quarter"]}]
    assert signal.reference not in str(data)
    actions.question_close(actor=officer, question=question, state="withdrawn")
    assert bearer(region_token).get(AGENDA).json()["items"] == []
