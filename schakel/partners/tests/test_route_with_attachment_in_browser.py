"""The route as staff live it (issue 14), in Debian's Chromium: a photo at intake, the
guiding referral form, and the reporter told by e-mail and by a marker."""

import io
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def _axe(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    return [v["id"] for v in Axe().run(page).response["violations"]]


def test_a_photo_travels_with_the_signal_the_referral_is_checked_and_the_reporter_is_told(
        page, live_server, login, employee, officer, seeded, mailoutbox):
    from schakel.partners import actions as partner_actions
    from schakel.partners.models import Referral

    photo = _png()
    login(page, employee)
    page.goto(f"{live_server.url}/meldingen/nieuw/")
    page.locator("#id_persons-0-name").fill("Piet Fototest")
    page.locator("#id_persons-0-capacity").select_option("victim")
    page.get_by_label("Achtergrond en wat u zag of hoorde").fill("Slaapt in de bedrijfshal.")
    page.get_by_label("Arbeidsuitbuiting").check()
    page.get_by_role("radio", name="Nee", exact=True).check()
    page.get_by_label("Foto's, gescande brieven of schermafbeeldingen").set_input_files(
        {"name": "advertentie.png", "mimeType": "image/png", "buffer": photo})
    page.get_by_role("button", name="Signaal versturen naar de aandachtsfunctionaris").click()
    expect(page.locator(".alert-success")).to_contain_text("is verstuurd")
    reference = re.search(r"MH-\d{4}-\d{5}", page.locator("h1").inner_text()).group(0)
    expect(page.get_by_role("link", name="advertentie.png")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()

    login(page, officer)
    page.get_by_role("row").filter(has_text=reference).get_by_role("link", name=reference).click()
    expect(page.get_by_role("img", name="Voorbeeld van advertentie.png")).to_be_visible()
    assert _axe(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="advertentie.png").click()
    assert open(download.value.path(), "rb").read() == photo
    page.get_by_role("button", name="In behandeling nemen").click()
    page.get_by_role("link", name="Doorzetten naar ketenpartners").click()
    others = page.locator("details.other-partners")
    expect(others).not_to_have_attribute("open", re.compile(".*"))
    page.get_by_role("button", name="Controleren wat elke partner ontvangt").click()
    preview = page.locator(".referral-preview")
    expect(preview).to_be_focused()
    expect(preview).to_contain_text("Piet Fototest")
    expect(preview).to_contain_text("Nederlandse Arbeidsinspectie")
    assert _axe(page) == []
    page.get_by_role("button", name="Doorverwijzingen versturen").click()
    expect(page.locator(".title-row")).to_contain_text("Doorgezet")

    for referral in Referral.objects.filter(signal__reference=reference):
        partner_actions.referral_record_feedback(
            referral=referral, actor=officer, outcome="taken_up",
            text=f"Opgepakt door {referral.partner.name}.", channel="phone")
    page.reload()
    expect(page.get_by_text("Opgepakt door Nederlandse Arbeidsinspectie (NLA).")).to_be_visible()
    mailoutbox.clear()
    page.get_by_label("Bericht voor de melder").fill("Wij hebben uw melding doorgezet.")
    page.get_by_role("button", name="Bericht naar de melder sturen").click()
    expect(page.locator(".title-row .state")).to_have_text("Melder geïnformeerd")
    [mail] = [m for m in mailoutbox if employee.email in m.to]
    assert reference in mail.subject and "Wij hebben" not in mail.body
    assert "Piet Fototest" not in mail.body and "/meldingen/mijn/" in mail.body
    page.get_by_role("button", name="Uitloggen").click()

    login(page, employee)
    page.get_by_role("link", name="Mijn meldingen").first.click()
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Nieuw bericht")
    row.get_by_role("link", name=reference).click()
    expect(page.locator(".message-for-reporter")).to_have_text("Wij hebben uw melding doorgezet.")
    page.get_by_role("link", name="Mijn meldingen").first.click()
    expect(page.get_by_role("row").filter(has_text=reference)).not_to_contain_text("Nieuw bericht")
