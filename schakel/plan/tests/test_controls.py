"""Controls of §3.4: what each kind records, and a finding that starts a signal."""

from datetime import date

import pytest
from django.urls import reverse

from schakel.plan.models import Control, ControlKind
from schakel.signals.models import Signal


@pytest.fixture
def integral(db, today, employee):
    control = Control.objects.create(
        kind=ControlKind.INTEGRAL, date=date(2026, 6, 10), street="Demostraat",
        house_number="7", postcode="3417 ZZ", city="Montfoort",
        partners_present="Politie, NLA", findings="Zes matrassen in één kamer.")
    control.participants.add(employee)
    return control


def test_an_integral_control_marks_its_quarter_done(plan, officer, employee, as_user):
    occ = plan["3.4.3"].occurrences.get(key="2026-p2")
    response = as_user(officer).post(reverse("plan:control_new") + "?soort=integral", {
        "date": "2026-06-10", "occurrence": occ.pk, "street": "Demostraat",
        "house_number": "7", "postcode": "3417zz", "city": "Montfoort",
        "partners_present": "Politie, Belastingdienst, NLA", "findings": "Niets bijzonders.",
        "participants": [employee.pk]})
    assert response.status_code == 302
    control = Control.objects.get()
    assert control.postcode == "3417 ZZ" and control.action == plan["3.4.3"]
    assert control.recorded_by == officer and list(control.participants.all()) == [employee]
    occ.refresh_from_db()
    assert occ.status == "done" and occ.done_on == date(2026, 6, 10)


def test_a_website_check_needs_the_privacy_officers_agreement(plan, officer, as_user):
    url = reverse("plan:control_new") + "?soort=website"
    response = as_user(officer).post(url, {"date": "2026-06-10", "sites": "kinky.nl",
                                           "findings": "x"})
    assert response.status_code == 200 and "privacy officer" in response.content.decode()
    assert "kinky.nl" in response.content.decode()  # input kept
    response = as_user(officer).post(url, {"date": "2026-06-10", "sites": "kinky.nl",
                                           "privacy_agreed": "on",
                                           "privacy_agreed_on": "2026-06-01", "findings": "x"})
    assert response.status_code == 302 and Control.objects.get().privacy_agreed


def test_a_bibob_check_keeps_only_what_the_law_allows(plan, policy, as_user):
    url = reverse("plan:control_new") + "?soort=bibob"
    form_page = as_user(policy).get(url).content.decode()
    for absent in ('name="findings"', 'name="street"', 'name="participants"'):
        assert absent not in form_page
    response = as_user(policy).post(url, {
        "date": "2026-06-10", "application_reference": "HV-2026-12", "permit_type": "Exploitatie",
        "bibob_outcome": "no_risk", "findings": "Naam aanvrager Jansen", "street": "Geheim"})
    assert response.status_code == 302
    control = Control.objects.get()
    assert (control.findings, control.street) == ("", "")
    assert control.application_reference == "HV-2026-12"


def test_a_finding_starts_a_signal_with_what_is_known(integral, employee, as_user):
    client = as_user(employee)
    body = client.get(reverse("plan:control", args=[integral.pk])).content.decode()
    assert f"?control={integral.pk}" in body
    body = client.get(reverse("signals:intake") + f"?control={integral.pk}").content.decode()
    assert "Zes matrassen in één kamer." in body
    assert 'value="Demostraat"' in body and 'value="3417 ZZ"' in body
    assert 'value="2026-06-10"' in body


def test_someone_who_did_not_take_part_cannot_prefill_from_the_control(integral, colleague,
                                                                        as_user):
    response = as_user(colleague).get(reverse("signals:intake") + f"?control={integral.pk}")
    assert response.status_code == 404
    response = as_user(colleague).get(reverse("signals:intake") + "?control=abc")
    assert response.status_code == 404


def test_the_prefilled_signal_is_filed_through_the_route(integral, employee, as_user):
    from schakel.plan.hooks import signal_initial_from_control

    known = signal_initial_from_control(employee, integral.pk)
    assert known["addresses"][0]["house_number"] == "7"
    assert known["form"]["observed_on"] == "2026-06-10"
    assert not Signal.objects.exists()  # pre-filling files nothing


def test_a_control_without_a_planned_moment_still_counts_for_its_action(plan, officer, as_user):
    response = as_user(officer).post(reverse("plan:control_new") + "?soort=horeca", {
        "date": "2026-06-10", "establishment": "Café Voorbeeld", "findings": "In orde."})
    assert response.status_code == 302
    assert Control.objects.get().action == plan["3.4.5"]
