"""Who sees what on the signal pages: one access test per view and role."""

import pytest
from django.urls import reverse

from schakel.audit.models import ProcessingRecord

REPORTER = "Rinske Geheimnaam-7f3a"


@pytest.fixture
def submitted(employee, make_signal):
    return make_signal(employee, reporter_name=REPORTER)


@pytest.fixture
def received(employee, officer, make_signal):
    return make_signal(employee, steps=["receive"], officer=officer, reporter_name=REPORTER)


def _get(client, user, signal):
    client.force_login(user)
    return client.get(reverse("signals:detail", args=[signal.pk]))


@pytest.mark.django_db
def test_an_officer_sees_everything_including_the_reporter_and_the_view_is_logged(
        client, officer, received):
    response = _get(client, officer, received)
    html = response.content.decode()
    assert response.status_code == 200
    assert REPORTER in html and "Piet Test" in html and "Vier mannen" in html
    assert "Melder (vertrouwelijk" in html
    records = ProcessingRecord.objects.filter(
        audit__actor=officer, activity="view", audit__object_id=str(received.pk))
    assert {r.data_subject for r in records} == set(received.data_subject_ids())


@pytest.mark.django_db
def test_the_reporter_sees_what_they_sent_and_the_status_but_not_officer_notes(
        client, employee, officer, received):
    from schakel.signals import actions

    actions.signal_add_note(signal=received, actor=officer, text="Interne notitie AF-9")
    response = _get(client, employee, received)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vier mannen" in html and "Ontvangen" in html
    assert "Interne notitie AF-9" not in html
    assert REPORTER not in html


@pytest.mark.django_db
def test_a_team_lead_sees_the_content_until_it_is_received(client, team_lead, submitted):
    html = _get(client, team_lead, submitted).content.decode()
    assert "Vier mannen" in html and REPORTER not in html


@pytest.mark.django_db
def test_a_team_lead_sees_only_the_status_once_it_is_received(client, team_lead, received):
    response = _get(client, team_lead, received)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vier mannen" not in html and "Piet Test" not in html and REPORTER not in html
    assert "alleen nog de status" in html


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["colleague", "other_team_lead", "policy", "admin_user"])
def test_outsiders_get_404(client, request, who, received):
    assert _get(client, request.getfixturevalue(who), received).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, received):
    response = client.get(reverse("signals:detail", args=[received.pk]))
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_draft_is_seen_by_its_author_only(client, employee, officer, team_lead, make_signal):
    draft = make_signal(employee, submit=False)
    assert _get(client, employee, draft).url == reverse("signals:draft", args=[draft.pk])
    assert _get(client, officer, draft).status_code == 404
    assert _get(client, team_lead, draft).status_code == 404


@pytest.mark.django_db
def test_an_officer_opens_their_own_draft_and_no_id_breaks_the_page(
        client, officer, officer2, make_signal, received):
    # The officer's read of a signal is built once (`Prepared`): drafts stay out of it,
    # their own come second, and an id beyond any column is a 404 like any unknown one.
    own = make_signal(officer, submit=False)
    assert _get(client, officer, own).url == reverse("signals:draft", args=[own.pk])
    assert _get(client, officer2, own).status_code == 404
    assert _get(client, officer2, received).status_code == 200
    for pk in (received.pk + 1000, 2**63, 10**30):
        assert client.get(reverse("signals:detail", args=[pk])).status_code == 404


# ---------------------------------------------------------------- steps through the page

def _step(client, user, signal, name, **data):
    client.force_login(user)
    payload = {f"{name}-{k}": v for k, v in {"version": signal.version, **data}.items()}
    return client.post(reverse("signals:transition", args=[signal.pk, name]), payload)


@pytest.mark.django_db
def test_an_officer_walks_the_route_through_the_pages(client, officer, submitted):
    from schakel.signals.models import Signal

    assert _step(client, officer, submitted, "receive").status_code == 302
    signal = Signal.objects.get(pk=submitted.pk)
    assert signal.state == "received" and signal.officer == officer
    assert _step(client, officer, signal, "dismiss",
                 dismiss_reason="Geen aanwijzingen").status_code == 302
    signal.refresh_from_db()
    response = _step(client, officer, signal, "close", outcome="no_indication",
                     message_for_reporter="Dank, afgehandeld.")
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.state == "closed" and signal.message_for_reporter == "Dank, afgehandeld."


@pytest.mark.django_db
def test_a_missing_field_keeps_the_input_and_explains(client, officer, employee, make_signal):
    dismissed = make_signal(employee, steps=["receive", "dismiss"], officer=officer)
    response = _step(client, officer, dismissed, "close", outcome="other", outcome_other="",
                     remark="Mijn toelichting", message_for_reporter="Bericht X")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Beschrijf de uitkomst." in html
    assert "Mijn toelichting" in html and "Bericht X" in html
    dismissed.refresh_from_db()
    assert dismissed.state == "dismissed"


@pytest.mark.django_db
def test_a_step_that_no_longer_fits_the_state_says_so(client, officer, received):
    response = _step(client, officer, received, "receive")
    assert response.status_code == 409
    assert "Deze stap is bij dit signaal niet (meer) mogelijk." in response.content.decode()


