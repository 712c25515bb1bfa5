"""The outbox: every e-mail about referrals is a row first, then delivered after commit.

Delivery claims the row (pending/failed → sending) with a conditional update, so
two workers never send the same message; the SMTP conversation happens outside
any transaction; the outcome is written afterwards. A failure is recorded with
the kind of error only and never touches the referral: the officer resends it.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from schakel.accounts.models import Role
from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import clock

from .models import FeedbackLink, MessageStatus, OutboxMessage, ReferralSettings

logger = logging.getLogger(__name__)

MAX_AUTOMATIC_ATTEMPTS = 3
# A message still "sending" after this long was interrupted (worker stopped mid-send).
STALE_SENDING = timedelta(minutes=15)


def queue(*, kind, to, subject, body, referral=None, dedup_key=None) -> OutboxMessage | None:
    """Add a message; delivered after commit. None if `dedup_key` was queued before."""
    if dedup_key and OutboxMessage.objects.filter(dedup_key=dedup_key).exists():
        return None
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                kind=kind, to=to, subject=subject[:200], body=body, referral=referral,
                dedup_key=dedup_key, created_at=clock.now())
    except IntegrityError:  # the same key queued at the same moment elsewhere
        return None
    transaction.on_commit(lambda: enqueue_delivery(message.pk))
    return message


def enqueue_delivery(message_id: int) -> None:
    """Hand the message to the task worker; if that fails, the daily job picks it up."""
    from .tasks import deliver_message

    try:
        deliver_message.enqueue(message_id)
    except Exception:  # noqa: BLE001 - the row is safe; the retry job delivers it
        logger.exception("could not enqueue delivery of outbox message %s", message_id)


def _claim(message_id: int) -> bool:
    now = clock.now()
    claimable = Q(status__in=[MessageStatus.PENDING, MessageStatus.FAILED]) | Q(
        status=MessageStatus.SENDING, last_attempt_at__lt=now - STALE_SENDING)
    return OutboxMessage.objects.filter(claimable, pk=message_id).update(
        status=MessageStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now) == 1


def _with_fresh_link(message: OutboxMessage) -> tuple[str, FeedbackLink | None]:
    """Replace the placeholder with a new link; earlier links of the referral stop working."""
    referral = message.referral
    now = clock.now()
    with transaction.atomic():
        FeedbackLink.objects.usable(now).filter(referral=referral).update(revoked_at=now)
        link, token = FeedbackLink.issue(referral, ReferralSettings.current().link_valid_days)
    url = settings.SITE_URL + reverse("partners:link", args=[token])
    return message.body.replace(OutboxMessage.LINK_PLACEHOLDER, url), link


def deliver(message_id: int) -> str:
    """Send one message once. Returns its status afterwards. Safe to call twice."""
    if not _claim(message_id):
        return OutboxMessage.objects.filter(pk=message_id).values_list(
            "status", flat=True).first() or ""
    message = OutboxMessage.objects.select_related("referral").get(pk=message_id)
    link = None
    body = message.body
    if message.needs_link:
        if message.referral is None or not message.referral.is_waiting:
            # Withdrawn or answered meanwhile: a link would lead nowhere.
            OutboxMessage.objects.filter(pk=message_id).update(status=MessageStatus.CANCELLED)
            return MessageStatus.CANCELLED
        body, link = _with_fresh_link(message)
    try:
        EmailMessage(message.subject, body, None, [message.to]).send()
    except Exception as exc:  # noqa: BLE001 - any failure is recorded, none is lost
        if link is not None:
            FeedbackLink.objects.filter(pk=link.pk).update(revoked_at=clock.now())
        OutboxMessage.objects.filter(pk=message_id).update(
            status=MessageStatus.FAILED, error=type(exc).__name__[:100])
        logger.warning("outbox message %s (%s) failed: %s", message_id, message.kind,
                       type(exc).__name__)
        return MessageStatus.FAILED
    OutboxMessage.objects.filter(pk=message_id).update(
        status=MessageStatus.SENT, sent_at=clock.now(), error="")
    return MessageStatus.SENT


@transaction.atomic
def message_resend(*, message: OutboxMessage, actor) -> OutboxMessage:
    """The officer sends a message again (a referral or reminder gets a new link)."""
    from .actions import ReferralError

    if actor.role != Role.OFFICER:
        raise ReferralError(_("Only the officer resends messages."))
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if message.status in (MessageStatus.PENDING, MessageStatus.SENDING):
        raise ReferralError(_("This message is being sent already."))
    if message.needs_link and (message.referral is None or not message.referral.is_waiting):
        raise ReferralError(_("The referral no longer waits for feedback; a new link would "
                              "lead nowhere."))
    message.status = MessageStatus.PENDING
    message.error = ""
    message.save(update_fields=["status", "error"])
    log_processing(actor=actor, activity=Activity.REFER, action=Action.UPDATE,
                   obj=message.referral.signal if message.referral else message, subjects=[],
                   purpose="Resend an e-mail from the outbox",
                   changes={"outbox_message": message.pk, "kind": message.kind})
    transaction.on_commit(lambda: enqueue_delivery(message.pk))
    return message


def retry_due(now=None) -> int:
    """Deliver what is still waiting, failed less than MAX_AUTOMATIC_ATTEMPTS times, or stuck."""
    now = now or clock.now()
    ids = list(OutboxMessage.objects.filter(
        Q(status=MessageStatus.PENDING, created_at__lt=now - timedelta(minutes=5))
        | Q(status=MessageStatus.FAILED, attempts__lt=MAX_AUTOMATIC_ATTEMPTS)
        | Q(status=MessageStatus.SENDING, last_attempt_at__lt=now - STALE_SENDING)
    ).values_list("pk", flat=True))
    return sum(deliver(pk) == MessageStatus.SENT for pk in ids)
