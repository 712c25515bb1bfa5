"""Making the three files of a council report from its snapshot of figures.

The figures are computed once (`figures.council_figures`) and stored with the
report; HTML, CSV and PDF are all made from that snapshot, so a final version
shows exactly the figures its draft showed. WeasyPrint is imported lazily
(about 3 s): only the worker that makes a PDF pays for it.
"""

import csv
import io
from datetime import date
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import charts

DOCUMENT_CSS = Path(__file__).parent / "static" / "reports" / "document.css"


def month_name(month: int) -> str:
    """The month's full name in the active language ("maart", "March")."""
    return date_format(date(2000, month, 1), "F")


def month_short(month: int) -> str:
    """The month's short name in the active language ("mrt", "March", "Jan.").

    Django's own abbreviation ("N"), translated by Django: the active language decides,
    so a page in English never shows a Dutch month.
    """
    return date_format(date(2000, month, 1), "N")


def language() -> str:
    """The language the report is written in: the installation's (Dutch by default)."""
    return settings.LANGUAGE_CODE


def month_rows(rows: list[dict], short: bool = False) -> list[dict]:
    """Rows labelled "1".."12" (as figures stores them) named in the active language."""
    name = month_short if short else month_name
    return [{**r, "label": name(int(r["label"])), "short": month_short(int(r["label"]))}
            for r in rows]


def context(report, figures: dict, *, final: bool) -> dict:
    t = figures["threshold"]
    signals = figures["signals"]
    per_month = month_rows(signals["per_month"]["rows"])
    ctx = {
        "report": report, "f": figures, "t": t, "final": final,
        "municipality": settings.SCHAKEL["MUNICIPALITY"],
        "per_month": per_month,
        "chart_month": None if signals["per_month"]["withheld"] else charts.columns(
            month_rows(signals["per_month"]["rows"], short=True),
            title=_("Signals per month"), threshold=t),
        "chart_form": None if signals["per_form"]["withheld"] else charts.bars(
            signals["per_form"]["rows"], title=_("Signals per form of exploitation"),
            threshold=t),
        "chart_team": None if signals["per_team"]["withheld"] else charts.bars(
            signals["per_team"]["rows"], title=_("Signals per team"), threshold=t),
        "pillar_texts": report.pillar_texts or {},
        "date": date_format(report.figures_at, "j F Y") if report.figures_at else "",
        "finalised_on": date_format(report.finalised_at, "j F Y") if report.finalised_at else "",
    }
    return ctx


def _charts_as_images(ctx: dict, figures: dict) -> None:
    """In the PDF every chart is an image whose alt text gives its figures."""
    t, signals = figures["threshold"], figures["signals"]
    sources = {
        "chart_month": (_("Signals per month"),
                        month_rows(signals["per_month"]["rows"], short=False)),
        "chart_form": (_("Signals per form of exploitation"), signals["per_form"]["rows"]),
        "chart_team": (_("Signals per team"), signals["per_team"]["rows"]),
    }
    for key, (title, rows) in sources.items():
        if ctx.get(key):
            ctx[key] = charts.as_image(ctx[key], alt=charts.describe(rows, title=title,
                                                                     threshold=t))


def render_html(report, figures: dict, *, final: bool, for_pdf: bool = False) -> str:
    with translation.override(language()):
        ctx = context(report, figures, final=final)
        ctx["css"] = DOCUMENT_CSS.read_text()
        ctx["for_pdf"] = for_pdf
        ctx["lang"] = translation.get_language()
        if for_pdf:
            _charts_as_images(ctx, figures)
        return render_to_string("reports/document.html", ctx)


