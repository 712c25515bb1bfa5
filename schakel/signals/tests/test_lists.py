"""The lists: work queue (officers), my signals, my team's signals; with query bounds."""

import pytest
from django.urls import reverse

from schakel.signals.models import Signal
from schakel.signals.workflow import State

QUEUE = reverse("signals:queue")


@pytest.mark.django_db
@pytest.mark.parametrize("url,allowed", [
    ("signals:queue", {"officer"}),
    ("signals:mine", {"employee", "team_lead", "officer"}),
    ("signals:team", {"team_lead"}),
])
@pytest.mark.parametrize("role", ["employee", "team_lead", "officer", "policy", "admin"])
def test_each_list_answers_only_its_roles(client, make_user, url, allowed, role):
    client.force_login(make_user(role))
    assert client.get(reverse(url)).status_code == (200 if role in allowed else 404)


@pytest.mark.django_db
def test_the_queue_shows_new_signals_urgent_first(client, officer, employee, make_signal):
    calm = make_signal(employee)
    urgent = make_signal(employee, urgent=True)
    client.force_login(officer)
    html = client.get(QUEUE).content.decode()
    assert html.index(urgent.reference) < html.index(calm.reference)


@pytest.mark.django_db
def test_the_queue_filters_by_tab_state_form_and_urgency(client, officer, officer2, employee,
                                                         make_signal):
    new = make_signal(employee, forms=("sexual",))
    mine = make_signal(employee, steps=["receive"], officer=officer, urgent=True)
    theirs = make_signal(employee, steps=["receive"], officer=officer2)
    client.force_login(officer)

    def refs(**params):
        html = client.get(QUEUE, params).content.decode()
        return {s.reference for s in (new, mine, theirs) if s.reference in html}

    assert refs() == {new.reference}
    assert refs(tab="mine") == {mine.reference}
    assert refs(tab="all") == {new.reference, mine.reference, theirs.reference}
    assert refs(tab="all", state="received") == {mine.reference, theirs.reference}
    assert refs(tab="all", form="sexual") == {new.reference}
    assert refs(tab="all", urgent="yes") == {mine.reference}
    assert refs(tab="all", urgent="no") == {new.reference, theirs.reference}
    assert refs(tab="all", sort="reference") == {new.reference, mine.reference,
                                                 theirs.reference}
    # The officer column names each officer (read with the row: name columns only).
    html = client.get(QUEUE, {"tab": "all"}).content.decode()
    assert officer.display_name in html and officer2.display_name in html


@pytest.mark.django_db
def test_a_queue_row_names_its_forms_of_exploitation_in_their_order_and_language(
        client, settings, officer, employee, make_signal):
    from schakel.signals.models import ExploitationForm

    signal = make_signal(employee, forms=("labour", "sexual"))
    make_signal(employee)  # without forms: an empty cell, not an error
    first, second = sorted(ExploitationForm.objects.filter(code__in=("labour", "sexual")),
                           key=lambda f: f.order)
    client.force_login(officer)
    row = client.get(QUEUE).content.decode().split(signal.reference)[1].split("</tr>")[0]
    assert f"{first.name_nl}, {second.name_nl}" in row
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    row = client.get(QUEUE).content.decode().split(signal.reference)[1].split("</tr>")[0]
    assert f"{first.name_en}, {second.name_en}" in row


@pytest.mark.django_db
def test_nonsense_filters_are_ignored_not_an_error(client, officer, employee, make_signal):
    make_signal(employee)
    client.force_login(officer)
    for params in ({"state": "x"}, {"form": "'; drop"}, {"page": "-3"}, {"sort": "?"},
                   {"tab": "\x00"}, {"page": "99999"}):
        assert client.get(QUEUE, params).status_code == 200


@pytest.mark.django_db
def test_my_signals_lists_only_my_own(client, employee, colleague, make_signal):
    mine = make_signal(employee)
    other = make_signal(colleague)
    client.force_login(employee)
    html = client.get(reverse("signals:mine")).content.decode()
    assert mine.reference in html and other.reference not in html


@pytest.mark.django_db
def test_a_team_lead_lists_the_team_but_not_other_teams(client, team_lead, employee,
                                                       make_user, make_signal):
    ours = make_signal(employee)
    theirs = make_signal(make_user("employee", team="Sociaal Team"))
    client.force_login(team_lead)
    html = client.get(reverse("signals:team")).content.decode()
    assert ours.reference in html and theirs.reference not in html


