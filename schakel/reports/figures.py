"""The figures of the dashboard and the council report, as plain functions.

Every function takes a year and answers with plain numbers: no suppression
here (that is `council_figures`, at the end, with `suppression`). Signals
belong to the year in which they were submitted (local time); drafts never
count. Nothing personal is read: no names, addresses, dates of birth or free
text of signals, only states, stamps, forms, urgency and the reporter's team.

Figures of other apps (referrals, the action plan) are looked up through the
app registry, so this module works while those apps are still being built.
"""

import statistics
from datetime import date, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Team
from schakel.signals.models import ExploitationForm, Signal

from . import suppression as sup

# One rule for counts that say nothing about persons: the municipality's own activities
# (moments of the plan, meetings, trainings and campaigns held, controls held) are shown
# exactly; counts about people, addresses or what was found (signals, referrals, feedback,
# findings of controls, police figures) are suppressed below the threshold. Stated in the
# report's method note.


def threshold() -> int:
    """Counts below this are shown as "< threshold" (setting; 5 by default)."""
    return int(settings.SCHAKEL.get("REPORT_SUPPRESSION_THRESHOLD", 5))


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    return (timezone.make_aware(datetime(year, 1, 1), tz),
            timezone.make_aware(datetime(year + 1, 1, 1), tz))


def signals_of(year: int):
    start, end = year_bounds(year)
    return Signal.objects.filter(submitted_at__gte=start, submitted_at__lt=end)


# ---------------------------------------------------------------- signals

def signals_total(year: int) -> int:
    return signals_of(year).count()


def signals_urgent(year: int) -> int:
    return signals_of(year).filter(urgent=True).count()


def signals_per_form(year: int) -> list[tuple[str, str, int]]:
    """(code, name, count) for every form of exploitation; a signal may have several."""
    start, end = year_bounds(year)
    in_year = Q(signals__submitted_at__gte=start, signals__submitted_at__lt=end)
    forms = ExploitationForm.objects.annotate(n=Count("signals", filter=in_year))
    return [(f.code, str(f), f.n) for f in forms]


def signals_per_team(year: int) -> list[tuple[str, int]]:
    """(team name, count) for every team, the reporter's team; signals without one last."""
    counts = dict(signals_of(year).order_by().values_list("reporter__team")
                  .annotate(n=Count("id")))
    rows = [(t.name, counts.get(t.pk, 0)) for t in Team.objects.order_by("name")]
    if counts.get(None):
        rows.append((_("Unknown team"), counts[None]))
    return rows


def signal_stamps(year: int) -> list[tuple]:
    """(submitted, referred, reporter informed) of every signal of the year, fetched once
    for the months and both medians."""
    return list(signals_of(year).order_by().values_list("submitted_at", "referred_at",
                                                        "reporter_informed_at"))


def signals_per_month(year: int, stamps: list[tuple] | None = None) -> list[int]:
    """Twelve counts, January first (the month in local time)."""
    tz = timezone.get_default_timezone()
    months = [0] * 12
    for submitted, *_rest in (signal_stamps(year) if stamps is None else stamps):
        months[submitted.astimezone(tz).month - 1] += 1
    return months


def _median_days(stamps: list[tuple], index: int) -> tuple[float | None, int]:
    days = [max((row[index] - row[0]) / timedelta(days=1), 0.0)
            for row in stamps if row[index] is not None]
    if not days:
        return None, 0
    return round(statistics.median(days), 1), len(days)


def median_days_to_referral(year: int, stamps: list[tuple] | None = None
                            ) -> tuple[float | None, int]:
    """Median days from submission to the first referral, and over how many signals."""
    return _median_days(signal_stamps(year) if stamps is None else stamps, 1)


def median_days_to_reporter_informed(year: int, stamps: list[tuple] | None = None
                                     ) -> tuple[float | None, int]:
    """Median days from submission to informing the reporter, and over how many signals."""
    return _median_days(signal_stamps(year) if stamps is None else stamps, 2)


# ---------------------------------------------------------------- referrals (partners app)

def referrals_per_partner(year: int) -> list[tuple[str, int, int]] | None:
    """(partner, referrals sent in the year, of which with feedback); None without the app."""
    from . import partner_queries

    return partner_queries.referrals_per_partner(year, year_bounds(year))


# ---------------------------------------------------------------- the action plan (plan app)

STATES = ("done", "skipped", "not_recorded", "overdue", "open")


