"""The domain actions of the reporting route, one function per step.

Each is atomic: it changes the signal, appends its history row and writes the
processing log in one transaction; e-mails go out after commit. Pages, the API
and management commands all call these.
"""

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from schakel.accounts.models import Role
from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import clock
from schakel.core.writes import Insert, Update

from . import history, notifications
from .access import Access
from .attachments import attachments_add, attachments_destroy
from .models import EventKind, Outcome, ReporterIdentity, Signal, SignalEvent, Subject
from .workflow import State, find_transition

logger = logging.getLogger(__name__)


class WorkflowError(Exception):
    """A step that cannot be taken; `message` is shown to the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class TransitionNotAllowed(WorkflowError):
    pass


class MissingFields(WorkflowError):
    def __init__(self, message, fields):
        super().__init__(message)
        self.fields = fields


class ConcurrentChange(WorkflowError):
    pass


@dataclass
class SubjectData:
    kind: str
    values: dict


_STAMPS = {
    State.SUBMITTED: "submitted_at",
    State.RECEIVED: "received_at",
    State.REFERRED: "referred_at",
    State.REPORTER_INFORMED: "reporter_informed_at",
    State.CLOSED: "closed_at",
}

_ACTIVITY = {
    "submit": Activity.REGISTER,
    "receive": Activity.RECEIVE,
    "refer": Activity.REFER,
    "settle": Activity.REFER,
    "dismiss": Activity.DISMISS,
    "inform_reporter": Activity.INFORM,
    "close": Activity.CLOSE,
}


# Rows of the route, by statements made once per process (core/writes.py).
_SIGNAL, _SUBJECT, _REPORTER = Insert(Signal), Insert(Subject), Insert(ReporterIdentity)
_EVENT, _SIGNALS = Insert(SignalEvent), Update(Signal)


def _transition(*, signal: Signal, name: str, actor, expected_version: int | None,
                remark: str = "", fields: dict | None = None, code: str = "",
                params: dict | None = None, subjects: list[str] | None = None,
                stamps: dict | None = None, savepoint: bool = True) -> Signal:
    """Take one step of the route.

    1. Look the step up in the table for the signal's current state; check the role.
    2. Check the fields the step requires.
    3. Compare-and-swap: update only if state and version are still what the
       caller saw, so of two officers acting at once exactly one wins.
    4. Append the history row and the processing record in the same transaction
       (`subjects`: the signal's data subjects when the caller knows them already).
    `stamps` are set in the same update and not recorded as changes (the reference).
    `savepoint=False`: the caller's transaction rolls back whole when the step fails.
    """
    from django.utils.translation import gettext as _

    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in (fields or {}).items()}
    step = find_transition(signal.state, name)
    if step is None or actor.role not in step.roles:
        raise TransitionNotAllowed(_("This step is not possible for this signal."))
    merged = {f: fields.get(f, getattr(signal, f)) for f in step.requires}
    missing = [f for f, v in merged.items() if not v]
    if fields.get("outcome") == Outcome.OTHER and not fields.get("outcome_other"):
        missing.append("outcome_other")
    if missing:
        raise MissingFields(_("Fill in the required fields."), missing)

    now = clock.now()
    updates = dict(fields, **(stamps or {}), state=step.target)
    if step.target in _STAMPS:
        updates[_STAMPS[step.target]] = now
    if "message_for_reporter" in fields and step.target != State.REPORTER_INFORMED:
        updates["reporter_informed_at"] = now
    if name == "receive":
        updates["officer"] = actor
    where = {"id": signal.pk, "state": step.source}
    if expected_version is not None:
        where["version"] = expected_version
    event = SignalEvent(
        # Who submitted is the reporter or who filed for them: that link lives
        # only in ReporterIdentity, keyed, never as a plain account id here.
        signal=signal, at=now, actor=None if name == "submit" else actor,
        actor_role=actor.role, kind=EventKind.TRANSITION, transition=name,
        from_state=step.source, to_state=step.target, remark=remark.strip(),
        code=code, params=params or {},
    )
    with transaction.atomic(savepoint=savepoint):
        # Statements made once per process (core/writes.py): on SQLite the step holds
        # the one write lock.
        if _SIGNALS.run(updates, where=where, increment=("version",)) != 1:
            raise ConcurrentChange(
                _("Someone else changed this signal in the meantime. "
                  "Check its current status; what you typed is still in the form.")
            )
        _EVENT.run(event)
        log_processing(actor=actor, activity=_ACTIVITY[name], action=Action.UPDATE, obj=signal,
                       subjects=subjects, changes=_changes(signal, step, fields))
    if expected_version is None:
        signal.refresh_from_db()
    else:
        # The update matched the version the caller saw, so nothing else changed: the
        # new values are the ones just written (no read back, no decrypting it again).
        updates["version"] = expected_version + 1
        for field, value in updates.items():
            setattr(signal, field, value)
    logger.info("signal %s: %s -> %s by user %s", signal.pk, step.source, step.target,
                "(reporter)" if name == "submit" else actor.pk)
    return signal


# Fields whose values may go into the permanent audit record; of the others (free
# text about people) only the fact that they changed is recorded.
_PLAIN_FIELDS = {"outcome", "urgent"}


def _changes(signal, step, fields) -> dict:
    changes = {"state": [step.source, step.target]}
    for name, new in fields.items():
        old = getattr(signal, name)
        if old != new:
            changes[name] = [old, new] if name in _PLAIN_FIELDS else "changed"
    return changes


_LINKS = {"forms": Insert(Signal.forms.through), "indicators": Insert(Signal.indicators.through)}


def _link_rows(name: str, targets) -> list:
    """The rows of the signal's many-to-many field `name` to `targets` (objects or ids),
    each once, in their order: (its insert, through object, prepared values)."""
    insert, field = _LINKS[name], Signal._meta.get_field(name)
    target = insert.model._meta.get_field(field.m2m_reverse_field_name()).attname
    rows = []
    for pk in dict.fromkeys(getattr(t, "pk", t) for t in targets):
        link = insert.model(**{target: pk})
        rows.append((insert, link, insert.values(link)))
    return rows


def signal_file(*, actor, reporter_user, values: dict, form_codes, indicator_ids,
                subjects: list[SubjectData], reporter: dict, submission_token,
                submit: bool = True, attachments=()) -> Signal:
    """Step 1: an employee or team lead files a signal (and submits it at once unless a draft).

    A second call with the same submission token returns the first signal (the token
    is unique: the second insert fails and the first signal is read).
    Every row is new, so nothing is read back that was just written: the forms and
    indicators are added without first reading the (empty) sets, and the data subjects
    of the processing log are the pseudonyms just created, in the signal's order.
    The rows are prepared (encrypted, keyed) before the transaction and inserted by
    statements made once per process (`core/writes.py`): on SQLite the transaction
    holds the database's one write lock, for which every other filing and every logged
    read waits.
    """
    from django.utils.translation import gettext as _

    if not actor.can_file_signals:
        raise TransitionNotAllowed(_("Only employees, team leads and officers file signals."))
    signal = Signal(submission_token=submission_token, **values)
    signal_row = _SIGNAL.values(signal)
    links = [*_link_rows("forms", form_codes), *_link_rows("indicators", indicator_ids)]
    people = [(person, _SUBJECT.values(person))
              for person in (Subject(kind=s.kind, **s.values) for s in subjects)]
    identity = ReporterIdentity(
        **ReporterIdentity.account_fields(user=reporter_user, filed_by=actor),
        team_id=reporter_user.team_id if reporter_user else actor.team_id, **reporter)
    identity_row = _REPORTER.values(identity)
    with transaction.atomic():
        try:
            with transaction.atomic():
                _SIGNAL.run(signal, signal_row)
        except IntegrityError:
            return Signal.objects.get(submission_token=submission_token)
        for insert, link, row in links:
            insert.run(link, row, signal_id=signal.pk)
        for person, row in people:
            _SUBJECT.run(person, row, signal_id=signal.pk)
        _REPORTER.run(identity, identity_row, signal_id=signal.pk)
        # As Signal.data_subject_ids() would read them back: subjects by (kind, id),
        # then the reporter.
        subject_ids = [str(s.pseudonym) for s, _row in
                       sorted(people, key=lambda p: (p[0].kind, p[0].pk))]
        subject_ids.append(str(identity.pseudonym))
        log_processing(actor=actor, activity=Activity.REGISTER, action=Action.CREATE,
                       obj=signal, subjects=subject_ids)
        if attachments:  # (no savepoint for none)
            attachments_add(signal=signal, actor=actor, files=list(attachments),
                            level=Access.OWN)
        if submit:
            signal = signal_submit(signal=signal, actor=actor, expected_version=0,
                                   subjects=subject_ids)
    return signal


@transaction.atomic
def signal_update_draft(*, signal: Signal, actor, reporter_user, values: dict, form_codes,
                        indicator_ids, subjects: list[SubjectData], reporter: dict,
                        submit: bool, attachments=()) -> Signal:
    """Change a draft (its author only), then submit it unless it stays a draft."""
    from django.utils.translation import gettext as _

    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    identity = ReporterIdentity.objects.get(signal=signal)
    if signal.state != State.DRAFT:
        raise ConcurrentChange(_("This signal has already been sent."))
    if not identity.is_filed_by(actor):
        raise TransitionNotAllowed(_("Only the author changes a draft."))
    Signal.objects.filter(pk=signal.pk).update(**values)
    signal.refresh_from_db()
    signal.forms.set(form_codes)
    signal.indicators.set(indicator_ids)
    signal.subjects.all().delete()
    Subject.objects.bulk_create(
        [Subject(signal=signal, kind=s.kind, **s.values) for s in subjects])
    for field, value in reporter.items():
        setattr(identity, field, value)
    identity.link_accounts(user=reporter_user, filed_by=actor)
    identity.team = reporter_user.team if reporter_user else actor.team
    identity.save()
    log_processing(actor=actor, activity=Activity.REGISTER, action=Action.UPDATE, obj=signal,
                   changes={"draft": "changed"})
    attachments_add(signal=signal, actor=actor, files=list(attachments), level=Access.OWN)
    if submit:
        signal = signal_submit(signal=signal, actor=actor, expected_version=signal.version)
    return signal


@transaction.atomic
def signal_delete_draft(*, signal: Signal, actor) -> None:
    """A draft never sent may be thrown away by its author; nothing of it remains."""
    from django.utils.translation import gettext as _

    identity = ReporterIdentity.objects.get(signal=signal)
    if signal.state != State.DRAFT or not identity.is_filed_by(actor):
        raise TransitionNotAllowed(_("Only the author throws away a draft."))
    log_processing(actor=actor, activity=Activity.REGISTER, action=Action.DELETE, obj=signal)
    attachments_destroy(signal)
    signal.delete()


def signal_submit(*, signal: Signal, actor, expected_version: int | None,
                  subjects: list[str] | None = None) -> Signal:
    """Send a filed signal to the officers: the step, and their e-mail after commit
    (`notifications.after_submit`: in the web server one e-mail for the signals of the
    next moments together).

    Without a savepoint of its own, nor one for the step: it is only ever called inside
    an action's transaction (`signal_file`, `signal_update_draft`) that a failed step
    rolls back whole, and outside a transaction `on_commit` runs at once, i.e. after
    the step's commit all the same.
    """
    from django.conf import settings

    stamps = {}
    if not signal.reference:
        prefix = settings.SCHAKEL["SIGNAL_REFERENCE_PREFIX"]
        stamps["reference"] = f"{prefix}-{clock.now().year}-{signal.pk:05d}"
    signal = _transition(signal=signal, name="submit", actor=actor, stamps=stamps,
                         expected_version=expected_version, subjects=subjects,
                         savepoint=False)
    transaction.on_commit(notifications.after_submit)
    return signal


def signal_receive(*, signal, actor, expected_version, remark="") -> Signal:
    return _transition(signal=signal, name="receive", actor=actor,
                       expected_version=expected_version, remark=remark)


def signal_dismiss(*, signal, actor, expected_version, dismiss_reason, remark="") -> Signal:
    return _transition(signal=signal, name="dismiss", actor=actor, remark=remark,
                       expected_version=expected_version,
                       fields={"dismiss_reason": dismiss_reason})


def signal_refer(*, signal, actor, partners: list[str] | None = None, expected_version=None,
                 remark="") -> Signal:
    """Step 4: taken by the referral action when a signal's first referral is sent.

    `partners`: the names of the partners referred to, for the history line.
    """
    return _transition(signal=signal, name="refer", actor=actor,
                       expected_version=expected_version, remark=remark,
                       code=history.REFERRED if partners else "",
                       params={"partners": list(partners)} if partners else None)


def signal_settle(*, signal, actor, expected_version=None, remark="") -> Signal:
    """Step 5: taken when every referral of the signal is settled."""
    return _transition(signal=signal, name="settle", actor=actor,
                       expected_version=expected_version, remark=remark,
                       code=history.REFERRALS_SETTLED)


def _mail_reporter_after_commit(signal) -> None:
    pk = signal.pk
    transaction.on_commit(lambda: notifications.notify_reporter_of_message(pk))


@transaction.atomic
def signal_inform_reporter(*, signal, actor, expected_version, message_for_reporter,
                           remark="") -> Signal:
    """Step 6: the message for the reporter; the reporter is e-mailed a link after commit."""
    signal = _transition(signal=signal, name="inform_reporter", actor=actor, remark=remark,
                         expected_version=expected_version,
                         fields={"message_for_reporter": message_for_reporter})
    _mail_reporter_after_commit(signal)
    return signal


def signal_close(*, signal, actor, expected_version, outcome, outcome_other="",
                 message_for_reporter=None, remark="") -> Signal:
    fields = {"outcome": outcome,
              "outcome_other": outcome_other if outcome == Outcome.OTHER else ""}
    tells_reporter = signal.state == State.DISMISSED and bool(message_for_reporter)
    if signal.state == State.DISMISSED:
        fields["message_for_reporter"] = message_for_reporter or ""
    with transaction.atomic():
        signal = _transition(signal=signal, name="close", actor=actor, remark=remark,
                             expected_version=expected_version, fields=fields)
        if tells_reporter:
            _mail_reporter_after_commit(signal)
    return signal


@transaction.atomic
def signal_mark_read(*, signal, actor) -> None:
    """The reporter opened the signal: its message is no longer new."""
    if not signal.has_unread_message or not signal.reporter.is_reporter(actor):
        return
    Signal.objects.filter(pk=signal.pk).update(reporter_read_at=clock.now())
    signal.reporter_read_at = clock.now()


@transaction.atomic
def signal_add_note(*, signal, actor, text: str) -> SignalEvent:
    """A note: the officer's working notes, or a reporter's correction (submission is final)."""
    from django.utils.translation import gettext as _

    text = text.strip()
    if not text:
        raise MissingFields(_("Write a note first."), ["text"])
    if actor.role not in (Role.OFFICER, Role.EMPLOYEE, Role.TEAM_LEAD):
        raise TransitionNotAllowed(_("You cannot add notes."))
    event = SignalEvent.objects.create(
        signal=signal, at=clock.now(), actor=actor, actor_role=actor.role,
        kind=EventKind.NOTE, remark=text,
    )
    log_processing(actor=actor, activity=Activity.NOTE, action=Action.CREATE, obj=signal)
    return event


@transaction.atomic
def signal_record_decision(*, signal, actor, text: str, meeting_date=None) -> SignalEvent:
    """Step 3: the decision of a local case meeting lands in the signal's history.

    The line naming the meeting is made when the history is read (`history`); only the
    decision itself is stored as text.
    """
    from django.utils.translation import gettext as _

    text = text.strip()
    if not text:
        raise MissingFields(_("Write the decision first."), ["text"])
    if actor.role != Role.OFFICER:
        raise TransitionNotAllowed(_("Only the officer records decisions on signals."))
    event = SignalEvent.objects.create(
        signal=signal, at=clock.now(), actor=actor, actor_role=actor.role,
        kind=EventKind.DECISION, remark=text,
        code=history.CASE_MEETING_DECISION if meeting_date else "",
        params={"date": meeting_date.isoformat()} if meeting_date else {},
    )
    log_processing(actor=actor, activity=Activity.DISCUSS, action=Action.CREATE, obj=signal)
    return event
