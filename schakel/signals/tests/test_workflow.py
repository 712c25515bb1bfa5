"""The route as scenario lists: every allowed path works, every other step is refused."""

import threading

import pytest
from django.db import connections

from schakel.audit.models import AuditEvent
from schakel.signals import actions
from schakel.signals.models import Signal
from schakel.signals.workflow import TRANSITIONS, State, find_transition

ALL_STEPS = sorted({t.name for t in TRANSITIONS})

# Every path from submission to an end state that the route allows.
PATHS = [
    ["receive", "dismiss", "close"],
    ["receive", "refer", "settle", "inform_reporter", "close"],
]

FIELDS = {
    "dismiss": {"dismiss_reason": "Geen aanwijzingen."},
    "inform_reporter": {"message_for_reporter": "Doorgezet naar de zorgcoördinator."},
}


def _take(signal, step, actor, **fields):
    if step == "close":
        fields.setdefault("outcome", "referred")
        if signal.state == State.DISMISSED:
            fields.setdefault("message_for_reporter", "Afgehandeld.")
    fields = {**FIELDS.get(step, {}), **fields}
    return getattr(actions, f"signal_{step}")(
        signal=signal, actor=actor, expected_version=signal.version, **fields)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS, ids=["-".join(p) for p in PATHS])
def test_every_allowed_path_reaches_its_end_with_history_and_log(path, employee, officer,
                                                                   make_signal):
    signal = make_signal(employee)
    assert signal.state == State.SUBMITTED
    assert signal.reference.startswith("MH-")
    for step in path:
        before = signal.state
        signal = _take(signal, step, officer)
        event = signal.events.latest("id")
        assert (event.from_state, event.to_state, event.transition) == (
            before, signal.state, step)
        assert event.actor == officer and event.actor_role == "officer"
    assert signal.state == State.CLOSED
    assert signal.closed_at is not None and signal.reporter_informed_at is not None
    assert signal.officer == officer
    logged = AuditEvent.objects.filter(object_id=str(signal.pk), actor=officer)
    assert logged.count() == len(path)
    # One processing record per data subject: the person involved and the reporter.
    subjects = set(signal.data_subject_ids())
    assert len(subjects) == 2
    for event in logged:
        assert {r.data_subject for r in event.records.all()} == subjects
    close = logged.get(changes__state=["reporter_informed", "closed"]) if "settle" in path \
        else logged.get(changes__state=["dismissed", "closed"])
    assert close.changes["outcome"] == ["", "referred"]
    # Free text is never copied into the permanent log, only the fact it changed.
    dismissed_or_informed = logged.exclude(changes__state=close.changes["state"])
    for event in dismissed_or_informed:
        for value in event.changes.values():
            assert value == "changed" or isinstance(value, list)
            assert "Geen aanwijzingen." not in str(value)


@pytest.mark.django_db
@pytest.mark.parametrize("state,step", [
    (state, step) for state in State for step in ALL_STEPS if find_transition(state, step) is None
])
def test_every_step_not_in_the_table_is_refused(state, step, employee, officer):
    signal = Signal.objects.create(state=state, background="x")
    actor = employee if step == "submit" else officer
    with pytest.raises(actions.TransitionNotAllowed):
        _take(signal, step, actor)
    signal.refresh_from_db()
    assert signal.state == state and signal.version == 0
    assert not signal.events.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee", "team_lead", "policy", "admin"])
def test_only_an_officer_receives(role, make_user, employee, make_signal):
    signal = make_signal(employee)
    with pytest.raises(actions.TransitionNotAllowed):
        _take(signal, "receive", make_user(role))
    signal.refresh_from_db()
    assert signal.state == State.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize("step,fields,missing", [
    ("dismiss", {"dismiss_reason": "  "}, ["dismiss_reason"]),
    ("inform_reporter", {"message_for_reporter": ""}, ["message_for_reporter"]),
    ("close", {"outcome": ""}, ["outcome"]),
    ("close", {"outcome": "other", "outcome_other": ""}, ["outcome_other"]),
])
def test_a_step_without_its_required_fields_is_refused(step, fields, missing, employee,
                                                       officer, make_signal):
    prior = {"dismiss": ["receive"], "inform_reporter": ["receive", "refer", "settle"],
             "close": ["receive", "refer", "settle", "inform_reporter"]}[step]
    signal = make_signal(employee, steps=prior, officer=officer)
    with pytest.raises(actions.MissingFields) as exc:
        _take(signal, step, officer, **fields)
    assert exc.value.fields == missing
    signal.refresh_from_db()
    assert signal.state == State(find_transition(signal.state, step).source)


@pytest.mark.django_db
def test_closing_a_dismissed_signal_requires_the_message_for_the_reporter(employee, officer,
                                                                        make_signal):
    signal = make_signal(employee, steps=["receive", "dismiss"], officer=officer)
    with pytest.raises(actions.MissingFields) as exc:
        _take(signal, "close", officer, message_for_reporter="", outcome="no_indication")
    assert exc.value.fields == ["message_for_reporter"]


@pytest.mark.django_db
def test_a_stale_version_is_refused_and_changes_nothing(employee, officer, officer2,
                                                        make_signal):
    signal = make_signal(employee)
    stale = Signal.objects.get(pk=signal.pk)
    _take(signal, "receive", officer)
    with pytest.raises(actions.ConcurrentChange):
        actions.signal_receive(signal=stale, actor=officer2, expected_version=stale.version)
    signal.refresh_from_db()
    assert signal.officer == officer
    assert signal.events.filter(transition="receive").count() == 1


@pytest.mark.django_db
def test_history_rows_cannot_be_changed_or_removed(employee, make_signal):
    event = make_signal(employee).events.get()
    event.remark = "overwritten"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


@pytest.mark.django_db(transaction=True)
def test_two_officers_receiving_at_once_on_two_connections_one_wins(employee, officer, officer2,
                                                                      make_signal):
    signal = make_signal(employee)
    version = signal.version
    barrier = threading.Barrier(2)
    results = {}

    def attempt(actor):
        try:
            mine = Signal.objects.get(pk=signal.pk)
            barrier.wait(timeout=10)
            actions.signal_receive(signal=mine, actor=actor, expected_version=version)
            results[actor.pk] = "won"
        except actions.ConcurrentChange:
            results[actor.pk] = "lost"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(a,)) for a in (officer, officer2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results.values()) == ["lost", "won"]
    signal.refresh_from_db()
    assert signal.state == State.RECEIVED
    assert signal.events.filter(transition="receive").count() == 1
