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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_enrichment_page_shows_a_probable_match_and_says_plainly_when_nothing_matches(
        page, live_server, login, officer, employee, make_signal, add_record):
    yara = add_record(name="Yara van Dijk", street="Molenweg", house_number="5",
                      postcode="3441SN", city="Woerden")
    add_record(name="Sem van Dijk", street="Molenweg", house_number="5", postcode="3441SN",
               city="Woerden")
    signal = make_signal(employee, steps=("receive",), officer=officer, subjects=[
        SubjectData(kind="person", values={"name": "Dijk van Yara", "capacity": "victim",
                                           "street": "Molenweg", "house_number": "5",
                                           "postcode": "3441 SN", "city": "Woerden"}),
        SubjectData(kind="person", values={"name": "Quirijn Oosterhuis-Vlaskamp",
                                           "capacity": "victim",
                                           "date_of_birth": dt.date(2001, 1, 2)})])
    login(page, officer)
    page.goto(f"{live_server.url}/meldingen/{signal.pk}/verrijking/")
    found = page.locator("section", has=page.get_by_role("heading", name="Persoon: Dijk van Yara"))
    row = found.locator("table.candidates tbody tr").first
    assert "Yara van Dijk" in row.inner_text()
    assert row.locator(".band").inner_text() == "Waarschijnlijk"
    assert "zelfde adres" in row.inner_text() and "gelezen als Yara van Dijk" in row.inner_text()
    # Sem, of the same household, is folded away as a weak candidate with the reason.
    weak = found.locator("details.weak-candidates")
    weak.locator("summary").click()
    assert "Sem van Dijk" in weak.inner_text() and "andere voornaam" in weak.inner_text()

    nobody = page.locator("section", has=page.get_by_role(
        "heading", name="Persoon: Quirijn Oosterhuis-Vlaskamp"))
    assert "Geen overeenkomst." in nobody.get_by_role("status").inner_text()
    assert nobody.locator("table.candidates").count() == 0
    # The search box is open, filled from the signal; a search with more particulars
    # finds the household's address record owner and stays out of the address bar.
    assert nobody.get_by_label("Naam").input_value() == "Quirijn Oosterhuis-Vlaskamp"
    nobody.get_by_label("Naam").fill("Yara van Dijk")
    nobody.get_by_label("Geboortedatum").fill("")
    nobody.get_by_label("Adres").fill("Molenweg 5, 3441 SN Woerden")
    nobody.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state()
    nobody = page.locator("section", has=page.get_by_role(
        "heading", name="Persoon: Quirijn Oosterhuis-Vlaskamp"))
    assert "Kandidaten voor uw zoekopdracht" in nobody.inner_text()
    assert "Yara van Dijk" in nobody.locator("table.candidates tbody tr").first.inner_text()
    assert "Molenweg" not in page.url and "Yara" not in page.url
    assert not Link.objects.filter(record=yara).exists()  # nothing linked without a click
