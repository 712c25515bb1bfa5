import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_are_dutch_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Inloggen" in response.content.decode()
    assert response["Content-Language"] == "nl"


@pytest.mark.django_db
def test_the_language_switch_gives_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"))
    assert "Log in" in response.content.decode() and "Inloggen" not in response.content.decode()


@pytest.mark.django_db
def test_a_nonsense_language_cookie_falls_back_to_dutch(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert "Inloggen" in client.get(reverse("login")).content.decode()


def test_the_empty_choice_of_a_select_is_dutch(client, policy):
    client.force_login(policy)
    html = client.get("/trainingen/nieuw/").content.decode()
    assert "- Kies een optie -" in html and "Select an option" not in html
