"""The domain actions of the action plan, one function per action.

Each is atomic and stamps who recorded what and when. Actions on a signal (its
place on a case meeting's agenda, the decision) also write the processing log
in the same transaction; the decision goes through the route's own
`signal_record_decision`, so it lands in the signal's history.
"""

import logging
from datetime import date

from django.db import transaction

from schakel.audit.log import log_processing
from schakel.audit.models import Action as LogAction
from schakel.audit.models import Activity
from schakel.core import clock
from schakel.signals import actions as signal_actions

from . import schedule as sched
from .loader import PlanRow
from .models import (
    Action,
    AgendaItem,
    Attachment,
    CalendarFeed,
    Occurrence,
    OccurrenceStatus,
    Pillar,
)

logger = logging.getLogger(__name__)


def _years(schedule: sched.Schedule, today) -> tuple[int, int]:
    start = schedule.first_year if schedule.first_year is not None else today.year
    return min(start, today.year + 1), today.year + 1


@transaction.atomic
def plan_sync_occurrences(*, action: Action, schedule_changed: bool = False) -> int:
    """Create the planned occurrences of an action up to the end of next year.

    1. Read the schedule; list the planned moments from its first year (or this year).
    2. Skip moments due before the action's `planned_from` (set on the first run, and
       again when the schedule changes): nobody can be late for a period before
       the action or its schedule existed; a schedule naming its first year starts then.
    3. Existing rows are found by key, so nothing is doubled; when the schedule
       changed, planned rows get the new dates and rows the new schedule lacks go.
    Returns the number of occurrences created.
    """
    today = clock.now().date()
    schedule = sched.parse(action.schedule_text)
    first, last = _years(schedule, today)
    planned = sched.occurrences(schedule, first, last)
    existing = {o.key: o for o in action.occurrences.all()}
    if action.planned_from is None or schedule_changed:
        action.planned_from = (today if schedule.first_year is None
                               else date(schedule.first_year, 1, 1))
        Action.objects.filter(pk=action.pk).update(planned_from=action.planned_from)
    planned = [p for p in planned if p.due >= action.planned_from]
    keys = {p.key for p in planned}
    if schedule_changed:
        stale = [o.pk for k, o in existing.items()
                 if k not in keys and o.status == OccurrenceStatus.PLANNED and o.due >= today]
        stale_past = [o.pk for k, o in existing.items()
                      if k not in keys and o.status == OccurrenceStatus.PLANNED and o.due < today]
        Occurrence.objects.filter(pk__in=stale + stale_past, attachments__isnull=True).delete()
        for p in planned:
            o = existing.get(p.key)
            if o is not None and o.status == OccurrenceStatus.PLANNED and (
                    o.due, o.period_start, o.check_in) != (p.due, p.period_start, p.check_in):
                o.due, o.period_start, o.check_in = p.due, p.period_start, p.check_in
                o.save(update_fields=["due", "period_start", "check_in"])
    new = [Occurrence(action=action, key=p.key, period_start=p.period_start, due=p.due,
                      check_in=p.check_in) for p in planned if p.key not in existing]
    Occurrence.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def plan_extend_schedules() -> int:
    """Every active action planned up to the end of next year; idempotent (run it daily)."""
    created = 0
    for action in Action.objects.filter(active=True):
        created += plan_sync_occurrences(action=action)
    return created


def schedules_need_extending() -> bool:
    """True when next year has not been planned yet (two cheap queries)."""
    next_year = clock.now().date().year + 1
    return (Action.objects.filter(active=True).exists()
            and not Occurrence.objects.filter(due__year__gte=next_year).exists())


@transaction.atomic
def plan_import(*, actor, rows: list[PlanRow]) -> dict:
    """Put a checked plan file in place: pillars and actions by number and code.

    Actions missing from the file are removed, or archived (inactive) when
    something was already recorded for them.
    """
    pillars = {}
    for row in rows:
        if row.pillar not in pillars:
            pillar, _ = Pillar.objects.update_or_create(number=row.pillar,
                                                        defaults={"title": row.pillar_title})
            pillars[row.pillar] = pillar
    existing = {a.code: a for a in Action.objects.all()}
    counts = {"created": 0, "updated": 0, "removed": 0, "archived": 0}
    for order, row in enumerate(rows):
        values = {"pillar": pillars[row.pillar], "order": order, "title": row.title,
                  "description": row.description, "schedule_text": row.schedule_text,
                  "who": row.who, "responsible_role": row.role, "kind": row.kind,
                  "active": True}
        action = existing.pop(row.code, None)
        if action is None:
            action = Action.objects.create(code=row.code, **values)
            counts["created"] += 1
            plan_sync_occurrences(action=action)
        else:
            changed = action.schedule_text != row.schedule_text
            for field, value in values.items():
                setattr(action, field, value)
            action.save()
            counts["updated"] += 1
            plan_sync_occurrences(action=action, schedule_changed=changed)
    for action in existing.values():
        recorded = (action.occurrences.exclude(status=OccurrenceStatus.PLANNED).exists()
                    or action.controls.exists())
        if recorded:
            action.active = False
            action.save(update_fields=["active"])
            action.occurrences.filter(status=OccurrenceStatus.PLANNED,
                                      due__gte=clock.now().date()).delete()
            counts["archived"] += 1
        else:
            action.delete()
            counts["removed"] += 1
    Pillar.objects.exclude(number__in=pillars).filter(actions__isnull=True).delete()
    logger.info("plan imported by user %s: %s", getattr(actor, "pk", None), counts)
    return counts


