"""Access requests (inzageverzoek, AVG art. 15): find, decide per item, answer as a PDF.

The officer looks up the person; every signal that names them becomes a set of
items (the signal itself, the reporter's identity, the officer's notes, partners'
feedback, the processing log). The officer decides per item whether to give it or
to restrict it (AVG art. 23 with UAVG art. 41, e.g. to protect the reporter or an
investigation), with a reason. Each decision is recorded; the PDF is made from them.
"""

import unicodedata
from datetime import date

from django.conf import settings
from django.db import transaction

from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import clock

from .models import AccessItemKind, AccessRequest, AccessRequestItem

# Restricted unless the officer decides otherwise: they protect others than the person.
RESTRICTED_BY_DEFAULT = {AccessItemKind.REPORTER, AccessItemKind.FEEDBACK}


def _tokens(name: str) -> set[str]:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return {t for t in "".join(c if c.isalnum() else " " for c in text).split() if len(t) > 1}


def name_matches(query: str, name: str) -> bool:
    """All words of the shorter name appear in the other.

    "Berg, Jan van den" matches "Jan van den Berg"; initials are ignored.
    """
    a, b = _tokens(query), _tokens(name)
    if not a or not b:
        return False
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return small <= large


def find_subjects(*, person_name: str, date_of_birth: date | None):
    """The person-subjects of signals that match the name (and birth date, when both known)."""
    from schakel.signals.models import Subject, SubjectKind

    found = []
    for subject in Subject.objects.filter(kind=SubjectKind.PERSON).select_related("signal"):
        if not name_matches(person_name, subject.name):
            continue
        if date_of_birth and subject.date_of_birth and subject.date_of_birth != date_of_birth:
            continue
        found.append(subject)
    return found


def find_reported(*, person_name: str):
    """Signals the person reported: their name is encrypted, so compared in process."""
    from schakel.signals.models import ReporterIdentity

    return [r for r in ReporterIdentity.objects.select_related("signal")
            if r.name and name_matches(person_name, r.name)]


@transaction.atomic
def access_request_start(*, actor, person_name: str, date_of_birth: date | None,
                         received_on: date, subjects, reported=()) -> AccessRequest:
    """Record the request and one item per part of every signal the officer confirmed.

    `subjects` are the person's appearances in signals; `reported` the reporter
    records of signals the person reported (they may see their own identity record).
    """
    request = AccessRequest.objects.create(
        created_at=clock.now(), created_by=actor, person_name=person_name.strip(),
        date_of_birth=date_of_birth.isoformat() if date_of_birth else "",
        received_on=received_on)
    by_signal: dict = {}
    for subject in subjects:
        by_signal.setdefault(subject.signal, []).append(str(subject.pseudonym))
    feedback = _has_partner_feedback()
    for signal, ids in by_signal.items():
        kinds = [AccessItemKind.SIGNAL, AccessItemKind.REPORTER, AccessItemKind.NOTES,
                 AccessItemKind.LOG] + ([AccessItemKind.FEEDBACK] if feedback else [])
        AccessRequestItem.objects.bulk_create([
            AccessRequestItem(request=request, signal=signal, subject_ids=ids, kind=kind,
                              restricted=kind in RESTRICTED_BY_DEFAULT)
            for kind in kinds])
        log_processing(actor=actor, activity=Activity.ACCESS_REQUEST, action=Action.READ,
                       obj=signal, subjects=ids)
    for reporter in reported:
        ids = [str(reporter.pseudonym)]
        AccessRequestItem.objects.bulk_create([
            AccessRequestItem(request=request, signal=reporter.signal, subject_ids=ids,
                              kind=kind)
            for kind in (AccessItemKind.REPORTER, AccessItemKind.LOG)])
        log_processing(actor=actor, activity=Activity.ACCESS_REQUEST, action=Action.READ,
                       obj=reporter.signal, subjects=ids)
    return request


@transaction.atomic
def access_item_decide(*, item, actor, restricted: bool, reason: str) -> AccessRequestItem:
    if restricted and not reason.strip():
        raise ValueError("a restriction needs a reason")
    AccessRequestItem.objects.filter(pk=item.pk).update(
        restricted=restricted, reason=reason.strip() if restricted else "", decided_by=actor,
        decided_at=clock.now())
    item.refresh_from_db()
    return item


def _has_partner_feedback() -> bool:
    from django.apps import apps

    return apps.is_installed("schakel.partners") and any(
        m.__name__ == "Referral" for m in apps.get_app_config("partners").get_models())


def partner_feedback(signal) -> list[tuple[str, str]]:
    """(partner, feedback text) per referral of the signal, when the partners app has them."""
    from django.apps import apps

    try:
        referral = apps.get_model("partners", "Referral")
    except LookupError:
        return []
    rows = []
    for r in referral.objects.filter(signal=signal).select_related("partner"):
        text = getattr(r, "feedback_text", "") or getattr(r, "feedback", "") or ""
        rows.append((str(r.partner), str(text)))
    return rows


def render_answer(request: AccessRequest, *, actor) -> bytes:
    """The answer as a PDF: what may be given in full, what is restricted named as such."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from schakel.audit.models import ProcessingRecord

    sections = []
    items = request.items.select_related("signal", "signal__reporter").order_by("signal_id", "id")
    for item in items:
        signal = item.signal
        content = None
        if item.restricted or signal is None:
            pass
        elif item.kind == AccessItemKind.SIGNAL:
            # Only the person's own entries: others on the signal have rights too (art. 15(4)).
            content = {"signal": signal,
                       "subjects": list(signal.subjects.filter(pseudonym__in=item.subject_ids)),
                       "forms": list(signal.forms.all())}
        elif item.kind == AccessItemKind.REPORTER:
            content = {"reporter": signal.reporter}
        elif item.kind == AccessItemKind.NOTES:
            content = {"events": list(signal.events.exclude(remark=""))}
        elif item.kind == AccessItemKind.FEEDBACK:
            content = {"feedback": partner_feedback(signal)}
        elif item.kind == AccessItemKind.LOG:
            content = {"records": list(ProcessingRecord.objects.filter(
                data_subject__in=item.subject_ids).select_related("audit").order_by("seq"))}
        sections.append((item, content))
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("privacy/access_answer.html", {
            "request": request, "sections": sections,
            "municipality": settings.SCHAKEL["MUNICIPALITY"], "now": clock.now(),
        })
    log_processing(actor=actor, activity=Activity.EXPORT, action=Action.READ,
                   subjects=sorted({s for i in items for s in i.subject_ids}),
                   purpose="Access request answer")
    from schakel.core import pdf

    return pdf.render_pdf(html)
