"""The enrichment page: bands, reasons, a plain no-match, its own search box per subject."""

import datetime as dt

import pytest
from django.urls import reverse

from schakel.audit.models import AuditEvent, ProcessingRecord
from schakel.signals.actions import SubjectData
from schakel.subjects.models import Link

MARKER = "Zwanenburg-MELDER-5521"


@pytest.fixture
def signal(make_signal, employee, officer, register):
    return make_signal(employee, steps=("receive",), officer=officer, reporter_name=MARKER,
                       subjects=[
                           SubjectData(kind="person", values={
                               "name": "Berg, J. van den", "capacity": "victim",
                               "date_of_birth": dt.date(1980, 3, 4)}),
                           SubjectData(kind="person", values={
                               "name": "Quirijn Oosterhuis-Vlaskamp", "capacity": "victim",
                               "date_of_birth": dt.date(2001, 1, 2)}),
                       ])


def section(html, subject):
    return html.split(f'id="subject-{subject.pk}"')[1].split("</section>")[0]


def test_a_match_shows_its_band_and_the_reasons_for_and_against(client, officer, signal,
                                                                 register):
    client.force_login(officer)
    html = client.get(reverse("subjects:enrichment", args=[signal.pk])).content.decode()
    jan = section(html, signal.subjects.get(name="Berg, J. van den"))
    first_row = jan.split("<tbody>")[1].split("</tr>")[0]
    assert "Jan van den Berg" in first_row
    assert "band-zeker" in first_row or "band-waarschijnlijk" in first_row
    assert "zelfde geboortedatum" in first_row and "zelfde voorletters" in first_row
    # Johan Berg, without a date of birth, is a weak candidate only: folded away.
    weak = jan.split('<details class="weak-candidates">')[1].split("</details>")[0]
    assert "Johan Berg" in weak and "geen overeenkomst" in weak
    assert MARKER not in html
    assert not Link.objects.exists()  # nothing is linked without a click


def test_nothing_matching_is_said_plainly_with_a_next_step(client, officer, signal):
    client.force_login(officer)
    html = client.get(reverse("subjects:enrichment", args=[signal.pk])).content.decode()
    nobody = section(html, signal.subjects.get(name="Quirijn Oosterhuis-Vlaskamp"))
    assert "Geen overeenkomst." in nobody and "Volgende stap:" in nobody
    assert "band-zeker" not in nobody and "band-waarschijnlijk" not in nobody
    # The search box is open and filled from the signal.
    assert "<details class=\"search-again\" open>" in nobody
    assert 'value="Quirijn Oosterhuis-Vlaskamp"' in nobody and 'value="2001-01-02"' in nobody


def test_a_signal_never_offers_its_own_subjects_as_matches(client, officer, signal):
    client.force_login(officer)
    client.get(reverse("subjects:enrichment", args=[signal.pk]))  # files the subjects
    html = client.get(reverse("subjects:enrichment", args=[signal.pk])).content.decode()
    for subject in signal.subjects.all():
        assert f'name="record" value="{subject.register_record.pk}"' not in html


def test_the_officer_searches_again_with_other_particulars(client, officer, signal, register):
    client.force_login(officer)
    nobody = signal.subjects.get(name="Quirijn Oosterhuis-Vlaskamp")
    response = client.post(reverse("subjects:enrichment", args=[signal.pk]), {
        "subject": nobody.pk, "name": "Klaas IJzerman", "date_of_birth": "1969-07-01"})
    html = response.content.decode()
    assert response.status_code == 200
    found = section(html, nobody)
    assert "Kandidaten voor uw zoekopdracht" in found and "Klaas IJzerman" in found
    assert "band-zeker" in found
    # Linking from the searched list links this subject.
    assert f'name="subject" value="{nobody.pk}"' in found
    # The terms travel in the body: not in the URL, not in the processing log.
    record = ProcessingRecord.objects.select_related("audit").latest("seq")
    assert record.activity == "enrich" and "ijzerman" not in str(record.__dict__).lower()
    assert AuditEvent.objects.latest("id").object_id == str(signal.pk)


def test_an_empty_search_explains_itself_in_dutch(client, officer, signal):
    client.force_login(officer)
    nobody = signal.subjects.get(name="Quirijn Oosterhuis-Vlaskamp")
    response = client.post(reverse("subjects:enrichment", args=[signal.pk]),
                           {"subject": nobody.pk, "date_of_birth": "31-02-2001"})
    html = response.content.decode()
    assert response.status_code == 200 and "geldige datum" in html
    assert "Vul een naam" not in html  # one message, about the field that is wrong


def test_a_search_for_a_subject_of_another_signal_is_refused(client, officer, signal,
                                                             make_signal, employee):
    other = make_signal(employee, steps=("receive",), officer=officer)
    client.force_login(officer)
    response = client.post(reverse("subjects:enrichment", args=[signal.pk]), {
        "subject": other.subjects.first().pk, "name": "Jan"})
    assert response.status_code == 404


def test_other_kinds_at_an_address_come_in_their_own_group(client, officer, make_signal,
                                                           employee, add_record):
    add_record(kind="address", street="Molenweg", house_number="5", postcode="3441SN",
               city="Woerden")
    add_record(name="Sem de Wit", street="Molenweg", house_number="5", postcode="3441SN",
               city="Woerden")
    signal = make_signal(employee, steps=("receive",), officer=officer, subjects=[
        SubjectData(kind="address", values={"street": "Molenweg", "house_number": "5",
                                            "postcode": "3441-SN", "city": "Woerden",
                                            "capacity": "other"})])
    client.force_login(officer)
    html = client.get(reverse("subjects:enrichment", args=[signal.pk])).content.decode()
    banded, others = html.split("Op dit adres ingeschreven</h4>")
    assert "Molenweg 5, 3441SN Woerden" in banded and "band-zeker" in banded
    assert "Sem de Wit" in others and "Sem de Wit" not in banded


def test_a_posted_subject_that_is_not_a_number_gets_a_form_error_not_a_server_error(
        client, officer, signal):
    client.force_login(officer)
    response = client.post(f"/meldingen/{signal.pk}/verrijking/",
                           {"subject": "%00_%s", "name": "Jan"})
    assert response.status_code == 200
