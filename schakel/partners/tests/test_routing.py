"""Routing rules: the plan's defaults, and the administrator's edits."""

from django.urls import reverse

from schakel.audit.models import AuditEvent
from schakel.partners.models import Condition, Priority, RoutingRule
from schakel.partners.routing import propose
from schakel.signals.actions import SubjectData


def test_a_labour_signal_is_proposed_to_the_nla_and_the_care_coordinator(received, seeded):
    proposals = propose(received)
    assert set(proposals) == {seeded["nla"].pk, seeded["zorgcoordinator"].pk}
    assert "Arbeidsuitbuiting" in proposals[seeded["nla"].pk].reason_text


def test_an_urgent_signal_is_proposed_to_the_avim_at_once_with_the_advice(
        make_signal, employee, officer, seeded, clock):
    signal = make_signal(employee, steps=["receive"], officer=officer, urgent=True,
                         forms=("sexual",))
    proposals = propose(signal)
    avim = proposals[seeded["avim"].pk]
    assert avim.priority == Priority.IMMEDIATE
    assert any("0900-8844" in a for a in avim.advice)
    assert seeded["nla"].pk not in proposals


def test_the_care_coordinator_is_always_proposed(make_signal, employee, officer, seeded, clock):
    signal = make_signal(employee, steps=["receive"], officer=officer, forms=("other",))
    assert list(propose(signal)) == [seeded["zorgcoordinator"].pk]


def test_a_rule_for_minors_proposes_the_youth_team_only_for_a_minor(
        make_signal, employee, officer, seeded, clock):
    from datetime import date

    RoutingRule.objects.create(condition=Condition.MINOR, partner=seeded["jeugdteam"], order=5)
    adult = make_signal(employee, steps=["receive"], officer=officer)
    minor = make_signal(employee, steps=["receive"], officer=officer, subjects=[
        SubjectData(kind="person", values={"name": "Kind", "capacity": "victim",
                                           "date_of_birth": date(2012, 1, 1)})])
    assert seeded["jeugdteam"].pk not in propose(adult)
    assert seeded["jeugdteam"].pk in propose(minor)


def test_an_inactive_rule_proposes_nothing(received, seeded):
    RoutingRule.objects.filter(partner=seeded["nla"]).update(active=False)
    assert seeded["nla"].pk not in propose(received)


def test_loading_the_defaults_twice_keeps_edits(seeded):
    from schakel.partners.seed import load_defaults

    RoutingRule.objects.filter(code="labour-nla").update(advice="Eigen advies")
    assert load_defaults() == 0
    assert RoutingRule.objects.get(code="labour-nla").advice == "Eigen advies"
    assert RoutingRule.objects.count() == 3


def test_the_admin_adds_a_capacity_rule_and_it_is_logged(client, admin_user, seeded):
    client.force_login(admin_user)
    response = client.post(reverse("partners:rule_new"), {
        "condition": "capacity", "capacity": "landlord",
        "partner": seeded["woningcorporaties"].pk, "priority": "normal", "advice": "",
        "order": 40, "active": "on"})
    assert response.status_code == 302
    rule = RoutingRule.objects.get(partner=seeded["woningcorporaties"])
    assert rule.capacity == "landlord"
    assert AuditEvent.objects.filter(object_type="partners.routingrule",
                                     actor=admin_user).exists()


def test_a_form_rule_without_a_form_is_refused_with_the_input_kept(client, admin_user, seeded):
    client.force_login(admin_user)
    response = client.post(reverse("partners:rule_new"), {
        "condition": "form", "partner": seeded["nla"].pk, "priority": "normal",
        "advice": "Mijn advies", "order": 1})
    assert response.status_code == 200
    assert "Mijn advies" in response.content.decode()
    assert RoutingRule.objects.count() == 3