@pytest.mark.django_db
def test_the_second_officer_on_a_stale_page_gets_a_clear_message_and_keeps_the_input(
        client, officer, officer2, submitted):
    stale_version = submitted.version
    assert _step(client, officer, submitted, "receive").status_code == 302
    client.force_login(officer2)
    response = client.post(reverse("signals:transition", args=[submitted.pk, "receive"]),
                           {"receive-version": stale_version, "receive-remark": "Mijn tekst"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Iemand anders heeft dit signaal intussen gewijzigd" in html
    assert "Mijn tekst" in html and "Wat u had ingevuld (niet opgeslagen)" in html
    submitted.refresh_from_db()
    assert submitted.officer == officer


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["employee", "team_lead", "policy", "admin_user"])
def test_only_officers_take_steps(client, request, who, submitted):
    response = _step(client, request.getfixturevalue(who), submitted, "receive")
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


@pytest.mark.django_db
def test_an_unknown_step_is_404(client, officer, submitted):
    assert _step(client, officer, submitted, "refer").status_code == 404
    assert _step(client, officer, submitted, "nonsense").status_code == 404


@pytest.mark.django_db
def test_a_garbage_version_is_a_form_error_not_a_crash(client, officer, submitted):
    client.force_login(officer)
    response = client.post(reverse("signals:transition", args=[submitted.pk, "receive"]),
                           {"receive-version": "abc"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_reporter_adds_a_correction_as_a_note(client, employee, officer, received):
    client.force_login(employee)
    response = client.post(reverse("signals:note", args=[received.pk]),
                           {"text": "Het was op dinsdag"})
    assert response.status_code == 302
    note = received.events.get(kind="note")
    assert note.actor == employee
    client.force_login(officer)
    assert "Het was op dinsdag" in client.get(
        reverse("signals:detail", args=[received.pk])).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["team_lead", "policy", "colleague"])
def test_others_cannot_add_notes(client, request, who, received):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("signals:note", args=[received.pk]), {"text": "x"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_message_for_the_reporter_shows_under_my_signals(client, employee, officer,
                                                             make_signal):
    signal = make_signal(employee, steps=["receive", "dismiss", "close"], officer=officer)
    client.force_login(employee)
    mine = client.get(reverse("signals:mine")).content.decode()
    assert signal.reference in mine
    detail = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "Afgehandeld." in detail and "Bericht van de aandachtsfunctionaris" in detail
    assert "Geen aanwijzingen." not in detail  # the internal reason stays internal


@pytest.mark.django_db
def test_a_step_without_its_required_field_titles_the_page_error_and_links_the_field(
        client, officer, received):
    client.force_login(officer)
    response = client.post(reverse("signals:transition", args=[received.pk, "dismiss"]),
                           {"dismiss-version": received.version, "dismiss-dismiss_reason": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Fout: " in html
    summary = html[html.index("data-error-summary"):]
    assert 'href="#id_dismiss-dismiss_reason"' in summary[:summary.index("</div>")]


@pytest.mark.django_db
def test_an_empty_note_is_in_the_error_summary(client, officer, received):
    client.force_login(officer)
    html = client.post(reverse("signals:note", args=[received.pk]), {"text": ""}).content.decode()
    summary = html[html.index("data-error-summary"):]
    assert 'href="#id_text"' in summary[:summary.index("</div>")]


@pytest.mark.django_db
def test_the_history_says_who_did_what_when_in_the_readers_language(
        client, settings, employee, officer, received):
    client.force_login(employee)
    client.post(reverse("signals:note", args=[received.pk]), {"text": "Regel één\n<b>twee</b>"})

    def history(user):
        client.force_login(user)
        html = client.get(reverse("signals:detail", args=[received.pk])).content.decode()
        return html.split('<ol class="history">')[1].split("</ol>")[0]

    lines = history(officer).split("<li>")[1:]
    assert "status Gemeld → Ontvangen" in lines[-2] and officer.display_name in lines[-2]
    assert "notitie" in lines[-1] and employee.display_name in lines[-1]
    assert 'class="remark">Regel één<br>&lt;b&gt;twee&lt;/b&gt;</div>' in lines[-1]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "status Submitted → Received" in history(officer)
    own = history(employee)  # the reporter: their own note only, no status lines
    assert "Regel één" in own and "→" not in own


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_history_lines_are_the_markup_the_template_wrote(language, officer, employee,
                                                         make_signal):
    """The lines written in Python are, byte for byte, what the page's template wrote
    for them: local time, "—" without an actor, the remark escaped with <br>, none
    without a text."""
    from datetime import UTC, datetime

    from django.template import Context, Template
    from django.utils import translation

    from schakel.signals.models import SignalEvent
    from schakel.signals.views import _history_lines, _history_rows

    signal = make_signal(employee, steps=["receive"], officer=officer)
    SignalEvent.objects.create(signal=signal, at=datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
                               actor=None, actor_role="", kind="note",
                               remark="Eén\r\ntwee & <drie>\rvier\n")
    SignalEvent.objects.create(signal=signal, at=datetime(2026, 10, 25, 1, 5, tzinfo=UTC),
                               actor=officer, actor_role="officer", kind="note", remark="")
    events = list(signal.events.select_related("actor").order_by("at", "pk"))
    old = Template(
        '{% for e in events %}<li><span class="when">{{ e.at|when:"j M Y H:i" }}</span> · '
        '<span class="who">{{ e.who|default:"—" }}</span>:\n      {{ e.what }}\n      '
        '{% if e.text %}<div class="remark">{{ e.text|linebreaksbr }}</div>{% endif %}'
        '</li>{% endfor %}')
    with translation.override(language):
        lines = _history_lines(_history_rows(signal.events.order_by("at", "pk")))
        # "what" (status a → b, or the kind) is taken from the line: the test above checks
        # it; this one checks the markup around it.
        rows = [{"at": e.at, "who": e.actor.display_name if e.actor else "", "text": e.text,
                 "what": line.split(":\n      ", 1)[1].split("\n", 1)[0]}
                for e, line in zip(events, lines, strict=True)]
        expected = old.render(Context({"events": rows}))
    assert "".join(lines) == expected
    assert "2026" in expected and "—" in expected and "&amp; &lt;drie&gt;<br>vier" in expected
    assert expected.count('class="remark"') == len([e for e in events if e.text])
