from django import template

from schakel.core import clock

from ..actions import overdue_for
from ..models import PLAN_ROLES, AgendaItem, Meeting, MeetingKind

register = template.Library()


@register.inclusion_tag("plan/_overdue_list.html")
def plan_overdue(user):
    """The overdue occurrences this user answers for (one query)."""
    if not user.is_authenticated or user.role not in PLAN_ROLES:
        return {"items": [], "show": False}
    return {"items": list(overdue_for(user)[:20]), "show": True}


@register.inclusion_tag("plan/_signal_agenda.html", takes_context=True)
def plan_signal_agenda(context, signal):
    """The signal's place on case meetings, and a form to put it on an upcoming one (2 queries)."""
    user = context["user"]
    items = list(AgendaItem.objects.filter(signal=signal).select_related("meeting")
                 .order_by("meeting__date"))
    upcoming = list(Meeting.objects.filter(kind=MeetingKind.CASE,
                                           date__gte=clock.now().date())
                    .exclude(items__signal=signal).order_by("date")[:5])
    return {"items": items, "upcoming": upcoming, "signal": signal, "user": user,
            "csrf_token": context.get("csrf_token")}
