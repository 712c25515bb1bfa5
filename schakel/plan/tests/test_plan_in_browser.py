"""In Debian's Chromium: the policy officer records a training, the officer a control."""

import pytest
from playwright.sync_api import expect

from schakel.core import clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loaded_plan(db):
    from schakel.plan.demo import load_default_plan

    load_default_plan()


def open_menu(page):
    """The plan's pages sit in the 'Actieplan' group of the main menu."""
    page.locator("nav summary").filter(has_text="Actieplan").click()


def test_policy_records_a_training_and_the_officer_a_control(
        page, live_server, login, loaded_plan, policy, officer):
    today = clock.now().date().isoformat()
    login(page, policy)
    open_menu(page)
    page.get_by_role("link", name="Trainingen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trainingen en campagnes")
    page.get_by_role("link", name="Training vastleggen").click()
    page.get_by_label("Datum").fill(today)
    page.get_by_label("Onderwerp").fill("Signalen van criminele uitbuiting")
    page.get_by_label("Criminele uitbuiting").check()
    page.get_by_label("Aanbieder", exact=False).first.select_option("comensha")
    page.get_by_label("Aantal deelnemers").fill("12")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".alert-success")).to_contain_text("De training is opgeslagen.")
    page.get_by_role("link", name="Terug").click()
    expect(page.get_by_role("row").filter(has_text="Signalen van criminele uitbuiting")
           ).to_contain_text("CoMensha")

    page.get_by_role("button", name="Uitloggen").click()
    login(page, officer)
    open_menu(page)
    page.get_by_role("link", name="Controles", exact=True).click()
    page.get_by_role("link", name="Nieuw: Integrale controle op een risicoadres").click()
    page.get_by_label("Datum").fill(today)
    page.get_by_label("Straat").fill("Demostraat")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_label("Postcode").fill("3417zz")
    page.get_by_label("Aanwezige partners").fill("Politie, NLA, Belastingdienst")
    page.get_by_label("Bevindingen").fill("Acht bedden in twee kamers.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".alert-success")).to_contain_text("De controle is opgeslagen.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Integrale controle")
    expect(page.locator("dl.facts")).to_contain_text("Demostraat 12, 3417 ZZ")
