"""Step 6: the reporter is e-mailed a link (no content, no names) and sees a marker until read."""

import pytest
from django.core import mail
from django.urls import reverse

from schakel.signals import actions

MESSAGE = "Doorgezet naar de politie, Geheimbericht-5e1a."
REPORTER = "Melder Naam-5e1a"


@pytest.fixture
def referred(employee, officer, make_signal):
    return make_signal(employee, steps=["receive", "refer", "settle"], officer=officer,
                       reporter_name=REPORTER)


def _inform(signal, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return actions.signal_inform_reporter(signal=signal, actor=officer,
                                              expected_version=signal.version,
                                              message_for_reporter=MESSAGE)


@pytest.mark.django_db
def test_informing_the_reporter_mails_them_a_link_without_content_or_names(
        employee, officer, referred, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "http://127.0.0.1:18801"
    mail.outbox.clear()
    signal = _inform(referred, officer, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [employee.email]
    assert signal.reference in sent.subject and "bericht" in sent.subject
    assert "http://127.0.0.1:18801" + reverse("signals:mine") in sent.body
    for secret in ("5e1a", "Piet Test", "Vier mannen", employee.display_name,
                   officer.display_name):
        assert secret not in sent.subject + sent.body


@pytest.mark.django_db
def test_closing_a_dismissed_signal_with_a_message_mails_the_reporter(
        employee, officer, make_signal, django_capture_on_commit_callbacks):
    signal = make_signal(employee, steps=["receive", "dismiss"], officer=officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.signal_close(signal=signal, actor=officer, expected_version=signal.version,
                             outcome="no_indication", message_for_reporter=MESSAGE)
    assert [m.to for m in mail.outbox] == [[employee.email]]


@pytest.mark.django_db
def test_a_reporter_who_asked_not_to_be_mailed_gets_no_mail_but_still_the_marker(
        client, employee, officer, referred, django_capture_on_commit_callbacks):
    type(referred).objects.filter(pk=referred.pk).update(mail_reporter=False)
    referred.refresh_from_db()
    mail.outbox.clear()
    _inform(referred, officer, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    client.force_login(employee)
    assert "Nieuw bericht" in client.get(reverse("signals:mine")).content.decode()


@pytest.mark.django_db
def test_my_signals_marks_the_message_new_until_the_reporter_opens_the_signal(
        client, employee, officer, referred, django_capture_on_commit_callbacks):
    client.force_login(employee)
    assert "Nieuw bericht" not in client.get(reverse("signals:mine")).content.decode()
    _inform(referred, officer, django_capture_on_commit_callbacks)
    assert "Nieuw bericht" in client.get(reverse("signals:mine")).content.decode()
    detail = client.get(reverse("signals:detail", args=[referred.pk])).content.decode()
    assert MESSAGE in detail
    assert "Nieuw bericht" not in client.get(reverse("signals:mine")).content.decode()


@pytest.mark.django_db
def test_an_officer_opening_the_signal_does_not_mark_the_message_read(
        client, employee, officer, referred, django_capture_on_commit_callbacks):
    signal = _inform(referred, officer, django_capture_on_commit_callbacks)
    client.force_login(officer)
    client.get(reverse("signals:detail", args=[signal.pk]))
    signal.refresh_from_db()
    assert signal.has_unread_message


@pytest.mark.django_db
def test_the_intake_choice_not_to_be_mailed_is_kept_with_the_signal(client, employee):
    from schakel.signals.models import Signal
    from schakel.signals.tests.test_intake_view import URL, valid_post

    client.force_login(employee)
    client.post(URL, valid_post(no_mail="on"))
    assert Signal.objects.get().mail_reporter is False


@pytest.mark.django_db
def test_the_officer_sees_whether_the_reporter_wants_mail(client, officer, referred):
    client.force_login(officer)
    url = reverse("signals:detail", args=[referred.pk])
    assert "ja: een link, nooit de inhoud" in client.get(url).content.decode()
    type(referred).objects.filter(pk=referred.pk).update(mail_reporter=False)
    assert "nee: de melder wil geen e-mail" in client.get(url).content.decode()
