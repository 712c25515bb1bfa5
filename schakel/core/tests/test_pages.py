import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("role,target", [
    ("officer", "/werkvoorraad/"), ("employee", "/meldingen/mijn/"),
    ("team_lead", "/meldingen/mijn/"),
])
def test_each_role_starts_where_its_work_is(client, make_user, role, target):
    client.force_login(make_user(role))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == target


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["policy", "admin"])
def test_policy_and_admin_get_a_start_page(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_a_missing_page_is_a_dutch_404(client, employee):
    client.force_login(employee)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


@pytest.mark.django_db
def test_a_server_error_shows_a_reference_and_no_details(employee, monkeypatch):
    import schakel.urls as urls

    def broken(request):
        raise RuntimeError("geheim-detail-123")

    monkeypatch.setattr(urls.urlpatterns[0], "callback", broken)
    client = Client(raise_request_exception=False)
    client.force_login(employee)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Er ging iets mis" in html and "Kenmerk" in html
    assert "geheim-detail-123" not in html and "Traceback" not in html


@pytest.mark.django_db
def test_only_the_admin_role_reaches_the_administration(client, make_user, admin_user):
    for role in ("employee", "team_lead", "officer", "policy"):
        client.force_login(make_user(role))
        assert client.get("/beheer/").status_code == 302  # to the admin login: not staff
    from django.contrib.auth.models import Permission

    admin_user.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    client.force_login(admin_user)
    html = client.get("/beheer/").content.decode()
    assert "Gebruikers" in html
    assert "signal" not in html.lower().replace("signalen", "")
