"""Rate limits per token and per address, counted in the database for every worker."""

import datetime as dt

import pytest
from rest_framework.settings import api_settings

from schakel.api.models import RateCount
from schakel.api.throttles import PerAddress, PerToken, hit

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 30, 12, 0, 10, tzinfo=dt.UTC)


@pytest.fixture
def frozen(monkeypatch):
    from schakel.core import clock

    moment = {"now": NOON}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
            **api_settings.DEFAULT_THROTTLE_RATES, **rates}}

    return set_rates


def test_a_token_past_its_rate_gets_429_with_retry_after(api, employee, frozen, rates):
    rates(token="2/minute")
    client = api(employee)
    responses = [client.get("/api/v1/signals/") for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert responses[2]["Content-Type"] == "application/problem+json"
    assert responses[2]["Retry-After"] == "50"  # the rest of the minute
    frozen["now"] = NOON + dt.timedelta(minutes=1)
    assert client.get("/api/v1/signals/").status_code == 200


def test_another_token_of_the_same_user_has_its_own_count(api, employee, frozen, rates):
    rates(token="1/minute")
    first, second = api(employee), api(employee)
    assert first.get("/api/v1/signals/").status_code == 200
    assert first.get("/api/v1/signals/").status_code == 429
    assert second.get("/api/v1/signals/").status_code == 200


def test_an_address_is_limited_before_its_token_is_looked_at(client, frozen, rates):
    rates(address="3/minute")
    headers = {"Authorization": "Bearer schakel_guess"}
    codes = [client.get("/api/v1/signals/", headers=headers).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    other = {"REMOTE_ADDR": "10.0.0.9"}
    assert client.get("/api/v1/signals/", headers=headers, **other).status_code == 401


def test_the_count_is_in_the_database_so_every_worker_shares_it(api, employee, frozen, rates):
    """A new throttle object (as in another worker process) sees the requests made so far."""
    rates(token="3/minute")
    client = api(employee)
    client.get("/api/v1/signals/")
    client.get("/api/v1/signals/")
    row = RateCount.objects.get(key__startswith="token:")
    assert row.count == 2
    # "Another worker" counts its request in the same row and is refused past the rate.
    assert hit(row.key, row.window, dt.timedelta(minutes=1)) == 3
    assert client.get("/api/v1/signals/").status_code == 429


def test_the_address_is_stored_as_a_keyed_hash(api, employee, frozen):
    api(employee).get("/api/v1/signals/")
    keys = list(RateCount.objects.values_list("key", flat=True))
    assert any(k.startswith("address:") for k in keys)
    assert not any("127.0.0.1" in k for k in keys)


def test_old_windows_are_cleared_when_a_new_one_starts(frozen):
    minute = dt.timedelta(minutes=1)
    for i in range(5):
        hit("token:1", NOON - i * minute, minute)
    hit("token:1", NOON + minute, minute)
    assert sorted(RateCount.objects.values_list("window", flat=True)) == [
        NOON - minute, NOON, NOON + minute]


def test_the_rates_are_the_documented_defaults():
    assert PerToken().num_requests == 600 and PerAddress().num_requests == 1200
