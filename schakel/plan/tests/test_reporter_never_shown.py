"""No page of the plan, no feed and no export ever shows a signal's reporter."""

from datetime import date

import pytest
from django.urls import reverse

from schakel.plan.models import AgendaItem, CalendarFeed, Meeting, MeetingKind

from .test_access_per_role import pages, records  # noqa: F401

MARKER = "Verklikker-zq81-Onvindbaar"


@pytest.fixture
def planted(records, employee, officer, make_signal):  # noqa: F811
    signal = make_signal(employee, steps=["receive"], officer=officer, reporter_name=MARKER)
    reporter = signal.reporter
    reporter.email = "zq81@example.invalid"
    reporter.phone = "06-zq81"
    reporter.save()
    AgendaItem.objects.create(meeting=records["case"], signal=signal, question="Vraag",
                              decision="Besluit")
    Meeting.objects.create(kind=MeetingKind.CASE, date=date(2026, 7, 1))
    return signal


@pytest.mark.parametrize("role", ["officer", "policy"])
def test_no_plan_page_shows_the_reporter(role, planted, records, as_user, request):  # noqa: F811
    user = request.getfixturevalue(role)
    client = as_user(user)
    client.post(reverse("plan:feed_settings"), {"do": "renew"})
    urls = pages(records) + [
        reverse("plan:feed", args=[CalendarFeed.objects.get(user=user).token])]
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode(errors="replace")
        assert "zq81" not in text, url
        assert "zq81" not in url
