"""Pages answer in a fixed number of queries, whatever the amount of data."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from schakel.plan.models import (
    AgendaItem,
    Campaign,
    Control,
    ControlKind,
    Meeting,
    MeetingKind,
    Training,
)

MAX = 15


def grow(n, employee, officer, make_signal):
    base = date(2026, 1, 1)
    case = Meeting.objects.create(kind=MeetingKind.CASE, date=date(2026, 6, 20))
    for i in range(n):
        Meeting.objects.create(kind=MeetingKind.REGIONAL, date=base + timedelta(days=i))
        control = Control.objects.create(kind=ControlKind.INTEGRAL, date=base, street=f"S{i}",
                                         house_number="1")
        control.participants.add(employee)
        training = Training.objects.create(date=base, topic=f"T{i}", provider="riec")
        training.trained.add(employee)
        Campaign.objects.create(title=f"C{i}", audience="a", channel="c", starts_on=base)
        signal = make_signal(employee, steps=["receive"], officer=officer)
        AgendaItem.objects.create(meeting=case, signal=signal, decision="Besluit")
    return case


@pytest.mark.parametrize("role", ["officer", "policy"])
def test_the_plan_pages_answer_in_a_fixed_number_of_queries(
        role, plan, employee, officer, policy, make_signal, as_user, request,
        django_assert_max_num_queries):
    user = {"officer": officer, "policy": policy}[role]
    client = as_user(user)
    for n in (1, 8):
        case = grow(n, employee, officer, make_signal)
        urls = [reverse("plan:overview"), reverse("plan:meetings"), reverse("plan:controls"),
                reverse("plan:trainings"), reverse("plan:figures"),
                reverse("plan:meeting", args=[case.pk]),
                reverse("plan:action", args=[plan["3.3.1"].pk]),
                reverse("plan:occurrence", args=[plan["3.3.1"].occurrences.first().pk])]
        for url in urls:
            with django_assert_max_num_queries(MAX):
                assert client.get(url).status_code == 200, url


def test_the_signal_section_and_home_page_have_fixed_query_counts(
        plan, employee, officer, policy, make_signal, as_user, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signal = make_signal(employee, steps=["receive"], officer=officer)
    url = reverse("signals:detail", args=[signal.pk])
    client = as_user(officer)
    counts = []
    client.get(url)
    for n in (1, 6):
        for i in range(n):
            meeting = Meeting.objects.create(kind=MeetingKind.CASE,
                                             date=date(2026, 7, 1) + timedelta(days=i))
            AgendaItem.objects.create(meeting=meeting, signal=signal, decision=f"B{i}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]  # the plan's section adds a fixed number
    home = []
    as_user(policy).get(reverse("home"))  # warm up: the first request after login does more
    for n in (1, 5):
        grow(n, employee, officer, make_signal)
        with CaptureQueriesContext(connection) as queries:
            assert as_user(policy).get(reverse("home")).status_code == 200
        home.append(len(queries))
    assert home[0] == home[1]
