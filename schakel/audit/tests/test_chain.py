"""The processing log is append-only and chained with a key; every tampering is named."""

import hashlib
import logging

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from schakel.audit.anchor import anchor_head
from schakel.audit.chain import chain_keys, record_hash
from schakel.audit.log import log_processing
from schakel.audit.models import (
    Action,
    Activity,
    AppendOnlyError,
    AuditEvent,
    ChainAnchor,
    ChainHead,
    ProcessingRecord,
)
from schakel.audit.verify import Anchor, Finding, anchors_in, verify_chain
from schakel.core import crypto


@pytest.fixture
def chain(db, officer):
    for i in range(5):
        log_processing(actor=officer, activity=Activity.VIEW, action=Action.READ,
                       subjects=[f"subject-{i}"])
    return list(ProcessingRecord.objects.order_by("seq"))


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _found(**kwargs):
    return [(f.seq, f.problem) for f in verify_chain(**kwargs)]


def _recompute_from(seq, key):
    """What an attacker does after an edit: re-link every later record and the head."""
    prev = ProcessingRecord.objects.get(seq=seq - 1).hash
    for record in ProcessingRecord.objects.filter(seq__gte=seq).order_by("seq"):
        record.prev_hash = prev
        if key is None:  # no key: the best they can do is a plain hash
            new = hashlib.sha256(f"{prev}{record.data_subject}".encode()).hexdigest()
        else:
            new = record.compute_hash(record.audit.digest(), key)
        _raw("UPDATE audit_processingrecord SET prev_hash = %s, hash = %s WHERE seq = %s",
             [prev, new, record.seq])
        prev = new
    _raw("UPDATE audit_chainhead SET hash = %s WHERE id = 1", [prev])


def test_an_intact_chain_verifies(chain, capsys):
    assert verify_chain() == []
    call_command("audit_verify")
    assert "intact: 5 records" in capsys.readouterr().out


def test_records_refuse_update_and_delete(chain):
    record = chain[0]
    record.purpose = "anders"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        record.audit.delete()


def test_three_changed_records_are_all_named(chain, capsys):
    for seq in (2, 3, 5):
        _raw("UPDATE audit_processingrecord SET data_subject = %s WHERE seq = %s",
             ["iemand-anders", seq])
    assert _found() == [(2, "changed"), (3, "changed"), (5, "changed")]
    with pytest.raises(CommandError, match="3 finding"):
        call_command("audit_verify")
    err = capsys.readouterr().err
    for seq in (2, 3, 5):
        assert f"Record {seq} of the processing log was changed." in err


def test_a_changed_audit_event_is_found_through_its_record(chain):
    _raw("UPDATE audit_auditevent SET actor_role = 'policy' WHERE id = %s", [chain[1].audit_id])
    assert _found() == [(2, "changed")]


def test_removed_records_are_each_named(chain):
    _raw("DELETE FROM audit_processingrecord WHERE seq IN (2, 4)")
    assert _found() == [(2, "removed"), (4, "removed")]


def test_a_removal_covered_up_by_renumbering_is_found(chain):
    _raw("DELETE FROM audit_processingrecord WHERE seq = 2")
    for seq in (3, 4, 5):
        _raw("UPDATE audit_processingrecord SET seq = %s WHERE seq = %s", [seq - 1, seq])
    _raw("UPDATE audit_chainhead SET seq = 4 WHERE id = 1")
    assert _found() == [(2, "removed_before")]


def test_an_inserted_record_is_named_as_inserted(chain, capsys):
    forged = chain[2]
    _raw("UPDATE audit_processingrecord SET seq = seq + 100 WHERE seq >= 3")
    _raw("INSERT INTO audit_processingrecord (seq, trace_id, activity, started_at, ended_at, "
         "status, data_subject, purpose, audit_id, prev_hash, hash) "
         "SELECT 3, trace_id, activity, started_at, ended_at, status, 'ingevoegd', purpose, "
         "audit_id, prev_hash, hash FROM audit_processingrecord WHERE seq = %s",
         [forged.seq + 100])
    assert _found() == [(3, "inserted")]
    with pytest.raises(CommandError):
        call_command("audit_verify")
    assert "Record 3 of the processing log was inserted." in capsys.readouterr().err


def test_a_record_added_at_the_end_without_the_key_is_named_as_inserted(chain):
    _raw("INSERT INTO audit_processingrecord (seq, trace_id, activity, started_at, ended_at, "
         "status, data_subject, purpose, audit_id, prev_hash, hash) "
         "SELECT 6, trace_id, activity, started_at, ended_at, status, 'erbij', purpose, "
         "audit_id, hash, %s FROM audit_processingrecord WHERE seq = 5", ["f" * 64])
    assert _found() == [(6, "inserted")]


def test_records_cut_off_the_end_are_found_while_the_head_stands(chain):
    _raw("DELETE FROM audit_processingrecord WHERE seq = 5")
    assert _found() == [(5, "truncated")]


