"""What a municipality shares with the region: anonymous counts per quarter, and nothing more.

The share is built from codes and counts only:

- per quarter (the last QUARTERS, by the day a signal was submitted): the signals'
  total, by urgency, by form of exploitation and by outcome; per chain partner (by its
  shipped code, so the region can line partners up) the referrals sent, answered, gone
  without response and still waiting, with the median days to an answer;
- the action plan's moments of the year per action (by its code), exact, as in the
  council report: they count the municipality's own work, not people.

Never a reference, a name, a date finer than the quarter, or a free text: a partner
without a shipped code (one the municipality added itself, whose name could be
anything) is counted under "other". Counts about signals and referrals go through the
council report's suppression (`reports.suppression`): a total on its own is hidden
below the threshold, a breakdown is protected so that no hidden count can be worked
out from the cells shown. A hidden count leaves this installation as `{"v": null}`.
"""

import statistics
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from schakel.core import clock
from schakel.partners.models import Partner, Referral, ReferralState
from schakel.reports import figures
from schakel.reports import suppression as sup
from schakel.signals.models import ExploitationForm, Outcome, Signal
from schakel.signals.workflow import State

from . import quarters

SCHEMA = "schakel.region.share/1"
QUARTERS = 8
URGENCY = ("urgent", "normal")
OUTCOMES = (*Outcome.values, "open")
PARTNER_MEASURES = ("answered", "no_response", "waiting")
PLAN_MEASURES = ("planned", *figures.STATES)
OTHER_PARTNER = "other"


def _protected(values: list[int], t: int) -> list[dict]:
    protection = sup.protect(values, t)
    return [sup.cell(v, m) for v, m in zip(values, protection.marks, strict=True)]


def _keyed(keys, values: list[int], t: int) -> dict:
    return dict(zip(keys, _protected(values, t), strict=True))


def _outcome(state: str, outcome: str) -> str:
    if state == State.CLOSED:
        return outcome if outcome in Outcome.values else Outcome.OTHER
    if state == State.DISMISSED:
        return Outcome.NO_INDICATION
    return "open"


def _signals(start, end, t: int, form_codes: list[str]) -> dict:
    rows = list(Signal.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
                .order_by().values_list("urgent", "state", "outcome"))
    urgent = sum(1 for u, _s, _o in rows if u)
    outcomes = dict.fromkeys(OUTCOMES, 0)
    for _u, state, outcome in rows:
        outcomes[_outcome(state, outcome)] += 1
    per_form = dict(ExploitationForm.objects.annotate(n=Count("signals", filter=Q(
        signals__submitted_at__gte=start, signals__submitted_at__lt=end)))
        .values_list("code", "n"))
    return {
        "total": sup.single(len(rows), t),
        "urgency": _keyed(URGENCY, [urgent, len(rows) - urgent], t),
        "forms": _keyed(form_codes, [per_form.get(c, 0) for c in form_codes], t),
        "outcomes": _keyed(OUTCOMES, [outcomes[o] for o in OUTCOMES], t),
    }


def _partners(start, end, t: int, codes: list[str]) -> list[dict]:
    """Per partner code: sent (on its own), and the breakdown of what became of them."""
    referrals = (Referral.objects.filter(sent_at__gte=start, sent_at__lt=end)
                 .exclude(state=ReferralState.WITHDRAWN).order_by()
                 .values_list("partner__code", "state", "sent_at", "feedback_at"))
    tally: dict[str, dict] = {}
    for code, state, sent_at, feedback_at in referrals:
        row = tally.setdefault(code if code in codes else OTHER_PARTNER,
                               {"sent": 0, "answered": 0, "no_response": 0, "days": []})
        row["sent"] += 1
        if feedback_at is not None:
            row["answered"] += 1
            row["days"].append(max((feedback_at - sent_at) / timedelta(days=1), 0.0))
        elif state == ReferralState.NO_RESPONSE:
            row["no_response"] += 1
    result = []
    for code, row in tally.items():
        if not row["sent"]:
            continue  # the region reads a partner left out as none sent
        values = [row["answered"], row["no_response"],
                  row["sent"] - row["answered"] - row["no_response"]]
        cells = _keyed(PARTNER_MEASURES, values, t)
        # A median says something only over counts that are shown.
        median = (round(statistics.median(row["days"]), 1)
                  if row["days"] and cells["answered"]["s"] == sup.SHOWN else None)
        result.append({"partner": code, "sent": sup.single(row["sent"], t), **cells,
                       "median_days": median})
    return result


def _plan(year: int) -> list[dict]:
    pillars = figures.pillar_progress(year) or []
    return [{"action": a["code"], **{m: a[m] for m in PLAN_MEASURES}}
            for p in pillars for a in p["actions"]]


def build_share(*, today=None) -> dict:
    """The share as it leaves this installation (the policy officer's preview shows it)."""
    today = today or timezone.localdate(clock.now())
    t = figures.threshold()
    form_codes = list(ExploitationForm.objects.order_by("order").values_list("code", flat=True))
    partner_codes = list(Partner.objects.filter(code__isnull=False, active=True)
                         .order_by("code").values_list("code", flat=True))
    periods = []
    for year, quarter in quarters.recent(today, QUARTERS):
        start, end = quarters.bounds(year, quarter)
        periods.append({
            "quarter": quarters.label(year, quarter),
            "signals": _signals(start, end, t, form_codes),
            "partners": _partners(start, end, t, partner_codes),
        })
    return {
        "schema": SCHEMA,
        "threshold": t,
        "quarter": quarters.label(*quarters.of(today)),
        "quarters": periods,
        "plan": {"year": today.year, "actions": _plan(today.year)},
    }
