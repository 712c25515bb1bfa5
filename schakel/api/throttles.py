"""Rate limits: per token (or per logged-in user) and per client address.

Counted in the database (`RateCount`), so all worker processes share one count:
a fixed window of the rate's period (`600/minute`: the minute on the clock). The
rates are settings (API_RATE_PER_TOKEN, API_RATE_PER_ADDRESS). The address is
counted first, before the token is looked at, so guessing tokens is limited too;
it is stored as a keyed hash, never the address itself.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.crypto import salted_hmac
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from schakel.core import clock

from .models import ApiToken, RateCount

KEEP_WINDOWS = 2  # windows older than this many periods are deleted


def hit(key: str, window: dt.datetime, period: dt.timedelta) -> int:
    """Count one request of `key` in `window`; the count so far, this one included.

    An UPDATE … count + 1 is atomic in both databases; the first request of a window
    inserts the row (a worker that loses the race to insert updates instead) and
    clears windows that have passed.
    """
    rows = RateCount.objects.filter(key=key, window=window)
    if not rows.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateCount.objects.create(key=key, window=window, count=1)
        except IntegrityError:
            rows.update(count=F("count") + 1)
        else:
            RateCount.objects.filter(window__lt=window - KEEP_WINDOWS * period).delete()
            return 1
    return rows.values_list("count", flat=True).first() or 1


class SharedRateThrottle(BaseThrottle):
    scope = ""

    def __init__(self):
        rate = api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        self.num_requests, seconds = SimpleRateThrottle.parse_rate(None, rate)
        self.period = dt.timedelta(seconds=seconds)
        self._wait = None

    def get_key(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request, view):
        key = self.get_key(request)
        if key is None:
            return True
        now = clock.now()
        seconds = int(self.period.total_seconds())
        start = dt.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=dt.UTC)
        count = hit(key, start, self.period)
        self._wait = max((start + self.period - now).total_seconds(), 1)
        return count <= self.num_requests

    def wait(self):
        return self._wait


class PerToken(SharedRateThrottle):
    scope = "token"

    def get_key(self, request):
        token = request.auth
        if isinstance(token, ApiToken):
            return f"token:{token.pk}"
        if request.user and request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return None


class PerAddress(SharedRateThrottle):
    scope = "address"

    def get_key(self, request):
        address = self.get_ident(request)
        return "address:" + salted_hmac("schakel.api.address", address,
                                        algorithm="sha256").hexdigest()[:40]
