"""iCalendar feeds: a user's planned occurrences and meetings, without personal data.

An event says what kind of moment it is (the action's code and title, or the kind
of meeting) and links to the page behind the login; no names, addresses,
attendees, minutes or signal references ever go into a feed.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from schakel.accounts.models import Role
from schakel.core import clock

from .models import Meeting, MeetingKind, Occurrence, OccurrenceStatus

PAST_DAYS = 365
FUTURE_DAYS = 800


def _event(uid, day, summary, url, stamp):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("url", url)
    event.add("description", url)
    event.add("transp", "TRANSPARENT")
    return event


def calendar_for(user, base_url: str) -> bytes:
    now = clock.now()
    today = now.date()
    start, end = today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)
    base = base_url.rstrip("/")
    cal = Calendar()
    cal.add("prodid", "-//Schakel//Actieplan mensenhandel//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Schakel: action plan"))
    occurrences = (Occurrence.objects.visible_to(user).responsible(user)
                   .filter(due__range=(start, end), action__active=True)
                   .exclude(status=OccurrenceStatus.SKIPPED)
                   .select_related("action").order_by("due"))
    for occ in occurrences:
        prefix = _("Check-in") + ": " if occ.check_in else ""
        summary = f"{prefix}{occ.action.code} {occ.action.title}"
        if occ.status == OccurrenceStatus.DONE:
            summary = f"✓ {summary}"
        cal.add_component(_event(f"plan-occurrence-{occ.pk}@schakel", occ.due, summary,
                                 base + reverse("plan:occurrence", args=[occ.pk]), now))
    meetings = Meeting.objects.visible_to(user).filter(date__range=(start, end))
    if user.role != Role.OFFICER:
        meetings = meetings.exclude(kind=MeetingKind.CASE)
    for meeting in meetings.only("id", "kind", "date"):
        cal.add_component(_event(f"plan-meeting-{meeting.pk}@schakel", meeting.date,
                                 str(MeetingKind(meeting.kind).label),
                                 base + reverse("plan:meeting", args=[meeting.pk]), now))
    return cal.to_ical()
