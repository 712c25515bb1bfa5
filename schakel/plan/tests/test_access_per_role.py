"""Every page of the plan, per role: officer and policy in, everyone else gets a 404."""

from datetime import date

import pytest
from django.urls import reverse

from schakel.plan.models import (
    Campaign,
    Control,
    ControlKind,
    Meeting,
    MeetingKind,
    PoliceFigures,
    Training,
)

OUTSIDERS = ["employee", "team_lead", "admin_user"]


@pytest.fixture
def records(plan, officer):
    occ = plan["3.3.1"].occurrences.first()
    return {
        "action": plan["3.3.1"], "occ": occ,
        "regional": Meeting.objects.create(kind=MeetingKind.REGIONAL, date=date(2026, 5, 12)),
        "case": Meeting.objects.create(kind=MeetingKind.CASE, date=date(2026, 6, 20)),
        "control": Control.objects.create(kind=ControlKind.INTEGRAL, date=date(2026, 6, 1),
                                          street="Demostraat", house_number="1"),
        "bibob": Control.objects.create(kind=ControlKind.BIBOB, date=date(2026, 6, 1),
                                        application_reference="HV-1", permit_type="Horeca",
                                        bibob_outcome="no_risk"),
        "training": Training.objects.create(date=date(2026, 3, 1), topic="T", provider="riec"),
        "campaign": Campaign.objects.create(title="C", audience="A", channel="K",
                                            starts_on=date(2026, 1, 1)),
        "figures": PoliceFigures.objects.create(year=2025),
    }


def pages(r):
    return [
        reverse("plan:overview"), reverse("plan:action", args=[r["action"].pk]),
        reverse("plan:export"), reverse("plan:occurrence", args=[r["occ"].pk]),
        reverse("plan:meetings"), reverse("plan:meeting", args=[r["regional"].pk]),
        reverse("plan:meeting", args=[r["case"].pk]),
        reverse("plan:meeting_edit", args=[r["regional"].pk]),
        reverse("plan:meeting_new") + "?soort=regional",
        reverse("plan:meeting_new") + "?soort=partner",
        reverse("plan:figures"), reverse("plan:figures_new"),
        reverse("plan:figures_edit", args=[r["figures"].pk]),
        reverse("plan:controls"), reverse("plan:control", args=[r["control"].pk]),
        reverse("plan:control", args=[r["bibob"].pk]),
        reverse("plan:control_edit", args=[r["control"].pk]),
        *[reverse("plan:control_new") + f"?soort={k}" for k in ControlKind.values],
        reverse("plan:trainings"), reverse("plan:training_new"),
        reverse("plan:training_edit", args=[r["training"].pk]), reverse("plan:coverage"),
        reverse("plan:campaign_new"), reverse("plan:campaign_edit", args=[r["campaign"].pk]),
        reverse("plan:feed_settings"),
    ]


POLICY_ONLY = ["plan:action_new", "plan:import", "plan:pillar_new"]


@pytest.mark.parametrize("role", ["officer", "policy"])
def test_officer_and_policy_reach_every_page(role, records, as_user, request):
    client = as_user(request.getfixturevalue(role))
    for url in pages(records):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", OUTSIDERS)
def test_everyone_else_gets_a_404_everywhere(role, records, as_user, request):
    client = as_user(request.getfixturevalue(role))
    urls = pages(records) + [reverse(n) for n in POLICY_ONLY] + [
        reverse("plan:action_edit", args=[records["action"].pk])]
    for url in urls:
        if url == reverse("plan:controls") and role != "admin_user":
            continue  # their own controls: an empty list (see below)
        assert client.get(url).status_code == 404, url
    for name in ("plan:occurrence_done", "plan:occurrence_skip", "plan:occurrence_reopen"):
        assert client.post(reverse(name, args=[records["occ"].pk])).status_code == 404


def test_logged_out_users_go_to_the_login(records, client):
    response = client.get(reverse("plan:overview"))
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_only_policy_edits_and_imports_the_plan(records, officer, policy, as_user):
    urls = [reverse(n) for n in POLICY_ONLY] + [
        reverse("plan:action_edit", args=[records["action"].pk]),
        reverse("plan:pillar_edit", args=[records["action"].pillar_id])]
    client = as_user(officer)
    for url in urls:
        assert client.get(url).status_code == 404, url
    client = as_user(policy)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_only_officers_plan_a_case_meeting(records, officer, policy, as_user):
    url = reverse("plan:meeting_new") + "?soort=case"
    assert as_user(policy).get(url).status_code == 404
    assert as_user(officer).get(url).status_code == 200
    edit = reverse("plan:meeting_edit", args=[records["case"].pk])
    assert as_user(policy).get(edit).status_code == 404


def test_a_colleague_who_took_part_sees_the_control_but_never_a_bibob_check(
        records, employee, colleague, as_user):
    records["control"].participants.add(employee)
    records["bibob"].participants.add(employee)
    client = as_user(employee)
    assert client.get(reverse("plan:control", args=[records["control"].pk])).status_code == 200
    assert client.get(reverse("plan:control", args=[records["bibob"].pk])).status_code == 404
    assert client.get(reverse("plan:control_edit",
                              args=[records["control"].pk])).status_code == 404
    listing = client.get(reverse("plan:controls"))
    assert listing.status_code == 200 and "Demostraat" in listing.content.decode()
    other = as_user(colleague)
    assert other.get(reverse("plan:control", args=[records["control"].pk])).status_code == 404


def test_an_unknown_kind_is_a_404(records, officer, as_user):
    client = as_user(officer)
    assert client.get(reverse("plan:control_new") + "?soort=x").status_code == 404
    assert client.get(reverse("plan:meeting_new") + "?soort=x").status_code == 404


@pytest.mark.parametrize("role", OUTSIDERS)
def test_everyone_else_gets_a_404_on_every_form_post(role, records, officer, employee,
                                                     make_signal, as_user, request):
    from schakel.plan.models import AgendaItem, Attachment

    signal = make_signal(employee, steps=["receive"], officer=officer)
    item = AgendaItem.objects.create(meeting=records["case"], signal=signal)
    attachment = Attachment.objects.create(occurrence=records["occ"], name="a.pdf",
                                           content_type="application/pdf", size=1,
                                           file="plan/x")
    posts = [
        reverse("plan:occurrence_due", args=[records["occ"].pk]),
        reverse("plan:occurrence_upload", args=[records["occ"].pk]),
        reverse("plan:meeting_upload", args=[records["regional"].pk]),
        reverse("plan:control_upload", args=[records["control"].pk]),
        reverse("plan:training_upload", args=[records["training"].pk]),
        reverse("plan:attachment_delete", args=[attachment.pk]),
        reverse("plan:agenda_add", args=[records["case"].pk]),
        reverse("plan:agenda_decide", args=[item.pk]),
        reverse("plan:agenda_remove", args=[item.pk]),
        reverse("plan:feed_settings"), reverse("plan:import"), reverse("plan:action_new"),
        reverse("plan:pillar_new"), reverse("plan:figures_new"),
        reverse("plan:training_new"), reverse("plan:campaign_new"),
        reverse("plan:control_new") + "?soort=integral",
        reverse("plan:meeting_new") + "?soort=regional",
    ]
    client = as_user(request.getfixturevalue(role))
    for url in posts:
        assert client.post(url, {"decision": "x", "do": "renew"}).status_code == 404, url
    assert client.get(reverse("plan:attachment", args=[attachment.pk])).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert not item.__class__.objects.get(pk=item.pk).decision
