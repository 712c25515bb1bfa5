"""The dashboard: this year's figures, live, and what is overdue.

Officers see exact counts and the references of signals waiting for them (they
may open those signals anyway); the policy role sees counts only, with the same
suppression as the council report.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from schakel.accounts.models import Role
from schakel.core import clock
from schakel.signals.models import Signal
from schakel.signals.workflow import State

from . import charts, partner_queries
from . import figures as fig
from .render import month_rows
from .suppression import single

LIST_LIMIT = 10


def inform_days() -> int:
    """A reporter waiting longer than this for the officer's message is overdue."""
    return int(settings.SCHAKEL.get("REPORT_INFORM_REPORTER_DAYS", 14))


def awaiting_reporter(today_start) -> dict:
    """Signals whose reporter still waits for the officer's message (step 6)."""
    waiting = (Signal.objects.filter(state__in=(State.FEEDBACK_RECEIVED, State.DISMISSED))
               .annotate(since=Max("events__at")).order_by("since", "id"))
    rows = list(waiting.values("pk", "reference", "state", "since")[:LIST_LIMIT])
    limit = clock.now() - timedelta(days=inform_days())
    return {"count": waiting.count(),
            "overdue": waiting.filter(since__lt=limit).count(),
            "rows": [{**r, "overdue": r["since"] is not None and r["since"] < limit}
                     for r in rows]}


def overdue_occurrences() -> dict | None:
    Occurrence = fig._model("plan.Occurrence")
    if Occurrence is None:
        return None
    today = timezone.localdate(clock.now())
    overdue = Occurrence.objects.overdue(today)
    rows = list(overdue.select_related("action").order_by("due", "id")[:LIST_LIMIT])
    # Past moments nobody marked that went before the plan came in: not late, but open
    # to record (the action plan lists them).
    return {"count": overdue.count(), "rows": rows,
            "not_recorded": Occurrence.objects.not_recorded(today).count()}


def daily_figures(year: int, t: int) -> tuple[dict, object]:
    """This year's figures and when they were computed: once a day per worker.

    Computing them reads every signal and referral of the year (about 0.4 s at
    100,000 signals over five years); the dashboard says when they were made, and the
    lists of what is overdue stay live.
    """
    now = clock.now()
    key = (f"dashboard-figures:{year}:{t}:{timezone.localdate(now).isoformat()}:"
           f"{get_language()}")
    cached = cache.get(key)
    if cached is None:
        cached = (fig.council_figures(year, t), now)
        cache.set(key, cached, timeout=24 * 3600)
    return cached


def context(user) -> dict:
    year = timezone.localdate(clock.now()).year
    t = 0 if user.role == Role.OFFICER else fig.threshold()
    figures, figures_at = daily_figures(year, t)
    s = figures["signals"]
    # The cache holds months as "1".."12"; they are named here, in the reader's language.
    months = month_rows(s["per_month"]["rows"], short=True)
    return {
        "year": year, "f": figures, "t": t, "exact": t == 0, "figures_at": figures_at,
        "chart_month": None if s["per_month"]["withheld"] else charts.columns(
            months, title=_("Signals per month"), threshold=t),
        "chart_form": None if s["per_form"]["withheld"] else charts.bars(
            s["per_form"]["rows"], title=_("Signals per form of exploitation"), threshold=t),
        "chart_team": None if s["per_team"]["withheld"] else charts.bars(
            s["per_team"]["rows"], title=_("Signals per team"), threshold=t),
        "awaiting": awaiting_reporter(None),
        "feedback": partner_queries.overdue_feedback(limit=LIST_LIMIT),
        "occurrences": overdue_occurrences(),
        "show_references": user.role == Role.OFFICER,
        "inform_days": inform_days(),
        "meetings_held": sum(m["v"] for m in figures.get("meetings") or []),
    }


def summary(user) -> dict:
    """The few numbers of the policy start page."""
    year = timezone.localdate(clock.now()).year
    t = fig.threshold()
    occ = overdue_occurrences()
    return {"year": year, "t": t, "total": single(fig.signals_total(year), t),
            "occurrences_overdue": occ["count"] if occ else None}
