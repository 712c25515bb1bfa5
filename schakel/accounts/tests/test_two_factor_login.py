import pytest

from conftest import totp_code
from schakel.accounts import twofactor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["officer", "policy", "admin"])
def test_the_password_alone_does_not_open_a_page_for_roles_that_need_two_factor(
        anon, make_user, enrolled, password_login, role):
    user = make_user(role)
    enrolled(user)
    response = password_login(anon, user)
    assert response.status_code == 302 and response.url == "/inloggen/code/"
    for path in ["/", "/werkvoorraad/", "/account/", "/beheer/"]:
        response = anon.get(path)
        assert response.status_code == 302 and response.url == "/inloggen/code/", path


def test_an_officer_gets_in_with_the_code_from_the_app(anon, officer, enrolled, password_login):
    device, _ = enrolled(officer)
    password_login(anon, officer)
    response = anon.post("/inloggen/code/", {"token": totp_code(device)})
    assert response.status_code == 302 and response.url == "/"
    assert anon.get("/werkvoorraad/").status_code == 200


def test_the_page_asked_for_before_logging_in_comes_after_the_code(anon, officer, enrolled):
    device, _ = enrolled(officer)
    anon.post("/inloggen/", {"username": officer.username, "password": "test-password-123",
                             "next": "/werkvoorraad/"})
    response = anon.post("/inloggen/code/", {"token": totp_code(device)})
    assert response.url == "/werkvoorraad/"


def test_a_wrong_code_is_refused_in_dutch_and_keeps_the_session_unverified(
        anon, officer, enrolled, password_login):
    enrolled(officer)
    password_login(anon, officer)
    response = anon.post("/inloggen/code/", {"token": "000000"})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert anon.get("/werkvoorraad/").url == "/inloggen/code/"


def test_a_code_cannot_be_used_twice(anon, officer, enrolled, password_login):
    from django.test import Client

    device, _ = enrolled(officer)
    password_login(anon, officer)
    code = totp_code(device)
    assert anon.post("/inloggen/code/", {"token": code}).status_code == 302
    other = Client()
    password_login(other, officer)
    assert other.post("/inloggen/code/", {"token": code}).status_code == 200


def test_a_recovery_code_works_once(anon, officer, enrolled, password_login):
    from django.test import Client

    _, codes = enrolled(officer)
    password_login(anon, officer)
    assert anon.post("/inloggen/code/", {"token": codes[0].upper()}).status_code == 302
    assert twofactor.recovery_codes_left(officer) == 9
    other = Client()
    password_login(other, officer)
    assert other.post("/inloggen/code/", {"token": codes[0]}).status_code == 200


def test_after_many_wrong_codes_even_the_right_one_waits(anon, officer, enrolled, password_login):
    device, _ = enrolled(officer)
    password_login(anon, officer)
    for _ in range(3):
        anon.post("/inloggen/code/", {"token": "123456"})
    response = anon.post("/inloggen/code/", {"token": totp_code(device)})
    assert response.status_code == 200
    assert "Te veel verkeerde codes" in response.content.decode()


@pytest.mark.parametrize("role", ["employee", "team_lead"])
def test_employees_and_team_leads_log_in_with_a_password_alone(anon, make_user, password_login,
                                                             role):
    user = make_user(role)
    response = password_login(anon, user)
    assert response.status_code == 302 and response.url == "/"
    assert anon.get("/meldingen/mijn/").status_code == 200


def test_an_employee_who_turned_it_on_is_asked_for_the_code(anon, employee, enrolled,
                                                           password_login):
    enrolled(employee)
    assert password_login(anon, employee).url == "/inloggen/code/"


def test_an_officer_without_an_app_is_sent_to_set_one_up(anon, officer, password_login):
    response = password_login(anon, officer)
    assert response.url == "/account/tweestapsverificatie/"
    assert anon.get("/werkvoorraad/").url == "/account/tweestapsverificatie/"


def test_logging_out_halfway_is_possible(anon, officer, enrolled, password_login):
    enrolled(officer)
    password_login(anon, officer)
    assert anon.post("/uitloggen/").status_code == 302
    assert anon.get("/werkvoorraad/").url.startswith("/inloggen/")


def test_the_code_page_sends_strangers_to_the_login(anon):
    assert anon.get("/inloggen/code/").url == "/inloggen/"


def test_the_admins_own_login_form_is_not_a_way_around(anon):
    response = anon.get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302 and response.url.startswith("/inloggen/?next=")


def test_force_login_in_tests_counts_as_a_finished_login(client, officer):
    client.force_login(officer)
    assert client.get("/werkvoorraad/").status_code == 200
