"""Single sign-on against a small OpenID Connect provider that this test runs on 127.0.0.1."""

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from schakel.accounts import oidc
from schakel.accounts.models import User

CLIENT_ID, CLIENT_SECRET = "schakel-test", "geheim-van-de-test"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Provider:
    """Discovery, JWKS, token and userinfo endpoints; the id_token is signed with RS256."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.nonce = None
        self.claims = {}
        self.audience = CLIENT_ID
        self.token_requests = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, data):
                body = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                path = urlparse(self.path).path
                if path == "/.well-known/openid-configuration":
                    self._json(provider.discovery())
                elif path == "/jwks":
                    self._json(provider.jwks())
                elif path == "/userinfo":
                    assert self.headers["Authorization"] == "Bearer toegang-123"
                    self._json(provider.claims)
                else:
                    self.send_error(404)

            def do_POST(self):
                length = int(self.headers["Content-Length"])
                form = parse_qs(self.rfile.read(length).decode())
                provider.token_requests.append(form)
                self._json({"access_token": "toegang-123", "token_type": "Bearer",
                            "id_token": provider.id_token(), "expires_in": 300})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def discovery(self):
        return {"issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token", "userinfo_endpoint": f"{self.url}/userinfo",
                "jwks_uri": f"{self.url}/jwks", "id_token_signing_alg_values_supported": ["RS256"]}

    def jwks(self):
        numbers = self.key.public_key().public_numbers()
        return {"keys": [{"kty": "RSA", "kid": "test-key", "alg": "RS256", "use": "sig",
                          "n": b64(numbers.n.to_bytes(256, "big")),
                          "e": b64(numbers.e.to_bytes(3, "big"))}]}

    def id_token(self):
        header = {"alg": "RS256", "kid": "test-key", "typ": "JWT"}
        now = int(time.time())
        payload = {"iss": self.url, "sub": self.claims.get("sub"), "aud": self.audience,
                   "iat": now, "exp": now + 300, "nonce": self.nonce}
        signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
        signature = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{b64(signature)}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider(settings):
    p = Provider()
    oidc._discovered.clear()
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    settings.OIDC_OP_DISCOVERY_URL = f"{p.url}/.well-known/openid-configuration"
    settings.OIDC_ROLE_GROUPS = "officer=GG-Mensenhandel,employee=GG-Medewerkers,admin=GG-Beheer"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS,
                                        "schakel.accounts.oidc.Backend"]
    yield p
    p.stop()
    oidc._discovered.clear()


def sso_login(client, provider, claims, next_url=None):
    provider.claims = claims
    response = client.get("/inloggen/sso/" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    target = urlparse(response.url)
    assert f"{target.scheme}://{target.netloc}" == provider.url and target.path == "/authorize"
    query = parse_qs(target.query)
    assert query["client_id"] == [CLIENT_ID]
    provider.nonce = query["nonce"][0]
    return client.get("/inloggen/sso/terug/", {"code": "code-1", "state": query["state"][0]})


pytestmark = pytest.mark.django_db


def test_an_officer_group_gives_the_role_only_after_a_second_person_approves(
        client, provider, admin_user):
    from schakel.accounts import roles
    from schakel.accounts.models import RoleRequest

    claims = {"sub": "abc-1", "preferred_username": "a.smit@gemeente.example",
              "email": "a.smit@gemeente.example", "given_name": "Anouk", "family_name": "Smit",
              "groups": ["GG-Mensenhandel", "Iets anders"]}
    response = sso_login(client, provider, claims)
    assert response.status_code == 302 and response.url == "/"
    user = User.objects.get(username="a.smit@gemeente.example")
    assert user.role == "employee" and user.first_name == "Anouk"
    assert not user.has_usable_password()
    assert client.get("/werkvoorraad/").status_code == 404  # not an officer yet
    request = RoleRequest.objects.get(user=user, state="pending")
    assert request.new_role == "officer" and request.requested_by is None
    roles.role_approve(actor=admin_user, request=request)
    sso_login(client, provider, claims)
    assert User.objects.get(pk=user.pk).role == "officer"
    # the provider did the second factor: the work queue opens straight away
    assert client.get("/werkvoorraad/").status_code == 200
    form = provider.token_requests[0]
    assert form["client_secret"] == [CLIENT_SECRET] and form["code"] == ["code-1"]
    assert RoleRequest.objects.filter(user=user).count() == 1  # no second request


def test_the_role_follows_the_groups_at_every_login_but_administrator_waits_for_approval(
        client, provider):
    from schakel.accounts.models import RoleRequest

    claims = {"sub": "x-2", "preferred_username": "t.bakker", "groups": ["GG-Medewerkers"]}
    sso_login(client, provider, claims)
    assert User.objects.get(username="t.bakker").role == "employee"
    client.post("/uitloggen/")
    sso_login(client, provider, {**claims, "groups": ["GG-Beheer", "GG-Medewerkers"]})
    user = User.objects.get(username="t.bakker")
    assert user.role == "employee" and not user.is_staff
    assert RoleRequest.objects.get(user=user).new_role == "admin"


def test_losing_the_officers_group_takes_the_role_away_at_the_next_login(client, provider,
                                                                         officer):
    officer.username = "o.smit"
    officer.save()
    sso_login(client, provider, {"sub": "x-9", "preferred_username": "o.smit",
                                 "groups": ["GG-Medewerkers"]})
    officer.refresh_from_db()
    assert officer.role == "employee"


def test_someone_in_no_mapped_group_is_refused_with_a_dutch_message(client, provider):
    response = sso_login(client, provider, {"sub": "x-3", "preferred_username": "buiten",
                                            "groups": ["GG-Kantine"]})
    assert response.url == "/inloggen/?sso=mislukt"
    assert not User.objects.filter(username="buiten").exists()
    html = client.get(response.url).content.decode()
    assert "Inloggen met het account van uw organisatie is niet gelukt" in html


def test_a_token_for_another_client_is_refused(client, provider):
    provider.audience = "een-andere-app"
    response = sso_login(client, provider, {"sub": "x-4", "preferred_username": "ander",
                                            "groups": ["GG-Mensenhandel"]})
    assert response.url == "/inloggen/?sso=mislukt"
    assert not User.objects.filter(username="ander").exists()


def test_a_token_signed_with_another_key_is_refused(client, provider):
    real_jwks = provider.jwks()
    provider.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    provider.jwks = lambda: real_jwks
    response = sso_login(client, provider, {"sub": "x-5", "preferred_username": "vals",
                                            "groups": ["GG-Mensenhandel"]})
    assert response.url == "/inloggen/?sso=mislukt"
    assert not User.objects.filter(username="vals").exists()


def test_the_login_page_offers_single_sign_on_only_when_configured(client, provider, settings):
    assert "/inloggen/sso/" in client.get("/inloggen/").content.decode()
    settings.OIDC_ENABLED = False
    assert "/inloggen/sso/" not in client.get("/inloggen/").content.decode()
    assert client.get("/inloggen/sso/").status_code == 404
    assert client.get("/inloggen/sso/terug/").status_code == 404


def test_password_logins_still_work_beside_single_sign_on(client, provider, employee):
    response = client.post("/inloggen/", {"username": employee.username,
                                          "password": "test-password-123"})
    assert response.status_code == 302 and response.url == "/"
