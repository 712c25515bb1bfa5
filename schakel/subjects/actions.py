"""Domain actions of the register: searching, enriching, linking, sources and imports."""

from django.db import transaction
from django.utils.translation import gettext as _

from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import clock
from schakel.signals.models import Subject
from schakel.signals.workflow import State

from . import engine
from .models import Decision, Link, Record, Source

SYNC_BATCH = 500  # subjects of signals filed into the register per enrichment, at most


def signals_source() -> Source:
    source, _created = Source.objects.get_or_create(
        code=Source.SIGNALS,
        defaults={"name": "Signalen", "owner": "Team OOV (aandachtsfunctionaris)",
                  "confidentiality": "secret"},
    )
    return source


def _record_for_subject(subject: Subject, source: Source) -> Record:
    return Record(source=source, external_id=f"subject-{subject.pk}", subject=subject,
                  kind=subject.kind, name=subject.name, date_of_birth=subject.date_of_birth,
                  kvk_number=subject.kvk_number, street=subject.street,
                  house_number=subject.house_number,
                  house_number_addition=subject.house_number_addition,
                  postcode=subject.postcode, city=subject.city, updated_at=clock.now())


@transaction.atomic
def register_sync_subjects(*, signal=None, limit: int = SYNC_BATCH) -> int:
    """File subjects of submitted signals into the register (idempotent).

    The given signal's subjects first, then up to `limit` others not yet filed, so
    earlier signals are found as candidates even when nobody enriched them.
    """
    source = signals_source()
    todo = Subject.objects.filter(register_record__isnull=True).exclude(
        signal__state=State.DRAFT)
    subjects = list(todo.filter(signal=signal)) if signal is not None else []
    subjects += list(todo.exclude(pk__in=[s.pk for s in subjects])[:limit])
    records = [_record_for_subject(s, source) for s in subjects]
    for record in records:
        engine.prepare(record)
    Record.objects.bulk_create(records)
    if records and records[0].pk is None:  # backends without RETURNING: read the ids back
        by_subject = dict(Record.objects.filter(subject__in=subjects).values_list(
            "subject_id", "pk"))
        for record in records:
            record.pk = by_subject[record.subject_id]
    engine.reindex(records)
    return len(records)


@transaction.atomic
def register_search(*, actor, query: engine.Query, purpose: str, limit: int = 20):
    """A free search of the register by an officer, recorded with its purpose (not its terms)."""
    candidates = engine.propose(query, limit=limit)
    log_processing(actor=actor, activity=Activity.ENRICH, action=Action.READ, obj=None,
                   purpose=purpose, subjects=[])
    return candidates


@transaction.atomic
def enrichment_propose(*, actor, signal, limit: int = 10, queries=None):
    """Candidates for every subject of a signal (step 3), recorded on the signal.

    `queries` ({subject id: engine.Query}) replaces what is searched for a subject (the
    officer's own search on the page). The signal's own subjects are never proposed.
    Returns [(subject, candidates, links)], links being the officer's earlier decisions.
    """
    register_sync_subjects(signal=signal)
    subjects = list(signal.subjects.all())
    links = {}
    for link in Link.objects.filter(subject__signal=signal).select_related(
            "record__source", "record__subject__signal"):
        links.setdefault(link.subject_id, []).append(link)
    out = []
    for subject in subjects:
        decided = [link.record_id for link in links.get(subject.pk, [])]
        query = (queries or {}).get(subject.pk) or engine.Query.from_subject(subject)
        candidates = engine.propose(query, limit=limit,
                                    exclude_signal_id=signal.pk, exclude_record_ids=decided)
        out.append((subject, candidates, links.get(subject.pk, [])))
    log_processing(actor=actor, activity=Activity.ENRICH, action=Action.READ, obj=signal,
                   purpose=_("Step 3: enrich signal %(ref)s") % {"ref": signal.reference})
    return out


SUBJECT_FIELDS = ("capacity", "name", "date_of_birth", "nationality", "description",
                  "kvk_number", "street", "house_number", "house_number_addition", "postcode",
                  "city")
# The officer adds or corrects who is involved while the signal is being worked on.
SUBJECTS_CLOSED = (State.DRAFT, State.DISMISSED, State.CLOSED)


def check_subjects_open(signal) -> None:
    from schakel.signals.actions import WorkflowError

    if signal.state in SUBJECTS_CLOSED or signal.destroyed_at is not None:
        raise WorkflowError(_("The people, organisations and addresses of this signal can no "
                              "longer be changed."))


@transaction.atomic
def subject_add(*, actor, signal, kind: str, values: dict) -> Subject:
    """Step 3: the officer adds a person, organisation or address that enrichment
    brought to light. `values` were checked by the intake's form for `kind`."""
    check_subjects_open(signal)
    values = {k: v for k, v in values.items() if k in SUBJECT_FIELDS}
    subject = Subject.objects.create(signal=signal, kind=kind, **values)
    log_processing(actor=actor, activity=Activity.ENRICH, action=Action.CREATE, obj=signal,
                   purpose=_("Step 3: enrich signal %(ref)s") % {"ref": signal.reference},
                   changes={"subject": subject.pk, "fields": sorted(values)})
    return subject


@transaction.atomic
def subject_update(*, actor, signal, subject: Subject, values: dict) -> Subject:
    """Step 3: the officer corrects a subject; its copy in the register follows."""
    if subject.signal_id != signal.pk:
        raise ValueError("subject of another signal")
    check_subjects_open(signal)
    values = {k: v for k, v in values.items() if k in SUBJECT_FIELDS}
    changed = sorted(k for k, v in values.items() if getattr(subject, k) != v)
    for name in changed:
        setattr(subject, name, values[name])
    if changed:
        subject.save(update_fields=changed)
        record = Record.objects.filter(subject=subject).first()
        if record is not None:
            previous = {record.pk: engine.old_keys(record)}
            fresh = _record_for_subject(subject, record.source)
            for name in ("name", "date_of_birth", "kvk_number", "street", "house_number",
                         "house_number_addition", "postcode", "city", "updated_at"):
                setattr(record, name, getattr(fresh, name))
            engine.prepare(record)
            record.save()
            engine.reindex([record], previous)
    log_processing(actor=actor, activity=Activity.ENRICH, action=Action.UPDATE, obj=signal,
                   purpose=_("Step 3: enrich signal %(ref)s") % {"ref": signal.reference},
                   changes={"subject": subject.pk, "fields": changed})
    return subject


@transaction.atomic
def link_decide(*, actor, signal, subject: Subject, record: Record, decision: str,
                score: int = 0, reason: str = "", purpose: str = "") -> Link:
    """Link a subject of the signal to a register record, or reject the candidate."""
    if subject.signal_id != signal.pk:
        raise ValueError("subject of another signal")
    link, _created = Link.objects.update_or_create(
        subject=subject, record=record,
        defaults={"decision": Decision(decision), "score": max(0, min(score, 100)),
                  "reason": reason[:300], "actor": actor, "at": clock.now()},
    )
    log_processing(
        actor=actor, activity=Activity.ENRICH,
        action=Action.CREATE if _created else Action.UPDATE, obj=signal,
        purpose=purpose or (_("Step 3: enrich signal %(ref)s") % {"ref": signal.reference}),
        changes={"decision": decision, "source": record.source.name},
    )
    return link


@transaction.atomic
def source_create(*, actor, values: dict) -> Source:
    source = Source.objects.create(**values)
    log_processing(actor=actor, activity=Activity.ENRICH, action=Action.CREATE, obj=None,
                   purpose=_("Register a data set for enrichment"), subjects=[],
                   changes={"source": source.name})
    return source