def test_cutting_the_end_and_moving_the_head_back_is_caught_by_the_anchor(
        chain, caplog, tmp_path):
    with caplog.at_level(logging.INFO, logger="schakel.audit.anchor"):
        anchor = anchor_head()
    assert (anchor.seq, anchor.hash) == (5, chain[4].hash)
    log_file = tmp_path / "schakel.log"
    log_file.write_text(caplog.text)
    _raw("DELETE FROM audit_processingrecord WHERE seq >= 4")
    _raw("UPDATE audit_chainhead SET seq = 3, hash = %s WHERE id = 1", [chain[2].hash])
    assert _found() == [(4, "truncated")]  # the stored anchor still tells
    _raw("DELETE FROM audit_chainanchor")
    assert _found() == []  # the database alone cannot tell any more ...
    assert _found(anchors=anchors_in(log_file.read_text())) == [(4, "truncated")]  # the log can
    with pytest.raises(CommandError):
        call_command("audit_verify", "--anchors-from", str(log_file))
    with pytest.raises(CommandError):
        call_command("audit_verify", "--anchor", f"5:{chain[4].hash}")


def test_an_edit_with_every_later_hash_recomputed_without_the_key_is_caught(chain):
    _raw("UPDATE audit_processingrecord SET data_subject = 'vervalst' WHERE seq = 3")
    _recompute_from(3, key=None)
    assert _found() == [(3, "changed"), (4, "changed"), (5, "changed")]


def test_an_edit_recomputed_with_a_wrong_key_is_caught(chain):
    _raw("UPDATE audit_processingrecord SET data_subject = 'vervalst' WHERE seq = 3")
    _recompute_from(3, key=crypto.new_hmac_key())
    assert _found()[0] == (3, "changed")


def test_an_edit_recomputed_with_the_stolen_key_is_caught_by_the_anchor(chain):
    anchor = anchor_head()
    _raw("DELETE FROM audit_chainanchor")
    _raw("UPDATE audit_processingrecord SET data_subject = 'vervalst' WHERE seq = 3")
    _recompute_from(3, key=chain_keys()[0])
    assert _found() == []  # a perfect forgery, as far as the database goes
    assert _found(anchors=[Anchor(anchor.seq, anchor.hash)]) == [(5, "anchor")]


def test_deleting_an_employee_gives_no_false_alarm(db, employee, officer):
    log_processing(actor=employee, activity=Activity.REGISTER, action=Action.CREATE,
                   subjects=["x"])
    log_processing(actor=officer, activity=Activity.VIEW, action=Action.READ, subjects=["x"])
    event = AuditEvent.objects.get(actor_username=employee.username)
    employee.delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_id is None and event.actor_username
    assert verify_chain() == []


def test_the_chain_key_is_not_in_the_database(chain):
    record = chain[0]
    assert record.hash == record_hash(
        chain_keys()[0], trace_id=record.trace_id, activity=record.activity,
        started_at=record.started_at, ended_at=record.ended_at, status=record.status,
        data_subject=record.data_subject, purpose=record.purpose,
        audit_digest=record.audit.digest(), prev_hash=record.prev_hash)
    assert record.hash != record.compute_hash(record.audit.digest(), crypto.new_hmac_key())


def test_a_new_chain_key_signs_new_records_and_old_ones_still_verify(chain, settings):
    old = chain_keys()
    new = crypto.new_hmac_key()
    settings.AUDIT_CHAIN_KEYS = [new, *old]
    log_processing(actor=None, activity=Activity.VIEW, action=Action.READ, subjects=["y"])
    assert verify_chain() == []
    settings.AUDIT_CHAIN_KEYS = old
    assert _found() == [(6, "changed")]


def test_the_head_is_anchored_once_a_day_in_the_application_log(chain, caplog):
    with caplog.at_level(logging.INFO, logger="schakel.audit.anchor"):
        first = anchor_head()
        log_processing(actor=None, activity=Activity.VIEW, action=Action.READ, subjects=["z"])
        again = anchor_head()
    assert first == again and ChainAnchor.objects.count() == 1
    assert caplog.text.count("processing log head") == 1
    assert anchors_in(caplog.text) == [Anchor(5, chain[4].hash)]
    assert ChainHead.objects.get().seq == 6


def test_production_without_a_chain_key_refuses(settings):
    settings.PRODUCTION = True
    settings.AUDIT_CHAIN_KEYS = []
    with pytest.raises(Exception, match="AUDIT_CHAIN_KEYS is required"):
        chain_keys()


def test_a_bad_anchor_argument_is_a_clear_error(chain):
    with pytest.raises(CommandError, match="SEQ:HASH"):
        call_command("audit_verify", "--anchor", "vijf")


def test_one_audit_event_has_one_record_per_data_subject(db, officer):
    audit = log_processing(actor=officer, activity=Activity.VIEW, action=Action.READ,
                           subjects=["a", "b", "c"])
    assert [r.data_subject for r in audit.records.order_by("seq")] == ["a", "b", "c"]
    assert AuditEvent.objects.get().actor_username == officer.username
    assert verify_chain() == []


def test_records_of_one_request_share_a_trace_id(client, officer, employee, make_signal):
    signal = make_signal(employee)
    client.force_login(officer)
    client.get(f"/meldingen/{signal.pk}/")
    view = ProcessingRecord.objects.filter(activity="view")
    assert view.count() == 2 and len({r.trace_id for r in view}) == 1


def test_a_finding_reads_as_a_sentence_fragment():
    assert str(Finding(3, "inserted")) == "record 3: inserted"


def test_the_anchor_line_survives_the_log_scrubber(chain):
    from schakel.core.logging import scrub

    line = anchor_head().line()
    assert scrub(line) == line
