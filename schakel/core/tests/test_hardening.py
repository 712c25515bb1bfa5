"""Security headers, cookies, CSRF, `check --deploy`, log scrubbing and oversized bodies."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(SCHAKEL_ENV="production",
               SECRET_KEY="Zq8-r!x3P#w0Lm2vB7nY6tU5sE4dC1aF9hJ0kL-mN_pQ2rS4tV6wX8yZ1aB3c",
               ENCRYPTION_KEYS=Fernet.generate_key().decode(), DATA_DIR=str(tmp_path),
               REPORTER_LINK_KEYS="l" * 43, AUDIT_CHAIN_KEYS="c" * 43,
               ALLOWED_HOSTS="schakel.gemeente.example", SITE_URL="https://schakel.gemeente.example")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_pages_send_the_security_headers(client, employee):
    client.force_login(employee)
    response = client.get("/meldingen/mijn/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_httponly(employee):
    client = Client()
    client.get("/inloggen/")
    client.post("/inloggen/", {"username": employee.username, "password": "test-password-123"})
    assert client.cookies["sessionid"]["httponly"]
    assert client.cookies["csrftoken"]["httponly"]


def test_production_cookies_are_secure_and_hsts_is_on(tmp_path):
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SCHAKEL_ENV="production", SECRET_KEY="s" * 50,
               ENCRYPTION_KEYS=Fernet.generate_key().decode(), DATA_DIR=str(tmp_path),
               REPORTER_LINK_KEYS="l" * 43, AUDIT_CHAIN_KEYS="c" * 43,
               DJANGO_SETTINGS_MODULE="schakel.settings")
    code = ("from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
            "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT, "
            "s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SESSION_SAVE_EVERY_REQUEST, s.DEBUG)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    # sessions are saved when they change (and the idle stamp once a minute), not always
    assert result.stdout.split() == ["True"] * 5 + ["False", "False"], result.stderr


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_is_refused_with_a_dutch_page(employee):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/inloggen/", {"username": employee.username,
                                          "password": "test-password-123"})
    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.content.decode()


@pytest.mark.django_db
def test_a_body_over_the_form_limit_gets_a_dutch_413(client, employee, settings):
    client.force_login(employee)
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    response = client.post("/meldingen/nieuw/", {"background": big})
    assert response.status_code == 413
    assert "Te veel tegelijk verstuurd" in response.content.decode()


@pytest.mark.django_db
def test_an_upload_over_the_body_limit_is_refused_before_it_is_read(client, employee, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_REQUEST_BODY_SIZE = 1024
    client.force_login(employee)
    response = client.post("/meldingen/nieuw/",
                           {"file": SimpleUploadedFile("groot.pdf", b"%PDF" + b"0" * 4096)})
    assert response.status_code == 413
    assert "Te veel tegelijk verstuurd" in response.content.decode()


# ------------------------------------------------------------------ logging

def _record(msg, *args, exc_info=None, request=None):
    record = logging.LogRecord("schakel.test", logging.ERROR, __file__, 1, msg, args, exc_info)
    if request is not None:
        record.request = request
    return record


def test_the_log_filter_removes_personal_data_and_secrets():
    from schakel.core.logging import ScrubFilter

    record = _record("lookup %s for %s at /zoeken/?q=Piet+Jansen password=hunter2 "
                     "tel 06-12345678 bsn 123456782 iban NL91ABNA0417164300 3417 ZZ",
                     "jan@example.nl", "Authorization: Bearer abc.def.ghi")
    ScrubFilter().filter(record)
    text = record.getMessage()
    for secret in ["jan@example.nl", "Piet", "hunter2", "12345678", "123456782",
                   "NL91ABNA", "abc.def", "3417 ZZ"]:
        assert secret not in text, secret
    assert "lookup" in text and "/zoeken/" in text


def test_a_traceback_is_scrubbed_and_carries_the_reference_the_user_saw():
    from types import SimpleNamespace

    from schakel.core.logging import ScrubFilter

    try:
        raise ValueError("duplicate key email=marker-9f1@example.nl")
    except ValueError:
        info = sys.exc_info()
    record = _record("Internal Server Error: /meldingen/?q=geheim", exc_info=info,
                     request=SimpleNamespace(error_reference="abc123def0"))
    ScrubFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert formatted.startswith("ref=abc123def0 Internal Server Error: /meldingen/")
    assert "marker-9f1" not in formatted and "geheim" not in formatted
    assert "ValueError" in formatted and record.request is None


@pytest.mark.django_db
def test_a_server_error_is_logged_with_its_reference_and_without_the_query(employee, monkeypatch,
                                                                          caplog):
    import re

    import schakel.urls as urls

    def broken(request):
        raise RuntimeError("stuk bij burger@example.nl")

    monkeypatch.setattr(urls.urlpatterns[0], "callback", broken)
    client = Client(raise_request_exception=False)
    client.force_login(employee)
    response = client.get("/?q=Marker-Naam-77")
    reference = re.search(r"<code>(\w+)</code>", response.content.decode()).group(1)
    from schakel.core.logging import ScrubFilter

    lines = []
    for record in caplog.records:
        ScrubFilter().filter(record)
        lines.append(logging.Formatter().format(record))
    text = "\n".join(lines)
    assert f"ref={reference}" in text
    assert "Marker-Naam-77" not in text and "burger@example.nl" not in text


def test_every_log_handler_scrubs():
    from django.conf import settings

    for name, handler in settings.LOGGING["handlers"].items():
        assert "scrub" in handler.get("filters", []), name