def _count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 30])
def test_pages_answer_in_a_fixed_number_of_queries(client, officer, employee, team_lead,
                                                   make_signal, n,
                                                   django_assert_max_num_queries):
    signals = [make_signal(employee, steps=["receive"], officer=officer) for _ in range(n)]
    for s in signals[:3]:
        from schakel.signals import actions

        actions.signal_add_note(signal=s, actor=officer, text="notitie")
    client.force_login(officer)
    # 15: the page's ids are read first (bounded_page), then its rows.
    _count_queries(client, QUEUE + "?tab=all", django_assert_max_num_queries, 15)
    _count_queries(client, reverse("signals:detail", args=[signals[0].pk]),
                   django_assert_max_num_queries, 30)
    client.force_login(employee)
    _count_queries(client, reverse("signals:mine"), django_assert_max_num_queries, 9)
    _count_queries(client, reverse("signals:detail", args=[signals[0].pk]),
                   django_assert_max_num_queries, 30)
    client.force_login(team_lead)
    _count_queries(client, reverse("signals:team"), django_assert_max_num_queries, 9)


@pytest.mark.django_db
def test_the_queue_tells_what_to_chase(client, officer, employee, make_signal, monkeypatch):
    from datetime import timedelta

    from schakel.core import clock
    from schakel.partners.models import Partner, Referral

    waiting = make_signal(employee, steps=["receive", "refer"], officer=officer)
    partner = Partner.objects.create(name="Testpartner", email="t@demo.schakel.invalid")
    Referral.objects.create(signal=waiting, partner=partner, state="sent",
                            created_at=clock.now(), sent_at=clock.now(),
                            due_at=clock.now() - timedelta(days=1))
    make_signal(employee, steps=["receive", "refer", "settle"], officer=officer)
    client.force_login(officer)
    html = client.get(QUEUE).content.decode()
    assert "1 doorverwijzing wacht te lang op terugkoppeling" in html
    assert "1 signaal heeft alle terugkoppeling: informeer de melder." in html


@pytest.mark.django_db
def test_a_rows_status_badge_is_the_markup_of_the_status_template(officer, employee,
                                                                   make_signal):
    from django.template.loader import render_to_string
    from django.utils import translation

    from schakel.signals.templatetags.signal_tags import state_badge

    signal = make_signal(employee, steps=["receive"], officer=officer)
    for language in ("nl", "en"):
        with translation.override(language):
            assert state_badge(signal) == render_to_string(
                "signals/_state.html", {"signal": signal}).strip()


def test_submitted_visible_to_is_visible_to_without_drafts_for_every_role(
        officer, officer2, employee, colleague, team_lead, policy, make_signal):
    """The queue's shortcut for officers (no subquery for their own drafts) leaves each
    role exactly the submitted signals `visible_to` gives it."""
    make_signal(employee)
    make_signal(colleague)
    make_signal(employee, actor=team_lead)
    make_signal(officer, submit=False)  # an officer's own draft
    make_signal(officer2, submit=False)  # another officer's draft
    make_signal(employee, submit=False)
    assert Signal.objects.filter(state=State.DRAFT).count() == 3
    for user in (officer, officer2, employee, colleague, team_lead, policy):
        expected = set(Signal.objects.visible_to(user).exclude(state=State.DRAFT)
                       .values_list("pk", flat=True))
        assert set(Signal.objects.submitted_visible_to(user)
                   .values_list("pk", flat=True)) == expected, user.role
    assert Signal.objects.submitted_visible_to(officer).count() == 3


def test_get_signal_for_finds_what_visible_to_allows_and_submitted_ones_in_one_query(
        officer, officer2, employee, make_signal, django_assert_num_queries):
    from django.http import Http404

    from schakel.signals.access import Access, get_signal_for

    submitted = make_signal(employee)
    own_draft = make_signal(officer, submit=False)
    other_draft = make_signal(officer2, submit=False)
    with django_assert_num_queries(1):
        assert get_signal_for(officer, submitted.pk) == (submitted, Access.FULL)
    assert get_signal_for(officer, own_draft.pk) == (own_draft, Access.OWN)
    for pk in (other_draft.pk, 10**9):
        with pytest.raises(Http404):
            get_signal_for(officer, pk)
    assert get_signal_for(employee, submitted.pk)[1] == Access.OWN
    with pytest.raises(Http404):
        get_signal_for(employee, own_draft.pk)
