from django import template

from schakel.core import clock

from ..actions import REFERABLE_STATES
from ..models import CareCoordinatorSkip, Referral

register = template.Library()


@register.simple_tag
def referral_section(signal) -> dict:
    """The referrals of one signal for its page: two queries, whatever their number."""
    now = clock.now()
    referrals = list(Referral.objects.filter(signal=signal).select_related("partner")
                     .order_by("created_at", "pk"))
    return {
        "referrals": referrals,
        "overdue": {r.pk for r in referrals if r.is_overdue(now)},
        "skips": list(CareCoordinatorSkip.objects.filter(signal=signal).select_related("partner")),
        "referable": signal.state in REFERABLE_STATES,
    }
