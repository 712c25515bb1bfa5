"""An access request holds the person's data and not the items the officer restricted."""

import io

import pypdf
import pytest
from django.urls import reverse

from schakel.audit.models import ProcessingRecord
from schakel.privacy import access_requests as ar
from schakel.privacy.models import AccessRequest, AccessRequestItem
from schakel.signals import actions

REPORTER = "Melder-Afgeschermd-91c3"


def pdf_text(content: bytes) -> str:
    return "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def signal(employee, officer, make_signal):
    signal = make_signal(employee, steps=["receive"], officer=officer, reporter_name=REPORTER,
                         background="Jan werkte zeven dagen per week",
                         subjects=[actions.SubjectData(kind="person", values={
                             "name": "Jan van den Berg", "capacity": "victim",
                             "nationality": "Pools"}),
                             actions.SubjectData(kind="person", values={
                                 "name": "Karel Ander", "capacity": "perpetrator"})])
    actions.signal_add_note(signal=signal, actor=officer, text="Notitie over Jan")
    return signal


@pytest.mark.parametrize("query,name,match", [
    ("Jan van den Berg", "Berg, J. van den", True),
    ("Berg, Jan van den", "Jan van den Berg", True),
    ("jan VAN den berg", "Jan van den Berg", True),
    ("Müller", "Muller", True),
    ("Jan Berg", "Piet Berg", False),
])
def test_names_are_matched_in_any_order_and_case(query, name, match):
    assert ar.name_matches(query, name) is match


@pytest.mark.django_db
def test_the_answer_holds_the_persons_data_and_not_the_restricted_items(signal, officer):
    found = ar.find_subjects(person_name="Berg, Jan van den", date_of_birth=None)
    assert [s.name for s in found] == ["Jan van den Berg"]
    from datetime import date

    access = ar.access_request_start(actor=officer, person_name="Jan van den Berg",
                                     date_of_birth=None, received_on=date(2026, 11, 1),
                                     subjects=found)
    kinds = {i.kind: i for i in access.items.all()}
    assert kinds["reporter"].restricted and not kinds["signal"].restricted
    notes = kinds["notes"]
    ar.access_item_decide(item=notes, actor=officer, restricted=True, reason="Lopend onderzoek")
    text = pdf_text(ar.render_answer(access, actor=officer))
    assert "Jan van den Berg" in text and "zeven dagen" in text and "Pools" in text
    assert REPORTER not in text and "Karel Ander" not in text
    assert "Notitie over Jan" not in text and "Lopend onderzoek" in text
    assert "Een signaal inzien" in text or "Een signaal registreren" in text  # the log part
    assert ProcessingRecord.objects.filter(activity="access_request").exists()


@pytest.mark.django_db
def test_a_restriction_needs_a_reason(signal, officer):
    from datetime import date

    access = ar.access_request_start(actor=officer, person_name="Jan", date_of_birth=None,
                                     received_on=date(2026, 11, 1),
                                     subjects=signal.subjects.filter(name__startswith="Jan"))
    with pytest.raises(ValueError):
        ar.access_item_decide(item=access.items.first(), actor=officer, restricted=True,
                              reason=" ")


@pytest.mark.django_db
def test_an_officer_handles_a_request_through_the_pages(client, signal, officer):
    client.force_login(officer)
    url = reverse("privacy:access_list")
    look = client.post(url, {"person_name": "Jan van den Berg", "received_on": "2026-11-01"})
    html = look.content.decode()
    assert "Jan van den Berg" in html and "Karel Ander" not in html
    subject = signal.subjects.get(name="Jan van den Berg")
    made = client.post(url, {"person_name": "Jan van den Berg", "received_on": "2026-11-01",
                             "subject": [subject.pk], "confirm": "1"})
    access = AccessRequest.objects.get()
    assert made.status_code == 302 and made.url == reverse("privacy:access_detail",
                                                           args=[access.pk])
    assert "Jan" not in made.url
    item = access.items.get(kind="reporter")
    bad = client.post(reverse("privacy:access_decide", args=[access.pk, item.pk]),
                      {f"i{item.pk}-decision": "restrict", f"i{item.pk}-reason": ""})
    assert bad.status_code == 302
    assert AccessRequestItem.objects.get(pk=item.pk).decided_by is None
    give = client.post(reverse("privacy:access_decide", args=[access.pk, item.pk]),
                       {f"i{item.pk}-decision": "give"})
    assert give.status_code == 302
    pdf = client.get(reverse("privacy:access_answer", args=[access.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert REPORTER in pdf_text(pdf.content)  # the officer chose to give it this time


@pytest.mark.django_db
def test_the_person_name_is_encrypted_at_rest(signal, officer):
    from datetime import date

    from django.db import connection

    ar.access_request_start(actor=officer, person_name="Jan van den Berg", date_of_birth=None,
                            received_on=date(2026, 11, 1), subjects=[])
    with connection.cursor() as cursor:
        cursor.execute("SELECT person_name FROM audit_accessrequest")
        assert "Jan" not in cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee", "team_lead", "policy", "admin"])
def test_only_officers_handle_access_requests(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("privacy:access_list")).status_code == 404
