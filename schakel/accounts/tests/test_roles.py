"""Four eyes on who may see reporters: requests, approvals, and every way around them."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from schakel.accounts import roles
from schakel.accounts.models import RoleRequest, User
from schakel.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin2(make_user):
    return make_user("admin", team=None, is_staff=True)


@pytest.fixture
def with_admin_site(admin_user):
    admin_user.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    return admin_user


def role_events(user):
    return list(AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk))
                .order_by("pk").values_list("actor_id", "changes"))


def test_a_request_approved_by_an_officer_makes_the_user_an_officer(
        admin_user, officer, employee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = roles.role_request(actor=admin_user, user=employee, role="officer",
                                     reason="Nieuwe aandachtsfunctionaris")
    employee.refresh_from_db()
    assert employee.role == "employee" and request.state == "pending"
    roles.role_approve(actor=officer, request=request)
    employee.refresh_from_db()
    assert employee.role == "officer" and not employee.is_staff
    steps = role_events(employee)
    assert steps[0] == (admin_user.pk, {"step": "request", "role": ["employee", "officer"],
                                        "request": request.pk})
    assert steps[1] == (officer.pk, {"step": "approve", "request": request.pk})
    assert steps[2] == (officer.pk, {"step": "change", "role": ["employee", "officer"],
                                     "request": request.pk, "requested_by": admin_user.pk})


def test_the_officers_get_an_e_mail_with_a_link_and_no_names_after_commit(
        admin_user, officer, employee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        roles.role_request(actor=admin_user, user=employee, role="officer", reason="Nodig")
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert officer.email in message.to and admin_user.email not in message.to
    assert employee.email not in message.to
    assert "/rollen/" in message.body
    for name in (employee.first_name, employee.last_name, employee.username,
                 admin_user.last_name):
        assert name not in message.body and name not in message.subject


def test_the_one_who_asked_cannot_approve(admin_user, employee):
    request = roles.role_request(actor=admin_user, user=employee, role="officer", reason="x")
    with pytest.raises(roles.RoleError):
        roles.role_approve(actor=admin_user, request=request)
    employee.refresh_from_db()
    assert employee.role == "employee"


def test_the_user_concerned_cannot_approve_their_own_request(admin_user, admin2, officer):
    request = roles.role_request(actor=admin_user, user=admin2, role="officer", reason="x")
    with pytest.raises(roles.RoleError):
        roles.role_approve(actor=admin2, request=request)
    admin2.refresh_from_db()
    assert admin2.role == "admin"


def test_employees_team_leads_and_policy_officers_do_not_approve(admin_user, employee, team_lead,
                                                                 policy, colleague):
    request = roles.role_request(actor=admin_user, user=colleague, role="officer", reason="x")
    for outsider in (employee, team_lead, policy):
        with pytest.raises(roles.RoleError):
            roles.role_approve(actor=outsider, request=request)


def test_nobody_changes_their_own_role(admin_user):
    with pytest.raises(roles.RoleError):
        roles.role_change(actor=admin_user, user=admin_user, role="policy")
    with pytest.raises(roles.RoleError):
        roles.role_request(actor=admin_user, user=admin_user, role="officer", reason="x")


def test_a_role_that_sees_reporters_cannot_be_given_directly(admin_user, employee):
    for role in ("officer", "admin"):
        with pytest.raises(roles.RoleError):
            roles.role_change(actor=admin_user, user=employee, role=role)
    employee.refresh_from_db()
    assert employee.role == "employee" and not employee.is_staff


def test_a_direct_change_is_logged_with_the_old_and_new_role(admin_user, employee):
    roles.role_change(actor=admin_user, user=employee, role="team_lead")
    employee.refresh_from_db()
    assert employee.role == "team_lead"
    assert role_events(employee) == [(admin_user.pk, {"step": "change",
                                                      "role": ["employee", "team_lead"]})]


def test_taking_the_officers_role_away_needs_no_approval(admin_user, officer):
    roles.role_change(actor=admin_user, user=officer, role="employee")
    officer.refresh_from_db()
    assert officer.role == "employee"


def test_a_role_change_ends_the_users_sessions(admin_user, officer, employee):
    epoch = employee.session_epoch
    request = roles.role_request(actor=admin_user, user=employee, role="officer", reason="x")
    roles.role_approve(actor=officer, request=request)
    employee.refresh_from_db()
    assert employee.session_epoch == epoch + 1


def test_an_approval_after_the_role_changed_meanwhile_is_refused(admin_user, admin2, officer,
                                                                  employee):
    request = roles.role_request(actor=admin_user, user=employee, role="officer", reason="x")
    User.objects.filter(pk=employee.pk).update(role="team_lead")  # e.g. single sign-on
    with pytest.raises(roles.RoleError):
        roles.role_approve(actor=officer, request=request)


def test_a_request_is_decided_once(admin_user, admin2, officer, employee):
    request = roles.role_request(actor=admin_user, user=employee, role="officer", reason="x")
    roles.role_refuse(actor=officer, request=request, note="Niet nodig")
    with pytest.raises(roles.RoleError):
        roles.role_approve(actor=admin2, request=request)
    employee.refresh_from_db()
    assert employee.role == "employee"
    assert role_events(employee)[-1] == (officer.pk, {"step": "refuse", "request": request.pk})


def test_making_another_administrator_takes_a_second_person_too(admin_user, admin2, employee):
    request = roles.role_request(actor=admin_user, user=employee, role="admin", reason="x")
    roles.role_approve(actor=admin2, request=request)
    employee.refresh_from_db()
    assert employee.role == "admin" and employee.is_staff
    assert employee.has_perm("accounts.change_user") and not employee.is_superuser


# ---------------------------------------------------------------- the page /rollen/

@pytest.mark.parametrize("role", ["employee", "team_lead", "policy"])
def test_only_officers_and_administrators_see_the_roles_page(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get("/rollen/").status_code == 404


def test_the_roles_page_is_dutch_and_shows_what_waits(client, admin_user, officer, employee):
    roles.role_request(actor=admin_user, user=employee, role="officer", reason="Nieuw in OOV")
    client.force_login(officer)
    html = client.get("/rollen/").content.decode()
    assert "Wacht op goedkeuring" in html and "Nieuw in OOV" in html
    assert "Goedkeuren" in html
    assert 'name="user"' not in html  # officers approve, they do not change roles


def test_a_single_administrator_posting_officer_gets_only_a_request(client, admin_user, employee):
    client.force_login(admin_user)
    response = client.post("/rollen/", {"user": employee.pk, "role": "officer",
                                        "reason": "Vervanging"})
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.role == "employee"
    assert RoleRequest.objects.get(user=employee).state == "pending"
    client.get(response.url)


def test_an_administrator_cannot_post_a_role_for_themself(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/rollen/", {"user": admin_user.pk, "role": "officer", "reason": "x"})
    assert response.status_code == 200
    assert "Kies een gebruiker uit de lijst" in response.content.decode()
    assert not RoleRequest.objects.exists()
    admin_user.refresh_from_db()
    assert admin_user.role == "admin"


def test_an_administrator_cannot_approve_their_own_request_by_posting(client, admin_user, employee):
    request = roles.role_request(actor=admin_user, user=employee, role="officer", reason="x")
    client.force_login(admin_user)
    response = client.post(f"/rollen/{request.pk}/goedkeuren/", follow=True)
    assert "niet degene die het vroeg" in response.content.decode()
    employee.refresh_from_db()
    assert employee.role == "employee"


def test_a_second_administrator_approves_by_posting(client, admin_user, admin2, employee):
    request = roles.role_request(actor=admin_user, user=employee, role="officer", reason="x")
    client.force_login(admin2)
    client.post(f"/rollen/{request.pk}/goedkeuren/")
    employee.refresh_from_db()
    assert employee.role == "officer"


def test_a_request_without_a_reason_is_refused_with_a_linked_error(client, admin_user, employee):
    client.force_login(admin_user)
    response = client.post("/rollen/", {"user": employee.pk, "role": "officer", "reason": ""})
    html = response.content.decode()
    assert response.status_code == 200 and 'href="#id_reason"' in html
    assert "Geef een reden" in html


def test_an_officer_cannot_change_roles_by_posting(client, officer, employee):
    client.force_login(officer)
    assert client.post("/rollen/", {"user": employee.pk, "role": "team_lead"}).status_code == 404


# ---------------------------------------------------------------- the Django admin

def test_the_django_admin_leaves_roles_and_privileges_alone(client, with_admin_site, employee):
    client.force_login(with_admin_site)
    for target in (employee, with_admin_site):
        response = client.post(f"/beheer/accounts/user/{target.pk}/change/", {
            "username": target.username, "first_name": "Nieuw", "last_name": "Naam",
            "email": target.email, "phone": "", "is_active": "on", "role": "officer",
            "is_staff": "on", "is_superuser": "on",
            "user_permissions": list(Permission.objects.values_list("pk", flat=True)),
        })
        assert response.status_code == 302, response.content.decode()[:500]
        target.refresh_from_db()
        assert target.first_name == "Nieuw"
        assert target.role in ("employee", "admin") and not target.is_superuser
    employee.refresh_from_db()
    assert employee.role == "employee" and not employee.is_staff


def test_the_django_admin_does_not_make_a_new_officer(client, with_admin_site):
    client.force_login(with_admin_site)
    response = client.post("/beheer/accounts/user/add/", {
        "username": "nieuw", "usable_password": "true", "password1": "een-lang-wachtwoord-42",
        "password2": "een-lang-wachtwoord-42", "role": "officer", "first_name": "N",
        "last_name": "N", "email": "n@example.invalid"})
    assert response.status_code == 200  # the form refuses the choice
    assert not User.objects.filter(username="nieuw").exists()
    client.post("/beheer/accounts/user/add/", {
        "username": "nieuw", "usable_password": "true", "password1": "een-lang-wachtwoord-42",
        "password2": "een-lang-wachtwoord-42", "role": "team_lead", "first_name": "N",
        "last_name": "N", "email": "n@example.invalid"})
    user = User.objects.get(username="nieuw")
    assert user.role == "team_lead"
    assert role_events(user)[0] == (with_admin_site.pk, {"step": "create",
                                                         "role": [None, "team_lead"]})


def test_the_django_admin_does_not_set_an_officers_password(client, with_admin_site, officer,
                                                            employee):
    client.force_login(with_admin_site)
    url = f"/beheer/accounts/user/{officer.pk}/password/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"password1": "overgenomen-wachtwoord-1",
                             "password2": "overgenomen-wachtwoord-1"}).status_code == 403
    officer.refresh_from_db()
    assert officer.check_password("test-password-123")
    assert client.get(f"/beheer/accounts/user/{employee.pk}/password/").status_code == 200