def pillar_progress(year: int) -> list[dict] | None:
    """Per pillar its active actions with their moments of the year, each counted once:
    planned = done + skipped + not recorded + overdue + open (an undated moment still open
    counts as open). Exact counts: they say nothing about persons. None without the plan app.
    """
    Pillar, Action, Occurrence = (_model("plan.Pillar"), _model("plan.Action"),
                                  _model("plan.Occurrence"))
    if Pillar is None or Action is None or Occurrence is None:
        return None
    from schakel.core import clock

    today = timezone.localdate(clock.now())
    counts: dict[int, dict] = {}
    undated: set[int] = set()
    for occ in (Occurrence.objects.of_year(year).filter(action__active=True)
                .only("action_id", "status", "due", "known_since")):
        state = occ.state_on(today)
        if state == "undated":
            state = "open"
            undated.add(occ.action_id)
        row = counts.setdefault(occ.action_id, dict.fromkeys(STATES, 0))
        row[state] += 1
    actions = (Action.objects.filter(active=True).select_related("owner")
               .order_by("pillar__number", "order", "code"))
    by_pillar: dict[int, list] = {}
    for a in actions:
        row = counts.get(a.pk, dict.fromkeys(STATES, 0))
        by_pillar.setdefault(a.pillar_id, []).append({
            "code": a.code, "title": a.title, "schedule": a.schedule_text, "kind": a.kind,
            # The role answers for it in a public report; a named owner only internally.
            "owner": str(a.get_responsible_role_display()),
            "undated": a.pk in undated,
            "planned": sum(row.values()), **row,
        })
    return [{"number": p.number, "title": p.title, "actions": by_pillar.get(p.pk, [])}
            for p in Pillar.objects.order_by("number")]


def actions_to_mention(pillars: list[dict] | None) -> dict:
    """The actions the council should hear about: with overdue moments, and still open."""
    every = [a for p in pillars or [] for a in p["actions"]]
    return {"overdue": [a for a in every if a["overdue"]],
            "open": [a for a in every if a["open"]]}


def trainings(year: int) -> dict | None:
    Training, Campaign = _model("plan.Training"), _model("plan.Campaign")
    if Training is None:
        return None
    agg = Training.objects.filter(date__year=year).aggregate(
        sessions=Count("id"), participants=Sum("participant_count"))
    campaigns = Campaign.objects.filter(starts_on__year=year).count() if Campaign else 0
    result = {"sessions": agg["sessions"], "participants": agg["participants"] or 0,
              "campaigns": campaigns}
    try:
        from schakel.plan.coverage import coverage
    except ImportError:
        return result
    from schakel.core import clock

    # Staff of teams with client contact trained in the two years up to the year's end.
    reach = coverage(min(date(year, 12, 31), timezone.localdate(clock.now())))
    result["coverage"] = {"trained": reach["trained_total"], "total": reach["total"],
                          "percent": reach["percent"]}
    return result


# Outcomes of a Bibob check that count as a finding.
BIBOB_FINDINGS = ("conditions", "advice", "refused")


def controls(year: int) -> list[tuple[str, str, int, int]] | None:
    """(kind, label, held, with findings) per kind of control."""
    Control = _model("plan.Control")
    if Control is None:
        return None
    finding = ~Q(findings="") | Q(bibob_outcome__in=BIBOB_FINDINGS)
    counts = {k: (held, found) for k, held, found in
              Control.objects.filter(date__year=year).values_list("kind")
              .annotate(held=Count("id"), found=Count("id", filter=finding))}
    kinds = Control._meta.get_field("kind").choices
    return [(k, str(label), *counts.get(k, (0, 0))) for k, label in kinds]


def meetings(year: int) -> list[tuple[str, str, int]] | None:
    """(kind, label, held) per kind of meeting: those dated in the year up to today."""
    Meeting = _model("plan.Meeting")
    if Meeting is None:
        return None
    from schakel.core import clock

    today = timezone.localdate(clock.now())
    counts = dict(Meeting.objects.filter(date__year=year, date__lte=today)
                  .values_list("kind").annotate(n=Count("id")))
    kinds = Meeting._meta.get_field("kind").choices
    return [(k, str(label), counts.get(k, 0)) for k, label in kinds]


POLICE_TOTALS = ("reports", "victims", "suspects", "investigations")
POLICE_FORMS = ("sexual", "labour", "criminal", "other")


def police_figures(year: int) -> dict | None:
    PoliceFigures = _model("plan.PoliceFigures")
    if PoliceFigures is None:
        return None
    row = PoliceFigures.objects.filter(year=year).first()
    if row is None:
        return None
    labels = {f: str(PoliceFigures._meta.get_field(f).verbose_name)
              for f in POLICE_TOTALS + POLICE_FORMS}
    return {"area": row.area, "labels": labels,
            **{f: getattr(row, f) for f in POLICE_TOTALS + POLICE_FORMS}}


# ---------------------------------------------------------------- the anonymised snapshot

def _breakdown(labels: list[str], values: list[int], t: int) -> dict:
    protection = sup.protect(values, t)
    return {"withheld": protection.withheld,
            "rows": [{"label": label, **sup.cell(v, m)}
                     for label, v, m in zip(labels, values, protection.marks, strict=True)]}


