"""Fixtures of the API tests: a token per person, and a client that sends it."""

import datetime as dt

import pytest
from django.test import Client


@pytest.fixture
def make_token(db):
    from schakel.api import tokens
    from schakel.core import clock

    def make(user, scope="write", days=30, name="script"):
        return tokens.token_create(actor=user, name=name, scope=scope,
                                   expires_at=clock.now() + dt.timedelta(days=days))

    return make


@pytest.fixture
def api(make_token):
    """`api(user)` → a client whose every request carries a fresh token of `user`."""

    def make(user, scope="write", language=None):
        _token, secret = make_token(user, scope=scope)
        headers = {"Authorization": f"Bearer {secret}"}
        if language:
            headers["Accept-Language"] = language
        return Client(headers=headers, raise_request_exception=False)

    return make
