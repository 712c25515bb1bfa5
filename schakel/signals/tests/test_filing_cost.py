"""Filing a signal writes its rows and reads back nothing it just wrote."""

import uuid

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schakel.audit.models import ProcessingRecord
from schakel.signals import actions
from schakel.signals.models import ExploitationForm, Signal


def _file(employee, subjects, forms=None):
    return actions.signal_file(
        actor=employee, reporter_user=employee,
        values={"urgent": False, "background": "Vier mannen op één adres.",
                "observed_where": "Balie", "team_lead_consulted": True},
        form_codes=forms or list(ExploitationForm.objects.filter(code="labour")),
        indicator_ids=[],
        subjects=subjects, reporter={"name": employee.display_name},
        submission_token=uuid.uuid4())


def test_the_log_of_filing_names_the_signals_data_subjects_in_their_order(db, employee):
    signal = _file(employee, [
        actions.SubjectData(kind="person", values={"name": "Piet Test"}),
        actions.SubjectData(kind="address", values={"street": "Dorpsstraat"}),
        actions.SubjectData(kind="person", values={"name": "Anna Test"}),
    ])
    expected = signal.data_subject_ids()
    assert len(expected) == 4  # three subjects and the reporter
    for action in ("create", "update"):
        logged = ProcessingRecord.objects.filter(
            audit__object_id=str(signal.pk), audit__action=action).order_by("seq")
        assert [r.data_subject for r in logged] == expected


def test_filing_a_signal_costs_a_fixed_small_number_of_queries(db, employee):
    subject = [actions.SubjectData(kind="person", values={"name": "Piet Test"})]
    forms = list(ExploitationForm.objects.filter(code="labour"))
    _file(employee, subject, forms)  # warm caches (keys, content types)
    with CaptureQueriesContext(connection) as queries:
        signal = _file(employee, subject, forms)
    statements = [q["sql"] for q in queries
                  if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    # signal, form, subject, reporter, state and reference, history, two audit events
    # with their records and the chain head; no read of what was just written, not even
    # the signal after its submit step (the values it returns are those just written).
    assert len(statements) <= 14, "\n".join(statements)
    assert not [s for s in statements if s.startswith('SELECT "signals_signal"')]
    stored = Signal.objects.get(pk=signal.pk)
    assert (signal.state, signal.version, signal.reference, signal.submitted_at) == (
        stored.state, stored.version, stored.reference, stored.submitted_at) == (
        "submitted", 1, stored.reference, stored.submitted_at)
    assert stored.reference and stored.submitted_at
    # Savepoints: the action's own (inside the test's transaction) and the insert that
    # catches a repeated token; none for no attachments, none of signal_submit's own and
    # none for its step, which the action rolls back whole if it fails (five before).
    savepoints = [q["sql"] for q in queries if q["sql"].startswith("SAVEPOINT")]
    assert len(savepoints) == 2, savepoints
    assert not [s for s in statements if "signals_subject" in s and s.startswith("SELECT")]


def test_the_officers_notice_after_filing_reads_the_untold_signals_in_one_query(
        db, employee, officer, django_capture_on_commit_callbacks):
    subject = [actions.SubjectData(kind="person", values={"name": "Piet Test"})]
    with django_capture_on_commit_callbacks() as callbacks:
        signal = _file(employee, subject)
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    # One read of the signals nobody told of (through their partial index) and one claim:
    # never the signal's texts.
    signal_queries = [q["sql"] for q in queries if "signals_signal" in q["sql"]]
    assert len(signal_queries) == 2 and "background" not in " ".join(signal_queries)
    [message] = mail.outbox
    assert message.to == [officer.email]
    stored = Signal.objects.get(pk=signal.pk)
    assert stored.reference in message.subject and "Piet" not in message.body
    assert f"/meldingen/{signal.pk}/" in message.body
    assert stored.announced_at is not None


def test_a_submit_step_that_fails_inside_filing_rolls_the_whole_filing_back(
        db, employee, monkeypatch):
    """The step has no savepoint of its own: nothing of the filing may stay behind."""
    def refuse(*args, **kwargs):
        raise actions.ConcurrentChange("taken")

    monkeypatch.setattr(actions._EVENT, "run", refuse)
    before = (Signal.objects.count(), ProcessingRecord.objects.count())
    with pytest.raises(actions.ConcurrentChange):
        _file(employee, [actions.SubjectData(kind="person", values={"name": "Piet Test"})])
    assert (Signal.objects.count(), ProcessingRecord.objects.count()) == before
