"""The whole two-step login in Debian's Chromium: set up the app, log in with its code,
log in with a recovery code, log out everywhere."""

import base64
import hmac
import re
import time

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 by hand: what the authenticator app computes from the key it was given."""
    counter = int((time.time() if at is None else at) // 30)
    mac = hmac.new(base64.b32decode(secret), counter.to_bytes(8, "big"), "sha1").digest()
    offset = mac[-1] & 0x0F
    return f"{(int.from_bytes(mac[offset:offset + 4], 'big') & 0x7FFFFFFF) % 1_000_000:06d}"


def log_out(page):
    page.locator("form[action='/uitloggen/'] button").click()


def password_step(page, live_server, user):
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill("test-password-123")
    page.get_by_role("button", name="Inloggen").click()


def test_an_officer_sets_up_the_app_and_logs_in_with_codes(page, live_server, officer):
    password_step(page, live_server, officer)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    expect(page.get_by_role("img", name="QR-code om Schakel aan de app toe te voegen")) \
        .to_be_visible()
    secret = page.locator("ol code").inner_text()
    used = totp(secret)
    page.get_by_label("Code uit de app").fill(used)
    page.get_by_role("button", name="Aanzetten").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Uw herstelcodes")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="Ik heb ze bewaard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkvoorraad")

    # Again, from the start: password, then a recovery code (the app's code used to set
    # it up works once, whichever half-minute it is now).
    log_out(page)
    password_step(page, live_server, officer)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie")
    page.goto(f"{live_server.url}/werkvoorraad/")  # no way around the second step
    expect(page).to_have_url(re.compile(r"/inloggen/code/$"))
    page.get_by_label("Code").fill(used)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.locator(".error-text")).to_contain_text("Deze code klopt niet, of is al gebruikt")
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkvoorraad")

    page.get_by_role("link", name="Mijn account").click()
    expect(page.get_by_text("9 ongebruikte herstelcodes")).to_be_visible()
    page.get_by_role("button", name="Overal uitloggen").click()
    expect(page.get_by_text("U bent op alle apparaten uitgelogd.")).to_be_visible()
    page.goto(f"{live_server.url}/werkvoorraad/")
    expect(page).to_have_url(re.compile(r"/inloggen/\?next="))


def test_the_login_fixture_completes_the_second_step_for_other_tests(page, live_server, login,
                                                                     officer, policy):
    login(page, officer)
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkvoorraad")
    log_out(page)
    login(page, officer)  # twice within one half-minute
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkvoorraad")
