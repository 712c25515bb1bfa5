"""The officer answers an access request in a real browser, by keyboard where it matters."""

import pytest

from schakel.signals import actions

ZOFIA = "Zofia Przybylski-Ottens"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_looks_up_reviews_a_text_and_sees_the_other_names_struck(
        page, live_server, login, officer, employee, make_signal):
    make_signal(employee, steps=["receive"], officer=officer,
                background="Zofia Przybylski-Ottens slaapt bij Karel Ander.",
                subjects=[actions.SubjectData(kind="person", values={
                    "name": ZOFIA, "capacity": "victim"}),
                    actions.SubjectData(kind="person", values={
                        "name": "Karel Ander", "capacity": "perpetrator"})])
    login(page, officer)
    page.goto(f"{live_server.url}/inzageverzoeken/")
    page.get_by_label("Naam van de persoon").fill("Z. Przybylski Ottens")
    page.get_by_label("Verzoek ontvangen op").fill("2026-11-01")
    page.get_by_role("button", name="Opzoeken").click()
    page.wait_for_load_state()
    assert "Przybylski" not in page.url
    assert page.get_by_role("checkbox").first.is_checked()
    page.get_by_role("button", name="Inzageverzoek vastleggen").click()
    page.wait_for_load_state()
    assert "beperkt tot beoordeling" in page.content()
    page.get_by_role("link", name="Beoordelen Achtergrond van het signaal").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    struck = page.locator("del.removed").all_inner_texts()
    assert any("Karel" in s for s in struck) and any("Ander" in s for s in struck)
    assert "Zofia Przybylski-Ottens" in page.locator("ins.own").inner_text()
    page.get_by_label("Verstrekken", exact=True).check()
    page.get_by_role("button", name="Beoordeling vastleggen").click()
    page.wait_for_load_state()
    assert "De beoordeling is vastgelegd." in page.content()
