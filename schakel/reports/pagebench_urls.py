"""The app's URLs plus the floor of any list page, for the page benchmark only."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import include, path

from schakel.signals.models import Signal


@login_required
def floor(request):
    """A trivial 50-row table through the same middleware and base template."""
    rows = Signal.objects.order_by("-id").only(
        "id", "reference", "state", "urgent", "submitted_at")[:50]
    return render(request, "reports/pagebench_floor.html", {"rows": rows})


urlpatterns = [
    path("bench/vloer/", floor, name="bench_floor"),
    path("", include("schakel.urls")),
]
