import pytest
from django.core.management import call_command

from schakel.accounts.models import User
from schakel.signals.models import Signal


@pytest.mark.django_db
def test_the_demo_loads_once_and_again_without_duplicates(settings, tmp_path, monkeypatch,
                                                          capsys):
    settings.DATA_DIR = tmp_path
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("demo")
    out = capsys.readouterr().out
    password = (tmp_path / "demo_password").read_text().strip()
    assert password in out and "aandachtsfunctionaris" in out
    counts = (User.objects.count(), Signal.objects.count())
    call_command("demo", "--quiet")
    assert (User.objects.count(), Signal.objects.count()) == counts
    assert counts[0] == 5 and counts[1] >= 3
    # Signals in several states of the route, from new to closed.
    states = set(Signal.objects.values_list("state", flat=True))
    assert {"submitted", "closed"} <= states and len(states) >= 3
    for username in ("medewerker", "teamcoordinator", "aandachtsfunctionaris", "beleid",
                     "beheer"):
        assert User.objects.get(username=username).check_password(password)


@pytest.mark.django_db
def test_the_demo_password_comes_from_the_environment(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("DEMO_PASSWORD", "een-eigen-wachtwoord")
    call_command("demo", "--quiet")
    assert User.objects.get(username="medewerker").check_password("een-eigen-wachtwoord")
    assert not (tmp_path / "demo_password").exists()


@pytest.mark.django_db
def test_the_demo_accounts_with_two_factor_get_printed_recovery_codes_once(
        settings, tmp_path, monkeypatch, capsys):
    from schakel.accounts import twofactor

    settings.DATA_DIR = tmp_path
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("demo")
    out = capsys.readouterr().out
    for username in ("aandachtsfunctionaris", "beleid", "beheer"):
        user = User.objects.get(username=username)
        assert twofactor.recovery_codes_left(user) == twofactor.RECOVERY_CODE_COUNT
        codes = twofactor.StaticToken.objects.filter(device__user=user)
        assert all(code.token in out for code in codes)
    before = set(twofactor.StaticToken.objects.values_list("token", flat=True))
    call_command("demo", "--quiet")
    assert set(twofactor.StaticToken.objects.values_list("token", flat=True)) == before


def test_make_run_puts_the_port_in_the_site_address():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    dry = subprocess.run(["make", "-n", "run", "PORT=18801"], cwd=root, capture_output=True,
                         text=True, check=True, env={"PATH": "/usr/bin:/bin"}).stdout
    assert "demo --url http://127.0.0.1:18801" in dry
    probe = subprocess.run(
        ["make", "-s", "--eval", "probe: export SITE_URL ?= http://127.0.0.1:$(PORT)\n"
         "probe:\n\t@echo $$SITE_URL", "probe", "PORT=18801"],
        cwd=root, capture_output=True, text=True, check=True, env={"PATH": "/usr/bin:/bin"})
    assert probe.stdout.strip() == "http://127.0.0.1:18801"
