"""The domain actions of referrals (steps 4 and 5), one function each.

Each is atomic and writes the processing log inside its transaction; e-mails
are queued in the outbox and delivered after commit (see `outbox.py`).
Signal state changes go only through `signal_refer` and `signal_settle`.
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from schakel.accounts.models import Role, User
from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import clock
from schakel.signals.actions import WorkflowError, signal_refer, signal_settle
from schakel.signals.models import Signal
from schakel.signals.workflow import State

from . import mail, outbox
from .models import (
    LINK_KINDS,
    SETTLED,
    WAITING,
    CareCoordinatorSkip,
    FeedbackChannel,
    FeedbackLink,
    MessageKind,
    MessageStatus,
    OutboxMessage,
    Part,
    Partner,
    Referral,
    ReferralSettings,
    ReferralState,
)

logger = logging.getLogger(__name__)

# A signal can get (new) referrals while it is with the officer before or during step 5.
REFERABLE_STATES = (State.RECEIVED, State.REFERRED)


class ReferralError(WorkflowError):
    """A referral step that cannot be taken; `message` is shown to the user."""


@dataclass
class Choice:
    """What the officer chose for one partner on the referral page."""

    partner: Partner
    parts: list[str] = field(default_factory=list)
    subject_ids: list[int] = field(default_factory=list)
    attachment_ids: list[int] = field(default_factory=list)
    message: str = ""
    reason: str = ""
    priority: str = "normal"


def _shared_subjects(referral_or_signal, subject_ids) -> list[str]:
    """Pseudonyms of the shared subjects: the processing log names only who was shared."""
    signal = getattr(referral_or_signal, "signal", referral_or_signal)
    return [str(p) for p in signal.subjects.filter(pk__in=subject_ids)
            .values_list("pseudonym", flat=True)]


def _log(actor, referral, action, purpose, changes=None):
    log_processing(actor=actor, activity=Activity.REFER, action=action, obj=referral.signal,
                   purpose=purpose, subjects=_shared_subjects(referral, referral.subject_ids),
                   changes=dict({"referral": referral.pk, "partner": referral.partner_id},
                                **(changes or {})))


def _require_officer(actor):
    if getattr(actor, "role", None) != Role.OFFICER:
        raise ReferralError(_("Only the officer refers signals."))


def _clean_parts(signal, parts, subject_ids):
    valid_parts = [p for p in parts if p in Part.values]
    own = set(signal.subjects.values_list("pk", flat=True))
    return valid_parts, sorted({int(i) for i in subject_ids if int(i) in own})


@transaction.atomic
def signal_referrals_create(*, signal: Signal, actor, choices: list[Choice],
                            care_skip_reason: str = "", send: bool = True) -> list[Referral]:
    """Step 4: refer a signal to the chosen partners (or keep the referrals as drafts).

    1. The signal must be received (or already referred) and the actor its officer role.
    2. Leaving out an active care coordinator needs a reason, which is recorded.
    3. One referral per partner, each with only the parts chosen for that partner;
       a partner that already has an open referral is refused.
    4. When sending, each referral is sent (see `referral_send`).
    """
    _require_officer(actor)
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.state not in REFERABLE_STATES:
        raise ReferralError(_("This signal cannot be referred in its current status."))
    if not choices:
        raise ReferralError(_("Choose at least one partner."))
    chosen = {c.partner.pk for c in choices}
    existing = set(signal.referrals.exclude(state=ReferralState.WITHDRAWN)
                   .values_list("partner_id", flat=True))
    if chosen & existing:
        names = ", ".join(sorted(c.partner.name for c in choices if c.partner.pk in existing))
        raise ReferralError(_("Already referred to: %(names)s.") % {"names": names})
    now = clock.now()
    for care in Partner.objects.filter(active=True, is_care_coordinator=True):
        if care.pk in chosen or care.pk in existing:
            continue
        if not care_skip_reason.strip():
            raise ReferralError(_("Give the reason for not referring to %(partner)s.")
                                % {"partner": care.name})
        CareCoordinatorSkip.objects.create(signal=signal, partner=care, by=actor, at=now,
                                           reason=care_skip_reason.strip())
        log_processing(actor=actor, activity=Activity.REFER, action=Action.CREATE, obj=signal,
                       subjects=[], purpose="Care coordinator left out, reason recorded",
                       changes={"care_coordinator_skipped": care.pk})
    referrals = []
    for choice in choices:
        parts, subject_ids = _clean_parts(signal, choice.parts, choice.subject_ids)
        attachment_ids = sorted(set(signal.attachments.filter(
            pk__in=[int(i) for i in choice.attachment_ids]).values_list("pk", flat=True)))
        referral = Referral.objects.create(
            signal=signal, partner=choice.partner, parts=parts, subject_ids=subject_ids,
            attachment_ids=attachment_ids,
            message=choice.message.strip(), reason=choice.reason, priority=choice.priority,
            created_by=actor, created_at=now,
        )
        _log(actor, referral, Action.CREATE, "Referral prepared",
             {"parts": parts, "subjects": len(subject_ids), "attachments": attachment_ids})
        referrals.append(referral)
    if send:
        names = [r.partner.name for r in referrals]
        referrals = [referral_send(referral=r, actor=actor, partners=names) for r in referrals]
    return referrals


@transaction.atomic
def referral_update_draft(*, referral: Referral, actor, parts, subject_ids,
                          message: str = "") -> Referral:
    _require_officer(actor)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.state != ReferralState.DRAFT:
        raise ReferralError(_("Only a draft can be changed; this referral has been sent."))
    referral.parts, referral.subject_ids = _clean_parts(referral.signal, parts, subject_ids)
    referral.message = message.strip()
    referral.version = F("version") + 1
    referral.save()
    referral.refresh_from_db()
    _log(actor, referral, Action.UPDATE, "Referral draft changed",
         {"parts": referral.parts, "subjects": len(referral.subject_ids)})
    return referral


@transaction.atomic
def referral_send(*, referral: Referral, actor, partners: list[str] | None = None,
                  remark: str = "") -> Referral:
    """Send a draft: e-mail with a fresh link; the signal becomes referred.

    `partners`: the names for the signal's history line when these referrals went out
    together (default: this referral's partner).

    The feedback due date is set when the e-mail is delivered (`outbox._record_delivery`).
    """
    _require_officer(actor)
    referral = Referral.objects.select_for_update().select_related("signal", "partner") \
        .get(pk=referral.pk)
    if referral.state != ReferralState.DRAFT:
        raise ReferralError(_("This referral has already been sent."))
    signal = referral.signal
    if signal.state not in REFERABLE_STATES:
        raise ReferralError(_("This signal cannot be referred in its current status."))
    now = clock.now()
    referral.state = ReferralState.SENT
    referral.sent_at = now  # the feedback period starts when the mail server accepts it
    referral.version = F("version") + 1
    referral.save()
    referral.refresh_from_db()
    _log(actor, referral, Action.UPDATE, "Referral sent to a chain partner",
         {"state": [ReferralState.DRAFT, ReferralState.SENT], "parts": referral.parts})
    subject, body = mail.referral(referral)
    outbox.queue(kind=MessageKind.REFERRAL, to=referral.partner.email, subject=subject,
                 body=body, referral=referral)
    if signal.state == State.RECEIVED:
        signal_refer(signal=signal, actor=actor, remark=remark,
                     partners=partners or [referral.partner.name])
    return referral


def _settling_officer(signal: Signal, fallback=None):
    """Who takes the settle step when a partner or the daily job settles the last referral."""
    for user in (fallback, signal.officer):
        if user is not None and user.role == Role.OFFICER and user.is_active:
            return user
    return User.objects.filter(role=Role.OFFICER, is_active=True).order_by("pk").first()


def _maybe_settle(signal: Signal, actor=None) -> None:
    """The signal moves on to feedback_received once every referral is settled."""
    signal = Signal.objects.select_related("officer").get(pk=signal.pk)
    if signal.state != State.REFERRED:
        return
    states = set(signal.referrals.values_list("state", flat=True))
    if not states or not states <= set(SETTLED) or states == {ReferralState.WITHDRAWN}:
        return
    officer = _settling_officer(signal, actor)
    if officer is None:
        logger.warning("signal %s: all referrals settled but no active officer", signal.pk)
        return
    signal_settle(signal=signal, actor=officer)


def _locked(referral: Referral) -> Referral:
    return (Referral.objects.select_for_update().select_related("signal", "partner")
            .get(pk=referral.pk))


def _revoke_links(referral: Referral, now) -> int:
    return FeedbackLink.objects.usable(now).filter(referral=referral).update(revoked_at=now)


@transaction.atomic
def referral_confirm_receipt(*, link: FeedbackLink) -> Referral:
    """The partner confirms receipt through the link (the link stays usable for feedback)."""
    referral = _locked(link.referral)
    if referral.state == ReferralState.SENT:
        referral.state = ReferralState.RECEIVED
        referral.received_at = clock.now()
        referral.version = F("version") + 1
        referral.save()
        referral.refresh_from_db()
        _log(None, referral, Action.UPDATE, "Chain partner confirmed receipt",
             {"state": [ReferralState.SENT, ReferralState.RECEIVED]})
    return referral


def _store_feedback(referral, *, outcome, text, channel, by, now):
    old = referral.state
    referral.state = ReferralState.FEEDBACK_RECEIVED
    referral.feedback_outcome = outcome
    referral.feedback_text = text.strip()
    referral.feedback_channel = channel
    referral.feedback_by = by
    referral.feedback_at = now
    referral.settled_at = now
    referral.received_at = referral.received_at or now
    referral.version = F("version") + 1
    referral.save()
    referral.refresh_from_db()
    _revoke_links(referral, now)
    return old


@transaction.atomic
def referral_give_feedback(*, link: FeedbackLink, outcome: str, text: str) -> Referral:
    """Step 5 through the partner's link. The link is used up; the officer gets a notice.

    Of two submissions at once exactly one wins: the link row is locked and checked.
    """
    now = clock.now()
    link = FeedbackLink.objects.select_for_update().get(pk=link.pk)
    if link.status(now) != "valid":
        raise ReferralError(_("This link can no longer be used."))
    referral = _locked(link.referral)
    if referral.state not in WAITING:
        raise ReferralError(_("This referral no longer waits for feedback."))
    FeedbackLink.objects.filter(pk=link.pk).update(used_at=now)
    old = _store_feedback(referral, outcome=outcome, text=text, channel=FeedbackChannel.LINK,
                          by=None, now=now)
    _log(None, referral, Action.UPDATE, "Chain partner gave feedback",
         {"state": [old, referral.state], "outcome": outcome})
    officer = _settling_officer(referral.signal, referral.created_by)
    if officer is not None and officer.email:
        subject, body = mail.feedback_notice(referral)
        outbox.queue(kind=MessageKind.FEEDBACK_NOTICE, to=officer.email, subject=subject,
                     body=body, referral=referral)
    _maybe_settle(referral.signal)
    return referral


@transaction.atomic
def referral_record_feedback(*, referral: Referral, actor, outcome: str, text: str,
                             channel: str) -> Referral:
    """The officer records feedback received by phone, letter, e-mail or in a meeting."""
    _require_officer(actor)
    referral = _locked(referral)
    if referral.state not in (*WAITING, ReferralState.NO_RESPONSE):
        raise ReferralError(_("Feedback can only be recorded for a referral that was sent."))
    if channel == FeedbackChannel.LINK or channel not in FeedbackChannel.values:
        raise ReferralError(_("Choose how the feedback was received."))
    now = clock.now()
    old = _store_feedback(referral, outcome=outcome, text=text, channel=channel, by=actor,
                          now=now)
    _log(actor, referral, Action.UPDATE, "Officer recorded feedback of a chain partner",
         {"state": [old, referral.state], "outcome": outcome, "channel": channel})
    _maybe_settle(referral.signal, actor)
    return referral


@transaction.atomic
def referral_withdraw(*, referral: Referral, actor, reason: str) -> Referral:
    """Withdraw a draft or a referral that waits: its links stop working at once."""
    _require_officer(actor)
    if not reason.strip():
        raise ReferralError(_("Give the reason for withdrawing."))
    referral = _locked(referral)
    if referral.state not in (ReferralState.DRAFT, *WAITING):
        raise ReferralError(_("This referral can no longer be withdrawn."))
    now = clock.now()
    old = referral.state
    referral.state = ReferralState.WITHDRAWN
    referral.withdraw_reason = reason.strip()
    referral.settled_at = now
    referral.version = F("version") + 1
    referral.save()
    referral.refresh_from_db()
    _revoke_links(referral, now)
    _log(actor, referral, Action.UPDATE, "Referral withdrawn",
         {"state": [old, ReferralState.WITHDRAWN]})
    if old != ReferralState.DRAFT:
        _maybe_settle(referral.signal, actor)
    return referral


@transaction.atomic
def referral_remind(*, referral: Referral, actor=None,
                    dedup_key: str | None = None) -> OutboxMessage | None:
    """Ask again: a new e-mail with a new link. Returns it, or None if queued before.

    `actor` is the officer who asked, or None for the daily job; the job passes a
    `dedup_key` so the same reminder is never queued twice. The reminder counts, and
    the older links stop working, only once the mail server accepts it (see `outbox`).
    """
    if actor is not None:
        _require_officer(actor)
    referral = _locked(referral)
    if referral.state not in WAITING:
        raise ReferralError(_("This referral no longer waits for feedback."))
    if referral.messages.filter(kind__in=LINK_KINDS, status__in=(
            MessageStatus.PENDING, MessageStatus.SENDING)).exists():
        raise ReferralError(_("A request to this partner is being sent already."))
    subject, body = mail.referral(referral, reminder=True)
    message = outbox.queue(kind=MessageKind.REMINDER, to=referral.partner.email,
                           subject=subject, body=body, referral=referral, dedup_key=dedup_key)
    if message is None:  # this reminder was queued before
        return None
    _log(actor, referral, Action.UPDATE, "Feedback requested again",
         {"reminder_queued": message.pk})
    return message


@transaction.atomic
def referral_mark_no_response(*, referral: Referral) -> Referral:
    """After the last reminder went unanswered: settled as 'no response'."""
    referral = _locked(referral)
    if referral.state not in WAITING:
        return referral
    now = clock.now()
    old = referral.state
    referral.state = ReferralState.NO_RESPONSE
    referral.settled_at = now
    referral.version = F("version") + 1
    referral.save()
    referral.refresh_from_db()
    _revoke_links(referral, now)
    _log(None, referral, Action.UPDATE, "No response from the chain partner after reminders",
         {"state": [old, ReferralState.NO_RESPONSE]})
    _maybe_settle(referral.signal)
    return referral


@transaction.atomic
def message_resend(*, message: OutboxMessage, actor) -> OutboxMessage:
    """The officer sends a message again (a request gets a new link), with a new retry period."""
    _require_officer(actor)
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if message.status in (MessageStatus.PENDING, MessageStatus.SENDING):
        raise ReferralError(_("This message is being sent already."))
    if message.needs_link and (message.referral is None or not message.referral.is_waiting):
        raise ReferralError(_("The referral no longer waits for feedback; a new link would "
                              "lead nowhere."))
    message.status = MessageStatus.PENDING
    message.error = ""
    message.trying_since = clock.now()
    message.next_attempt_at = message.gave_up_at = None
    message.save(update_fields=["status", "error", "trying_since", "next_attempt_at",
                                "gave_up_at"])
    log_processing(actor=actor, activity=Activity.REFER, action=Action.UPDATE,
                   obj=message.referral.signal if message.referral else message, subjects=[],
                   purpose="Resend an e-mail from the outbox",
                   changes={"outbox_message": message.pk, "kind": message.kind})
    transaction.on_commit(lambda: outbox.enqueue_delivery(message.pk))
    return message


# ---------------------------------------------------------------- the directory

@transaction.atomic
def partner_save(*, form, actor) -> Partner:
    """Create or change a partner (officer or administrator)."""
    if actor.role not in (Role.OFFICER, Role.ADMIN):
        raise ReferralError(_("You cannot change the partner directory."))
    created = form.instance.pk is None
    partner = form.save()
    log_processing(actor=actor, activity=Activity.REFER,
                   action=Action.CREATE if created else Action.UPDATE, obj=partner, subjects=[],
                   purpose="Keep the partner directory up to date",
                   changes={"fields": sorted(form.changed_data)})
    return partner


@transaction.atomic
def partner_verify(*, partner: Partner, actor) -> Partner:
    """The yearly check of a partner's contacts is done (plan §3.3)."""
    if actor.role not in (Role.OFFICER, Role.ADMIN):
        raise ReferralError(_("You cannot change the partner directory."))
    today = clock.now().date()
    Partner.objects.filter(pk=partner.pk).update(last_verified=today)
    partner.last_verified = today
    log_processing(actor=actor, activity=Activity.REFER, action=Action.UPDATE, obj=partner,
                   subjects=[], purpose="Yearly check of the partner's contacts",
                   changes={"last_verified": str(today)})
    return partner


@transaction.atomic
def contact_save(*, form, actor):
    if actor.role not in (Role.OFFICER, Role.ADMIN):
        raise ReferralError(_("You cannot change the partner directory."))
    created = form.instance.pk is None
    contact = form.save()
    log_processing(actor=actor, activity=Activity.REFER,
                   action=Action.CREATE if created else Action.UPDATE, obj=contact, subjects=[],
                   purpose="Keep the partner directory up to date")
    return contact


@transaction.atomic
def contact_delete(*, contact, actor) -> None:
    if actor.role not in (Role.OFFICER, Role.ADMIN):
        raise ReferralError(_("You cannot change the partner directory."))
    log_processing(actor=actor, activity=Activity.REFER, action=Action.DELETE, obj=contact,
                   subjects=[], purpose="Keep the partner directory up to date")
    contact.delete()


@transaction.atomic
def rule_save(*, form, actor):
    if actor.role != Role.ADMIN:
        raise ReferralError(_("Only the functional administrator changes routing rules."))
    created = form.instance.pk is None
    rule = form.save()
    log_processing(actor=actor, activity=Activity.REFER,
                   action=Action.CREATE if created else Action.UPDATE, obj=rule, subjects=[],
                   purpose="Change the routing rules",
                   changes={"fields": sorted(form.changed_data)})
    return rule


@transaction.atomic
def rule_delete(*, rule, actor) -> None:
    if actor.role != Role.ADMIN:
        raise ReferralError(_("Only the functional administrator changes routing rules."))
    log_processing(actor=actor, activity=Activity.REFER, action=Action.DELETE, obj=rule,
                   subjects=[], purpose="Change the routing rules")
    rule.delete()


@transaction.atomic
def settings_save(*, form, actor) -> ReferralSettings:
    if actor.role != Role.ADMIN:
        raise ReferralError(_("Only the functional administrator changes these settings."))
    config = form.save()
    log_processing(actor=actor, activity=Activity.REFER, action=Action.UPDATE, obj=config,
                   subjects=[], purpose="Change the referral settings",
                   changes={f: form.cleaned_data[f] for f in form.changed_data})
    return config
