import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def fail(client, username, ip="10.0.0.1", times=1):
    response = None
    for _ in range(times):
        response = client.post("/inloggen/", {"username": username, "password": "fout"},
                               REMOTE_ADDR=ip)
    return response


def test_five_wrong_passwords_block_the_account_with_a_dutch_message(anon, employee,
                                                                     password_login):
    assert fail(anon, employee.username, times=4).status_code == 200
    response = fail(anon, employee.username)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Tijdelijk geblokkeerd" in html and "functioneel beheerder" in html
    # even the right password from another address waits now
    other = Client()
    response = password_login(other, employee, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429


def test_five_wrong_passwords_from_one_address_block_that_address(anon, make_user,
                                                                  password_login):
    for n in range(5):
        fail(anon, f"bestaat-niet-{n}", ip="10.0.0.7")
    victim = make_user("employee")
    assert password_login(Client(), victim, REMOTE_ADDR="10.0.0.7").status_code == 429
    assert password_login(Client(), victim, REMOTE_ADDR="10.0.0.8").status_code == 302


def test_the_block_ends_after_the_cool_off(anon, employee, password_login, settings,
                                           monkeypatch):
    from datetime import timedelta

    from axes.models import AccessAttempt

    fail(anon, employee.username, times=5)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time
                                 - timedelta(minutes=31))
    assert password_login(Client(), employee, REMOTE_ADDR="10.0.0.1").status_code == 302


def test_an_administrator_lifts_the_block_of_an_account(client, anon, employee, admin_user,
                                                        password_login):
    fail(anon, employee.username, times=5)
    client.force_login(admin_user)
    page = client.get("/blokkades/").content.decode()
    assert employee.username in page and "Opheffen" in page or "Blokkade" in page
    response = client.post("/blokkades/", {"username": employee.username})
    assert response.url == "/blokkades/"
    assert password_login(Client(), employee, REMOTE_ADDR="10.0.0.1").status_code == 302


def test_an_administrator_lifts_the_block_of_an_address(client, anon, admin_user, employee,
                                                        password_login):
    for n in range(5):
        fail(anon, f"x{n}", ip="10.0.0.9")
    client.force_login(admin_user)
    client.post("/blokkades/", {"ip": "10.0.0.9"})
    assert password_login(Client(), employee, REMOTE_ADDR="10.0.0.9").status_code == 302


@pytest.mark.parametrize("role", ["employee", "team_lead", "officer", "policy"])
def test_only_the_administrator_sees_the_blocks(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get("/blokkades/").status_code == 404
    assert client.post("/blokkades/", {"ip": "10.0.0.9"}).status_code == 404


def test_the_log_names_blocked_clients_by_pseudonym_only(anon, make_user, caplog):
    user = make_user("employee", username="marker-naam-42")
    with caplog.at_level("INFO"):
        fail(anon, user.username, ip="10.1.2.3", times=5)
    text = caplog.text
    assert "account=" in text
    assert "marker-naam-42" not in text and "10.1.2.3" not in text