def render_csv(report, figures: dict, *, final: bool) -> bytes:
    """The figures as rows: section; item; value. Semicolons and a BOM, for Dutch Excel."""
    from .templatetags.report_tags import figure

    t = figures["threshold"]
    out = io.StringIO()
    out.write("\ufeff")
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")

    def row(section, item, cell, extra=""):
        w.writerow([section, item, figure(cell, t).replace("\u00a0", " "), extra])

    with translation.override(language()):
        status = _("final") if final else _("draft")
        w.writerow([_("section"), _("item"), _("value"), _("remark")])
        w.writerow([_("council report"), _("year"), figures["year"], status])
        w.writerow([_("council report"), _("suppression threshold"), t,
                    _("counts below %(t)s are shown as '< %(t)s'; 'x' is hidden to protect "
                      "another cell") % {"t": t}])
        s = figures["signals"]
        row(_("signals"), _("total"), s["total"])
        row(_("signals"), _("of which urgent"), s["urgent"])
        for key, label in (("per_form", _("per form of exploitation")),
                           ("per_team", _("per team")), ("per_month", _("per month"))):
            rows = s[key]["rows"] if key != "per_month" else month_rows(s[key]["rows"])
            if s[key]["withheld"]:
                w.writerow([_("signals"), label, "x", _("withheld: too few signals")])
                continue
            for r in rows:
                row(f"{_('signals')} {label}", r["label"], r)
        for key, label in (("median_days_to_referral",
                            _("median days from submission to first referral")),
                           ("median_days_to_informed",
                            _("median days from submission to informing the reporter"))):
            m = s[key]
            value = ("x" if m["s"] == "x" else
                     "" if m["v"] is None else str(m["v"]).replace(".", ","))
            w.writerow([_("signals"), label, value, _("over %(n)s signals") % {
                "n": figure(m["n"], t).replace("\u00a0", " ")}])
        ref = figures.get("referrals")
        if ref:
            for r in ref["rows"]:
                row(_("referrals"), r["label"], r["parent"])
                row(_("referrals with feedback"), r["label"], r["child"],
                    "" if r["share"] is None else f"{r['share']}%")
            row(_("referrals"), _("total"), ref["total"])
            row(_("referrals with feedback"), _("total"), ref["total_feedback"],
                "" if ref["share"] is None else f"{ref['share']}%")
        for p in figures.get("pillars") or []:
            for a in p["actions"]:
                section = f"{_('pillar')} {p['number']}"
                item = f"{a['code']} {a['title']}"
                for key, label in (("planned", _("planned")), ("done", _("done")),
                                   ("skipped", _("skipped")),
                                   ("not_recorded", _("not recorded")),
                                   ("overdue", _("overdue")), ("open", _("open"))):
                    w.writerow([section, item, a.get(key, 0), label])
                if a.get("overdue") or a.get("open"):
                    w.writerow([section, item, a.get("owner", ""), _("responsible")])
        tr = figures.get("trainings")
        if tr:
            w.writerow([_("trainings"), _("sessions"), tr["sessions"], ""])
            w.writerow([_("trainings"), _("people reached"), tr["participants"], ""])
            w.writerow([_("trainings"), _("campaigns"), tr["campaigns"], ""])
            cov = tr.get("coverage")
            if cov and cov["total"]:
                w.writerow([_("trainings"), _("staff with client contact trained"),
                            cov["trained"], f"{cov['total']}"])
        ctl = figures.get("controls")
        if ctl:
            hide = ctl.get("child_withheld")
            for r in ctl["rows"]:
                row(_("controls held"), r["label"], r["parent"])
                if not hide:
                    row(_("controls with findings"), r["label"], r["child"])
            row(_("controls held"), _("total"), ctl["total"])
            if hide:
                w.writerow([_("controls with findings"), _("total"), "x",
                            _("withheld: too few controls with findings")])
            else:
                row(_("controls with findings"), _("total"), ctl["total_findings"])
        for m in figures.get("meetings") or []:
            w.writerow([_("meetings held"), m["label"], m["v"], ""])
        police = figures.get("police")
        if police:
            for r in police["totals"]:
                row(_("police"), r["label"], r)
            for r in police["per_form"]["rows"]:
                row(_("police"), r["label"], r)
    return out.getvalue().encode("utf-8")


def render_pdf(report, figures: dict, *, final: bool) -> bytes:
    from schakel.core import pdf

    html = render_html(report, figures, final=final, for_pdf=True)
    return pdf.render_pdf(html, base_url=str(DOCUMENT_CSS.parent))
