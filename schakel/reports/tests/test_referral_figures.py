"""Referrals per partner and the share with feedback, against a hand-computed fixture:

| partner          | sent in 2025 | with feedback | not counted                          |
| AVIM             | 6            | 4             | 1 withdrawn, 1 sent in 2024, 1 draft |
| NLA              | 2            | 1             |                                      |
| Zorgcoördinator  | 8            | 8             |                                      |
| Oud (inactive)   | 0            | 0             | left out: inactive, nothing sent     |
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from schakel.reports import figures

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def referrals_2025(signal_at):
    from schakel.partners.models import Partner, Referral

    avim = Partner.objects.create(name="AVIM")
    nla = Partner.objects.create(name="NLA")
    zorg = Partner.objects.create(name="Zorgcoördinator")
    Partner.objects.create(name="Oud", active=False)
    signals = [signal_at(at(2025, 1 + i % 12, 5)) for i in range(12)]
    day = timedelta(days=1)

    def refer(signal, partner, *, sent=True, feedback=False, state="sent", when=None):
        when = when or signal.submitted_at + day
        return Referral.objects.create(
            signal=signal, partner=partner, created_at=when, state=state,
            sent_at=when if sent else None, due_at=when + 14 * day,
            feedback_at=when + 3 * day if feedback else None)

    for i in range(6):
        refer(signals[i], avim, feedback=i < 4, state="feedback_received" if i < 4 else "sent")
    refer(signals[6], avim, state="withdrawn")
    refer(signals[7], avim, when=at(2024, 12, 1))
    refer(signals[8], avim, sent=False, state="draft")
    for i in range(2):
        refer(signals[i], nla, feedback=i == 0)
    for i in range(8):
        refer(signals[i], zorg, feedback=True, state="feedback_received")
    return signals


def test_referrals_per_partner_count_those_sent_in_the_year(referrals_2025):
    assert figures.referrals_per_partner(2025) == [
        ("AVIM", 6, 4), ("NLA", 2, 1), ("Zorgcoördinator", 8, 8)]


def test_the_snapshot_hides_small_counts_and_what_would_give_them_away(referrals_2025):
    table = figures.council_figures(2025, 5)["referrals"]
    rows = {r["label"]: r for r in table["rows"]}
    assert rows["AVIM"]["parent"] == {"v": 6, "s": ""}
    assert rows["NLA"]["parent"] == {"v": None, "s": "p"}
    # 16 in all: with NLA's 2 hidden, Zorgcoördinator's 8 must go too (16 − 6 − 8 = 2).
    assert rows["Zorgcoördinator"]["parent"] == {"v": None, "s": "x"}
    assert rows["AVIM"]["child"]["s"] == "p" and rows["NLA"]["child"]["s"] == "p"
    assert rows["Zorgcoördinator"]["child"]["s"] == "x"  # its parent is hidden
    assert all(r["share"] is None for r in table["rows"])
    assert table["total"] == {"v": 16, "s": ""}
    assert table["total_feedback"] == {"v": 13, "s": ""}
    assert table["share"] == 81


def test_exact_figures_give_the_share_per_partner(referrals_2025):
    table = figures.council_figures(2025, 0)["referrals"]
    assert [(r["label"], r["share"]) for r in table["rows"]] == [
        ("AVIM", 67), ("NLA", 50), ("Zorgcoördinator", 100)]


def test_the_dashboard_lists_overdue_feedback_to_officers(client, officer, policy, signal_at,
                                                          monkeypatch):
    from schakel.core import clock
    from schakel.partners.models import Partner, Referral

    now = clock.now()
    signal = signal_at(now - timedelta(days=30))
    Referral.objects.create(signal=signal, partner=Partner.objects.create(name="NLA"),
                            created_at=now - timedelta(days=29), state="sent",
                            sent_at=now - timedelta(days=29), due_at=now - timedelta(days=1))
    client.force_login(officer)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert signal.reference in page and "NLA" in page
    client.force_login(policy)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert signal.reference not in page
    assert "1 doorverwijzing wacht" in page