def _hide_with(values: list[int], marks: list[str], hidden_parents: list[bool], t: int):
    """Hide a cell whose parent cell is hidden (feedback of hidden referrals, findings of
    hidden controls); hiding more never narrows what can be told of the others."""
    out = []
    for v, m, parent_hidden in zip(values, marks, hidden_parents, strict=True):
        if m == sup.SHOWN and parent_hidden and v > 0:
            m = sup.PRIMARY if sup.is_small(v, t) else sup.SECONDARY
        out.append(m)
    return out


def _two_columns(labels, parents: list[int], children: list[int], t: int, *,
                 exact_parents: bool = False) -> dict:
    """A table of two breakdowns where each child count is part of its parent count."""
    p = sup.protect(parents, 0 if exact_parents else t)
    c = sup.protect(children, t)
    # Exact parents stay shown when the children cannot be protected: then only the
    # children's column is left out ("child_withheld").
    withheld = p.withheld or (c.withheld and not exact_parents)
    child_marks = _hide_with(children, c.marks, [m != sup.SHOWN for m in p.marks], t)
    return {"withheld": withheld, "child_withheld": c.withheld, "rows": [
        {"label": label, "parent": sup.cell(pv, pm), "child": sup.cell(cv, cm),
         "share": (round(100 * cv / pv) if pm == sup.SHOWN and cm == sup.SHOWN and pv else None)}
        for label, pv, pm, cv, cm in zip(labels, parents, p.marks, children, child_marks,
                                         strict=True)]}


def council_figures(year: int, t: int | None = None, *, with_plan: bool = True) -> dict:
    """Everything the council report shows, anonymised: JSON-ready, suppression applied.

    `t` is the suppression threshold (the setting by default; 0 shows exact counts).
    """
    t = threshold() if t is None else t
    forms = signals_per_form(year)
    teams = signals_per_team(year)
    stamps = signal_stamps(year)
    total = len(stamps)
    months = signals_per_month(year, stamps)
    med_ref, n_ref = median_days_to_referral(year, stamps)
    med_inf, n_inf = median_days_to_reporter_informed(year, stamps)
    # A median over few signals says too much about each of them.
    enough = max(t, 1)
    data: dict = {
        "year": year, "threshold": t,
        "signals": {
            "total": sup.single(total, t),
            "urgent": sup.single(signals_urgent(year), t),
            "per_form": _breakdown([name for _c, name, _n in forms], [n for *_x, n in forms], t),
            "per_team": _breakdown([name for name, _n in teams], [n for _x, n in teams], t),
            "per_month": _breakdown([str(m) for m in range(1, 13)], months, t),
            "median_days_to_referral": {"v": med_ref if n_ref >= enough else None,
                                        "n": sup.single(n_ref, t),
                                        "s": "" if n_ref >= enough or not n_ref else "x"},
            "median_days_to_informed": {"v": med_inf if n_inf >= enough else None,
                                        "n": sup.single(n_inf, t),
                                        "s": "" if n_inf >= enough or not n_inf else "x"},
        },
    }
    referrals = referrals_per_partner(year)
    if referrals is None:
        data["referrals"] = None
    else:
        sent = [n for _p, n, _f in referrals]
        fed = [f for _p, _n, f in referrals]
        table = _two_columns([p for p, _n, _f in referrals], sent, fed, t)
        total_sent, total_fed = sum(sent), sum(fed)
        table["total"] = sup.single(total_sent, t)
        table["total_feedback"] = sup.single(total_fed, t)
        # The overall share only where both totals are shown: it adds nothing hidden.
        table["share"] = (round(100 * total_fed / total_sent)
                          if total_sent and table["total"]["s"] == sup.SHOWN
                          and table["total_feedback"]["s"] == sup.SHOWN else None)
        data["referrals"] = table
    if not with_plan:
        return data
    data["pillars"] = pillar_progress(year)
    data["mention"] = actions_to_mention(data["pillars"])
    data["trainings"] = trainings(year)
    ctl = controls(year)
    if ctl is None:
        data["controls"] = None
    else:
        held = [h for *_x, h, _f in ctl]
        found = [f for *_x, f in ctl]
        # Controls held: the municipality's own work, exact (rule above `threshold`). Findings
        # concern addresses and the people there: suppressed, with their total.
        table = _two_columns([label for _k, label, _h, _f in ctl], held, found, t,
                             exact_parents=True)
        table["total"] = sup.cell(sum(held))
        table["total_findings"] = (sup.cell(sum(found), sup.SECONDARY)
                                   if table["child_withheld"] else sup.single(sum(found), t))
        data["controls"] = table
    mtg = meetings(year)
    data["meetings"] = (None if mtg is None else
                        [{"label": label, "v": n} for _k, label, n in mtg])
    police = police_figures(year)
    if police is not None:
        police = {
            "area": police["area"],
            "totals": [{"label": police["labels"][f], **sup.single(police[f], t)}
                       for f in POLICE_TOTALS],
            "per_form": _breakdown([police["labels"][f] for f in POLICE_FORMS],
                                   [police[f] for f in POLICE_FORMS], t),
        }
    data["police"] = police
    return data
