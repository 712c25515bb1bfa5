from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..health import readiness

register = template.Library()


def _detail(name: str, c: dict) -> str:
    if "error" in c:
        return _("could not be checked (%(error)s)") % {"error": c["error"]}
    if name == "database":
        return c["vendor"]
    if name == "migrations":
        n = c["unapplied"]
        return ngettext("%(n)s migration not applied", "%(n)s migrations not applied",
                        n) % {"n": n} if n else ""
    if name == "worker":
        s = c["heartbeat_age_seconds"]
        text = _("no sign of life yet") if s is None else \
            _("last sign of life %(s)s seconds ago") % {"s": s}
        if c["busy_seconds"] is not None:
            text += "; " + _("busy with one job for %(s)s seconds") % {"s": c["busy_seconds"]}
        return text
    if name == "outbox":
        text = _("%(n)s waiting, %(m)s given up") % {"n": c["waiting"], "m": c["given_up"]}
        if c["oldest_waiting_age_seconds"] is not None:
            text += "; " + _("oldest waiting %(s)s seconds") % {
                "s": c["oldest_waiting_age_seconds"]}
        return text
    if name == "retention":
        return _("next run planned") if c["next_run"] else _("no run planned")
    if name == "audit":
        seq = c["last_anchor_seq"]
        return _("not anchored yet") if seq is None else \
            _("last anchored at record %(seq)s") % {"seq": seq}
    return ""


@register.simple_tag
def health_report() -> dict:
    """The readiness report for the administrator's home page (counts and ages only)."""
    labels = {"database": _("Database"), "migrations": _("Database structure"),
              "worker": _("Background worker"), "outbox": _("Outgoing mail"),
              "retention": _("Retention scan"), "audit": _("Processing log anchor")}
    report = readiness()
    report["rows"] = [{"label": labels[name], "ok": c["ok"], "detail": _detail(name, c)}
                      for name, c in report["checks"].items()]
    return report
