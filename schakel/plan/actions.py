"""The domain actions of the action plan, one function per action.

Each is atomic and stamps who recorded what and when. Actions on a signal (its
place on a case meeting's agenda, the decision) also write the processing log
in the same transaction; the decision goes through the route's own
`signal_record_decision`, so it lands in the signal's history.
"""

import logging
from datetime import date

from django.db import transaction
from django.db.models import Exists, Min, Q

from schakel.audit.log import log_processing
from schakel.audit.models import Action as LogAction
from schakel.audit.models import Activity
from schakel.core import clock
from schakel.core.prepared import Prepared
from schakel.signals import actions as signal_actions

from . import schedule as sched
from .linking import linkable_records
from .loader import PlanRow
from .models import (
    Action,
    AgendaItem,
    Attachment,
    CalendarFeed,
    Control,
    Occurrence,
    OccurrenceEvent,
    OccurrenceStatus,
    Pillar,
    takes_part_in_plan,
)

logger = logging.getLogger(__name__)


def plan_start(*, years=()) -> date:
    """The start of the plan period: 1 January of the first year the plan's schedules
    name (or `years`, those of a file being imported), never later than the year the
    plan came into the app; it never moves forward once set."""
    candidates = [clock.now().date().year, *years]
    first = Action.objects.aggregate(first=Min("planned_from"))["first"]
    if first is not None:
        candidates.append(first.year)
    for text in Action.objects.filter(active=True).values_list("schedule_text", flat=True):
        try:
            named = sched.parse(text).first_year
        except sched.ScheduleError:
            continue
        if named is not None:
            candidates.append(named)
    return date(min(candidates), 1, 1)


def _recorded(occurrences):
    """Those of these moments that hold something: a mark, a linked record or a file."""
    return (occurrences.exclude(status=OccurrenceStatus.PLANNED)
            | occurrences.filter(Q(meeting__isnull=False) | Q(controls__isnull=False)
                                 | Q(trainings__isnull=False) | Q(campaigns__isnull=False)
                                 | Q(attachments__isnull=False))).distinct()


@transaction.atomic
def plan_sync_occurrences(*, action: Action, schedule_changed: bool = False,
                          start: date | None = None) -> int:
    """Create the planned moments of an action from the plan's start to the end of next year.

    1. Read the schedule; list its moments from the start of the plan period (`start`,
       else `plan_start()`), so a plan loaded mid-year keeps the moments before that day.
    2. Existing rows are found by key, so nothing is doubled; a new row remembers the
       day it came in (`known_since`): a moment already past then is "not recorded",
       not late.
    3. When the schedule changed, moments still planned get the new dates; those the new
       schedule lacks go, unless something was recorded with them (a mark, a meeting,
       control, training or campaign, a file): what was recorded is never lost.
    Returns the number of occurrences created.
    """
    today = clock.now().date()
    start = start or plan_start()
    schedule = sched.parse(action.schedule_text)
    planned = sched.occurrences(schedule, start.year, today.year + 1)
    if action.planned_from != start:
        action.planned_from = start
        Action.objects.filter(pk=action.pk).update(planned_from=start)
    existing = {o.key: o for o in action.occurrences.all()}
    keys = {p.key for p in planned}
    if schedule_changed:
        stale = action.occurrences.filter(status=OccurrenceStatus.PLANNED).exclude(key__in=keys)
        stale.exclude(pk__in=_recorded(stale).values("pk")).delete()
        for p in planned:
            o = existing.get(p.key)
            if o is not None and o.status == OccurrenceStatus.PLANNED and (
                    o.due, o.period_start, o.check_in) != (p.due, p.period_start, p.check_in):
                o.due, o.period_start, o.check_in = p.due, p.period_start, p.check_in
                o.save(update_fields=["due", "period_start", "check_in"])
    new = [Occurrence(action=action, key=p.key, period_start=p.period_start, due=p.due,
                      check_in=p.check_in, known_since=today)
           for p in planned if p.key not in existing]
    Occurrence.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def plan_extend_schedules() -> int:
    """Every active action planned up to the end of next year; idempotent (run it daily)."""
    created = 0
    start = plan_start()
    for action in Action.objects.filter(active=True):
        created += plan_sync_occurrences(action=action, start=start)
    return created