@transaction.atomic
def action_save(*, actor, action: Action, schedule_changed: bool) -> Action:
    action.save()
    if action.active:
        plan_sync_occurrences(action=action, schedule_changed=schedule_changed)
    else:
        action.occurrences.filter(status=OccurrenceStatus.PLANNED,
                                  due__gte=clock.now().date()).delete()
    logger.info("plan action %s saved by user %s", action.pk, actor.pk)
    return action


def _record(occurrence, actor, status, **fields):
    for name, value in fields.items():
        setattr(occurrence, name, value)
    occurrence.status = status
    occurrence.recorded_by = actor
    occurrence.recorded_at = clock.now()
    occurrence.save()
    return occurrence


@transaction.atomic
def occurrence_complete(*, occurrence: Occurrence, actor, done_on, participants="",
                        notes="") -> Occurrence:
    return _record(occurrence, actor, OccurrenceStatus.DONE, done_on=done_on,
                   participants=participants.strip(), notes=notes.strip(), skip_reason="")


@transaction.atomic
def occurrence_skip(*, occurrence: Occurrence, actor, reason: str) -> Occurrence:
    from django.utils.translation import gettext as _

    if not reason.strip():
        raise signal_actions.MissingFields(_("Give the reason."), ["reason"])
    return _record(occurrence, actor, OccurrenceStatus.SKIPPED, skip_reason=reason.strip(),
                   done_on=None)


@transaction.atomic
def occurrence_reopen(*, occurrence: Occurrence, actor) -> Occurrence:
    return _record(occurrence, actor, OccurrenceStatus.PLANNED, done_on=None, skip_reason="")


@transaction.atomic
def record_save(*, actor, record, occurrence_date=None, participants="", form=None):
    """Save a meeting, control, training or campaign; a linked planned occurrence is done."""
    if not record.pk and hasattr(record, "recorded_by_id") and not record.recorded_by_id:
        record.recorded_by = actor
    if not record.pk and hasattr(record, "created_by_id") and not record.created_by_id:
        record.created_by = actor
    record.save()
    if form is not None:
        form.save_m2m()
    occurrence = getattr(record, "occurrence", None)
    if (occurrence is not None and occurrence.status == OccurrenceStatus.PLANNED
            and occurrence_date is not None and occurrence_date <= clock.now().date()):
        occurrence_complete(occurrence=occurrence, actor=actor, done_on=occurrence_date,
                            participants=participants)
    logger.info("plan %s %s saved by user %s", record._meta.model_name, record.pk, actor.pk)
    return record


@transaction.atomic
def agenda_add(*, meeting, signal, actor, question: str = "") -> AgendaItem:
    """Step 3: an officer puts a received signal on a local case meeting's agenda."""
    from django.utils.translation import gettext as _

    if actor.role != "officer":
        raise signal_actions.TransitionNotAllowed(_("Only officers put signals on the agenda."))
    item, created = AgendaItem.objects.get_or_create(
        meeting=meeting, signal=signal, defaults={"question": question.strip(), "added_by": actor})
    if created:
        log_processing(actor=actor, activity=Activity.DISCUSS, action=LogAction.UPDATE,
                       obj=signal, purpose=_("Put on the agenda of the local case meeting"))
    return item


@transaction.atomic
def agenda_decide(*, item: AgendaItem, actor, text: str) -> AgendaItem:
    """The meeting's decision on a signal: kept with the item and added to the signal's history."""
    from django.utils.translation import gettext as _

    label = _("Local case meeting of %(date)s") % {"date": item.meeting.date.strftime("%d-%m-%Y")}
    signal_actions.signal_record_decision(signal=item.signal, actor=actor, text=text,
                                          meeting_label=label)
    item.decision = text.strip()
    item.decided_at = clock.now()
    item.save(update_fields=["decision", "decided_at"])
    return item


@transaction.atomic
def agenda_remove(*, item: AgendaItem, actor) -> None:
    from django.utils.translation import gettext as _

    if item.decision:
        raise signal_actions.TransitionNotAllowed(
            _("A decision has been recorded; the item stays on the agenda."))
    item.delete()


@transaction.atomic
def attachment_add(*, actor, upload, content_type: str, **parent) -> Attachment:
    attachment = Attachment(name=upload.name[:200], content_type=content_type,
                            size=upload.size, uploaded_by=actor, **parent)
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor) -> None:
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def feed_renew(*, user) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed, _ = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": CalendarFeed.new_token()})
    return feed


@transaction.atomic
def feed_revoke(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def overdue_for(user):
    """The overdue occurrences this user answers for, oldest first."""
    return (Occurrence.objects.visible_to(user).overdue().responsible(user)
            .select_related("action").order_by("due", "id"))

