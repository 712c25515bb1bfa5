"""The outbox: every e-mail about referrals is a row first, then delivered after commit.

Delivery claims the row with a compare-and-swap update (waiting or due → sending),
so two workers, or the worker and the job, never send the same message; the SMTP
conversation happens outside any transaction; the outcome is written afterwards in
one transaction, with one `DeliveryAttempt` row per try.

A failed message is tried again after growing intervals (`OUTBOX_RETRY_MINUTES`,
the last one repeating) until `OUTBOX_RETRY_HOURS` after it was queued; then it
is flagged (`gave_up_at`) for the administrator and the officers' digest. The
task that failed plans the next attempt on the worker itself; the daily job and
`manage.py partners_outbox` pick up whatever the worker missed.

What delivery means for a referral is recorded here too: the first request the
mail server accepts starts the feedback deadline, a delivered reminder counts,
and older undelivered requests of that referral are superseded.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.tasks import task
from django.urls import reverse

from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import clock

from .models import (
    LINK_KINDS,
    WAITING,
    DeliveryAttempt,
    FeedbackLink,
    MessageKind,
    MessageStatus,
    OutboxMessage,
    Referral,
    ReferralSettings,
)

logger = logging.getLogger(__name__)

# A message still "sending" after this long was interrupted (worker stopped mid-send).
STALE_SENDING = timedelta(minutes=15)
# A message still waiting after this long was never picked up by the worker.
STALE_PENDING = timedelta(minutes=5)
UNFINISHED = (MessageStatus.PENDING, MessageStatus.SENDING, MessageStatus.FAILED)


def retry_minutes() -> tuple[int, ...]:
    return tuple(settings.SCHAKEL["OUTBOX_RETRY_MINUTES"])


def retry_period() -> timedelta:
    return timedelta(hours=settings.SCHAKEL["OUTBOX_RETRY_HOURS"])


@task()
def deliver_message(message_id: int) -> str:
    """The worker's task: deliver one message; a failure plans its own next attempt."""
    return deliver(message_id)


def queue(*, kind, to, subject, body, referral=None, dedup_key=None) -> OutboxMessage | None:
    """Add a message; delivered after commit. None if `dedup_key` was queued before."""
    if dedup_key and OutboxMessage.objects.filter(dedup_key=dedup_key).exists():
        return None
    now = clock.now()
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                kind=kind, to=to, subject=subject[:200], body=body, referral=referral,
                dedup_key=dedup_key, created_at=now, trying_since=now)
    except IntegrityError:  # the same key queued at the same moment elsewhere
        return None
    transaction.on_commit(lambda: enqueue_delivery(message.pk))
    return message


def enqueue_delivery(message_id: int, run_after=None) -> None:
    """Hand the message to the task worker (now, or at `run_after`).

    If that fails, or the backend cannot defer, the daily job or `partners_outbox`
    picks the message up: the row is safe either way.
    """
    try:
        if run_after is None:
            deliver_message.enqueue(message_id)
        elif deliver_message.get_backend().supports_defer:
            deliver_message.using(run_after=run_after).enqueue(message_id)
    except Exception:  # noqa: BLE001 - the row is safe; the retry job delivers it
        logger.exception("could not enqueue delivery of outbox message %s", message_id)


def _claim(message_id: int, now, *, force: bool) -> bool:
    """Compare-and-swap: exactly one caller turns a deliverable row into 'sending'."""
    due = Q(status=MessageStatus.FAILED)
    if not force:
        due &= Q(next_attempt_at__lte=now)
    claimable = Q(status=MessageStatus.PENDING) | due | Q(
        status=MessageStatus.SENDING, last_attempt_at__lt=now - STALE_SENDING)
    return OutboxMessage.objects.filter(claimable, pk=message_id).update(
        status=MessageStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now,
        next_attempt_at=None) == 1


def _still_wanted(message: OutboxMessage) -> bool:
    """A request for feedback only while its referral waits; a digest until a newer one went."""
    if message.needs_link:
        return message.referral is not None and message.referral.is_waiting
    if message.kind == MessageKind.DIGEST:
        return not OutboxMessage.objects.filter(
            kind=MessageKind.DIGEST, to=message.to, status=MessageStatus.SENT,
            created_at__gt=message.created_at).exists()
    return True


def _new_link(message: OutboxMessage) -> tuple[str, FeedbackLink]:
    """A new link in place of the placeholder; older links stop working once this one arrives."""
    link, token = FeedbackLink.issue(message.referral,
                                     ReferralSettings.current().link_valid_days)
    url = settings.SITE_URL + reverse("partners:link", args=[token])
    return message.body.replace(OutboxMessage.LINK_PLACEHOLDER, url), link


def next_attempt(message: OutboxMessage, now) -> tuple[object, bool]:
    """(when to try again, whether the retry period is over) after a failure at `now`.

    The n-th failure since `trying_since` waits the n-th interval (the last repeats);
    the final attempt falls on the end of the period, and a failure then gives up.
    """
    since = message.trying_since or message.created_at
    end = since + retry_period()
    if now >= end:
        return None, True
    failures = DeliveryAttempt.objects.filter(message=message, delivered=False,
                                              at__gte=since).count()
    minutes = retry_minutes()
    wait = timedelta(minutes=minutes[min(max(failures, 1), len(minutes)) - 1])
    return min(now + wait, end), False


