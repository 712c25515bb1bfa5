"""The reporter's account is linked only through a keyed hash and an encrypted id."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from schakel.core import crypto
from schakel.signals.models import ReporterIdentity, Signal


def _reporter_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM signals_reporteridentity")
        names = [c[0] for c in cursor.description]
        return names, cursor.fetchall()


@pytest.fixture
def link_keys(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.ENCRYPTION_KEYS = []
    settings.REPORTER_LINK_KEYS = []
    return tmp_path / "reporter_link_keys"


def test_the_reporter_table_holds_no_plain_account_id(link_keys, employee, team_lead,
                                                       make_signal):
    make_signal(employee, actor=team_lead)
    assert not [f for f in ReporterIdentity._meta.concrete_fields
                if f.is_relation and f.related_model is get_user_model()]
    names, rows = _reporter_rows()
    assert "user_id" not in names and "filed_by_id" not in names
    for name, value in zip(names, rows[0], strict=True):
        if name in ("id", "signal_id", "team_id"):
            continue
        assert value not in (employee.pk, team_lead.pk, str(employee.pk), str(team_lead.pk))
    identity = ReporterIdentity.objects.get()
    assert identity.user == employee and identity.filed_by == team_lead


def test_the_submit_step_keeps_no_account_in_the_history(link_keys, employee, make_signal):
    signal = make_signal(employee)
    submit = signal.events.get(transition="submit")
    assert submit.actor_id is None and submit.actor_role == "employee"


def test_my_signals_finds_own_signals_through_the_keyed_hash(link_keys, client, employee,
                                                             colleague, make_signal):
    mine = make_signal(employee)
    theirs = make_signal(colleague)
    assert list(Signal.objects.visible_to(employee)) == [mine]
    client.force_login(employee)
    body = client.get("/meldingen/mijn/").content.decode()
    assert mine.reference in body and theirs.reference not in body


def test_without_the_link_key_the_hash_leads_to_nobody(link_keys, settings, employee,
                                                       make_signal):
    make_signal(employee)
    settings.REPORTER_LINK_KEYS = [crypto.new_hmac_key()]
    assert not Signal.objects.visible_to(employee).exists()


def test_rotation_recomputes_every_account_hash(link_keys, employee, team_lead, make_signal):
    signal = make_signal(employee, actor=team_lead)
    before = ReporterIdentity.objects.values_list("user_key", "filed_by_key").get()
    old_key = link_keys.read_text().strip()
    call_command("rotate_encryption_key")
    assert link_keys.read_text().strip() != old_key
    after = ReporterIdentity.objects.values_list("user_key", "filed_by_key").get()
    assert after[0] != before[0] and after[1] != before[1]
    assert list(Signal.objects.visible_to(employee)) == [signal]
    assert list(Signal.objects.visible_to(team_lead)) == [signal]


def test_production_rotation_keeps_my_signals_working_between_the_steps(
        link_keys, settings, employee, make_signal, capsys):
    signal = make_signal(employee)
    old_link = link_keys.read_text().strip()
    settings.ENCRYPTION_KEYS = crypto.load_keys()
    settings.REPORTER_LINK_KEYS = [old_link]
    call_command("rotate_encryption_key")
    out = capsys.readouterr().out
    new_link = out.split("REPORTER_LINK_KEYS: ")[1].split("\n")[0].strip()
    settings.REPORTER_LINK_KEYS = [new_link, old_link]
    assert list(Signal.objects.visible_to(employee)) == [signal]  # old hash, found by old key
    call_command("rotate_encryption_key", "--reencrypt")
    settings.REPORTER_LINK_KEYS = [new_link]
    assert list(Signal.objects.visible_to(employee)) == [signal]


def test_production_without_link_keys_refuses_to_start(settings):
    settings.PRODUCTION = True
    settings.REPORTER_LINK_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="REPORTER_LINK_KEYS is required"):
        crypto.link_keys()


@pytest.mark.django_db(transaction=True)
def test_the_migration_keys_existing_reporters_and_encrypts_their_texts(
        link_keys, employee, team_lead):
    """Rows written before the keyed link are converted (on SQLite and PostgreSQL)."""
    executor = MigrationExecutor(connection)
    executor.migrate([("signals", "0006_signal_destroyed_at")])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO signals_signal (state, version, urgent, background, observed_where, "
            "team_lead_consulted, dismiss_reason, message_for_reporter, outcome, outcome_other, "
            "created_at) VALUES ('received', 1, false, '', 'Bij het station', false, "
            "'Geen reden', 'Bericht', '', 'Anders', CURRENT_TIMESTAMP)")
        cursor.execute("SELECT max(id) FROM signals_signal")
        signal_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO signals_reporteridentity (signal_id, user_id, filed_by_id, pseudonym, "
            "name, email, phone, team_lead_consulted_with) "
            "VALUES (%s, %s, %s, %s, '', '', '', '')",
            [signal_id, employee.pk, team_lead.pk, "a" * 32])
        cursor.execute(
            "INSERT INTO signals_signalevent (signal_id, at, actor_id, actor_role, kind, "
            "transition, from_state, to_state, remark) VALUES "
            "(%s, CURRENT_TIMESTAMP, %s, 'employee', 'transition', 'submit', 'draft', "
            "'submitted', 'Opmerking bij indienen')", [signal_id, employee.pk])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    with connection.cursor() as cursor:
        cursor.execute("SELECT observed_where, dismiss_reason FROM signals_signal")
        where, reason = cursor.fetchone()
        cursor.execute("SELECT actor_id, remark FROM signals_signalevent")
        actor_id, remark = cursor.fetchone()
    assert where.startswith(crypto.PREFIX) and reason.startswith(crypto.PREFIX)
    assert actor_id is None and remark.startswith(crypto.PREFIX)
    identity = ReporterIdentity.objects.get(signal_id=signal_id)
    assert identity.is_reporter(employee) and identity.is_filed_by(team_lead)
    assert identity.user_id == employee.pk and identity.filed_by_id == team_lead.pk
    assert Signal.objects.get(pk=signal_id).observed_where == "Bij het station"
