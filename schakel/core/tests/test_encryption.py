"""The reporter's identity and special fields are unreadable in the database itself."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from schakel.signals import actions
from schakel.signals.models import ReporterIdentity, Signal, Subject

MARK = "Geheimpje-5e2b"


def raw(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.fixture
def keys(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.ENCRYPTION_KEYS = []
    return tmp_path / "encryption_keys"


@pytest.fixture
def signal(keys, employee, make_signal):
    signal = make_signal(employee, reporter_name=MARK, background=f"Achtergrond {MARK}",
                         subjects=[actions.SubjectData(kind="person", values={
                             "name": "Persoon", "nationality": f"Land {MARK}",
                             "capacity": "victim"})])
    return signal


def test_encrypted_fields_hold_no_plaintext_in_the_database(signal):
    rows = (raw("SELECT name, email, phone FROM signals_reporteridentity")
            + raw("SELECT background, background, background FROM signals_signal")
            + raw("SELECT nationality, description, nationality FROM signals_subject"))
    for row in rows:
        for value in row:
            assert MARK not in (value or "")
    assert raw("SELECT name FROM signals_reporteridentity")[0][0].startswith("gAAAAA")


def test_the_application_reads_them_back(signal):
    assert ReporterIdentity.objects.get().name == MARK
    assert Signal.objects.get().background == f"Achtergrond {MARK}"
    assert Subject.objects.get().nationality == f"Land {MARK}"


def test_key_rotation_round_trips(signal, keys, capsys):
    before_key = keys.read_text().strip()
    before = raw("SELECT name FROM signals_reporteridentity")[0][0]
    call_command("rotate_encryption_key")
    after_key = keys.read_text().strip()
    assert after_key != before_key and "\n" not in after_key
    after = raw("SELECT name FROM signals_reporteridentity")[0][0]
    assert after != before
    Fernet(after_key.encode()).decrypt(after.encode())  # readable with the new key alone
    assert ReporterIdentity.objects.get().name == MARK
    assert Signal.objects.get().background == f"Achtergrond {MARK}"


def test_production_rotation_in_two_steps(signal, keys, settings, capsys):
    old = keys.read_text().strip()
    settings.ENCRYPTION_KEYS = [old]
    call_command("rotate_encryption_key")
    new = capsys.readouterr().out.split("ENCRYPTION_KEYS: ")[1].split("\n")[0].strip()
    settings.ENCRYPTION_KEYS = [new, old]
    call_command("rotate_encryption_key", "--reencrypt")
    settings.ENCRYPTION_KEYS = [new]
    assert ReporterIdentity.objects.get().name == MARK


def test_a_wrong_key_is_a_clear_configuration_error(signal, settings):
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        ReporterIdentity.objects.get().name  # noqa: B018


def test_production_without_keys_refuses_to_start(settings):
    settings.PRODUCTION = True
    settings.ENCRYPTION_KEYS = []
    from schakel.core import crypto

    with pytest.raises(ImproperlyConfigured, match="ENCRYPTION_KEYS is required"):
        crypto.load_keys()


def test_rotation_covers_every_free_text_about_a_signal(signal, keys, officer):
    from schakel.core import crypto

    covered = {(model._meta.label, name) for model, names in crypto.encrypted_fields()
               for name in names}
    assert {("signals.Signal", "observed_where"), ("signals.Signal", "dismiss_reason"),
            ("signals.Signal", "message_for_reporter"), ("signals.Signal", "outcome_other"),
            ("signals.SignalEvent", "remark"), ("signals.ReporterIdentity", "user_ref"),
            ("signals.ReporterIdentity", "filed_by_ref"), ("partners.Referral", "reason"),
            ("partners.Referral", "withdraw_reason"), ("partners.CareCoordinatorSkip", "reason"),
            ("plan.AgendaItem", "question"), ("plan.AgendaItem", "decision"),
            ("plan.Meeting", "minutes"), ("subjects.Link", "reason")} <= covered
    actions.signal_add_note(signal=signal, actor=officer, text=f"Notitie {MARK}")
    call_command("rotate_encryption_key")
    new_key = Fernet(keys.read_text().strip().encode())
    for (remark,) in raw("SELECT remark FROM signals_signalevent WHERE remark <> ''"):
        assert new_key.decrypt(remark.encode()).decode() == f"Notitie {MARK}"
    for (where,) in raw("SELECT observed_where FROM signals_signal"):
        assert new_key.decrypt(where.encode()).decode() == "Balie"
