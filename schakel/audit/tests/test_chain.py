"""The processing log is append-only and hash-chained; tampering is found."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity, AppendOnlyError, AuditEvent, ProcessingRecord
from schakel.audit.verify import verify_chain


@pytest.fixture
def chain(db, officer):
    for i in range(5):
        log_processing(actor=officer, activity=Activity.VIEW, action=Action.READ,
                       subjects=[f"subject-{i}"])
    return list(ProcessingRecord.objects.order_by("seq"))


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_intact_chain_verifies(chain, capsys):
    assert verify_chain() is None
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


def test_a_changed_record_is_named(chain):
    _raw("UPDATE audit_processingrecord SET data_subject = %s WHERE seq = 3", ["iemand-anders"])
    finding = verify_chain()
    assert (finding.seq, finding.problem) == (3, "changed")
    with pytest.raises(CommandError, match="Record 3 .* was changed"):
        call_command("audit_verify")


def test_a_changed_audit_event_is_found_through_its_record(chain):
    _raw("UPDATE audit_auditevent SET actor_role = 'policy' WHERE id = %s", [chain[1].audit_id])
    assert (verify_chain().seq, verify_chain().problem) == (2, "changed")


def test_a_removed_record_is_named(chain):
    _raw("DELETE FROM audit_processingrecord WHERE seq = 2")
    finding = verify_chain()
    assert (finding.seq, finding.problem) == (2, "removed")


def test_a_removed_record_covered_up_by_renumbering_is_found(chain):
    _raw("DELETE FROM audit_processingrecord WHERE seq = 2")
    for seq in (3, 4, 5):
        _raw("UPDATE audit_processingrecord SET seq = %s WHERE seq = %s", [seq - 1, seq])
    finding = verify_chain()
    assert finding.seq == 2 and finding.problem in ("changed", "inserted")


def test_an_inserted_record_is_named(chain):
    forged = chain[2]
    _raw("UPDATE audit_processingrecord SET seq = seq + 100 WHERE seq >= 3")
    _raw("INSERT INTO audit_processingrecord (seq, trace_id, activity, started_at, ended_at, "
         "status, data_subject, purpose, audit_id, prev_hash, hash) "
         "SELECT 3, trace_id, activity, started_at, ended_at, status, 'ingevoegd', purpose, "
         "audit_id, prev_hash, hash FROM audit_processingrecord WHERE seq = %s",
         [forged.seq + 100])
    assert verify_chain().seq == 3


def test_records_cut_off_the_end_are_found(chain):
    _raw("DELETE FROM audit_processingrecord WHERE seq = 5")
    assert verify_chain().problem == "truncated"


def test_one_audit_event_has_one_record_per_data_subject(db, officer):
    audit = log_processing(actor=officer, activity=Activity.VIEW, action=Action.READ,
                           subjects=["a", "b", "c"])
    assert [r.data_subject for r in audit.records.order_by("seq")] == ["a", "b", "c"]
    assert AuditEvent.objects.get().actor_username == officer.username
    assert verify_chain() is None


def test_records_of_one_request_share_a_trace_id(client, officer, employee, make_signal):
    signal = make_signal(employee)
    client.force_login(officer)
    client.get(f"/meldingen/{signal.pk}/")
    view = ProcessingRecord.objects.filter(activity="view")
    assert view.count() == 2 and len({r.trace_id for r in view}) == 1
