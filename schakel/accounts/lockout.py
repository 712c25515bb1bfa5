"""Login lockout that fits an office where many people share one address.

django-axes counts failed logins; it has one limit for every way of counting. A
town hall's staff share one public address, so "five failures from this address"
would lock everyone out because one person mistyped. This handler counts three ways,
each with its own limit (settings, from the environment):

- per account and address (`AXES_FAILURE_LIMIT`, LOGIN_FAILURE_LIMIT, default 5):
  the person who mistypes is blocked at their own desk;
- per account from any address (LOGIN_ACCOUNT_FAILURE_LIMIT, default 10): guessing
  one account's password from many addresses;
- per address alone (LOGIN_ADDRESS_FAILURE_LIMIT, default 100): guessing many
  accounts from one address. Much higher, so a shared address is blocked only by
  what no office of people mistyping produces.

All within the cool-off window (LOGIN_LOCKOUT_MINUTES). axes compares the number
returned by `get_failures` with AXES_FAILURE_LIMIT, so each count is scaled to that
limit: a count reaching its own limit reaches AXES_FAILURE_LIMIT exactly.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _failures(request, **filters) -> int:
    qs = AccessAttempt.objects.filter(**filters)
    if settings.AXES_COOLOFF_TIME is not None:
        qs = qs.filter(attempt_time__gte=get_cool_off_threshold(request))
    return qs.aggregate(n=Sum("failures_since_start"))["n"] or 0


def counts(request, credentials=None) -> list[tuple[int, int]]:
    """[(failures, limit)] per account and address, per account, per address."""
    username = get_client_username(request, credentials)
    ip = getattr(request, "axes_ip_address", None)
    result = []
    if username is not None:
        result.append((_failures(request, username=username, ip_address=ip),
                       settings.AXES_FAILURE_LIMIT))
        result.append((_failures(request, username=username),
                       settings.LOGIN_ACCOUNT_FAILURE_LIMIT))
    result.append((_failures(request, ip_address=ip), settings.LOGIN_ADDRESS_FAILURE_LIMIT))
    return result


class OfficeLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        limit = settings.AXES_FAILURE_LIMIT
        return max((n * limit // max(own, 1) for n, own in counts(request, credentials)),
                   default=0)
