"""The local case meeting (step 3): signals by reference only, decisions in the history."""

from datetime import date

import pytest
from django.urls import reverse

from schakel.audit.models import AuditEvent
from schakel.plan.models import AgendaItem, Meeting, MeetingKind
from schakel.signals.models import EventKind

MARKER = "Meldernaam-q7z3-Uniek"


@pytest.fixture
def meeting(db, today):
    return Meeting.objects.create(kind=MeetingKind.CASE, date=date(2026, 6, 20),
                                  attendees="Wijkagenten, ondermijningsspecialist")


@pytest.fixture
def signal(employee, officer, make_signal):
    return make_signal(employee, steps=["receive"], officer=officer, reporter_name=MARKER)


def test_an_officer_puts_a_signal_on_the_agenda_and_records_the_decision(
        meeting, signal, officer, as_user):
    client = as_user(officer)
    response = client.post(reverse("plan:agenda_add", args=[meeting.pk]),
                           {"signal": signal.pk, "question": "Controle?"})
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting, signal=signal)
    assert AuditEvent.objects.filter(object_type="signals.signal", object_id=str(signal.pk),
                                     actor=officer, records__activity="discuss").exists()
    response = client.post(reverse("plan:agenda_decide", args=[item.pk]),
                           {"decision": "Integrale controle plannen."})
    assert response.status_code == 302
    event = signal.events.get(kind=EventKind.DECISION)
    # Only the decision is stored as text; the meeting's line is made in the reader's language.
    assert event.remark == "Integrale controle plannen."
    assert (event.code, event.params) == ("case_meeting_decision", {"date": "2026-06-20"})
    assert event.text == "Lokaal ondermijningsoverleg van 20 juni 2026: Integrale controle plannen."
    assert event.actor == officer
    item.refresh_from_db()
    assert item.decision == "Integrale controle plannen." and item.decided_at


def test_the_agenda_and_minutes_never_show_the_reporter(meeting, signal, officer, policy,
                                                        as_user):
    AgendaItem.objects.create(meeting=meeting, signal=signal, decision="Doorzetten naar NLA.")
    for user in (officer, policy):
        body = as_user(user).get(reverse("plan:meeting", args=[meeting.pk])).content.decode()
        assert signal.reference in body
        assert MARKER not in body and signal.reporter.email not in body
        assert "Piet Test" not in body  # nor any other person of the signal
    for url in (reverse("plan:meetings"), reverse("plan:overview")):
        assert MARKER not in as_user(policy).get(url).content.decode()


def test_policy_sees_references_only_not_the_decisions_or_minutes(meeting, signal, policy,
                                                                  as_user):
    meeting.minutes = "Besproken: casus op de Demostraat."
    meeting.save()
    AgendaItem.objects.create(meeting=meeting, signal=signal, decision="Geheim besluit")
    body = as_user(policy).get(reverse("plan:meeting", args=[meeting.pk])).content.decode()
    assert signal.reference in body
    assert "Geheim besluit" not in body and "Demostraat" not in body
    assert reverse("signals:detail", args=[signal.pk]) not in body


def test_policy_cannot_put_signals_on_the_agenda_or_decide(meeting, signal, policy, as_user):
    item = AgendaItem.objects.create(meeting=meeting, signal=signal)
    client = as_user(policy)
    assert client.post(reverse("plan:agenda_add", args=[meeting.pk]),
                       {"signal": signal.pk}).status_code == 404
    assert client.post(reverse("plan:agenda_decide", args=[item.pk]),
                       {"decision": "x"}).status_code == 404
    assert client.post(reverse("plan:agenda_remove", args=[item.pk])).status_code == 404


def test_a_signal_not_yet_received_cannot_go_on_the_agenda(meeting, employee, officer,
                                                          make_signal, as_user):
    fresh = make_signal(employee)
    response = as_user(officer).post(reverse("plan:agenda_add", args=[meeting.pk]),
                                     {"signal": fresh.pk})
    assert response.status_code == 400 and not AgendaItem.objects.exists()


