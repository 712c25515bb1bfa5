"""`Prepared`: a query built and compiled once, run with new values, read as the ORM reads it."""

import datetime
import itertools
import threading

import pytest
from django.db import connection, connections
from django.db.models import Count, Q, Value
from django.test.utils import CaptureQueriesContext

from schakel.core.prepared import NotPreparable, Prepared
from schakel.plan.models import AgendaItem, Meeting, MeetingKind
from schakel.signals.models import Signal, SignalEvent, Subject

pytestmark = pytest.mark.django_db
_BUILDS = itertools.count()  # a value that is new on every build


def _signal_with_reporter(pk):
    return Signal.objects.select_related("reporter__team").filter(pk=pk).annotate(
        subject_count=Count("subjects"))


def test_models_come_as_the_queryset_makes_them_related_rows_and_annotations_included(
        make_signal, employee, officer):
    first = make_signal(employee, steps=["receive"], officer=officer)
    second = make_signal(employee)
    prepared = Prepared(_signal_with_reporter)
    for signal in (first, second, first):  # the second call binds a new value
        expected = _signal_with_reporter(signal.pk).get()
        with CaptureQueriesContext(connection) as queries:
            [got] = prepared(signal.pk)
            # What select_related read came along: no query for the reporter or team.
            assert got.reporter.team.name == expected.reporter.team.name
        assert len(queries) == 1
        assert got.pk == signal.pk and got.subject_count == expected.subject_count
        assert got.background == expected.background  # decrypted as the field does
        assert got.state == expected.state and got.version == expected.version
        assert got._state.adding is False and got._state.db == expected._state.db
    assert prepared(10**6) == []
    assert prepared(10**30) == []  # beyond any column: as the ORM answers it, no error


def test_values_list_rows_a_union_and_a_date_argument(make_signal, employee, officer):
    signal = make_signal(employee, steps=["receive"], officer=officer)
    named = Prepared(lambda pk: SignalEvent.objects.filter(signal_id=pk).order_by("-pk")
                     .values_list("pk", "to_state", named=True))
    assert named(signal.pk) == list(SignalEvent.objects.filter(signal=signal).order_by("-pk")
                                    .values_list("pk", "to_state", named=True))
    assert named(signal.pk)[0].to_state == "received"

    union = Prepared(lambda pk: Subject.objects.filter(signal_id=pk).order_by().values_list(
        Value("s"), "pk").union(Signal.objects.filter(pk=pk).order_by().values_list(
            Value("x"), "pk"), all=True).order_by())
    assert sorted(union(signal.pk)) == sorted(
        [("s", s.pk) for s in signal.subjects.all()] + [("x", signal.pk)])

    today = datetime.date(2026, 11, 30)
    past = Meeting.objects.create(kind=MeetingKind.CASE, date=today - datetime.timedelta(1))
    coming = Meeting.objects.create(kind=MeetingKind.CASE, date=today)
    AgendaItem.objects.create(meeting=past, signal=signal)
    agenda = Prepared(lambda pk, day: Meeting.objects.filter(
        Q(items__signal_id=pk) | Q(date__gte=day)).order_by("date"))
    assert agenda(signal.pk, today) == [past, coming]
    assert agenda(signal.pk + 1, today) == [coming]
    assert agenda(signal.pk + 1, today + datetime.timedelta(1)) == []


@pytest.mark.parametrize("build, args", [
    # A list changes the statement's shape with its length.
    (lambda pks: Signal.objects.filter(pk__in=pks), ([1, 2],)),
    # A lookup that changes the value: the argument is not in the parameters as given.
    (lambda text: Signal.objects.filter(observed_where__contains=text), ("Balie",)),
    # An argument that picks a branch instead of reaching the SQL.
    (lambda state: Signal.objects.filter(state="received" if state else "closed"), ("x",)),
    # Values from elsewhere than the arguments: two builds, two statements.
    (lambda pk: Signal.objects.filter(pk=pk, version=next(_BUILDS)), (1,)),
    # A related manager would keep its stand-in instance on every row.
    (lambda pk: Signal(pk=pk).subjects.all(), (1,)),
    # Datetimes and booleans are not what a lookup receives unchanged.
    (lambda at: Signal.objects.filter(submitted_at__gte=at),
     (datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),)),
    (lambda urgent: Signal.objects.filter(urgent=urgent), (True,)),
])
def test_what_cannot_be_kept_is_refused_on_the_first_call(build, args):
    with pytest.raises(NotPreparable):
        Prepared(build)(*args)


def test_a_call_with_other_kinds_of_values_is_refused(make_signal, employee):
    signal = make_signal(employee)
    prepared = Prepared(lambda pk: Signal.objects.filter(pk=pk))
    assert prepared(signal.pk) == [signal]
    for args in [(str(signal.pk),), (True,), (signal.pk, 1), ()]:
        with pytest.raises(NotPreparable):
            prepared(*args)


@pytest.mark.django_db(transaction=True)
def test_each_thread_runs_it_on_its_own_connection(make_signal, employee):
    signals = [make_signal(employee), make_signal(employee)]
    prepared = Prepared(lambda pk: Signal.objects.filter(pk=pk).values_list("pk", flat=True))
    assert prepared(signals[0].pk) == [signals[0].pk]
    found, used = {}, {}

    def run(i):
        try:
            found[i] = prepared(signals[i].pk)
            used[i] = connections["default"]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == {0: [signals[0].pk], 1: [signals[1].pk]}
    assert used[0] is not used[1] and connection not in used.values()
