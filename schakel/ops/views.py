"""Health addresses for monitors and load balancers (JSON, no personal data, no login).

`live` answers whoever asks. `ready` and `metrics` answer a request with the token
(`Authorization: Bearer <HEALTH_TOKEN>`) or from an address in HEALTH_NETWORKS
(the local networks by default); anyone else gets 403.
"""

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import readiness
from .metrics import render_metrics


def client_address(request) -> str:
    """The client's address; behind PROXY_COUNT proxies, the one the first proxy saw."""
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                     if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def may_see_health(request) -> bool:
    token = getattr(settings, "HEALTH_TOKEN", "")
    given = request.META.get("HTTP_AUTHORIZATION", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net) for net in settings.HEALTH_NETWORKS)


@require_GET
@never_cache
def live(request):
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def ready(request):
    if not may_see_health(request):
        return JsonResponse({"status": "forbidden"}, status=403)
    report = readiness()
    return JsonResponse(report, status=200 if report["ready"] else 503)


@require_GET
@never_cache
def metrics(request):
    if not may_see_health(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(render_metrics(), content_type="text/plain; version=0.0.4")
