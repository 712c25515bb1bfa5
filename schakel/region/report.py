"""The regional picture as one context, and as a document (HTML, tagged PDF) and CSV.

Labels come from the region's own tables: a form of exploitation by its code, a partner
by its shipped code, an action by its code in the region's loaded plan. What a code
stands for never travels in the share.
"""

import csv
import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schakel.core import clock
from schakel.partners.models import Partner
from schakel.plan.models import Action
from schakel.reports import figures
from schakel.signals.models import ExploitationForm, Outcome

from . import combine, quarters
from .models import AgendaItem, Municipality


def _labels() -> dict:
    return {
        "forms": {f.code: str(f) for f in ExploitationForm.objects.all()},
        "partners": dict(Partner.objects.filter(code__isnull=False).values_list("code", "name")),
        "actions": dict(Action.objects.values_list("code", "title")),
        "outcomes": {**{o.value: str(o.label) for o in Outcome}, "open": _("Not closed yet")},
        "urgency": {"urgent": _("Urgent"), "normal": _("Not urgent")},
        "other": _("Other partners"),
    }


def picture(quarter: str | None = None) -> dict:
    """Everything the regional pages show; `quarter` picks the quarter of the breakdowns."""
    t = figures.threshold()
    municipalities = list(Municipality.objects.filter(active=True))
    shares = {m.name: m.share for m in municipalities}
    labels = quarter_labels = combine.quarter_labels(shares)
    if quarter not in quarter_labels:
        quarter = quarter_labels[-1] if quarter_labels else None
    names = _labels()
    table = combine.signals_table(shares, quarter, t) if quarter else None
    if table:
        for row in table["urgency"]:
            row["name"] = names["urgency"][row["label"]]
        for row in table["forms"]:
            row["name"] = names["forms"].get(row["label"], row["label"])
        for row in table["outcomes"]:
            row["name"] = names["outcomes"].get(row["label"], row["label"])
    partners = combine.partners_table(shares, quarter, t) if quarter else []
    for row in partners:
        row["name"] = (names["other"] if row["partner"] == "other"
                       else names["partners"].get(row["partner"], row["partner"]))
        row["per"] = [{"sent": row["sent"]["cells"][i], "answered": row["answered"]["cells"][i],
                       "no_response": row["no_response"]["cells"][i],
                       "median": row["medians"][i]} for i in range(len(municipalities))]
    plan = combine.plan_table(shares)
    for row in plan["rows"]:
        row["name"] = names["actions"].get(row["action"], "")
    return {
        "t": t, "region_name": settings.SCHAKEL.get("REGION_NAME", ""),
        "municipalities": municipalities, "names": [m.name for m in municipalities],
        "quarters": labels, "quarter": quarter,
        "quarter_display": quarters.display(quarter) if quarter else "",
        "signals": table, "trend": combine.trend(shares, t), "partners": partners,
        "plan": plan, "agenda_count": AgendaItem.objects.count(),
    }


def document_html(ctx: dict, *, for_pdf: bool) -> str:
    from schakel.reports.render import DOCUMENT_CSS

    lang = settings.LANGUAGE_CODE
    with translation.override(lang):
        return render_to_string("region/document.html", {
            **ctx, "lang": lang, "for_pdf": for_pdf, "css": DOCUMENT_CSS.read_text(),
            "made_on": timezone.localdate(clock.now()),
        })


def document_pdf(ctx: dict) -> bytes:
    from schakel.core import pdf
    from schakel.reports.render import DOCUMENT_CSS

    return pdf.render_pdf(document_html(ctx, for_pdf=True), base_url=str(DOCUMENT_CSS.parent))


def document_csv(ctx: dict) -> bytes:
    """quarter; section; item; municipality; value — semicolons and a BOM (Dutch Excel)."""
    t = ctx["t"]
    out = io.StringIO()
    out.write("\ufeff")
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    with translation.override(settings.LANGUAGE_CODE):
        region = _("Region")
        w.writerow([_("Quarter"), _("Part of the report"), _("What is counted"),
                    _("Municipality"), _("Value")])
        for row in ctx["trend"]:
            for name, fig in zip(ctx["names"], row["cells"], strict=True):
                w.writerow([row["quarter"], _("Signals"), _("total"), name, fig.text(t)])
            w.writerow([row["quarter"], _("Signals"), _("total"), region, row["region"].text(t)])
        table, q = ctx["signals"], ctx["quarter"]
        if table:
            for section, rows in ((_("Urgency"), table["urgency"]),
                                  (_("Forms of exploitation"), table["forms"]),
                                  (_("Outcome"), table["outcomes"])):
                for row in rows:
                    for name, fig in zip(ctx["names"], row["cells"], strict=True):
                        w.writerow([q, section, row["name"], name, fig.text(t)])
                    w.writerow([q, section, row["name"], region, row["region"].text(t)])
        for row in ctx["partners"]:
            for key, label in (("sent", _("sent")), ("answered", _("answered")),
                               ("no_response", _("no response"))):
                for name, fig in zip(ctx["names"], row[key]["cells"], strict=True):
                    w.writerow([q, row["name"], label, name, fig.text(t)])
                w.writerow([q, row["name"], label, region, row[key]["region"].text(t)])
            for name, median in zip(ctx["names"], row["medians"], strict=True):
                w.writerow([q, row["name"], _("median days to answer"), name,
                            "" if median is None else median])
            w.writerow([q, row["name"], _("median days to answer"), region,
                        "" if row["region_median"] is None else row["region_median"]])
        for row in ctx["plan"]["rows"]:
            for name, cell in zip(ctx["names"], row["cells"], strict=True):
                w.writerow(["", _("Action plan"), row["action"], name,
                            "" if cell is None else f"{cell['done']}/{cell['planned']}"])
    return out.getvalue().encode("utf-8")
