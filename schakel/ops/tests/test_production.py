"""The production start: settings, the systemd units and the example environment agree."""

import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
UNITS = sorted((ROOT / "deploy").glob("*.service"))


def production_env(tmp_path, **overrides) -> dict:
    env = {"PATH": "/usr/bin:/bin", "SCHAKEL_ENV": "production", "DATA_DIR": str(tmp_path),
           "DATABASE_URL": "postgres://schakel:pw@127.0.0.1:5432/schakel",
           "SECRET_KEY": secrets.token_urlsafe(50),
           "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
           "REPORTER_LINK_KEYS": secrets.token_urlsafe(32),
           "AUDIT_CHAIN_KEYS": secrets.token_urlsafe(32),
           "SITE_URL": "https://schakel.gemeente.example",
           "ALLOWED_HOSTS": "schakel.gemeente.example,127.0.0.1", "PROXY_COUNT": "1",
           "LOG_FORMAT": "json", "HEALTH_TOKEN": secrets.token_urlsafe(32)}
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def check_deploy(env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy",
                           "--fail-level", "WARNING"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_production_settings_pass_djangos_deployment_checks(tmp_path):
    result = check_deploy(production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ENCRYPTION_KEYS", "AUDIT_CHAIN_KEYS",
                                     "REPORTER_LINK_KEYS"])
def test_production_refuses_to_start_without_its_keys(tmp_path, missing):
    result = check_deploy(production_env(tmp_path, **{missing: None}))
    assert result.returncode != 0
    assert missing in result.stderr


def test_a_short_health_token_stops_start_up(tmp_path):
    result = check_deploy(production_env(tmp_path, HEALTH_TOKEN="short"))
    assert result.returncode != 0
    assert "HEALTH_TOKEN" in result.stderr


def test_every_command_the_units_run_exists():
    commands = get_commands()
    used = set()
    for unit in UNITS:
        for line in unit.read_text().splitlines():
            match = re.match(r"Exec\w*=.*manage\.py (\w+)", line)
            if match:
                used.add(match.group(1))
    assert {"db_worker", "tasks_recover", "ops_schedule", "backup"} <= used
    assert used <= set(commands)


def test_the_example_environment_names_only_settings_schakel_reads():
    source = (ROOT / "schakel" / "settings.py").read_text()
    names = [line.split("=", 1)[0] for line in (ROOT / "deploy" / "env.example").read_text()
             .splitlines() if line and not line.startswith("#")]
    assert "ENCRYPTION_KEYS" in names
    for name in names:
        assert f'"{name}"' in source, name
