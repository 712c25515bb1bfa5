"""The page benchmark's typical signal is a case file in progress, made by the real actions."""

import pytest
from django.urls import reverse

from schakel.reports.pagebench_data import case_file


@pytest.mark.django_db
def test_the_typical_signal_has_what_a_signal_in_progress_has(
        settings, client, officer, employee, make_signal):
    from schakel.partners.seed import load_defaults
    from schakel.plan.models import AgendaItem
    from schakel.subjects.models import Link, Record, Source

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    load_defaults()
    source = Source.objects.create(name="Basisregistratie Personen")
    Record.objects.create(source=source, external_id="1", kind="person", name="Piet Test")
    signal = make_signal(employee, steps=["receive"], officer=officer)
    case_file(signal.pk, {"officer": officer})
    assert signal.subjects.count() == 2 and signal.attachments.count() == 1
    assert Link.objects.filter(subject__signal=signal, decision="linked").count() == 1
    assert sorted(signal.referrals.values_list("partner__code", "state")) == [
        ("nla", "sent"), ("zorgcoordinator", "sent")]
    item = AgendaItem.objects.get(signal=signal)
    assert signal.events.filter(kind="note").count() == 3
    client.force_login(officer)
    html = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    for shown in ("Bogdan Ionescu", "foto-ingang.png", "Basisregistratie Personen",
                  reverse("plan:meeting", args=[item.meeting_id]),
                  "Gebeld met de wijkagent (3)."):
        assert shown in html, shown
