import pytest
from django.test import Client

from conftest import totp_code  # noqa: F401  (re-exported for the tests here)


@pytest.fixture
def anon():
    return Client()


@pytest.fixture
def password_login():
    """Log a client in through the login form: password only, as a person would."""

    def do(client, user, password="test-password-123", **extra):
        return client.post("/inloggen/", {"username": user.username, "password": password},
                           **extra)

    return do


@pytest.fixture
def enrolled(db):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from schakel.accounts import twofactor

    def enrol(user):
        device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
        codes = twofactor.new_recovery_codes(user)
        return device, codes

    return enrol
