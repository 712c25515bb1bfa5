"""The daily job of step 5: reminders, 'no response', the officers' digest, the outbox retry.

Every part is idempotent, so running the job twice on a day (worker and cron,
or a restart) sends nothing twice:
- a reminder is due only when the last one is older than the interval, and it
  carries a dedup key `reminder:<referral>:<n>`;
- the digest carries the key `digest:<day>:<officer>`;
- the outbox never sends a message that was sent.
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
    WAITING,
    DailyRun,
    LinkAttempt,
    MessageKind,
    Referral,
    ReferralSettings,
)

logger = logging.getLogger(__name__)


def send_reminders(now) -> dict:
    """Remind partners whose feedback is overdue; after the last reminder, 'no response'."""
    config = ReferralSettings.current()
    interval = timedelta(days=config.reminder_interval_days)
    reminded = no_response = 0
    due = (Referral.objects.filter(state__in=WAITING, due_at__lt=now)
           .filter(Q(last_reminder_at=None) | Q(last_reminder_at__lte=now - interval))
           .order_by("due_at", "pk"))
    for referral in due:
        if referral.reminders_sent >= config.max_reminders:
            actions.referral_mark_no_response(referral=referral)
            no_response += 1
            continue
        key = f"reminder:{referral.pk}:{referral.reminders_sent + 1}"
        before = referral.reminders_sent
        referral = actions.referral_remind(referral=referral, dedup_key=key)
        reminded += referral.reminders_sent > before
    return {"reminded": reminded, "no_response": no_response}


def send_digests(now) -> int:
    """One e-mail a day to each officer with the overdue referrals of their signals.

    Referrals of signals without an active officer go to every officer. Each digest
    ends with the day's anchored head of the processing log (anchored daily here,
    digest or not), a copy the database cannot rewrite.
    """
    anchor = chain_anchor_text()
    officers = list(User.objects.filter(role=Role.OFFICER, is_active=True).exclude(email=""))
    by_officer: dict[int, list[Referral]] = defaultdict(list)
    overdue = (Referral.objects.overdue(now).select_related("signal", "partner")
               .order_by("due_at", "pk"))
    ids = {o.pk for o in officers}
    for referral in overdue:
        if referral.signal.officer_id in ids:
            by_officer[referral.signal.officer_id].append(referral)
        else:
            for officer in officers:
                by_officer[officer.pk].append(referral)
    today = clock.now().date()
    sent = 0
    for officer in officers:
        rows = by_officer.get(officer.pk)
        if not rows:
            continue
        subject, body = mail.digest(rows, today)
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
