"""A draft: saved incomplete, seen and finished by its author only, then sent once."""

import pytest
from django.urls import reverse

from schakel.signals.models import Signal

from .test_intake_view import URL, valid_post


@pytest.mark.django_db
def test_an_incomplete_signal_can_be_saved_as_a_draft(client, employee):
    client.force_login(employee)
    data = valid_post(background="", team_lead_consulted="", exploitation_forms=[],
                      indicators=[], save_draft="1")
    response = client.post(URL, data)
    assert response.status_code == 302 and response.url == reverse("signals:mine")
    draft = Signal.objects.get()
    assert draft.state == "draft" and draft.reference is None
    assert draft.subjects.count() == 4
    listing = client.get(reverse("signals:mine")).content.decode()
    assert reverse("signals:draft", args=[draft.pk]) in listing


@pytest.mark.django_db
def test_a_draft_still_checks_formats(client, employee):
    client.force_login(employee)
    response = client.post(URL, valid_post(save_draft="1", **{"addresses-0-postcode": "x"}))
    assert response.status_code == 200 and not Signal.objects.exists()


@pytest.mark.django_db
def test_the_author_finishes_and_sends_the_draft(client, employee, officer,
                                                 django_capture_on_commit_callbacks):
    from django.core import mail

    client.force_login(employee)
    client.post(URL, valid_post(background="", save_draft="1"))
    draft = Signal.objects.get()
    page = client.get(reverse("signals:draft", args=[draft.pk])).content.decode()
    assert "Piet Voorbeeld" in page and "Demostraat" in page
    assert str(draft.submission_token) in page
    data = valid_post(submission_token=str(draft.submission_token),
                      background="Nu compleet.")
    data.pop("persons-1-description")
    data.pop("persons-1-capacity")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signals:draft", args=[draft.pk]), data)
    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.state == "submitted" and draft.reference and draft.background == "Nu compleet."
    assert draft.subjects.count() == 3  # the emptied row is gone
    assert len(mail.outbox) == 1
    again = client.post(reverse("signals:draft", args=[draft.pk]), data)
    assert again.status_code == 302 and Signal.objects.count() == 1


@pytest.mark.django_db
def test_a_draft_is_nobody_elses(client, employee, colleague, team_lead, officer, make_signal):
    draft = make_signal(employee, submit=False)
    for user in (colleague, team_lead, officer):
        client.force_login(user)
        assert client.get(reverse("signals:draft", args=[draft.pk])).status_code == 404
        assert client.post(reverse("signals:draft_delete", args=[draft.pk])).status_code == 404
    client.force_login(officer)
    assert draft.reference is None
    assert client.get(reverse("signals:queue") + "?tab=all").status_code == 200
    assert Signal.objects.filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_the_author_throws_a_draft_away(client, employee, make_signal):
    draft = make_signal(employee, submit=False)
    client.force_login(employee)
    assert client.get(reverse("signals:detail", args=[draft.pk])).url == reverse(
        "signals:draft", args=[draft.pk])
    response = client.post(reverse("signals:draft_delete", args=[draft.pk]))
    assert response.status_code == 302 and not Signal.objects.exists()


@pytest.mark.django_db
def test_a_sent_signal_is_no_draft_any_more(client, employee, make_signal):
    signal = make_signal(employee)
    client.force_login(employee)
    response = client.get(reverse("signals:draft", args=[signal.pk]))
    assert response.url == reverse("signals:detail", args=[signal.pk])