def test_an_item_with_a_decision_stays_on_the_agenda(meeting, signal, officer, as_user):
    item = AgendaItem.objects.create(meeting=meeting, signal=signal, decision="Besluit")
    as_user(officer).post(reverse("plan:agenda_remove", args=[item.pk]))
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    item.decision = ""
    item.save()
    as_user(officer).post(reverse("plan:agenda_remove", args=[item.pk]))
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_the_signal_page_shows_its_meetings_to_the_officer(meeting, signal, officer, as_user):
    body = as_user(officer).get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "20 juni 2026" in body  # the upcoming meeting to put it on
    as_user(officer).post(reverse("plan:agenda_add", args=[meeting.pk]), {"signal": signal.pk})
    body = as_user(officer).get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert reverse("plan:meeting", args=[meeting.pk]) in body


def test_the_signal_pages_meetings_come_in_one_query_with_their_decisions(
        meeting, signal, officer, employee, make_signal, django_assert_num_queries):
    """Past meetings it was on (with the decision), the upcoming one it is on, and the form
    for the first upcoming case meeting it is not on yet; other meetings never show."""
    from django.template import Context, Template

    past = Meeting.objects.create(kind=MeetingKind.CASE, date=date(2025, 3, 4))
    AgendaItem.objects.create(meeting=past, signal=signal, decision="Besluit-maart-x9")
    later = Meeting.objects.create(kind=MeetingKind.CASE, date=date(2026, 9, 1))
    Meeting.objects.create(kind=MeetingKind.CASE, date=date(2027, 1, 5))
    Meeting.objects.create(kind=MeetingKind.REGIONAL, date=date(2026, 6, 1))
    Meeting.objects.create(kind=MeetingKind.CASE, date=date(2024, 1, 1))  # past, not on it
    another = make_signal(employee, steps=["receive"], officer=officer)
    AgendaItem.objects.create(meeting=meeting, signal=signal)
    other = Meeting.objects.create(kind=MeetingKind.CASE, date=date(2025, 5, 5))
    AgendaItem.objects.create(meeting=other, signal=another, decision="Ander-besluit")
    template = Template("{% load plan_tags %}{% plan_signal_agenda signal %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"signal": signal, "user": officer}))
    assert html.index("4 maart 2025") < html.index("20 juni 2026")
    assert "Besluit-maart-x9" in html and "nog geen besluit" in html
    assert reverse("plan:agenda_add", args=[later.pk]) in html  # the first it is not on
    assert "5 januari 2027" not in html and "1 januari 2024" not in html
    assert reverse("plan:meeting", args=[other.pk]) not in html
    assert "Ander-besluit" not in html


def test_a_regional_meeting_marks_its_occurrence_done_and_takes_police_figures(
        plan, officer, policy, as_user):
    occ = plan["3.3.1"].occurrences.get(key="2026-m09")
    occ.due = date(2026, 6, 9)
    occ.save()
    response = as_user(officer).post(reverse("plan:meeting_new") + "?soort=regional", {
        "date": "2026-06-09", "title": "Regionaal", "location": "", "occurrence": occ.pk,
        "attendees": "RIEC, Politie", "minutes": "Cijfers gedeeld."})
    assert response.status_code == 302
    occ.refresh_from_db()
    assert occ.status == "done" and occ.done_on == date(2026, 6, 9)
    assert occ.participants == "RIEC, Politie" and occ.recorded_by == officer
    meeting = Meeting.objects.get(kind=MeetingKind.REGIONAL)
    response = as_user(policy).post(reverse("plan:figures_new"), {
        "year": 2025, "area": "Basisteam De Copen", "meeting": meeting.pk, "reports": 9,
        "victims": 6, "suspects": 4, "investigations": 2, "sexual": 3, "labour": 4,
        "criminal": 2, "other": 0, "notes": ""})
    assert response.status_code == 302
    figures = meeting.police_figures.get()
    assert (figures.year, figures.victims, figures.recorded_by) == (2025, 6, policy)
    bad = as_user(policy).post(reverse("plan:figures_new"), {"year": 2031, "reports": -1})
    assert bad.status_code == 200 and "error-text" in bad.content.decode()