def _record_delivery(message: OutboxMessage, link: FeedbackLink | None, now) -> None:
    """What a delivered request means for its referral (inside the outcome's transaction).

    1. The partner now holds the new link: older links and older undelivered requests
       of the referral are revoked and cancelled.
    2. The first delivered request starts the feedback deadline; a later delivered
       reminder counts as a reminder. Both go into the processing log.
    """
    referral = Referral.objects.select_for_update().get(pk=message.referral_id)
    if referral.state not in WAITING:
        return
    usable = FeedbackLink.objects.usable(now).filter(referral=referral)
    if link is not None:
        usable = usable.exclude(pk=link.pk)
    usable.update(revoked_at=now)
    OutboxMessage.objects.filter(
        referral=referral, kind__in=LINK_KINDS,
        status__in=(MessageStatus.PENDING, MessageStatus.FAILED),
        created_at__lte=message.created_at,
    ).exclude(pk=message.pk).update(status=MessageStatus.CANCELLED, next_attempt_at=None)
    changes = {"referral": referral.pk, "partner": referral.partner_id,
               "outbox_message": message.pk}
    if referral.delivered_at is None:
        config = ReferralSettings.current()
        referral.delivered_at = now
        referral.due_at = now + timedelta(days=config.feedback_due_days)
        purpose = "Referral delivered to the chain partner; the feedback period starts"
        changes["due_at"] = referral.due_at.isoformat()
    elif message.kind == MessageKind.REMINDER:
        referral.reminders_sent = F("reminders_sent") + 1
        referral.last_reminder_at = now
        purpose = "Reminder delivered to the chain partner"
    else:
        purpose = "Referral delivered to the chain partner again"
    referral.version = F("version") + 1
    referral.save(update_fields=["delivered_at", "due_at", "reminders_sent",
                                 "last_reminder_at", "version"])
    referral.refresh_from_db(fields=["reminders_sent", "version"])
    if message.kind == MessageKind.REMINDER:
        changes["reminders_sent"] = referral.reminders_sent
    log_processing(actor=None, activity=Activity.REFER, action=Action.UPDATE,
                   obj=referral.signal, subjects=[], purpose=purpose, changes=changes)


def _succeeded(message: OutboxMessage, link, now) -> str:
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.SENT, sent_at=now, error="", next_attempt_at=None,
            gave_up_at=None)
        DeliveryAttempt.objects.create(message=message, at=now, delivered=True)
        if message.referral_id and message.kind in LINK_KINDS:
            _record_delivery(message, link, now)
    return MessageStatus.SENT


def _failed(message: OutboxMessage, link, error: str, now) -> str:
    with transaction.atomic():
        DeliveryAttempt.objects.create(message=message, at=now, delivered=False, error=error)
        when, give_up = next_attempt(message, now)
        OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.FAILED, error=error, next_attempt_at=when,
            gave_up_at=(message.gave_up_at or now) if give_up else None)
        if link is not None:
            FeedbackLink.objects.filter(pk=link.pk).update(revoked_at=now)
    # Kind and error class only: the address and the text stay out of the log.
    logger.warning("outbox message %s (%s) failed: %s; %s", message.pk, message.kind, error,
                   "retries stopped" if give_up else f"next attempt {when:%Y-%m-%d %H:%M}")
    if when is not None:
        enqueue_delivery(message.pk, run_after=when)
    return MessageStatus.FAILED


def deliver(message_id: int, *, force: bool = False) -> str:
    """Send one message at most once. Returns its status afterwards. Safe to call twice.

    1. Claim it (see `_claim`): waiting, failed and due (any failed one with `force`),
       or stuck in 'sending'. Whoever loses the claim sends nothing.
    2. A message no longer wanted is cancelled (a link would lead nowhere).
    3. Talk to the mail server outside any transaction, with a fresh link if needed.
    4. Write the outcome (see `_succeeded`, `_failed`); a failure plans its retry.
    """
    now = clock.now()
    if not _claim(message_id, now, force=force):
        return OutboxMessage.objects.filter(pk=message_id).values_list(
            "status", flat=True).first() or ""
    message = OutboxMessage.objects.select_related("referral").get(pk=message_id)
    if not _still_wanted(message):
        OutboxMessage.objects.filter(pk=message_id).update(status=MessageStatus.CANCELLED)
        return MessageStatus.CANCELLED
    link = None
    body = message.body
    if message.needs_link:
        body, link = _new_link(message)
    try:
        EmailMessage(message.subject, body, None, [message.to]).send()
    except Exception as exc:  # noqa: BLE001 - any failure is recorded, none is lost
        return _failed(message, link, type(exc).__name__[:100], clock.now())
    return _succeeded(message, link, clock.now())


def retry_due(now=None, *, everything: bool = False) -> int:
    """Deliver what the worker missed; returns how many were delivered.

    By default only what is due: waiting too long, failed with its next attempt due,
    or stuck in 'sending'. With `everything`, every message still wanted, the failed
    ones whose retries stopped included (for when the mail server works again).
    """
    now = now or clock.now()
    if everything:
        wanted = Q(status__in=(MessageStatus.PENDING, MessageStatus.FAILED))
    else:
        wanted = (Q(status=MessageStatus.PENDING, created_at__lt=now - STALE_PENDING)
                  | Q(status=MessageStatus.FAILED, next_attempt_at__lte=now))
    ids = list(OutboxMessage.objects.filter(
        wanted | Q(status=MessageStatus.SENDING, last_attempt_at__lt=now - STALE_SENDING)
    ).order_by("created_at", "pk").values_list("pk", flat=True))
    return sum(deliver(pk, force=everything) == MessageStatus.SENT for pk in ids)
