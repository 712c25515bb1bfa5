"""Tokens end with their account's sessions: role change, log out everywhere, deactivation."""

import datetime as dt

import pytest
from django.test import Client

from schakel.accounts import roles
from schakel.api import tokens
from schakel.api.models import ApiToken
from schakel.audit.models import AuditEvent
from schakel.core import clock

pytestmark = pytest.mark.django_db


def works(secret) -> bool:
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    return client.get("/api/v1/plan/controls/").status_code == 200


def revocations(token):
    return list(AuditEvent.objects.filter(object_type="api.apitoken", object_id=str(token.pk),
                                          changes__step__startswith="ingetrokken")
                .values_list("actor_id", "changes__step"))


def test_a_role_change_revokes_the_users_tokens_with_a_log_row(make_token, employee,
                                                                admin_user):
    token, secret = make_token(employee)
    assert works(secret)
    roles.role_change(actor=admin_user, user=employee, role="team_lead")
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == admin_user
    assert not works(secret)
    assert revocations(token) == [(admin_user.pk, "ingetrokken (rol gewijzigd)")]


def test_an_approved_role_revokes_the_tokens_too(make_token, employee, admin_user, officer):
    token, secret = make_token(employee)
    request = roles.role_request(actor=admin_user, user=employee, role="officer",
                                 reason="Nieuwe aandachtsfunctionaris")
    assert works(secret)  # a request alone changes nothing
    roles.role_approve(actor=officer, request=request)
    assert not works(secret)
    assert revocations(token) == [(officer.pk, "ingetrokken (rol gewijzigd)")]


def test_log_out_everywhere_revokes_every_token_of_the_user(make_token, employee, colleague,
                                                            client):
    mine, secret = make_token(employee)
    other, other_secret = make_token(colleague)
    client.force_login(employee)
    response = client.post("/account/overal-uitloggen/")
    assert response.status_code == 302
    assert not works(secret) and works(other_secret)
    assert revocations(mine) == [(employee.pk, "ingetrokken (overal uitgelogd)")]
    assert revocations(other) == []


def test_the_account_page_says_log_out_everywhere_ends_the_tokens(client, employee):
    client.force_login(employee)
    page = client.get("/account/").content.decode()
    assert "Overal uitloggen" in page or "Log out everywhere" in page
    assert "API-tokens" in page


def test_deactivating_the_account_revokes_its_tokens(make_token, employee):
    token, secret = make_token(employee)
    employee.is_active = False
    employee.save()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert revocations(token) == [(None, "ingetrokken (account gedeactiveerd)")]
    employee.is_active = True
    employee.save()
    assert not works(secret)  # back in service: a new token, never the old one


def test_a_login_saves_the_user_without_touching_tokens(make_token, employee):
    token, _secret = make_token(employee)
    employee.save(update_fields=["last_login"])
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_system_token_ends_with_the_account_it_acts_as(admin_user, officer, make_user):
    integration = make_user("employee", team=None, username="zaaksysteem")
    token, secret = tokens.system_token_request(
        actor=admin_user, user=integration, name="Zaaksysteem", scope="read",
        expires_at=clock.now() + dt.timedelta(days=30), reason="Archief")
    tokens.system_token_approve(actor=officer, token=token)
    assert works(secret)
    roles.role_change(actor=make_user("admin", team=None, username="beheer2"),
                      user=integration, role="policy")
    assert not works(secret)


def test_a_system_token_stays_when_its_maker_or_approver_loses_their_role(
        admin_user, officer, make_user):
    """The four eyes are checked at approval, as for roles: see api/revocation.py."""
    integration = make_user("employee", team=None, username="zaaksysteem")
    token, secret = tokens.system_token_request(
        actor=admin_user, user=integration, name="Zaaksysteem", scope="read",
        expires_at=clock.now() + dt.timedelta(days=30), reason="Archief")
    tokens.system_token_approve(actor=officer, token=token)
    other_admin = make_user("admin", team=None, username="beheer2")
    roles.role_change(actor=other_admin, user=admin_user, role="employee")
    roles.role_change(actor=other_admin, user=officer, role="employee")
    assert works(secret)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
