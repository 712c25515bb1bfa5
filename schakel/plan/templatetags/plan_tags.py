from django import template
from django.db.models import F, FilteredRelation, Q

from schakel.core import clock
from schakel.core.prepared import Prepared

from ..actions import overdue_for
from ..models import Meeting, MeetingKind, takes_part_in_plan

register = template.Library()


@register.inclusion_tag("plan/_overdue_list.html")
def plan_overdue(user):
    """The overdue occurrences this user answers for (one query)."""
    if not takes_part_in_plan(user):
        return {"items": [], "show": False}
    return {"items": overdue_for(user, 20), "show": True}


# Built once (`Prepared`): the query of every signal page an officer opens.
_AGENDA = Prepared(lambda signal_id, today: Meeting.objects.annotate(
    item=FilteredRelation("items", condition=Q(items__signal_id=signal_id)))
    .filter(Q(item__isnull=False) | Q(kind=MeetingKind.CASE, date__gte=today))
    .annotate(item_pk=F("item__id"), decision=F("item__decision"))
    .only("id", "date").order_by("date", "id"))


@register.inclusion_tag("plan/_signal_agenda.html", takes_context=True)
def plan_signal_agenda(context, signal):
    """The signal's place on case meetings, and a form to put it on the first upcoming
    one it is not on yet: one query for both, the meetings it is on (with their item's
    decision) and the upcoming case meetings, in date order."""
    user = context["user"]
    meetings = _AGENDA(signal.pk, clock.now().date())
    return {"items": [m for m in meetings if m.item_pk is not None],
            "upcoming": [m for m in meetings if m.item_pk is None][:1],
            "signal": signal, "user": user, "csrf_token": context.get("csrf_token")}
