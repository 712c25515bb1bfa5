"""The intake form with the keyboard only, in Debian's Chromium (issue 14)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && (document.activeElement.id || "
                         "document.activeElement.className)")


def test_enter_sends_the_form_focus_follows_new_rows_and_the_error_summary(
        page, live_server, login, employee):
    login(page, employee)
    page.goto(f"{live_server.url}/meldingen/nieuw/")
    name = page.locator("#id_persons-0-name")
    name.fill("Piet Toetsenbord")
    name.press("Enter")  # must send the signal (which fails: incomplete), never add a row
    page.wait_for_load_state()
    expect(page).to_have_title(re.compile(r"^Fout: "))
    expect(page.locator("#id_persons-1-name")).to_have_count(0)
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    link = summary.get_by_role("link", name=re.compile("Achtergrond"))
    link.press("Enter")
    expect(page).to_have_url(re.compile("#id_background$"))

    add = page.get_by_role("button", name="Persoon toevoegen")
    add.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("#id_persons-1-name")).to_be_focused()
    expect(page.locator("#id_persons-0-name")).to_have_value("Piet Toetsenbord")
    expect(page.locator("[data-error-summary]")).to_have_count(0)


def test_a_keyboard_user_files_a_complete_signal_with_enter(page, live_server, login, employee):
    login(page, employee)
    page.goto(f"{live_server.url}/meldingen/nieuw/")
    page.locator("#id_persons-0-name").fill("Piet Toetsenbord")
    page.locator("#id_persons-0-capacity").select_option("victim")
    page.get_by_label("Achtergrond en wat u zag of hoorde").fill("Slaapt in de bedrijfshal.")
    page.get_by_label("Arbeidsuitbuiting").check()
    page.get_by_role("radio", name="Nee", exact=True).check()
    page.get_by_label("Waar", exact=True).press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("is verstuurd")


def _axe_violations(page) -> list[str]:
    """axe-core (bundled with axe-playwright-python, no network) on the page as it is."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"]]


def test_the_intake_its_error_summary_and_the_signal_pages_have_no_axe_violations(
        page, live_server, login, employee, officer, make_signal):
    login(page, employee)
    page.goto(f"{live_server.url}/meldingen/nieuw/")
    assert _axe_violations(page) == []
    page.get_by_role("button", name="Signaal versturen naar de aandachtsfunctionaris").click()
    page.wait_for_load_state()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert _axe_violations(page) == []
    signal = make_signal(employee, steps=["receive", "refer", "settle", "inform_reporter"],
                         officer=officer)
    page.goto(f"{live_server.url}/meldingen/mijn/")
    expect(page.get_by_text("Nieuw bericht")).to_be_visible()
    assert _axe_violations(page) == []
    page.goto(f"{live_server.url}/meldingen/{signal.pk}/")
    assert _axe_violations(page) == []
    page.set_content('<html lang="nl"><body><main><img src="x.png"></main></body></html>')
    assert any(v.startswith("image-alt") for v in _axe_violations(page))  # axe really runs
