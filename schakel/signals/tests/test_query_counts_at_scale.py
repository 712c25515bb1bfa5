"""Every list page answers in the same number of queries at 10 and at 1,000 signals."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schakel.core import clock
from schakel.partners.models import Referral
from schakel.signals.models import (
    ExploitationForm,
    ReporterIdentity,
    Signal,
    SignalEvent,
    Subject,
)

pytestmark = pytest.mark.django_db


def add_signals(n, *, reporter, officer):
    """`n` received signals of `reporter`, written in bulk (the real actions are tested
    elsewhere; here only the number of rows matters)."""
    now = clock.now()
    start = (Signal.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    signals = Signal.objects.bulk_create([
        Signal(id=start + i, reference=f"MH-{now.year}-9{start + i:05d}", state="received",
               background="x", officer=officer, submitted_at=now - timedelta(hours=i),
               received_at=now, submission_token=uuid.uuid4(), urgent=i % 7 == 0)
        for i in range(n)])
    keys = ReporterIdentity.account_fields(user=reporter, filed_by=reporter)
    ReporterIdentity.objects.bulk_create([
        ReporterIdentity(signal=s, team=reporter.team, name="x", **keys) for s in signals])
    Subject.objects.bulk_create([Subject(signal=s, kind="person", name="P") for s in signals])
    form = ExploitationForm.objects.first()
    Signal.forms.through.objects.bulk_create([
        Signal.forms.through(signal_id=s.pk, exploitationform_id=form.pk) for s in signals])
    return signals


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


PAGES = {
    "officer": ["signals:queue", "signals:queue?tab=all", "signals:queue?tab=mine",
                "signals:queue?tab=all&page=3", "signals:queue?tab=all&sort=oldest",
                "signals:mine", "partners:referrals", "partners:referrals?show=all",
                "partners:referrals?show=all&before={second}",
                "partners:referrals?show=overdue", "partners:referrals?show=overdue&page=2",
                "partners:referrals?show=undelivered"],
    # {second}: the id the "older" link of the first page carries (a keyset page).
    "employee": ["signals:mine", "signals:mine?before={second}",
                 "signals:mine?after={second}"],
    "team_lead": ["signals:team", "signals:team?before={second}",
                  "signals:team?after={second}"],
}


def _url(spec):
    name, _, query = spec.partition("?")
    if "{second}" in query:
        # Four a page in these tests: the fourth newest signal's id opens page two.
        model = Referral if name == "partners:referrals" else Signal
        second = model.objects.order_by("-id").values_list("id", flat=True)[3]
        query = query.replace("{second}", str(second))
    return reverse(name) + (f"?{query}" if query else "")


def add_referrals(signals):
    """A referral (sent, some overdue) for each of `signals`, in bulk."""
    from schakel.partners.models import Partner

    partner = Partner.objects.create(name=f"Partner {len(signals)}",
                                     email="p@demo.schakel.invalid")
    now = clock.now()
    Referral.objects.bulk_create([
        Referral(signal=s, partner=partner, state="sent", created_at=now, sent_at=now,
                 delivered_at=now, due_at=now + timedelta(days=(-1) ** i))
        for i, s in enumerate(signals)])


@pytest.mark.parametrize("role", sorted(PAGES))
def test_list_pages_cost_the_same_queries_at_10_and_1000_signals(
        client, role, officer, employee, team_lead, request):
    user = {"officer": officer, "employee": employee, "team_lead": team_lead}[role]
    add_referrals(add_signals(10, reporter=employee, officer=officer))
    # page 2 and 3 exist at 10 signals too when a page holds 4
    from django.conf import settings

    settings.SCHAKEL["QUEUE_PAGE_SIZE"], size = 4, settings.SCHAKEL["QUEUE_PAGE_SIZE"]
    try:
        client.force_login(user)
        queries(client, _url(PAGES[role][0]))  # the session's first request does more
        small = {spec: queries(client, _url(spec)) for spec in PAGES[role]}
        add_referrals(add_signals(990, reporter=employee, officer=officer))
        large = {spec: queries(client, _url(spec)) for spec in PAGES[role]}
    finally:
        settings.SCHAKEL["QUEUE_PAGE_SIZE"] = size
    assert small == large


def test_the_signal_page_costs_the_same_queries_with_10_and_1000_history_rows(
        client, officer, employee):
    signal = add_signals(1, reporter=employee, officer=officer)[0]
    now = clock.now()

    def history(n):
        SignalEvent.objects.bulk_create([
            SignalEvent(signal=signal, at=now, actor=officer, actor_role="officer",
                        kind="note", remark="notitie") for _ in range(n)])

    history(10)
    client.force_login(officer)
    url = reverse("signals:detail", args=[signal.pk])
    queries(client, url)
    small = queries(client, url)
    history(990)
    assert queries(client, url) == small


def test_the_signal_page_shows_the_latest_fifty_history_rows_and_links_to_earlier_ones(
        client, officer, employee):
    signal = add_signals(1, reporter=employee, officer=officer)[0]
    now = clock.now()
    SignalEvent.objects.bulk_create([
        SignalEvent(signal=signal, at=now + timedelta(minutes=n), actor=officer,
                    actor_role="officer", kind="note", remark=f"notitie-{n:03d}.")
        for n in range(120)])
    client.force_login(officer)
    url = reverse("signals:detail", args=[signal.pk])
    response = client.get(url)
    html = response.content.decode()
    assert "notitie-119." in html and "notitie-070." in html and "notitie-069." not in html
    assert html.index("notitie-070.") < html.index("notitie-119.")  # oldest first
    earlier = response.context["earlier"]
    assert "Eerdere geschiedenis" in html and f"?before={earlier}" in html
    html = client.get(url, {"before": earlier}).content.decode()
    assert "notitie-069." in html and "notitie-020." in html and "notitie-070." not in html
    last = client.get(url, {"before": client.get(url, {"before": earlier}).context["earlier"]})
    assert "notitie-000." in last.content.decode() and last.context["earlier"] is None
    assert client.get(url, {"before": "x-1"}).status_code == 200


def test_the_queues_chase_counts_do_not_read_every_signal(officer, employee, make_signal):
    """The referral counts of the queue filter on the referral's own signal, no IN-list."""
    from schakel.partners.models import Referral

    sql = str(Referral.objects.visible_to(officer).query)
    # Only the drafts are read (through the state index), never every visible signal,
    # and no join reads each referral's signal row.
    assert "JOIN" not in sql and sql.count("SELECT") == 2
    assert "\"state\" = draft" in sql or "\"state\" = 'draft'" in sql
    draft = make_signal(officer, submit=False)
    assert draft.state == "draft"
    assert not Referral.objects.visible_to(employee).exists()
