import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import totp_code
from schakel.accounts import twofactor

pytestmark = pytest.mark.django_db


def test_an_officer_sets_up_the_app_and_gets_recovery_codes(anon, officer, password_login):
    password_login(anon, officer)
    page = anon.get("/account/tweestapsverificatie/").content.decode()
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page).group(1)
    assert 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert twofactor.secret_base32(device) == secret
    response = anon.post("/account/tweestapsverificatie/", {"token": totp_code(device)})
    assert response.url == "/account/herstelcodes/"
    codes_page = anon.get("/account/herstelcodes/").content.decode()
    assert codes_page.count("<li><code>") == 10
    # shown once only
    assert anon.get("/account/herstelcodes/").url == "/account/"
    assert anon.get("/werkvoorraad/").status_code == 200
    assert TOTPDevice.objects.get(user=officer).confirmed


def test_a_wrong_code_does_not_turn_it_on(anon, officer, password_login):
    password_login(anon, officer)
    anon.get("/account/tweestapsverificatie/")
    response = anon.post("/account/tweestapsverificatie/", {"token": "12345x"})
    assert "Vul de zes cijfers in" in response.content.decode()
    response = anon.post("/account/tweestapsverificatie/", {"token": "000000"})
    assert "Deze code klopt niet" in response.content.decode()
    assert not twofactor.has_totp(officer)


def test_someone_with_an_app_must_pass_it_before_changing_it(anon, officer, enrolled,
                                                            password_login):
    enrolled(officer)
    password_login(anon, officer)
    assert anon.get("/account/tweestapsverificatie/").url == "/inloggen/code/"


def test_new_recovery_codes_replace_the_old_ones(client, officer, enrolled):
    _, old = enrolled(officer)
    client.force_login(officer)
    assert client.post("/account/herstelcodes/").url == "/account/herstelcodes/"
    page = client.get("/account/herstelcodes/").content.decode()
    new = re.findall(r"<li><code>(\w+)</code></li>", page)
    assert len(new) == 10 and not set(new) & set(old)


def test_the_account_page_tells_the_state_in_dutch(client, officer, enrolled):
    enrolled(officer)
    client.force_login(officer)
    html = client.get("/account/").content.decode()
    assert "Tweestapsverificatie" in html and "Overal uitloggen" in html
    assert "10 ongebruikte herstelcodes" in html


def test_the_account_page_needs_a_login(anon):
    assert anon.get("/account/").url.startswith("/inloggen/")
