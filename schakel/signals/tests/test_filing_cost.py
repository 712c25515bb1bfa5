"""Filing a signal writes its rows and reads back nothing it just wrote."""

import uuid

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
    # Savepoints: the action's own (inside the test's transaction), the insert that
    # catches a repeated token, and the submit step's; none for no attachments and none
    # of signal_submit's own (five before).
    savepoints = [q["sql"] for q in queries if q["sql"].startswith("SAVEPOINT")]
    assert len(savepoints) == 3, savepoints
    assert not [s for s in statements if "signals_subject" in s and s.startswith("SELECT")]
