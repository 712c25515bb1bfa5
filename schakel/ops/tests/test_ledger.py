"""The destruction ledger: written after each destruction commits, replayed after a restore."""

from datetime import UTC, datetime

import pytest
from django.db import transaction

from schakel.ops import ledger
from schakel.privacy import retention
from schakel.privacy.models import DestructionItem
from schakel.signals.models import Signal


@pytest.fixture(autouse=True)
def _ledger(settings, tmp_path):
    settings.DESTRUCTION_LEDGER = str(tmp_path / "destructions.jsonl")


@pytest.mark.django_db(transaction=True)
def test_an_approved_destruction_is_appended_with_its_certificate_and_nothing_personal(
        make_signal, employee, officer, monkeypatch):
    monkeypatch.setattr("schakel.core.clock.now", lambda: datetime(2024, 1, 10, tzinfo=UTC))
    signal = make_signal(employee, steps=["receive", "dismiss", "close"], officer=officer,
                         reporter_name="Melder Jansen", background="Achtergrond Jansen")
    monkeypatch.setattr("schakel.core.clock.now", lambda: datetime(2026, 11, 29, tzinfo=UTC))
    retention.retention_scan()
    certificate = retention.destruction_approve(items=DestructionItem.objects.all(),
                                                actor=officer, reason="Termijn verstreken")
    [entry] = ledger.entries()
    signal.refresh_from_db()
    assert entry == {"signal": signal.pk, "reference": signal.reference,
                     "certificate": certificate.number, "at": "2026-11-29T00:00:00+00:00"}
    text = ledger.ledger_path().read_text()
    assert "Jansen" not in text and "Melder" not in text
    assert ledger.ledger_path().stat().st_mode & 0o077 == 0


@pytest.mark.django_db(transaction=True)
def test_a_destruction_rolled_back_is_not_in_the_ledger(make_signal, employee, officer):
    signal = make_signal(employee)
    with pytest.raises(RuntimeError), transaction.atomic():
        retention.signal_destroy(signal=signal, actor=officer)
        raise RuntimeError("rolled back")
    assert ledger.entries() == []


@pytest.mark.django_db(transaction=True)
def test_replay_destroys_what_the_ledger_names_once_and_skips_the_unknown(
        make_signal, employee):
    signal = make_signal(employee, background="Komt terug uit de back-up")
    ledger.append({"signal": signal.pk, "reference": signal.reference, "certificate": "VV-1"})
    ledger.append({"signal": 999999, "reference": "MH-2020-99999", "certificate": "VV-2"})
    ledger.ledger_path().open("a").write("not json\n")
    assert ledger.replay() == [signal.reference]
    assert ledger.replay() == []
    signal = Signal.objects.get(pk=signal.pk)
    assert signal.destroyed_at is not None and signal.background == ""
    assert len(ledger.entries()) == 2  # replaying writes no new lines
