"""manage.py backup / restore, on whichever database the suite runs (SQLite or PostgreSQL)."""

import io
import json
import tarfile
import threading
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from schakel.ops import ledger
from schakel.ops.backup import read_manifest

from .helpers import empty_target, inspect, key_environment, manage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _ledger(settings, tmp_path):
    settings.DESTRUCTION_LEDGER = str(tmp_path / "destructions.jsonl")


def backup(tmp_path, name="backup.tar.gz"):
    out = tmp_path / name
    call_command("backup", "--out", str(out), stdout=io.StringIO())
    return out


def test_a_backup_taken_during_200_intakes_restores_every_signal_committed_before_it_began(
        tmp_path, make_signal, employee):
    from schakel.signals.models import Signal

    committed = []  # (reference, monotonic time the intake returned)
    errors = []
    lock = threading.Lock()

    def intakes(count):
        try:
            for _ in range(count):
                signal = make_signal(employee)
                with lock:
                    committed.append((Signal.objects.get(pk=signal.pk).reference,
                                      time.monotonic()))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=intakes, args=(25,)) for _ in range(8)]
    for t in threads:
        t.start()
    while len(committed) < 60 and not errors:
        time.sleep(0.01)
    began = time.monotonic()
    archive = backup(tmp_path)
    for t in threads:
        t.join()
    assert not errors
    assert len(committed) == 200

    manifest = read_manifest(archive)
    before = {ref for ref, at in committed if at < began}
    assert len(before) >= 60
    with empty_target(tmp_path) as env:
        manage(env, "restore", str(archive))
        restored = inspect(env)
    assert before <= set(restored["signals"])
    assert len(restored["signals"]) == manifest["counts"]["signals_signal"]
    assert restored["findings"] == []
    assert restored["decrypted"] > 0


def test_the_archive_holds_no_key(tmp_path, make_signal, employee):
    make_signal(employee)
    archive = backup(tmp_path)
    keys = [k for value in key_environment().values() for k in value.split(",")]
    from django.conf import settings

    keys.append(settings.SECRET_KEY)
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        contents = [tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()]
    assert not any(n.rsplit("/", 1)[-1] in {"encryption_keys", "reporter_link_keys",
                                            "audit_chain_keys", "secret_key"} for n in names)
    for key in keys:
        assert not any(key.encode() in blob for blob in contents)
    assert archive.stat().st_mode & 0o077 == 0


def test_the_manifest_names_version_migrations_counts_and_chain_head(tmp_path, make_signal,
                                                                      employee):
    from schakel.audit.models import ChainHead

    make_signal(employee)
    head = ChainHead.objects.get(pk=1)
    manifest = read_manifest(backup(tmp_path))
    assert manifest["version"]
    assert ["ops", "0001_heartbeat"] in manifest["migrations"]
    assert manifest["counts"]["signals_signal"] == 1
    assert manifest["chain_head"] == {"seq": head.seq, "hash": head.hash}


def _rewrite_manifest(archive, out, **changes):
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest.update(changes)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


def test_a_backup_is_written_to_the_processing_log_after_its_snapshot(tmp_path):
    from schakel.audit.models import AuditEvent, ProcessingRecord

    manifest = read_manifest(backup(tmp_path))
    record = ProcessingRecord.objects.order_by("-seq").first()
    assert record.seq == manifest["chain_head"]["seq"] + 1
    assert record.activity == "export" and record.data_subject == ""
    event = AuditEvent.objects.get(pk=record.audit_id)
    assert event.action == "read" and event.changes["archive"] == "backup.tar.gz"


def test_restore_refuses_an_archive_from_a_newer_version(tmp_path):
    newer = tmp_path / "newer.tar.gz"
    _rewrite_manifest(backup(tmp_path), newer, version="99.0.0")
    with empty_target(tmp_path) as env:
        result = manage(env, "restore", str(newer), check=False)
    assert result.returncode != 0
    assert "newer" in result.stderr


def test_restore_refuses_an_archive_with_migrations_this_version_does_not_know(tmp_path):
    archive = backup(tmp_path)
    manifest = read_manifest(archive)
    newer = tmp_path / "newer.tar.gz"
    _rewrite_manifest(archive, newer,
                      migrations=manifest["migrations"] + [["signals", "9999_from_the_future"]])
    with pytest.raises(CommandError, match="newer version"):
        call_command("restore", str(newer), stdout=io.StringIO())


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup(tmp_path)), stdout=io.StringIO())


def test_a_signal_destroyed_after_the_backup_stays_destroyed_after_restoring_it(
        tmp_path, make_signal, employee, officer, settings):
    from schakel.privacy.retention import signal_destroy

    kept = make_signal(employee, background="Blijft staan.")
    gone = make_signal(employee, background="Mag niet terugkomen.")
    archive = backup(tmp_path)
    with transaction.atomic():
        signal_destroy(signal=gone, actor=officer)
    lines = ledger.entries()
    assert [line["signal"] for line in lines] == [gone.pk]

    with empty_target(tmp_path) as env:
        out = manage(env, "restore", str(archive), "--ledger", settings.DESTRUCTION_LEDGER)
        restored = inspect(env)
    assert "1 signal(s) destroyed again" in out.stdout
    refs = restored["signals"]
    assert refs[gone.reference] == {"destroyed": True, "background": "", "subjects": 0}
    assert refs[kept.reference]["destroyed"] is False
    assert refs[kept.reference]["background"] == "Blijft staan."
    assert restored["findings"] == []
