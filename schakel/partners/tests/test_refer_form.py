"""The referral form guides: proposed partners first and pre-ticked, the rest folded, a
summary per partner before sending, and the partner's feedback on the signal page."""

import re

import pytest
from django.urls import reverse

from schakel.partners import actions
from schakel.partners.models import Part, Referral
from schakel.signals.actions import SubjectData


@pytest.fixture
def two_involved(make_signal, employee, officer, clock):
    """A labour signal with a presumed victim and a presumed perpetrator."""
    return make_signal(employee, steps=["receive"], officer=officer, forms=("labour",),
                       subjects=[SubjectData(kind="person", values={
                                     "name": "Slachtoffer Sanne", "capacity": "victim"}),
                                 SubjectData(kind="person", values={
                                     "name": "Dader Dirk", "capacity": "perpetrator"})])


def _page(client, officer, signal, data=None):
    client.force_login(officer)
    url = reverse("partners:refer", args=[signal.pk])
    return (client.post(url, data) if data is not None else client.get(url)).content.decode()


def _fieldset(html, partner):
    start = html.index(f"<legend>{partner.name}")
    end = html.find('<fieldset class="partner-choice', start)
    return html[start:end if end != -1 else len(html)]


def test_proposed_partners_come_first_and_the_others_are_folded(
        client, officer, two_involved, seeded):
    html = _page(client, officer, two_involved)
    folded = html[html.index('<details class="other-partners"'):]
    opening = folded[:folded.index(">")]
    assert "open" not in opening
    for code in ("nla", "zorgcoordinator"):
        assert seeded[code].name + " · voorgesteld" in html[:html.index("other-partners")]
    assert f"<legend>{seeded['ggd'].name}" in folded
    assert "Andere ketenpartners" in folded


def test_a_proposed_partner_starts_with_the_whole_signal_and_who_it_needs(
        client, officer, two_involved, seeded):
    html = _page(client, officer, two_involved)
    victim, perpetrator = two_involved.subjects.order_by("id")

    def ticked(fieldset, name, value):
        return re.search(rf'<input[^>]*name="{name}"[^>]*value="{value}"[^>]*checked', fieldset)

    nla, care = seeded["nla"], seeded["zorgcoordinator"]
    nla_box, care_box = _fieldset(html, nla), _fieldset(html, care)
    for part in Part.values:
        assert ticked(nla_box, f"p{nla.pk}-parts", part)
    assert ticked(nla_box, f"p{nla.pk}-subjects", victim.pk)
    assert ticked(nla_box, f"p{nla.pk}-subjects", perpetrator.pk)
    assert ticked(care_box, f"p{care.pk}-subjects", victim.pk)
    assert not ticked(care_box, f"p{care.pk}-subjects", perpetrator.pk)
    ggd_box = _fieldset(html, seeded["ggd"])
    assert not ticked(ggd_box, f"p{seeded['ggd'].pk}-include", "on")
    assert not ticked(ggd_box, f"p{seeded['ggd'].pk}-subjects", victim.pk)


def test_checking_shows_per_partner_exactly_what_it_receives_and_sends_nothing(
        client, officer, two_involved, seeded):
    nla, care = seeded["nla"], seeded["zorgcoordinator"]
    victim, _perpetrator = two_involved.subjects.order_by("id")
    html = _page(client, officer, two_involved, {
        f"p{nla.pk}-include": "on", f"p{nla.pk}-parts": ["forms"],
        f"p{nla.pk}-subjects": [str(victim.pk)], f"p{nla.pk}-message": "Graag contact",
        f"p{care.pk}-include": "on", f"p{care.pk}-parts": ["urgency", "background"],
        "do": "preview"})
    assert not Referral.objects.exists()
    preview = html[html.index('id="h-preview"'):html.index("</section>", html.index("h-preview"))]
    nla_part = preview[preview.index(nla.name):preview.index(care.name)]
    care_part = preview[preview.index(care.name):]
    assert "Vorm(en) van uitbuiting" in nla_part and "Slachtoffer Sanne" in nla_part
    assert "Graag contact" in nla_part and "Achtergrond" not in nla_part
    assert "Urgentie" in care_part and "Achtergrond" in care_part
    assert "Slachtoffer Sanne" not in care_part and "Dader Dirk" not in preview
    assert "Doorverwijzingen versturen" in html


def test_the_page_without_a_check_offers_no_send_button_but_the_check(
        client, officer, two_involved, seeded):
    html = _page(client, officer, two_involved)
    assert "Doorverwijzingen versturen" not in html
    assert "Controleren wat elke partner ontvangt" in html


def test_the_partners_feedback_text_shows_on_the_signal_page(
        client, officer, received, send_to):
    [referral] = send_to(received, "zorgcoordinator")
    actions.referral_record_feedback(referral=referral, actor=officer, outcome="care",
                                     text="Cliënt is in zorg genomen, 7Q.", channel="phone")
    client.force_login(officer)
    html = client.get(reverse("signals:detail", args=[received.pk])).content.decode()
    assert "Cliënt is in zorg genomen, 7Q." in html


@pytest.mark.parametrize("role", ["employee", "team_lead"])
def test_the_feedback_text_is_not_shown_to_the_reporter_or_team_lead(
        client, request, officer, received, send_to, role):
    [referral] = send_to(received, "zorgcoordinator")
    actions.referral_record_feedback(referral=referral, actor=officer, outcome="care",
                                     text="Cliënt is in zorg genomen, 7Q.", channel="phone")
    client.force_login(request.getfixturevalue(role))
    html = client.get(reverse("signals:detail", args=[received.pk])).content.decode()
    assert "7Q." not in html
