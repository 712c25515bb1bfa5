"""`in_constants`: the IN list written into the statement, for the code's constants only."""

import pytest
from django.db import connection

from schakel.signals.models import Signal
from schakel.signals.workflow import OPEN_STATES, State

pytestmark = pytest.mark.django_db


def test_the_constants_are_in_the_statement_and_no_parameter_is_bound():
    sql, params = Signal.objects.filter(
        state__in_constants=OPEN_STATES).values("pk").query.sql_with_params()
    assert "IN ('submitted', 'received', 'referred'" in sql and params == ()


@pytest.mark.parametrize("values", [(), ("closed'; DROP TABLE x; --",), ("Closed",), (1,)])
def test_anything_but_lower_case_code_constants_is_refused(values):
    with pytest.raises(ValueError):
        Signal.objects.filter(state__in_constants=values)


def test_it_selects_what_in_selects_also_inside_a_subquery(make_signal, employee, officer):
    received = make_signal(employee, steps=["receive"], officer=officer)
    closed = make_signal(employee, steps=["receive", "dismiss", "close"], officer=officer)
    inner = Signal.objects.filter(state__in_constants=OPEN_STATES).values("pk")
    assert set(Signal.objects.filter(pk__in=inner)) == {received}
    assert set(Signal.objects.filter(state__in_constants=(State.CLOSED,))) == {closed}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_the_work_queues_mine_tab_is_read_through_the_partial_index(officer):
    from schakel.signals.views import QUEUE_SORTS

    queryset = (Signal.objects.submitted_visible_to(officer).open_of(officer)
                .order_by(*QUEUE_SORTS["urgent"]).values_list("pk")[:1001])
    assert "signal_officer_open_idx" in queryset.explain()
