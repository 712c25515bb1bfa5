"""The daily job of step 5: reminders, 'no response', the officers' digest, the outbox retry.

Every part is idempotent, so running the job twice on a day (worker and cron,
or a restart) sends nothing twice:
- a reminder is due only when the last delivered one is older than the interval,
  and it carries a dedup key `reminder:<referral>:<n>` (n counts delivered reminders,
  so a reminder still on its way or failing is not queued again);
- the digest carries the key `digest:<day>:<officer>`;
- the outbox never sends a message that was sent.

Deadlines count from delivery: a referral whose e-mail never arrived has no due
date, and one whose latest request failed is "niet bezorgd", never "no response".
"""

import logging
from collections import defaultdict
from datetime import timedelta

from django.db.models import Q

from schakel.accounts.models import Role, User
from schakel.audit.anchor import digest_text as chain_anchor_text
from schakel.core import clock

from . import actions, mail, outbox
from .models import (
    DailyRun,
    LinkAttempt,
    MessageKind,
    MessageStatus,
    OutboxMessage,
    Referral,
    ReferralSettings,
)

logger = logging.getLogger(__name__)


def send_reminders(now) -> dict:
    """Remind partners whose feedback is overdue; after the last reminder, 'no response'.

    Only delivered reminders count, and a referral whose latest request did not
    arrive is left to the officer ("niet bezorgd") instead of being settled.
    """
    config = ReferralSettings.current()
    interval = timedelta(days=config.reminder_interval_days)
    reminded = no_response = 0
    due = (Referral.objects.overdue(now)
           .filter(Q(last_reminder_at=None) | Q(last_reminder_at__lte=now - interval))
           .order_by("due_at", "pk"))
    undelivered = set(Referral.objects.undelivered().filter(pk__in=due.values("pk"))
                      .values_list("pk", flat=True))
    for referral in due:
        if referral.reminders_sent >= config.max_reminders:
            if referral.pk not in undelivered:
                actions.referral_mark_no_response(referral=referral)
                no_response += 1
            continue
        key = f"reminder:{referral.pk}:{referral.reminders_sent + 1}"
        try:
            reminded += actions.referral_remind(referral=referral, dedup_key=key) is not None
        except actions.ReferralError:  # a request is on its way right now
            continue
    return {"reminded": reminded, "no_response": no_response}


def _by_officer(referrals, officers) -> dict[int, list[Referral]]:
    """Each referral to its signal's officer; without an active officer, to every officer."""
    ids = {o.pk for o in officers}
    result: dict[int, list[Referral]] = defaultdict(list)
    for referral in referrals:
        if referral.signal.officer_id in ids:
            result[referral.signal.officer_id].append(referral)
        else:
            for officer in officers:
                result[officer.pk].append(referral)
    return result


def send_digests(now) -> int:
    """One e-mail a day to each officer: overdue referrals, undelivered ones, stuck mail.

    Referrals of signals without an active officer go to every officer. References,
    partners and counts only. Each digest ends with the day's anchored head of the
    processing log (anchored daily here, digest or not), a copy the database cannot rewrite.
    """
    anchor = chain_anchor_text()
    officers = list(User.objects.filter(role=Role.OFFICER, is_active=True).exclude(email=""))
    overdue = _by_officer(Referral.objects.overdue(now).select_related("signal", "partner")
                          .order_by("due_at", "pk"), officers)
    undelivered = _by_officer(Referral.objects.undelivered().select_related("signal", "partner")
                              .order_by("sent_at", "pk"), officers)
    stopped = OutboxMessage.objects.filter(status=MessageStatus.FAILED).exclude(
        gave_up_at=None).count()
    today = clock.now().date()
    sent = 0
    for officer in officers:
        rows, lost = overdue.get(officer.pk, []), undelivered.get(officer.pk, [])
        if not (rows or lost or stopped):
            continue
        subject, body = mail.digest(rows, today, undelivered=lost, stopped=stopped)
        body = f"{body}\n\n{anchor}"
        if outbox.queue(kind=MessageKind.DIGEST, to=officer.email, subject=subject, body=body,
                        dedup_key=f"digest:{today.isoformat()}:{officer.pk}"):
            sent += 1
    return sent


def run_daily() -> dict:
    """The whole daily job. Returns what it did (counts only)."""
    now = clock.now()
    today = now.date()
    run, _ = DailyRun.objects.get_or_create(day=today, defaults={"started_at": now})
    summary = send_reminders(now)
    summary["digests"] = send_digests(now)
    summary["retried"] = outbox.retry_due(now)
    LinkAttempt.objects.filter(at__lt=now - timedelta(days=1)).delete()
    DailyRun.objects.filter(pk=run.pk).update(finished_at=clock.now(), summary=summary)
    logger.info("partners daily job: %s", summary)
    return summary
