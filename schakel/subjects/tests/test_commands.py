from django.core.management import call_command

from schakel.subjects.engine import Query, propose
from schakel.subjects.models import Record, RecordKey


def test_the_demo_register_loads_twice_without_doubling(db):
    call_command("register_demo")
    call_command("register_demo")
    assert Record.objects.filter(source__name="Horecavergunningen").count() == 5
    keys = RecordKey.objects.count()
    call_command("register_demo")
    assert RecordKey.objects.count() == keys
    found = propose(Query(kind="organisation", name="cafe de zwaan"))
    assert found[0].record.external_id == "HV-2019-014"


def test_rebuilding_files_signal_subjects_and_keeps_the_matches(make_signal, employee, officer):
    signal = make_signal(employee, steps=("receive",), officer=officer)
    call_command("register_demo")
    call_command("register_rebuild")
    assert Record.objects.filter(subject__signal=signal).count() == 1
    assert propose(Query(kind="person", name="K. Yzerman"))[0].record.external_id == "BB-2025-05"
