"""Looking up a partner's link, with guessing slowed down.

A token has 256 bits, so guessing cannot succeed; the limit keeps the page
from being used to probe and keeps the log quiet. Failed look-ups are counted
per client (a keyed hash of the address, never the address itself): a client
past the limit gets "too many attempts" instead of "not valid" for an unknown
token. A valid token always opens its page, whoever guessed wrong before, from
whichever address: refusing it would let anyone block the partners' feedback
(a police station's staff share one address too), and answering it reveals
nothing a guesser could use. There is no limit over all clients for the same
reason: twenty guessers would otherwise block every link for everyone.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.crypto import salted_hmac

from schakel.core import clock

from .models import FeedbackLink, LinkAttempt, hash_token

WINDOW = timedelta(hours=1)
PER_CLIENT = settings.LINK_GUESS_LIMIT  # failed look-ups per client and hour


def client_key(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if parts:
            address = parts[-settings.AXES_IPWARE_PROXY_COUNT] if len(parts) >= \
                settings.AXES_IPWARE_PROXY_COUNT else parts[0]
    return salted_hmac("schakel.partners.link", address, algorithm="sha256").hexdigest()


def is_limited(request) -> bool:
    """Has this client failed PER_CLIENT look-ups within the window?"""
    since = clock.now() - WINDOW
    return LinkAttempt.objects.filter(at__gte=since, client=client_key(request)) \
        .count() >= PER_CLIENT


def find(request, token: str) -> tuple[FeedbackLink | None, bool]:
    """(the link for this token, or None; whether this client is past its limit).

    A failed look-up is counted until the client reaches the limit (beyond it
    nothing more is written, so a guesser cannot fill the table).
    """
    link = None
    if 20 <= len(token) <= 100:
        link = (FeedbackLink.objects.select_related("referral__partner", "referral__signal")
                .filter(token_hash=hash_token(token)).first())
    if link is not None:
        return link, False
    limited = is_limited(request)
    if not limited:
        LinkAttempt.objects.create(client=client_key(request), at=clock.now())
    return None, limited
