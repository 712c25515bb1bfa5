"""No page of this app shows what signals say about people, whoever looks."""

import pytest
from django.urls import reverse

from schakel.core import clock
from schakel.reports.models import Report
from schakel.reports.tasks import render_now

from .conftest import at
from .test_render import MARKERS, marked_signals  # noqa: F401

pytestmark = pytest.mark.django_db


def test_markers_never_appear_on_any_report_page(client, officer, policy, marked_signals):  # noqa: F811
    from schakel.signals.models import Signal

    year = clock.now().year
    # Some of them this year, waiting for the reporter's message: listed on the dashboard.
    Signal.objects.filter(pk__in=[s.pk for s in marked_signals[:6]]).update(
        submitted_at=at(year, 1, 2), state="feedback_received")
    report = Report.objects.create(year=2025, created_at=clock.now())
    render_now(report.pk)
    urls = [reverse("reports:dashboard"), reverse("reports:list"),
            reverse("reports:detail", args=[report.pk]),
            reverse("reports:progress", args=[report.pk]),
            reverse("reports:file", args=[report.pk, "html"]),
            reverse("reports:file", args=[report.pk, "csv"]), reverse("home")]
    for user in (officer, policy):
        client.force_login(user)
        for url in urls:
            response = client.get(url, follow=True)
            body = response.content.decode("utf-8", errors="replace")
            for marker in MARKERS:
                assert marker not in body, (user.role, url, marker)
