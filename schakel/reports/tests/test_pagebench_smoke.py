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
    "intake_bare_per_second", "intake_ratio",
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
    http_rate = pagebench.intake_http(port, _cookie(employee), clients=8, per_client=1)
    assert Signal.objects.count() == filed_before + 8  # filed through the real page
    lines += pagebench.intake_figures(http_rate, 8, employee, db)

    figures = {}
    for line in lines:
        match = re.fullmatch(rf"bench: (\w+) = ([0-9.]+)(?: \S+)? \({db}\)", line)
        assert match, line
        figures[match[1]] = float(match[2])
    assert set(figures) == FIGURES
    assert all(value > 0 for value in figures.values()), figures
