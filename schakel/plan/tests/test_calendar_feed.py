"""The calendar feed: behind a secret, revocable address, and without personal data."""

from datetime import date

import pytest
from django.urls import reverse
from icalendar import Calendar

from schakel.plan.models import AgendaItem, CalendarFeed, Meeting, MeetingKind

MARKER = "Feedmelder-k2p9"


@pytest.fixture
def feed_url(plan, officer, as_user):
    as_user(officer).post(reverse("plan:feed_settings"), {"do": "renew"})
    return reverse("plan:feed", args=[CalendarFeed.objects.get(user=officer).token])


def test_the_feed_holds_the_users_occurrences_and_meetings(feed_url, officer, client):
    Meeting.objects.create(kind=MeetingKind.REGIONAL, date=date(2026, 9, 8),
                           location="Stadhuis", attendees="RIEC")
    client.logout()
    response = client.get(feed_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert any("3.3.1 Regionale bijeenkomsten mensenhandel" in s for s in summaries)
    assert "Regionale bijeenkomst" in summaries
    # Policy's actions are not the officer's.
    assert not any("3.5.1" in s for s in summaries)


def test_the_feed_holds_no_personal_data(feed_url, officer, employee, make_signal, client):
    signal = make_signal(employee, steps=["receive"], officer=officer, reporter_name=MARKER)
    meeting = Meeting.objects.create(kind=MeetingKind.CASE, date=date(2026, 6, 20),
                                     title=f"Overleg over {MARKER}", location="Demostraat 1",
                                     attendees="Jan Wijkagent", minutes=MARKER)
    AgendaItem.objects.create(meeting=meeting, signal=signal, decision=MARKER)
    body = client.get(feed_url).content.decode()
    for secret in (MARKER, "Demostraat", "Jan Wijkagent", signal.reference, officer.username,
                   officer.last_name, officer.email):
        assert secret not in body, secret
    assert "Lokaal ondermijningsoverleg" in body or "Local case meeting" in body


def test_a_revoked_address_stops_working(feed_url, officer, as_user, client):
    assert client.get(feed_url).status_code == 200
    as_user(officer).post(reverse("plan:feed_settings"), {"do": "revoke"})
    client.logout()
    assert client.get(feed_url).status_code == 404
    assert not CalendarFeed.objects.filter(user=officer).exists()


def test_a_new_address_replaces_the_old_one(feed_url, officer, as_user, client):
    as_user(officer).post(reverse("plan:feed_settings"), {"do": "renew"})
    new_url = reverse("plan:feed", args=[CalendarFeed.objects.get(user=officer).token])
    client.logout()
    assert new_url != feed_url
    assert client.get(feed_url).status_code == 404 and client.get(new_url).status_code == 200


def test_a_deactivated_user_or_a_guessed_token_gets_nothing(feed_url, officer, client):
    assert client.get(reverse("plan:feed", args=["raden"])).status_code == 404
    officer.is_active = False
    officer.save()
    assert client.get(feed_url).status_code == 404


def test_the_token_is_long_and_random(db):
    tokens = {CalendarFeed.new_token() for _ in range(50)}
    assert len(tokens) == 50 and all(len(t) >= 40 for t in tokens)


def test_policy_does_not_see_case_meetings_in_its_feed(plan, policy, as_user, client):
    as_user(policy).post(reverse("plan:feed_settings"), {"do": "renew"})
    Meeting.objects.create(kind=MeetingKind.CASE, date=date(2026, 6, 20))
    url = reverse("plan:feed", args=[CalendarFeed.objects.get(user=policy).token])
    body = client.get(url).content.decode()
    assert "plan-meeting-" not in body and "3.5.1" in body


def test_the_first_address_does_not_speak_of_an_old_one_but_a_renewal_does(
        plan, officer, as_user):
    client = as_user(officer)
    first = client.post(reverse("plan:feed_settings"), {"do": "renew"}, follow=True)
    text = first.content.decode()
    assert "Uw agenda-adres is gemaakt" in text and "werkt niet meer" not in text
    again = client.post(reverse("plan:feed_settings"), {"do": "renew"}, follow=True)
    assert "werkt niet meer" in again.content.decode()
