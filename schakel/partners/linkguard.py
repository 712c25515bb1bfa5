"""Looking up a partner's link, with guessing slowed down.

A token has 256 bits, so guessing cannot succeed; the limit keeps the page
from being used to probe and keeps the log quiet. Failed look-ups are counted
per client (a keyed hash of the address, never the address itself) and in total.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.crypto import salted_hmac

from schakel.core import clock

from .models import FeedbackLink, LinkAttempt, hash_token

WINDOW = timedelta(hours=1)
PER_CLIENT = 10
IN_TOTAL = 200


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
    since = clock.now() - WINDOW
    recent = LinkAttempt.objects.filter(at__gte=since)
    return (recent.filter(client=client_key(request)).count() >= PER_CLIENT
            or recent.count() >= IN_TOTAL)


def find(request, token: str) -> FeedbackLink | None:
    """The link for this token, or None (and the failed attempt is counted)."""
    link = None
    if 20 <= len(token) <= 100:
        link = (FeedbackLink.objects.select_related("referral__partner", "referral__signal")
                .filter(token_hash=hash_token(token)).first())
    if link is None:
        LinkAttempt.objects.create(client=client_key(request), at=clock.now())
    return link
