"""The officer enriches a received signal in a real browser."""

import datetime as dt

import pytest

from schakel.signals.actions import SubjectData
from schakel.subjects.models import Link

MARKER = "Zwanenburg-MELDER-4412"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_links_a_candidate_and_sees_it_on_the_signal(
        page, live_server, login, officer, employee, make_signal, register):
    signal = make_signal(employee, steps=("receive",), officer=officer, reporter_name=MARKER,
                         subjects=[SubjectData(kind="person", values={
                             "name": "Berg, J. van den", "capacity": "victim",
                             "date_of_birth": dt.date(1980, 3, 4)})])
    login(page, officer)
    page.goto(f"{live_server.url}/meldingen/{signal.pk}/")
    page.get_by_role("link", name="Register doorzoeken voor dit signaal").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=f"Verrijking · {signal.reference}").is_visible()
    row = page.locator("table.candidates tbody tr").first
    assert "Jan van den Berg" in row.inner_text()
    assert "zelfde geboortedatum" in row.inner_text()
    assert MARKER not in page.content()
    row.get_by_role("button", name="Koppelen").click()
    page.wait_for_load_state()
    assert "Gekoppeld aan" in page.content()
    assert Link.objects.get().record == register["jan"]
    page.get_by_role("link", name=f"Terug naar signaal {signal.reference}").click()
    page.wait_for_load_state()
    section = page.locator("section", has=page.get_by_role("heading", name="Verrijking (stap 3)"))
    assert "Jan van den Berg" in section.inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_searches_the_register_without_the_terms_in_the_address(
        page, live_server, login, officer, register):
    login(page, officer)
    page.goto(f"{live_server.url}/register/zoeken/")
    page.get_by_label("Naam").fill("Klaas Yzerman")
    page.get_by_label("Doel").fill("Signaal verrijken")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state()
    assert "Klaas IJzerman" in page.locator("table.candidates").inner_text()
    assert "Yzerman" not in page.url and "Klaas" not in page.url
