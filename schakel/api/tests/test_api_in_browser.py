"""The token page and the API documentation in Debian's Chromium."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_makes_a_token_sees_it_once_and_uses_it(page, live_server, login, officer):
    login(page, officer)
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Uw API-tokens beheren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API-tokens")
    page.get_by_role("textbox", name="Naam").fill("archiefscript")
    page.get_by_label("Lezen en schrijven").check()
    page.get_by_role("button", name="Token maken").click()
    secret = page.get_by_label("Token", exact=True).input_value()
    assert secret.startswith("schakel_")
    expect(page.get_by_role("table")).to_contain_text("archiefscript")

    answer = page.request.get(f"{live_server.url}/api/v1/signals/",
                              headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200
    page.reload()
    assert secret not in page.content()  # shown once

    page.get_by_role("button", name="Intrekken archiefscript").click()
    expect(page.get_by_role("table")).to_contain_text("ingetrokken")
    again = page.request.get(f"{live_server.url}/api/v1/signals/",
                             headers={"Authorization": f"Bearer {secret}"})
    assert again.status == 401


def test_the_documentation_renders_without_outside_network(page, live_server):
    outside = []
    page.on("request", lambda r: outside.append(r.url)
            if urlparse(r.url).hostname not in ("localhost", "127.0.0.1") else None)
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.get_by_text("/api/v1/signals/{id}/transitions/")).to_be_visible()
    assert outside == []
