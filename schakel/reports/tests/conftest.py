"""Fixtures of the reports app: signals placed at chosen moments, the plan's data."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

AMS = ZoneInfo("Europe/Amsterdam")


def at(y, m, d, hh=12, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=AMS)


@pytest.fixture
def signal_at(make_signal, make_user):
    """A submitted signal with its stamps set: submitted `when`, referred and informed after
    the given timedeltas. Reporters are made once per team."""
    from schakel.signals.models import Signal

    reporters = {}

    def make(when, *, team="Burgerzaken", forms=("labour",), urgent=False, referred=None,
             informed=None, state=None, **kw):
        if team not in reporters:
            reporters[team] = make_user("employee", team=team)
        signal = make_signal(reporters[team], forms=forms, urgent=urgent, **kw)
        updates = {"submitted_at": when}
        if referred is not None:
            updates["referred_at"] = when + referred
        if informed is not None:
            updates["reporter_informed_at"] = when + informed
        if state:
            updates["state"] = state
        Signal.objects.filter(pk=signal.pk).update(**updates)
        signal.refresh_from_db()
        return signal

    return make


@pytest.fixture
def year_2025(signal_at, make_signal, make_user):
    """The hand-computed fixture of test_figures.py (see the table there)."""
    days = timedelta(days=1)
    signals = [
        signal_at(at(2025, 1, 15, 10), forms=("labour",), urgent=True,
                  referred=2 * days, informed=10 * days),
        signal_at(at(2025, 1, 20), forms=("sexual", "labour"), referred=4 * days,
                  informed=20 * days),
        signal_at(at(2025, 3, 3), team="Sociaal Team", forms=("criminal",)),
        # Late on New Year's Eve, Amsterdam time: still 2025 (22:30 UTC).
        signal_at(at(2025, 12, 31, 23, 30), forms=("labour",), referred=timedelta(hours=36)),
        # Just after midnight in Amsterdam, still 31 December in UTC: 2026.
        signal_at(at(2026, 1, 1, 0, 30), forms=("labour",)),
        signal_at(at(2024, 6, 1), forms=("labour",)),
    ]
    make_signal(make_user("employee"), submit=False)  # a draft never counts
    return signals


def plan_models_available() -> bool:
    from django.apps import apps

    try:
        apps.get_model("plan.Pillar")
    except LookupError:
        return False
    return True


needs_plan = pytest.mark.skipif(not plan_models_available(), reason="plan app not built yet")
