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
