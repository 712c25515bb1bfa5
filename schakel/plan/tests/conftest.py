from datetime import UTC, datetime

import pytest


@pytest.fixture
def today(monkeypatch):
    """A fixed 'now': 15 June 2026, midday."""
    moment = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
    monkeypatch.setattr("schakel.core.clock.now", lambda: moment)
    return moment.date()


@pytest.fixture
def plan(db, today):
    from schakel.plan.demo import load_default_plan

    load_default_plan()
    from schakel.plan.models import Action

    return {a.code: a for a in Action.objects.all()}


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login