def schedules_need_extending() -> bool:
    """True when there are active actions and next year has not been planned yet (one
    query, on every opening of the plan's overview)."""
    next_year = date(clock.now().date().year + 1, 1, 1)
    return (Action.objects.filter(active=True)
            .filter(~Exists(Occurrence.objects.filter(due__gte=next_year))).exists())


@transaction.atomic
def plan_import(*, actor, rows: list[PlanRow]) -> dict:
    """Put a checked plan file in place: pillars and actions by number and code.

    Actions missing from the file are removed, or archived (inactive) when
    something was already recorded for them.
    """
    start = plan_start(years=[r.schedule.first_year for r in rows
                              if r.schedule.first_year is not None])
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
            plan_sync_occurrences(action=action, start=start)
        else:
            changed = action.schedule_text != row.schedule_text
            for field, value in values.items():
                setattr(action, field, value)
            action.save()
            counts["updated"] += 1
            plan_sync_occurrences(action=action, schedule_changed=changed, start=start)
    for action in existing.values():
        recorded = _recorded(action.occurrences.all()).exists() or action.controls.exists()
        if recorded:
            action.active = False
            action.save(update_fields=["active"])
            _drop_open(action)
            counts["archived"] += 1
        else:
            action.delete()
            counts["removed"] += 1
    Pillar.objects.exclude(number__in=pillars).filter(actions__isnull=True).delete()
    logger.info("plan imported by user %s: %s", getattr(actor, "pk", None), counts)
    return counts


def _drop_open(action: Action) -> None:
    """An archived action plans nothing more: its open moments go, unless they hold a record."""
    open_ = action.occurrences.filter(Q(due__gte=clock.now().date()) | Q(due__isnull=True),
                                      status=OccurrenceStatus.PLANNED)
    open_.exclude(pk__in=_recorded(open_).values("pk")).delete()


@transaction.atomic
def action_save(*, actor, action: Action, schedule_changed: bool) -> Action:
    action.save()
    if action.active:
        plan_sync_occurrences(action=action, schedule_changed=schedule_changed)
    else:
        _drop_open(action)
    logger.info("plan action %s saved by user %s", action.pk, actor.pk)
    return action


def _history(occurrence, actor, what, old_status, remark="", params=None):
    """A line of the moment's history: dates and record kinds as params (rendered in the
    reader's language, `OccurrenceEvent.detail`), what a person typed as remark."""
    OccurrenceEvent.objects.create(occurrence=occurrence, at=clock.now(),
                                   actor=actor if getattr(actor, "pk", None) else None,
                                   what=what, old_status=old_status,
                                   new_status=occurrence.status, remark=remark[:300],
                                   params=params or {})


def _record(occurrence, actor, status, what, remark="", params=None, **fields):
    old = occurrence.status
    for name, value in fields.items():
        setattr(occurrence, name, value)
    occurrence.status = status
    occurrence.recorded_by = actor
    occurrence.recorded_at = clock.now()
    occurrence.save()
    _history(occurrence, actor, what, old, remark, params)
    return occurrence


@transaction.atomic
def occurrence_complete(*, occurrence: Occurrence, actor, done_on, participants="",
                        notes="") -> Occurrence:
    """Mark a moment done (held), also afterwards for a moment before the plan was loaded."""
    return _record(occurrence, actor, OccurrenceStatus.DONE, OccurrenceEvent.What.DONE,
                   params={"date": done_on.isoformat()}, done_on=done_on,
                   participants=participants.strip(), notes=notes.strip(), skip_reason="")


