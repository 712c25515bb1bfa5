"""The token pages: make one on Mijn account (shown once), revoke it; the system tokens."""

import pytest
from django.test import Client

from schakel.api.models import ApiToken

pytestmark = pytest.mark.django_db


def _form(**extra):
    from schakel.core import clock

    day = clock.now().date().toordinal() + 30
    import datetime as dt

    return {"name": "mijn script", "scope": "read",
            "expires_on": dt.date.fromordinal(day).isoformat(), **extra}


def test_a_user_makes_a_token_and_sees_it_once(client, employee):
    client.force_login(employee)
    response = client.post("/account/tokens/", _form(), follow=True)
    assert response.redirect_chain == [("/account/tokens/", 302)]
    secret = response.context["secret"]
    assert secret and secret.encode() in response.content
    token = ApiToken.objects.get(user=employee)
    assert token.name == "mijn script" and token.scope == "read"
    again = client.get("/account/tokens/")
    assert secret.encode() not in again.content
    assert b"mijn script" in again.content


def test_a_token_is_made_only_after_the_second_login_step(employee):
    client = Client()
    client.post("/inloggen/", {"username": employee.username,
                               "password": "test-password-123"})
    page = client.get("/account/tokens/")
    assert page.status_code == 200 and page.context["allowed"] is False
    assert client.post("/account/tokens/", _form()).status_code == 404
    assert not ApiToken.objects.exists()


def test_a_bad_expiry_date_is_named(client, employee):
    client.force_login(employee)
    response = client.post("/account/tokens/", _form(expires_on="2000-01-01"))
    assert response.status_code == 400
    assert "expires_on" in response.context["form"].errors


def test_the_user_revokes_a_token_and_nobody_else_can(client, employee, colleague, make_token):
    token, _secret = make_token(employee)
    client.force_login(colleague)
    assert client.post(f"/account/tokens/{token.pk}/intrekken/").status_code == 404
    client.force_login(employee)
    assert client.post(f"/account/tokens/{token.pk}/intrekken/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_an_administrator_makes_a_system_token_and_an_officer_approves(
        client, admin_user, officer, make_user):
    account = make_user("employee", username="koppeling")
    client.force_login(admin_user)
    response = client.post("/account/systeemtokens/", {
        **_form(name="zaaksysteem"), "user": account.pk, "reason": "Archief"}, follow=True)
    assert response.status_code == 200 and response.context["secret"]
    token = ApiToken.objects.get(name="zaaksysteem")
    assert token.approval == "pending"
    own = client.post(f"/account/systeemtokens/{token.pk}/goedkeuren/")
    assert own.status_code == 302
    token.refresh_from_db()
    assert token.approval == "pending"  # not by the one who made it
    client.force_login(officer)
    assert b"zaaksysteem" in client.get("/account/systeemtokens/").content
    client.post(f"/account/systeemtokens/{token.pk}/goedkeuren/")
    token.refresh_from_db()
    assert token.approval == "approved" and token.decided_by == officer


def test_other_roles_do_not_see_the_system_tokens(client, employee, team_lead, policy):
    for user in (employee, team_lead, policy):
        client.force_login(user)
        assert client.get("/account/systeemtokens/").status_code == 404
