"""In a browser: the officer refers, the partner answers by the link, the signal moves on."""

import re

import pytest

MARKER = "MELDER-BROWSER-5521"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_partner_gives_feedback_through_the_link_and_the_officer_sees_the_signal_move_on(
        page, live_server, login, officer, employee, make_signal, seeded, mailoutbox):
    signal = make_signal(employee, steps=("receive",), officer=officer, reporter_name=MARKER,
                         forms=("labour",))
    login(page, officer)
    page.goto(f"{live_server.url}/meldingen/{signal.pk}/")
    page.get_by_role("link", name="Doorzetten naar ketenpartners").click()
    page.wait_for_load_state()
    # The rules propose the NLA (labour) and the care coordinator (always); keep only the latter.
    page.get_by_label("Doorzetten naar Nederlandse Arbeidsinspectie (NLA)").uncheck()
    page.get_by_role("button", name="Controleren wat elke partner ontvangt").click()
    page.wait_for_load_state()
    preview = page.locator(".referral-preview")
    assert "Zorgcoördinator" in preview.inner_text() and "Arbeidsinspectie" not in \
        preview.inner_text()
    page.get_by_role("button", name="Doorverwijzingen versturen").click()
    page.wait_for_load_state()
    assert "Doorverwijzingen naar ketenpartners" in page.content()
    assert "Doorgezet" in page.locator(".title-row").inner_text()

    [mail] = [m for m in mailoutbox if seeded["zorgcoordinator"].email in m.to]
    assert MARKER not in mail.body
    link = re.search(r"http://\S+/terugkoppeling/\S+/", mail.body).group(0)
    link = live_server.url + link[link.index("/terugkoppeling/"):]

    partner = page.context.browser.new_context().new_page()
    partner.goto(link)
    assert MARKER not in partner.content()
    assert signal.reference in partner.content()
    partner.get_by_role("button", name="Ontvangst bevestigen").click()
    partner.wait_for_load_state()
    assert "Ontvangst bevestigd op" in partner.content()
    partner.get_by_label("Zorg gestart").check()
    partner.get_by_role("textbox", name="Terugkoppeling").fill("Cliënt is in zorg genomen.")
    partner.get_by_role("button", name="Terugkoppeling versturen").click()
    partner.wait_for_load_state()
    assert "Dank u wel voor uw terugkoppeling" in partner.content()
    partner.goto(link)
    assert "Deze link is al gebruikt" in partner.content()

    page.goto(f"{live_server.url}/meldingen/{signal.pk}/")
    assert "Terugkoppeling ontvangen" in page.locator(".title-row").inner_text()
    section = page.locator("section", has=page.get_by_role(
        "heading", name="Doorverwijzingen naar ketenpartners (stap 4 en 5)"))
    assert "Zorg gestart" in section.inner_text()
