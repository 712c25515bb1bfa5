import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def fail(client, username, ip="10.0.0.1", times=1):
    response = None
    for _ in range(times):
        response = client.post("/inloggen/", {"username": username, "password": "fout"},
                               REMOTE_ADDR=ip)
    return response


def test_five_wrong_passwords_block_the_account_at_that_address_with_a_dutch_message(
        anon, employee, password_login):
    assert fail(anon, employee.username, times=4).status_code == 200
    response = fail(anon, employee.username)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Tijdelijk geblokkeerd" in html and "functioneel beheerder" in html
    # the right password from the same address waits now …
    assert password_login(Client(), employee, REMOTE_ADDR="10.0.0.1").status_code == 429
    # … from another desk it still works: that is not where someone guessed
    assert password_login(Client(), employee, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_one_shared_address_with_fifty_users_one_mistyping_blocks_nobody_else(
        make_user, password_login):
    office = "192.0.2.10"  # the town hall's one public address
    users = [make_user("employee") for _ in range(50)]
    clumsy, others = users[0], users[1:]
    fail(Client(), clumsy.username, ip=office, times=5)
    assert password_login(Client(), clumsy, REMOTE_ADDR=office).status_code == 429
    for user in others:
        assert password_login(Client(), user, REMOTE_ADDR=office).status_code == 302, user


def test_many_people_mistyping_once_at_a_shared_address_block_nobody(make_user,
                                                                     password_login):
    office = "192.0.2.11"
    users = [make_user("employee") for _ in range(50)]
    for user in users:  # everyone mistypes once on Monday morning
        fail(Client(), user.username, ip=office, times=1)
    assert all(password_login(Client(), u, REMOTE_ADDR=office).status_code == 302
               for u in users)


def test_guessing_one_account_from_many_addresses_blocks_the_account(anon, employee,
                                                                     password_login):
    for n in range(10):  # LOGIN_ACCOUNT_FAILURE_LIMIT, two tries each from five addresses
        fail(anon, employee.username, ip=f"10.3.0.{n // 2}")
    assert password_login(Client(), employee, REMOTE_ADDR="10.3.9.9").status_code == 429


def test_an_address_alone_is_blocked_only_at_the_much_higher_rate(anon, make_user,
                                                                  password_login, settings):
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT >= 10 * settings.AXES_FAILURE_LIMIT
    victim = make_user("employee")
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        fail(anon, f"bestaat-niet-{n}", ip="10.0.0.7")
    assert password_login(Client(), victim, REMOTE_ADDR="10.0.0.7").status_code == 302
    fail(anon, "nog-een", ip="10.0.0.7")
    assert password_login(Client(), make_user("employee"),
                          REMOTE_ADDR="10.0.0.7").status_code == 429
    assert password_login(Client(), make_user("employee"),
                          REMOTE_ADDR="10.0.0.8").status_code == 302


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
                                                        password_login, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 5
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
