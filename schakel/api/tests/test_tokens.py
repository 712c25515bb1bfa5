"""Personal and system tokens: scope, expiry, revocation, hashed storage, logged use."""

import datetime as dt

import pytest
from django.test import Client

from schakel.api import tokens
from schakel.api.models import ApiToken, hash_secret
from schakel.core import clock

pytestmark = pytest.mark.django_db


def bearer(secret, **headers):
    return Client(headers={"Authorization": f"Bearer {secret}", **headers},
                  raise_request_exception=False)


def test_only_the_hash_of_a_token_is_stored(make_token, employee):
    token, secret = make_token(employee)
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret.startswith("schakel_") and len(secret) > 40
    assert stored.key_hash == hash_secret(secret) and secret not in stored.key_hash
    assert secret not in {stored.name, stored.hint} and stored.hint == secret[:12]


def test_a_read_token_cannot_write(make_token, employee):
    _token, secret = make_token(employee, scope="read")
    client = bearer(secret)
    assert client.get("/api/v1/signals/").status_code == 200
    response = client.post("/api/v1/signals/", {}, content_type="application/json",
                           headers={"Idempotency-Key": "k"})
    assert response.status_code == 403
    assert "read and write" in response.json()["detail"] or "lezen" in response.json()["detail"]


def test_an_expired_token_no_longer_works(make_token, employee, monkeypatch):
    _token, secret = make_token(employee, days=1)
    assert bearer(secret).get("/api/v1/signals/").status_code == 200
    later = clock.now() + dt.timedelta(days=2)
    monkeypatch.setattr(clock, "now", lambda: later)
    response = bearer(secret).get("/api/v1/signals/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_no_longer_works(make_token, employee):
    token, secret = make_token(employee)
    tokens.token_revoke(actor=employee, token=token)
    assert bearer(secret).get("/api/v1/signals/").status_code == 401


def test_an_unknown_token_is_refused(db):
    assert bearer("schakel_nonsense").get("/api/v1/signals/").status_code == 401
    assert Client().get("/api/v1/signals/").status_code == 401


def test_every_use_is_in_the_processing_log_with_the_token_name(make_token, employee):
    from schakel.audit.models import AuditEvent, ProcessingRecord

    token, secret = make_token(employee, name="archiefkoppeling")
    bearer(secret).get("/api/v1/signals/")
    bearer(secret).get("/api/v1/signals/")
    uses = AuditEvent.objects.filter(object_type="api.apitoken", object_id=str(token.pk),
                                     changes__token="archiefkoppeling", actor=employee)
    assert uses.filter(changes__method="GET").count() == 2
    assert ProcessingRecord.objects.filter(
        purpose="API-token gebruikt: archiefkoppeling").count() == 2
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_never_longer_than_a_year(employee):
    with pytest.raises(tokens.TokenError):
        tokens.token_create(actor=employee, name="x", scope="read",
                            expires_at=clock.now() + dt.timedelta(days=400))
    with pytest.raises(tokens.TokenError):
        tokens.token_create(actor=employee, name="x", scope="read",
                            expires_at=clock.now() - dt.timedelta(days=1))


def test_a_token_sees_what_its_user_sees_and_no_more(make_token, employee, colleague,
                                                     make_signal):
    signal = make_signal(colleague)
    _token, secret = make_token(employee)
    assert bearer(secret).get(f"/api/v1/signals/{signal.pk}/").status_code == 404


# ---------------------------------------------------------------- system tokens

def _system(admin_user, account, **kw):
    return tokens.system_token_request(
        actor=admin_user, user=account, name="zaaksysteem", scope="read",
        expires_at=clock.now() + dt.timedelta(days=30), reason="Archiveren", **kw)


def test_a_system_token_works_only_after_a_second_person_approved(
        admin_user, make_user, officer, employee):
    account = make_user("officer", username="koppeling")
    token, secret = _system(admin_user, account)
    assert bearer(secret).get("/api/v1/signals/").status_code == 401
    with pytest.raises(tokens.TokenError):
        tokens.system_token_approve(actor=admin_user, token=token)  # who made it
    with pytest.raises(tokens.TokenError):
        tokens.system_token_approve(actor=account, token=token)  # the account itself
    with pytest.raises(tokens.TokenError):
        tokens.system_token_approve(actor=employee, token=token)  # not an approver
    tokens.system_token_approve(actor=officer, token=token)
    assert bearer(secret).get("/api/v1/signals/").status_code == 200


def test_a_refused_system_token_never_works(admin_user, make_user, officer):
    token, secret = _system(admin_user, make_user("employee"))
    tokens.system_token_refuse(actor=officer, token=token)
    assert bearer(secret).get("/api/v1/signals/").status_code == 401
    with pytest.raises(tokens.TokenError):
        tokens.system_token_approve(actor=officer, token=token)


def test_only_an_administrator_makes_system_tokens(officer, employee):
    with pytest.raises(tokens.TokenError):
        _system(officer, employee)


def test_the_system_token_steps_are_in_the_processing_log(admin_user, make_user, officer):
    from schakel.audit.models import AuditEvent

    token, _secret = _system(admin_user, make_user("employee"))
    tokens.system_token_approve(actor=officer, token=token)
    steps = list(AuditEvent.objects.filter(object_type="api.apitoken", object_id=str(token.pk))
                 .order_by("pk").values_list("changes__step", "actor"))
    assert steps == [("requested", admin_user.pk), ("approved", officer.pk)]
