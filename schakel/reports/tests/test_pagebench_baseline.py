"""The intake benchmark's baseline inserts the same rows as filing a signal does."""

import pytest

from schakel.audit.models import AuditEvent, ProcessingRecord
from schakel.audit.verify import verify_chain
from schakel.reports.pagebench import intake_bare
from schakel.signals.models import ReporterIdentity, Signal, SignalEvent, Subject


def _rows() -> dict:
    return {model.__name__: model.objects.count()
            for model in (Signal, Subject, ReporterIdentity, SignalEvent, AuditEvent,
                          ProcessingRecord, Signal.forms.through)}


def _added(before: dict) -> dict:
    return {name: count - before[name] for name, count in _rows().items()}


@pytest.mark.django_db(transaction=True)
def test_the_bare_baseline_writes_every_row_the_intake_writes(employee, make_signal):
    before = _rows()
    make_signal(employee)
    by_action = _added(before)
    before = _rows()
    intake_bare(2, employee, clients=2)
    by_baseline = _added(before)
    assert by_baseline == {name: 2 * count for name, count in by_action.items()}
    assert by_action["ProcessingRecord"] == 4 and by_action["SignalEvent"] == 1
    assert verify_chain() == []
    assert not Signal.objects.filter(reference__isnull=True).exists()
