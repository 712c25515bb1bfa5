import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_logging_out_everywhere_ends_the_other_sessions_too(employee, password_login):
    laptop, phone = Client(), Client()
    password_login(laptop, employee)
    password_login(phone, employee)
    assert phone.get("/meldingen/mijn/").status_code == 200
    response = laptop.post("/account/overal-uitloggen/")
    assert response.url == "/inloggen/"
    assert phone.get("/meldingen/mijn/").url.startswith("/inloggen/")
    assert laptop.get("/meldingen/mijn/").url.startswith("/inloggen/")
    # and logging in again works
    assert password_login(phone, employee).url == "/"


def test_logging_out_everywhere_needs_a_post(client, employee):
    client.force_login(employee)
    assert client.get("/account/overal-uitloggen/").status_code == 405


def test_the_button_is_on_the_account_page(client, employee):
    client.force_login(employee)
    assert 'action="/account/overal-uitloggen/"' in client.get("/account/").content.decode()
