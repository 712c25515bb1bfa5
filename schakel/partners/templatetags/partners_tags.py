from django import template
from django.db.models import Exists, OuterRef

from schakel.core import clock
from schakel.core.prepared import Prepared

from ..actions import REFERABLE_STATES
from ..models import (
    CareCoordinatorSkip,
    MessageStatus,
    OutboxMessage,
    Partner,
    Referral,
    failed_requests,
)

register = template.Library()


def _referrals(signal_id):
    failing = failed_requests().filter(referral=OuterRef("pk"))
    skipped = CareCoordinatorSkip.objects.filter(signal=OuterRef("signal_id"))
    # What the table shows: not the message and reason (decrypted for nothing), nor the
    # parts shared or the partner's address.
    return (Referral.objects.filter(signal_id=signal_id).select_related("partner").only(
        "signal_id", "partner__name", "state", "priority", "created_at", "sent_at", "due_at",
        "feedback_outcome", "feedback_text", "withdraw_reason").annotate(
        request_failed=Exists(failing), signal_skipped=Exists(skipped))
        .order_by("created_at", "pk"))


_REFERRALS = Prepared(_referrals)  # built once: the query of every signal page


@register.simple_tag
def referral_section(signal) -> dict:
    """The referrals of one signal for its page: one query in the common case, whatever
    their number.

    The referrals' row says whether a request of theirs failed and whether the signal
    has care-coordinator skips (two index probes in the same statement); the failed
    requests and the skips are read only when there are some.
    A referral whose latest request failed is "not delivered", with that request's
    attempts (count, last time and error class) beside it.
    """
    now = clock.now()
    referrals = _REFERRALS(signal.pk)
    undelivered = [r for r in referrals if r.is_waiting and r.request_failed]
    failed = {}
    for message in (failed_requests().filter(referral__in=undelivered)
                    .order_by("created_at", "pk").defer("body") if undelivered else ()):
        failed[message.referral_id] = message
    for referral in referrals:
        referral.failed_request = failed.get(referral.pk)
    return {
        "referrals": referrals,
        "overdue": {r.pk for r in referrals if r.is_overdue(now)},
        # A skip is recorded with the referrals it went with: none without referrals.
        "skips": list(CareCoordinatorSkip.objects.filter(signal=signal)
                      .select_related("partner"))
        if any(r.signal_skipped for r in referrals) else [],
        "referable": signal.state in REFERABLE_STATES,
    }


@register.simple_tag
def outbox_trouble() -> dict:
    """For the administrator's page: e-mails that failed, without recipients or contents.

    Counts, and the partners whose requests stopped being retried (a wrong address
    in the directory is a common cause, and the directory is the administrator's).
    """
    failed = OutboxMessage.objects.filter(status=MessageStatus.FAILED)
    stopped = failed.exclude(gave_up_at=None)
    partner_ids = stopped.exclude(referral=None).values_list("referral__partner_id", flat=True)
    return {
        "retrying": failed.filter(gave_up_at=None).count(),
        "stopped": stopped.count(),
        "partners": list(Partner.objects.filter(pk__in=partner_ids).values_list("name",
                                                                                flat=True)),
    }
