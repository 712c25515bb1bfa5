"""The dashboard's figures are computed once a day and say when; what is overdue stays live."""

from datetime import timedelta

import pytest
from django.urls import reverse

from schakel.core import clock

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_figures_are_made_once_a_day_and_say_when(client, officer, signal_at, monkeypatch):
    now = clock.now()
    for i in range(2):
        signal_at(at(now.year, 1, 2 + i))
    client.force_login(officer)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert '<p class="figure-value">2</p>' in page
    assert f"Cijfers bijgewerkt om {clock.now().astimezone(at(2000, 1, 1).tzinfo):%H:%M}" in page
    signal_at(at(now.year, 1, 5))
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert '<p class="figure-value">2</p>' in page  # the same day: the same figures
    tomorrow = now + timedelta(days=1)
    monkeypatch.setattr(clock, "now", lambda: tomorrow)
    if tomorrow.year == now.year:
        page = client.get(reverse("reports:dashboard")).content.decode()
        assert '<p class="figure-value">3</p>' in page


def test_what_waits_for_the_reporter_is_live(client, officer, signal_at):
    client.force_login(officer)
    client.get(reverse("reports:dashboard"))
    signal = signal_at(at(clock.now().year, 1, 2), state="feedback_received")
    assert signal.reference in client.get(reverse("reports:dashboard")).content.decode()


def test_the_dashboard_costs_the_same_queries_at_10_and_1000_signals(client, officer,
                                                                     signal_at):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from schakel.signals.models import Signal

    year = clock.now().year
    client.force_login(officer)
    client.get(reverse("reports:dashboard"))

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reports:dashboard")).status_code == 200
        return len(queries)

    template = signal_at(at(year, 1, 2), state="feedback_received")
    for i in range(9):
        signal_at(at(year, 1 + i, 3), team=f"Team {i % 3}")
    small = count()
    # 990 more of the same, copied in bulk: the page's query count must not move.
    from schakel.signals.models import ReporterIdentity

    reporter = ReporterIdentity.objects.get(signal=template)
    copies = Signal.objects.bulk_create([
        Signal(state="closed", background="x", submitted_at=at(year, 1 + i % 12, 4),
               reference=f"MH-{year}-X{i:05d}") for i in range(990)])
    ReporterIdentity.objects.bulk_create([
        ReporterIdentity(signal=s, team_id=reporter.team_id, name="x") for s in copies])
    assert Signal.objects.exclude(state="draft").count() == 1000
    assert count() == small


def _dashboard_in(client, language):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("reports:dashboard")).content.decode()


def test_the_months_are_named_in_the_readers_language_from_the_same_days_figures(
        client, officer, signal_at):
    signal_at(at(clock.now().year, 3, 2))
    client.force_login(officer)
    dutch = _dashboard_in(client, "nl")
    assert ">mrt</text>" in dutch and ">okt</text>" in dutch
    english = _dashboard_in(client, "en")
    assert ">March</text>" in english and ">Oct.</text>" in english
    assert ">mrt</text>" not in english and ">okt</text>" not in english
    # The figures are cached per language: the Dutch page after the English one is Dutch.
    dutch_again = _dashboard_in(client, "nl")
    assert ">mrt</text>" in dutch_again and "Seksuele uitbuiting" in dutch_again
    assert "Sexual exploitation" in english and "Seksuele uitbuiting" not in english


def test_the_council_report_names_its_months_in_the_installations_language(settings):
    from schakel.reports import render

    rows = [{"label": "3", "v": 1, "s": ""}]
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override(render.language()):
        assert render.month_rows(rows)[0]["label"] == "March"
    with translation.override("nl"):
        assert render.month_rows(rows)[0]["label"] == "maart"
        assert render.month_rows(rows, short=True)[0]["label"] == "mrt"
