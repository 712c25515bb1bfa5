"""The page benchmark's typical signal is a case file in progress, made by the real actions."""

import pytest
from django.urls import reverse

from schakel.reports.pagebench_data import case_file


@pytest.fixture
def signal(settings, officer, employee, make_signal):
    """A received signal made a case file, with the partners and a register to link to."""
    from schakel.partners.seed import load_defaults
    from schakel.subjects.models import Record, Source

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    load_defaults()
    source = Source.objects.create(name="Basisregistratie Personen")
    Record.objects.create(source=source, external_id="1", kind="person", name="Piet Test")
    Record.objects.create(source=source, external_id="2", kind="person", name="Jan Test")
    signal = make_signal(employee, steps=["receive"], officer=officer)
    case_file(signal.pk, {"officer": officer})
    return signal


def test_the_typical_signal_has_what_a_signal_in_progress_has(client, officer, signal):
    from schakel.plan.models import AgendaItem
    from schakel.subjects.models import Link

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


def test_the_signal_page_reads_a_case_file_in_the_same_queries_however_full(
        client, officer, signal):
    """More files, notes, links and meetings on a signal add rows, not queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    url = reverse("signals:detail", args=[signal.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()
    before = queries()
    _more(signal, officer)
    assert queries() == before


def _more(signal, officer):
    """Two more photos, a second register link, a third referral, a second meeting and
    five more notes."""
    import io
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from schakel.core import clock
    from schakel.partners.actions import Choice, signal_referrals_create
    from schakel.partners.models import Partner
    from schakel.plan.actions import agenda_add
    from schakel.plan.models import Meeting, MeetingKind
    from schakel.signals import actions
    from schakel.signals.access import Access
    from schakel.signals.attachments import attachments_add
    from schakel.subjects.actions import link_decide
    from schakel.subjects.models import Record

    def png():
        buffer = io.BytesIO()
        Image.new("RGB", (32, 32), "red").save(buffer, "PNG")
        return SimpleUploadedFile("x.png", buffer.getvalue(), content_type="image/png")

    attachments_add(signal=signal, actor=officer, level=Access.FULL,
                    files=[(png(), "image/png"), (png(), "image/png")])
    subject = signal.subjects.order_by("pk").last()
    link_decide(actor=officer, signal=signal, subject=subject,
                record=Record.objects.get(external_id="2"), decision="linked")
    signal_referrals_create(signal=signal, actor=officer, choices=[
        Choice(partner=Partner.objects.get(code="avim"), parts=["urgency"])])
    meeting = Meeting.objects.create(kind=MeetingKind.CASE,
                                     date=clock.now().date() + timedelta(days=40))
    agenda_add(meeting=meeting, signal=signal, actor=officer)
    for n in range(5):
        actions.signal_add_note(signal=signal, actor=officer, text=f"Nog een ({n}).")
