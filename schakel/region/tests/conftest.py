"""Fixtures of the regional picture: signals in a quarter, referrals, a region token."""

import datetime as dt

import pytest
from django.test import Client


@pytest.fixture
def region_settings(settings):
    """This installation is the region's, with two municipalities."""
    settings.SCHAKEL = {**settings.SCHAKEL, "REGION": (
        ("Montfoort", "http://127.0.0.1:9"), ("Oudewater", "http://127.0.0.1:9"))}
    return settings


@pytest.fixture
def ketenregisseur(make_user, region_settings):
    return make_user("region", team=None)


@pytest.fixture
def signals_in(make_signal, employee, officer):
    """`signals_in(n, urgent=…, forms=…)`: n received signals submitted now."""

    def make(n, **kwargs):
        return [make_signal(employee, steps=("receive",), officer=officer, **kwargs)
                for _i in range(n)]

    return make


@pytest.fixture
def region_token(db, admin_user, officer, make_user):
    """A system token with the regional scope, made and approved by two people."""
    from schakel.api import tokens
    from schakel.api.models import Scope
    from schakel.core import clock

    service = make_user("employee", team=None, username="regio-koppeling")
    token, secret = tokens.system_token_request(
        actor=admin_user, user=service, name="Regio", scope=Scope.REGION,
        expires_at=clock.now() + dt.timedelta(days=30), reason="Regionaal beeld")
    tokens.system_token_approve(actor=officer, token=token)
    return secret


@pytest.fixture
def bearer():
    def make(secret):
        return Client(headers={"Authorization": f"Bearer {secret}"},
                      raise_request_exception=False)

    return make