@transaction.atomic
def occurrence_skip(*, occurrence: Occurrence, actor, reason: str) -> Occurrence:
    from django.utils.translation import gettext as _

    if not reason.strip():
        raise signal_actions.MissingFields(_("Give the reason."), ["reason"])
    return _record(occurrence, actor, OccurrenceStatus.SKIPPED, OccurrenceEvent.What.SKIPPED,
                   remark=reason.strip(), skip_reason=reason.strip(), done_on=None)


@transaction.atomic
def occurrence_reopen(*, occurrence: Occurrence, actor) -> Occurrence:
    return _record(occurrence, actor, OccurrenceStatus.PLANNED, OccurrenceEvent.What.REOPENED,
                   done_on=None, skip_reason="")


@transaction.atomic
def occurrence_move(*, occurrence: Occurrence, actor, due) -> Occurrence:
    old = occurrence.due
    occurrence.due = due
    occurrence.save(update_fields=["due"])
    _history(occurrence, actor, OccurrenceEvent.What.MOVED, occurrence.status,
             params={"from": old.isoformat() if old else None, "to": due.isoformat()})
    return occurrence


def record_date(record):
    return getattr(record, "date", None) or getattr(record, "starts_on", None)


@transaction.atomic
def occurrence_link(*, occurrence: Occurrence, record, actor) -> Occurrence:
    """Link a meeting, control, training or campaign to a moment afterwards.

    1. The record must suit the action (`linkable_records`): a regional meeting to a
       regional meeting's moment, a website check to a website check's, and so on.
    2. The record points at the moment (a control also at its action); a meeting that
       was linked to another moment leaves it.
    3. A moment still open or not recorded becomes done on the record's date when that
       date has passed; the history says which record.
    """
    from django.utils.translation import gettext as _

    if not linkable_records(occurrence).filter_record(record):
        raise signal_actions.TransitionNotAllowed(
            _("This record does not belong to this action."))
    record.occurrence = occurrence
    fields = ["occurrence"]
    if isinstance(record, Control):
        record.action = occurrence.action
        fields.append("action")
    record.save(update_fields=fields)
    day = record_date(record)
    linked = {"record": record._meta.model_name, "date": day.isoformat()}
    if occurrence.status == OccurrenceStatus.PLANNED and day <= clock.now().date():
        return _record(occurrence, actor, OccurrenceStatus.DONE, OccurrenceEvent.What.LINKED,
                       params=linked, done_on=day)
    _history(occurrence, actor, OccurrenceEvent.What.LINKED, occurrence.status, params=linked)
    return occurrence


def control_assign_action(control: Control) -> Control:
    """A control counts for its moment's action, or, without a planned moment, for the
    first active action of its kind (§3.4). Used by the page and the API before saving."""
    from .forms import CONTROL_ACTIONS

    if control.occurrence_id and not control.action_id:
        control.action_id = control.occurrence.action_id
    if not control.action_id:
        control.action = (Action.objects.filter(kind=CONTROL_ACTIONS[control.kind][0],
                                                active=True).order_by("order").first())
    return control


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
    signal_actions.signal_record_decision(signal=item.signal, actor=actor, text=text,
                                          meeting_date=item.meeting.date)
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


def _overdue(limit: int) -> Prepared:
    return Prepared(lambda user_id, role, today: Occurrence.objects.overdue(today)
                    .responsible_to(user_id, role).select_related("action")
                    .order_by("due", "id")[:limit])


# Built once (`Prepared`): the home page and the work queue show 20, the plan 50.
_OVERDUE = {20: _overdue(20), 50: _overdue(50)}


def overdue_for(user, limit: int) -> list:
    """The first `limit` (20 or 50) overdue occurrences this user answers for, oldest
    first; none for whoever has no part in the plan (`Occurrence.objects.visible_to`)."""
    if not takes_part_in_plan(user):
        return []
    return _OVERDUE[limit](user.pk, user.role, clock.now().date())

