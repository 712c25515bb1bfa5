"""The answer to an access request, as a tagged PDF made on demand and never stored.

What was given is printed; what was restricted is named with its reason, and the
answer then says it is not everything. Texts are printed only when reviewed, with
the marked spans and every other name the signal or the register knows removed.
Files the officer included are listed as enclosures (name, kind, size, signal) and
delivered beside the PDF.
"""

from django.apps import apps
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity, ProcessingRecord
from schakel.core import clock, pdf

from . import access_requests as ar
from .finding import PLACES
from .models import AccessItemKind


def _restriction(item) -> str:
    """Why an item is not in the answer, or "" when it is given."""
    if item.kind in (AccessItemKind.NOTES, AccessItemKind.FEEDBACK):
        return item.reason or _("It may hold data of other people and has not been reviewed.")
    if item.restricted:
        if item.decided_by_id is None and item.kind == AccessItemKind.REPORTER:
            return _("The identity of the reporter is protected.")
        if item.decided_by_id is None and item.others:
            return _("It holds data of other people and has not been reviewed yet.")
        return item.reason
    if item.kind == AccessItemKind.ATTACHMENT and ar.attachment_of(item) is None:
        return _("The file no longer exists.")
    if item.kind == AccessItemKind.TEXT or (item.kind == AccessItemKind.RECORD and item.others):
        if not ar.is_reviewed(item):
            return _("The text changed after it was reviewed; it has to be reviewed again.")
    return ""


def _content(item) -> dict:
    signal = item.signal
    if item.kind == AccessItemKind.SIGNAL:
        # Only the person's own entries: others on the signal have rights too (art. 15(4)).
        return {"signal": signal, "forms": list(signal.forms.all()),
                "subjects": list(signal.subjects.filter(pseudonym__in=item.subject_ids))}
    if item.kind == AccessItemKind.REPORTER:
        return {"reporter": signal.reporter}
    if item.kind == AccessItemKind.TEXT:
        text = ar.item_text(item)
        spans = ar.auto_spans(item, text) + [tuple(s) for s in item.redactions]
        return {"label": PLACES[item.place].label, "text": ar.redact(text, spans, _("[removed]")),
                "removed": bool(spans)}
    if item.kind == AccessItemKind.RECORD:
        record = apps.get_model("subjects", "Record").objects.select_related("source").filter(
            pk=item.object_id).first()
        remark = ""
        if record is not None and record.remark:
            spans = ar.auto_spans(item, record.remark) + [tuple(s) for s in item.redactions]
            remark = ar.redact(record.remark, spans, _("[removed]"))
        return {"record": record, "remark": remark, "removed": remark != (record.remark or "")
                if record else False}
    if item.kind == AccessItemKind.ATTACHMENT:
        attachment = ar.attachment_of(item)
        return {"attachment": attachment, "kind": ar.attachment_kind(attachment)}
    if item.kind == AccessItemKind.LOG:
        return {"records": list(ProcessingRecord.objects.filter(
            data_subject__in=item.subject_ids).select_related("audit").order_by("seq"))}
    return {}


def render_answer(request, *, actor) -> bytes:
    """The answer in the active language; every read is in the processing log."""
    given, restricted = [], []
    # Per signal: the person's entry, the reporter, the texts; then records and the log.
    order = [AccessItemKind.SIGNAL, AccessItemKind.REPORTER, AccessItemKind.TEXT,
             AccessItemKind.ATTACHMENT, AccessItemKind.NOTES, AccessItemKind.FEEDBACK,
             AccessItemKind.RECORD, AccessItemKind.LOG]
    items = sorted(request.items.select_related("signal", "signal__reporter", "request"),
                   key=lambda i: (i.signal_id is None, i.signal_id or 0,
                                  order.index(i.kind), i.id))
    for item in items:
        item.place_label = PLACES[item.place].label if item.place in PLACES else ""
        why = _restriction(item)
        if why or (item.kind != AccessItemKind.LOG and item.kind != AccessItemKind.RECORD
                   and item.signal is None):
            restricted.append((item, why or _("The signal no longer exists.")))
        else:
            given.append((item, _content(item)))
    html = render_to_string("privacy/access_answer.html", {
        "request": request, "given": given, "restricted": restricted,
        "places": sorted({i.signal.reference for i in items if i.signal and i.signal.reference}),
        "sources": sorted({c["record"].source.name for i, c in given
                           if i.kind == AccessItemKind.RECORD and c.get("record")}),
        "municipality": _municipality(), "now": clock.now(),
        "language": translation.get_language(),
        "redacted": any(c.get("removed") for _i, c in given),
        "enclosed": [(i, c) for i, c in given if i.kind == AccessItemKind.ATTACHMENT],
    })
    log_processing(actor=actor, activity=Activity.EXPORT, action=Action.READ,
                   subjects=sorted({s for i in items for s in i.subject_ids}),
                   purpose="Access request answer")
    return pdf.render_pdf(html)


def _municipality() -> str:
    from django.conf import settings

    return settings.SCHAKEL["MUNICIPALITY"]
