"""The page benchmark's concurrency and intake parts, at a tiny scale, against a live server.

Every figure line the bench prints for them is there and none is zero (a refactor once
left one at 0.0 without anyone noticing).
"""

import re

import pytest
from django.test import Client

from schakel.reports import pagebench

FIGURES = {
    "signal_rps_c1", "signal_rps_c4", "signal_rps_c8", "signal_rps_c8_ratio",
    "intake_bare_c1_per_second", "intake_bare_c8_per_second", "intake_http_per_second",
    "intake_bare_per_second", "intake_ratio", "intake_rounds", "intake_ratio_lowest",
    "intake_ratio_highest",
}


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)  # second factor passed (conftest)
    return f"sessionid={client.cookies['sessionid'].value}"


@pytest.mark.django_db(transaction=True)
def test_the_concurrency_and_intake_parts_print_every_figure_and_none_is_zero(
        live_server, employee, officer, make_signal):
    from django.db import connection

    from schakel.signals.models import Signal

    signal = make_signal(employee)
    port = int(live_server.url.rsplit(":", 1)[1])
    db = connection.vendor
    lines = pagebench.concurrency(port, _cookie(officer), f"/meldingen/{signal.pk}/",
                                  seconds=0.2, db=db, warm_up=0.1)
    filed_before = Signal.objects.count()
    http, bare = pagebench.intake_rounds(port, _cookie(employee), employee, rounds=2,
                                         per_client=1)
    # Per round 8 through the real page, 8 by one plain client and 8 by eight.
    assert Signal.objects.count() == filed_before + 2 * 3 * 8
    assert len(http) == 2 and [sorted(rates) for rates in bare] == [[1, 8], [1, 8]]
    lines += pagebench.intake_figures(http, bare, db)

    figures = {}
    for line in lines:
        match = re.fullmatch(rf"bench: (\w+) = ([0-9.]+)(?: \S+)? \({db}\)", line)
        assert match, line
        figures[match[1]] = float(match[2])
    assert set(figures) == FIGURES
    assert all(value > 0 for value in figures.values()), figures


@pytest.mark.django_db
def test_a_reused_data_set_loses_what_earlier_runs_filed_and_nothing_else(
        tmp_path, employee, make_signal):
    """The intake's filings are removed after a run (and before one, from a set an
    older bench left): the next run measures the data set as built."""
    from schakel.reports import pagebench_data
    from schakel.signals.models import Signal

    built = [make_signal(employee) for _ in range(3)]
    Signal.objects.filter(pk=built[-1].pk).update(state="received")
    filed = [make_signal(employee) for _ in range(4)]  # left new, as the intake leaves them
    path = tmp_path / "targets.json"
    # A set from before the bench kept its last signal: the last one a step was taken on.
    targets = {"typical": built[0].pk}
    assert pagebench_data.drop_filed_since(targets, path) == len(filed)
    assert targets["last_signal"] == built[-1].pk
    assert '"last_signal"' in path.read_text()
    assert sorted(Signal.objects.values_list("pk", flat=True)) == [s.pk for s in built]
    make_signal(employee)
    assert pagebench_data.drop_filed_since(targets, path) == 1
    assert Signal.objects.count() == len(built)
