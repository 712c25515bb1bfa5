"""The page Rollen in Debian's Chromium: one administrator asks, an officer approves."""

import re

import pytest
from playwright.sync_api import expect

from schakel.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_asks_and_an_officer_approves_with_the_keyboard(
        page, browser, live_server, login, make_user):
    admin = make_user("admin", team=None, is_staff=True)
    officer = make_user("officer", team="Openbare Orde en Veiligheid")
    newcomer = make_user("employee", first_name="Noor")

    login(page, admin)
    page.goto(f"{live_server.url}/rollen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rollen")
    page.get_by_role("button", name="Opslaan").click()  # nothing chosen: errors, linked
    expect(page).to_have_title(re.compile(r"^Fout: Rollen"))
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Kies een gebruiker.")
    summary.get_by_role("link", name="Gebruiker: Kies een gebruiker.").click()
    expect(page.get_by_label("Gebruiker")).to_be_focused()
    page.get_by_label("Gebruiker").select_option(str(newcomer.pk))
    page.get_by_label("Nieuwe rol").select_option("officer")
    page.get_by_label("Reden").fill("Vervanging tijdens verlof")
    page.get_by_label("Reden").press("Enter")
    expect(page.locator(".messages")).to_contain_text("Een tweede persoon")
    expect(page.get_by_role("button", name="Goedkeuren")).to_have_count(0)  # not for the asker
    newcomer.refresh_from_db()
    assert newcomer.role == "employee"

    second = browser.new_context().new_page()
    login(second, officer)
    second.goto(f"{live_server.url}/rollen/")
    expect(second.get_by_role("table").first).to_contain_text("Vervanging tijdens verlof")
    approve = second.get_by_role("button", name="Goedkeuren")
    approve.focus()
    second.keyboard.press("Enter")
    expect(second.locator(".messages")).to_contain_text("goedgekeurd")
    assert User.objects.get(pk=newcomer.pk).role == "officer"
