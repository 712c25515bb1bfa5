"""The officer checks a list of risk addresses in a real browser and downloads the matches."""

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_checks_a_list_and_downloads_the_matches(
        page, live_server, login, officer, register, tmp_path):
    listing = tmp_path / "risicoadressen.csv"
    listing.write_text("kenmerk;adres\nP-1;Kerkstraat 12a, 3417 AB Montfoort\n"
                       "P-2;Nergensweg 99, 9999 ZZ Nergenshuizen\n", encoding="utf-8")
    login(page, officer)
    page.goto(f"{live_server.url}/register/zoeken/")
    page.get_by_role("link", name="Lijst controleren").click()
    page.wait_for_load_state()
    page.get_by_label("Lijst").set_input_files(str(listing))
    page.get_by_label("Doel").fill("Integrale controle voorjaar")
    page.get_by_role("button", name="Lijst controleren").click()
    page.wait_for_load_state()
    table = page.locator("table.candidates").inner_text()
    assert "Kerkstraat 12A, 3417AB Montfoort" in table and "geen overeenkomst" in table
    assert "Kerkstraat" not in page.url and "P-1" not in page.url
    with page.expect_download() as caught:
        page.get_by_role("button", name="Downloaden als CSV").click()
    download = caught.value
    assert download.suggested_filename.startswith("lijst-overeenkomsten-")
    text = open(download.path(), encoding="utf-8-sig").read()
    assert "P-1" in text and "geen overeenkomst" in text
