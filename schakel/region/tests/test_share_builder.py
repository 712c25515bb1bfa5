"""The share a municipality builds: codes and counts, suppressed as the council report is."""

import json
import re

import pytest

from schakel.partners.models import Partner, Referral, ReferralState
from schakel.region import share, validate
from schakel.region.share import build_share

pytestmark = pytest.mark.django_db


def _current(data):
    return next(p for p in data["quarters"] if p["quarter"] == data["quarter"])


def test_it_holds_no_reference_name_date_or_free_text(signals_in):
    made = signals_in(6, forms=("labour",))
    data = build_share()
    text = json.dumps(data)
    for signal in made:
        assert signal.reference not in text
    assert "Piet Test" not in text and "Vier mannen" not in text and "Balie" not in text
    # The only dates are quarters: no day, no month, no time.
    assert re.search(r"\d{4}-\d{2}(-\d{2})?|\d{2}:\d{2}", text) is None
    validate.share(data, threshold=5)


def test_it_counts_the_quarter_by_urgency_form_and_outcome(signals_in):
    signals_in(6, forms=("labour",))
    signals_in(5, forms=("sexual",), urgent=True)
    period = _current(build_share())["signals"]
    assert period["total"] == {"v": 11, "s": ""}
    assert period["urgency"] == {"urgent": {"v": 5, "s": ""}, "normal": {"v": 6, "s": ""}}
    assert period["forms"]["labour"]["v"] == 6 and period["forms"]["sexual"]["v"] == 5
    assert period["outcomes"]["open"] == {"v": 11, "s": ""}


def test_a_small_total_leaves_hidden_without_its_value(signals_in):
    signals_in(3)
    period = _current(build_share())["signals"]
    assert period["total"] == {"v": None, "s": "p"}
    assert all(c["v"] is None for c in period["urgency"].values() if c["s"])


def test_one_small_cell_takes_a_second_one_with_it(signals_in):
    """8 signals, 2 urgent: showing 6 not urgent beside the total 8 would give away the 2."""
    signals_in(2, urgent=True)
    signals_in(6)
    period = _current(build_share())["signals"]
    assert period["total"] == {"v": 8, "s": ""}
    assert period["urgency"]["urgent"]["v"] is None
    assert period["urgency"]["normal"]["v"] is None


def test_referrals_per_partner_code_with_the_median_days(signals_in):
    from datetime import timedelta

    from schakel.core import clock

    made = signals_in(7)
    avim = Partner.objects.filter(code="avim").first() or Partner.objects.create(
        name="Politie – AVIM", code="avim")
    own = Partner.objects.create(name="Tolk Jan de Wit")  # no shipped code: "other"
    now = clock.now()
    for i, signal in enumerate(made):
        Referral.objects.create(
            signal=signal, partner=avim, created_at=now, sent_at=now,
            state=ReferralState.FEEDBACK_RECEIVED, feedback_at=now + timedelta(days=i + 1))
    Referral.objects.create(signal=made[0], partner=own, created_at=now, sent_at=now,
                            state=ReferralState.SENT)
    data = build_share()
    partners = {p["partner"]: p for p in _current(data)["partners"]}
    assert partners["avim"]["sent"] == {"v": 7, "s": ""}
    assert partners["avim"]["answered"] == {"v": 7, "s": ""}
    assert partners["avim"]["median_days"] == 4.0
    assert partners["avim"]["no_response"] == {"v": 0, "s": ""}
    assert partners["other"]["sent"] == {"v": None, "s": "p"}
    assert "Jan de Wit" not in json.dumps(data)


def test_a_median_over_a_hidden_count_stays_home(signals_in):
    from datetime import timedelta

    from schakel.core import clock

    made = signals_in(7)
    avim = Partner.objects.filter(code="avim").first() or Partner.objects.create(
        name="Politie – AVIM", code="avim")
    now = clock.now()
    for i, signal in enumerate(made):
        answered = i < 5
        Referral.objects.create(
            signal=signal, partner=avim, created_at=now, sent_at=now,
            state=ReferralState.FEEDBACK_RECEIVED if answered else ReferralState.NO_RESPONSE,
            feedback_at=now + timedelta(days=2) if answered else None)
    row = next(p for p in _current(build_share())["partners"] if p["partner"] == "avim")
    # 2 without response is small, so the 5 answered are hidden too, and their median.
    assert row["no_response"]["v"] is None
    assert row["answered"]["v"] is None and row["median_days"] is None


def test_the_plan_travels_as_action_codes_with_exact_counts():
    from schakel.plan.demo import load_default_plan

    load_default_plan()
    actions = build_share()["plan"]["actions"]
    assert actions and all(set(a) == {"action", *share.PLAN_MEASURES} for a in actions)
    assert all(a["planned"] == a["done"] + a["skipped"] + a["not_recorded"] + a["overdue"]
               + a["open"] for a in actions)
