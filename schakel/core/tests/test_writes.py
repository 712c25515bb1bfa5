"""`Insert` and `Update`: statements made once, rows as the ORM would write them."""

import datetime
import uuid

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from schakel.audit.models import ProcessingRecord
from schakel.core.writes import Insert, Update
from schakel.signals.models import Signal, Subject

pytestmark = pytest.mark.django_db

_VALUES = {"urgent": True, "background": "Vier mannen op één adres.",
           "observed_where": "Balie", "observed_on": datetime.date(2026, 11, 2),
           "team_lead_consulted": True}
# Unique or set by the database: not compared between the twins.
_OWN = {"id", "submission_token", "created_at"}


def _row(signal):
    """What the ORM reads back of a signal (decrypted), but for what is its own."""
    got = Signal.objects.filter(pk=signal.pk).values().get()
    return {k: v for k, v in got.items() if k not in _OWN}


def test_an_inserted_row_reads_back_as_the_orms_own_insert_of_the_same_values():
    twin = Signal.objects.create(submission_token=uuid.uuid4(), **_VALUES)
    insert = Insert(Signal)
    signal = Signal(submission_token=uuid.uuid4(), **_VALUES)
    values = insert.values(signal)  # prepared before: encrypted, the clock's stamp set
    with CaptureQueriesContext(connection) as queries:
        insert.run(signal, values)
    assert len(queries) == 1 and queries[0]["sql"].startswith("INSERT")
    assert signal.pk is not None and signal.pk != twin.pk
    assert signal._state.adding is False and signal._state.db == "default"
    assert _row(signal) == _row(twin)
    assert signal.created_at is not None  # auto_now_add, as save() sets it
    # Stored encrypted, as the field stores it: the plain text is nowhere in the row.
    with connection.cursor() as cursor:
        cursor.execute("SELECT background FROM signals_signal WHERE id = %s", [signal.pk])
        assert "Vier mannen" not in cursor.fetchone()[0]
    # The statement is made once per process and database.
    assert insert.statement("default") is insert.statement("default")


def test_a_field_known_only_later_is_set_on_the_object_and_in_the_row(make_signal, employee):
    signal = make_signal(employee)
    insert = Insert(Subject)
    person = Subject(kind="person", name="Anna de Vries", capacity="victim")
    values = insert.values(person)  # before the signal's id is known
    insert.run(person, values, signal_id=signal.pk)
    assert person.signal_id == signal.pk
    stored = Subject.objects.get(pk=person.pk)
    assert (stored.signal_id, stored.name, stored.pseudonym) == (
        signal.pk, "Anna de Vries", person.pseudonym)
    # Without prepared values, `run` prepares them itself.
    other = insert.run(Subject(kind="address", city="Montfoort"), signal_id=signal.pk)
    assert Subject.objects.get(pk=other.pk).city == "Montfoort"


def test_insert_refuses_what_it_would_not_write_as_the_orm_does():
    with pytest.raises(TypeError, match="database defaults"):
        Insert(ProcessingRecord)  # object_type has a database default
    signal = Signal(submission_token=uuid.uuid4(), **dict(_VALUES, urgent=F("urgent")))
    with pytest.raises(TypeError, match="not expressions"):
        Insert(Signal).values(signal)


def test_update_sets_fields_counts_up_and_only_where_the_conditions_still_hold(
        make_signal, employee, officer):
    signal = make_signal(employee)
    update = Update(Signal)
    where = {"id": signal.pk, "state": "submitted", "version": signal.version}
    when = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
    changed = update.run({"state": "received", "received_at": when, "officer": officer,
                          "message_for_reporter": "Doorgezet, dank u."},
                         where=where, increment=("version",))
    assert changed == 1
    stored = Signal.objects.get(pk=signal.pk)
    assert (stored.state, stored.version, stored.officer_id, stored.received_at) == (
        "received", signal.version + 1, officer.pk, when)
    assert stored.message_for_reporter == "Doorgezet, dank u."  # encrypted and back
    with connection.cursor() as cursor:
        cursor.execute("SELECT message_for_reporter FROM signals_signal WHERE id = %s",
                       [signal.pk])
        assert "Doorgezet" not in cursor.fetchone()[0]
    # The same conditions again: the version moved on, so nothing changes.
    assert update.run({"state": "closed"}, where=where, increment=("version",)) == 0
    assert Signal.objects.get(pk=signal.pk).state == "received"


def test_update_refuses_a_statement_without_condition_or_on_no_column(make_signal, employee):
    signal = make_signal(employee)
    update = Update(Signal)
    with pytest.raises(TypeError, match="condition"):
        update.run({"state": "closed"}, where={})
    with pytest.raises(TypeError, match="not a column"):
        update.run({"forms": [1]}, where={"id": signal.pk})
    with pytest.raises(TypeError, match="not expressions"):
        update.run({"version": F("version") + 1}, where={"id": signal.pk})


def test_no_model_the_route_writes_by_insert_has_a_save_signal_receiver():
    """`Insert` sends no `pre_save`/`post_save` (nor `m2m_changed` for the links): a
    receiver added to one of these models would not be called from the filing."""
    from django.db.models.signals import m2m_changed, post_save, pre_save

    from schakel.signals import actions

    inserts = [actions._SIGNAL, actions._SUBJECT, actions._REPORTER, actions._EVENT,
               *actions._LINKS.values()]
    for insert in inserts:
        for signal in (pre_save, post_save, m2m_changed):
            assert not signal.has_listeners(insert.model), (signal, insert.model)
    assert not m2m_changed.has_listeners(Signal.forms.through)
