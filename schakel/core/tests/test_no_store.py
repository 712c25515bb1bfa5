"""No page a logged-in user sees stays behind in a browser's or a proxy's cache."""

import pytest
from django.test import Client

from .test_access_matrix import ROLES, concrete, routes


@pytest.fixture
def world(make_user, make_signal):
    users = {role: make_user(role, **({"is_staff": True} if role == "admin" else {}))
             for role in ROLES[1:]}
    signal = make_signal(users["employee"], steps=["receive"], officer=users["officer"])
    return users, signal


@pytest.mark.django_db
def test_every_page_of_every_role_is_sent_with_no_store(world):
    users, signal = world
    missing, seen = [], 0
    for role in ROLES[1:]:
        client = Client(raise_request_exception=False)
        client.force_login(users[role])
        for route in routes().values():
            path = concrete(route, signal.pk)
            response = client.get(path)
            seen += 1
            if "no-store" not in response.get("Cache-Control", ""):
                missing.append(f"{role} {path} {response.status_code}")
    assert seen > 300
    assert not missing, missing


@pytest.mark.django_db
def test_the_officers_signal_page_is_not_stored(client, officer, make_signal, employee):
    signal = make_signal(employee, steps=["receive"], officer=officer)
    client.force_login(officer)
    response = client.get(f"/meldingen/{signal.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Expires" not in response and "ETag" not in response


@pytest.mark.django_db
def test_a_logged_in_page_that_asks_for_caching_still_gets_no_store(rf, employee):
    from django.http import HttpResponse

    from schakel.core.middleware import NoStoreMiddleware

    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    request = rf.get("/")
    request.user = employee
    assert NoStoreMiddleware(view)(request)["Cache-Control"] == "no-store, private, max-age=0"


@pytest.mark.django_db
def test_the_login_page_is_not_stored_either(client):
    assert "no-store" in client.get("/inloggen/")["Cache-Control"]


def test_no_store_comes_after_whitenoise_so_static_files_stay_cacheable():
    from django.conf import settings as django_settings

    order = django_settings.MIDDLEWARE
    assert order.index("schakel.core.middleware.NoStoreMiddleware") > order.index(
        "whitenoise.middleware.WhiteNoiseMiddleware")
