"""For every role, the API lists exactly the signals the pages list: each page, each tab,
each filter, and (without a tab) every page of the role together."""

import re

import pytest

pytestmark = pytest.mark.django_db

SIGNAL_LINK = re.compile(r'href="/meldingen/(\d+)/')

# role -> [(page, the same list through the API)]
PAGES = {
    "officer": [
        ("/werkvoorraad/?tab=new", "tab=new"),
        ("/werkvoorraad/?tab=mine", "tab=mine"),
        ("/werkvoorraad/?tab=all", "tab=all"),
        ("/werkvoorraad/?tab=all&state=received", "tab=all&state=received"),
        ("/werkvoorraad/?tab=all&urgent=yes", "tab=all&urgent=true"),
        ("/werkvoorraad/?tab=all&urgent=no", "tab=all&urgent=false"),
        ("/werkvoorraad/?tab=all&form=sexual", "tab=all&form=sexual"),
        ("/werkvoorraad/?tab=mine&state=referred", "tab=mine&state=referred"),
        ("/meldingen/mijn/", "tab=own"),
    ],
    "officer2": [("/werkvoorraad/?tab=mine", "tab=mine"), ("/werkvoorraad/?tab=all", "tab=all")],
    "employee": [("/meldingen/mijn/", "tab=own")],
    "colleague": [("/meldingen/mijn/", "tab=own")],
    "team_lead": [("/meldingen/mijn/", "tab=own"), ("/meldingen/team/", "tab=team")],
    "other_team_lead": [("/meldingen/mijn/", "tab=own"), ("/meldingen/team/", "tab=team")],
}


@pytest.fixture
def signals(employee, colleague, team_lead, other_team_lead, officer, officer2, make_signal,
            make_user):
    outsider = make_user("employee", team="Sociaal Team")
    made = [
        make_signal(employee),
        make_signal(employee, urgent=True, forms=("sexual",)),
        make_signal(employee, submit=False),
        make_signal(employee, steps=["receive"], officer=officer),
        make_signal(employee, steps=["receive", "refer"], officer=officer, urgent=True),
        make_signal(colleague, steps=["receive"], officer=officer2, forms=("sexual",)),
        make_signal(colleague, steps=["receive", "dismiss", "close"], officer=officer),
        make_signal(colleague, submit=False),
        make_signal(team_lead, steps=["receive", "refer"], officer=officer2),
        make_signal(outsider, urgent=True),
        make_signal(outsider, steps=["receive", "dismiss"], officer=officer),
        make_signal(other_team_lead, steps=["receive"], officer=officer),
        make_signal(officer, forms=("labour", "sexual")),
    ]
    return made


def _page_ids(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, url
    return {int(pk) for pk in SIGNAL_LINK.findall(response.content.decode())}


def _api_ids(client, query) -> set[int]:
    ids, url = set(), f"/api/v1/signals/?page_size=100&{query}".rstrip("&")
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        ids |= {row["id"] for row in response.json()["results"]}
        url = response.json()["next"]
    return ids


@pytest.mark.parametrize("role", sorted(PAGES))
def test_the_api_lists_what_each_page_of_the_role_lists(request, role, signals, api, client):
    user = request.getfixturevalue(role)
    client.force_login(user)
    token_client = api(user, scope="read")
    together = set()
    for page, query in PAGES[role]:
        on_page = _page_ids(client, page)
        assert _api_ids(token_client, query) == on_page, (page, query)
        together |= on_page
    assert together, f"{role} sees nothing: the test would prove nothing"
    if role in ("officer", "officer2", "employee", "colleague", "team_lead", "other_team_lead"):
        assert _api_ids(token_client, "") == together


@pytest.mark.parametrize("role", ["policy", "admin_user"])
def test_roles_without_signal_pages_get_404_from_both(request, role, signals, api, client):
    user = request.getfixturevalue(role)
    client.force_login(user)
    for page in ("/werkvoorraad/", "/meldingen/mijn/", "/meldingen/team/"):
        assert client.get(page).status_code == 404
    assert api(user).get("/api/v1/signals/").status_code == 404
