"""Trainings, campaigns and the training coverage of the teams with client contact."""

from datetime import date

import pytest
from django.urls import reverse

from schakel.accounts.models import Team
from schakel.plan.coverage import coverage
from schakel.plan.models import Campaign, Training


@pytest.fixture
def teams(db):
    Team.objects.update_or_create(name="Burgerzaken", defaults={"client_contact": True})
    Team.objects.update_or_create(name="Sociaal Team", defaults={"client_contact": True})


def test_recording_a_training_marks_the_planned_one_done(plan, policy, employee, as_user):
    from schakel.signals.models import ExploitationForm

    occ = plan["3.1.1"].occurrences.first()
    labour = ExploitationForm.objects.get(code="labour")
    response = as_user(policy).post(reverse("plan:training_new"), {
        "date": "2026-04-15", "topic": "Signalen herkennen", "forms": [labour.pk],
        "provider": "comensha", "teams": [employee.team_id], "participant_count": 12,
        "trained": [employee.pk], "occurrence": occ.pk, "notes": ""})
    assert response.status_code == 302
    training = Training.objects.get()
    assert training.recorded_by == policy and list(training.trained.all()) == [employee]
    occ.refresh_from_db()
    assert occ.status == "done" and occ.participants == "12 deelnemers"


def test_a_training_with_another_provider_names_it(plan, policy, as_user):
    response = as_user(policy).post(reverse("plan:training_new"), {
        "date": "2026-04-15", "topic": "T", "provider": "other", "participant_count": 1})
    assert response.status_code == 200 and "Noem de aanbieder" in response.content.decode()
    assert not Training.objects.exists()


def test_recording_a_campaign(plan, policy, as_user):
    response = as_user(policy).post(reverse("plan:campaign_new"), {
        "title": "Meld Misdaad Anoniem", "audience": "Inwoners", "channel": "Social media",
        "starts_on": "2026-05-01", "ends_on": "2026-04-01"})
    assert response.status_code == 200 and not Campaign.objects.exists()
    response = as_user(policy).post(reverse("plan:campaign_new"), {
        "title": "Meld Misdaad Anoniem", "audience": "Inwoners", "channel": "Social media",
        "starts_on": "2026-05-01", "ends_on": "2026-05-31"})
    assert response.status_code == 302 and Campaign.objects.get().recorded_by == policy


def test_coverage_counts_who_was_trained_in_the_last_two_years(teams, make_user, today):
    fresh = make_user("employee", team="Burgerzaken")
    stale = make_user("employee", team="Burgerzaken")
    never = make_user("employee", team="Sociaal Team")
    make_user("officer", team="Openbare Orde en Veiligheid")  # no client contact: not counted
    recent = Training.objects.create(date=date(2025, 1, 10), topic="A", provider="riec")
    recent.trained.add(fresh)
    old = Training.objects.create(date=date(2024, 6, 1), topic="B", provider="riec")
    old.trained.add(stale)
    result = coverage(today)
    rows = {r["team"].name: r for r in result["rows"]}
    assert (rows["Burgerzaken"]["trained"], rows["Burgerzaken"]["total"]) == (1, 2)
    assert (rows["Sociaal Team"]["trained"], rows["Sociaal Team"]["total"]) == (0, 1)
    assert (result["trained_total"], result["total"], result["percent"]) == (1, 3, 33)
    assert never in rows["Sociaal Team"]["people"]


def test_the_coverage_page_answers_in_a_fixed_number_of_queries(
        teams, make_user, policy, as_user, django_assert_max_num_queries, today):
    client = as_user(policy)
    for _ in range(3):
        user = make_user("employee", team="Burgerzaken")
        Training.objects.create(date=date(2026, 1, 1), topic="X", provider="riec").trained.add(user)
    with django_assert_max_num_queries(12):
        small = client.get(reverse("plan:coverage"))
    for _ in range(20):
        make_user("employee", team="Sociaal Team")
    with django_assert_max_num_queries(12):
        big = client.get(reverse("plan:coverage"))
    assert small.status_code == big.status_code == 200
