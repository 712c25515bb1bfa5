"""Start-up refuses bad configuration with a message that names the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def start(tmp_path, **env):
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("DATABASE_URL", "SECRET_KEY", "SCHAKEL_ENV")}
    environment.update({"DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "schakel.settings",
                        **env})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); "
         "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize("url", ["mysql://x@y/z", "nonsense", "postgres://user@host:notaport/db"])
def test_a_bad_database_url_stops_start_up_with_a_clear_message(tmp_path, url):
    result = start(tmp_path, DATABASE_URL=url)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" in result.stderr  # ImproperlyConfigured, not a silent fallback


def test_a_postgres_url_selects_postgresql(tmp_path):
    result = start(tmp_path, DATABASE_URL="postgres://u:p@127.0.0.1:5432/schakel")
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_no_database_url_means_sqlite_in_the_data_folder(tmp_path):
    result = start(tmp_path)
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_production_requires_a_secret_key(tmp_path):
    result = start(tmp_path, SCHAKEL_ENV="production")
    assert result.returncode != 0 and "SECRET_KEY is required" in result.stderr


def test_production_requires_encryption_keys(tmp_path):
    result = start(tmp_path, SCHAKEL_ENV="production", SECRET_KEY="x" * 50)
    assert result.returncode != 0 and "ENCRYPTION_KEYS is required" in result.stderr


@pytest.mark.parametrize("missing", ["REPORTER_LINK_KEYS", "AUDIT_CHAIN_KEYS"])
def test_production_requires_the_keys_of_the_keyed_hashes(tmp_path, missing):
    from cryptography.fernet import Fernet

    keys = {"REPORTER_LINK_KEYS": "l" * 43, "AUDIT_CHAIN_KEYS": "c" * 43}
    keys.pop(missing)
    result = start(tmp_path, SCHAKEL_ENV="production", SECRET_KEY="x" * 50,
                   ENCRYPTION_KEYS=Fernet.generate_key().decode(), **keys)
    assert result.returncode != 0 and f"{missing} is required" in result.stderr


def test_a_short_chain_key_is_refused(tmp_path):
    result = start(tmp_path, AUDIT_CHAIN_KEYS="kort")
    assert result.returncode != 0 and "AUDIT_CHAIN_KEYS must be at least 32" in result.stderr


def test_an_unknown_environment_is_refused(tmp_path):
    result = start(tmp_path, SCHAKEL_ENV="staging")
    assert result.returncode != 0 and "SCHAKEL_ENV must be" in result.stderr


def test_the_demo_generates_its_secret_key_once(tmp_path):
    start(tmp_path)
    key = (tmp_path / "secret_key").read_text()
    start(tmp_path)
    assert (tmp_path / "secret_key").read_text() == key and len(key) >= 40
