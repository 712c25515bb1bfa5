"""The whole route in Debian's Chromium: file, receive, close, read the message."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_employee_files_the_officer_closes_and_the_employee_reads_the_message(
        page, live_server, login, employee, officer):
    login(page, employee)
    page.get_by_role("link", name="Signaal melden").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Een signaal van mensenhandel melden")
    page.get_by_label("Direct gevaar, direct ingrijpen nodig").check()
    page.locator("#id_persons-0-name").fill("Piet Browsertest")
    page.locator("#id_persons-0-capacity").select_option("victim")
    page.get_by_label("Achtergrond en wat u zag of hoorde").fill(
        "Een man sliep in de bedrijfshal en werkte zeven dagen per week.")
    page.get_by_label("Arbeidsuitbuiting").check()
    page.get_by_role("radio", name="Nee", exact=True).check()
    page.get_by_role("button", name="Signaal versturen naar de aandachtsfunctionaris").click()
    expect(page.locator(".alert-success")).to_contain_text("is verstuurd")
    reference = re.search(r"MH-\d{4}-\d{5}", page.locator("h1").inner_text()).group(0)

    page.get_by_role("button", name="Uitloggen").click()
    login(page, officer)
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkvoorraad")
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("urgent")
    row.get_by_role("link", name=reference).click()
    expect(page.get_by_text("Melder (vertrouwelijk")).to_be_visible()
    page.get_by_role("button", name="In behandeling nemen").click()
    expect(page.locator(".state")).to_have_text("Ontvangen")
    page.get_by_label("Reden van afsluiten zonder doorzetten").fill("Geen uitbuiting.")
    page.get_by_role("button", name="Niet doorzetten").click()
    page.locator("#id_close-outcome").select_option("no_indication")
    page.get_by_label("Bericht voor de melder").fill("Dank u. Wij hebben dit uitgezocht.")
    page.get_by_role("button", name="Afsluiten").click()
    expect(page.locator(".state")).to_have_text("Afgesloten")

    page.get_by_role("button", name="Uitloggen").click()
    login(page, employee)
    page.get_by_role("link", name="Mijn meldingen").first.click()
    page.get_by_role("link", name=reference).click()
    expect(page.locator(".message-for-reporter")).to_have_text(
        "Dank u. Wij hebben dit uitgezocht.")
    expect(page.get_by_text("Geen uitbuiting.")).to_have_count(0)
