"""Only officers search, enrich and import; every search and link is in the processing log."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from schakel.audit.models import AuditEvent, ProcessingRecord
from schakel.signals.actions import SubjectData
from schakel.subjects.models import Decision, ImportRun, Link, Source

from .conftest import ROLES

MARKER = "Zwanenburg-MELDER-7781"  # planted in the reporter's name; must never show


def subjects():
    return [
        SubjectData(kind="person", values={"name": "Berg, J. van den", "capacity": "victim",
                                           "date_of_birth": dt.date(1980, 3, 4)}),
        SubjectData(kind="organisation", values={"name": "Bakkerij de Vries",
                                                 "capacity": "employer"}),
        SubjectData(kind="address", values={"street": "Kerkstr.", "house_number": "12",
                                            "house_number_addition": "a",
                                            "postcode": "3417 ab", "city": "Montfoort"}),
    ]


@pytest.fixture
def signal(make_signal, employee, officer, register):
    return make_signal(employee, steps=("receive",), officer=officer, subjects=subjects(),
                       reporter_name=MARKER)


def urls(signal, source, run):
    return {
        "search": reverse("subjects:search"),
        "sources": reverse("subjects:sources"),
        "source_new": reverse("subjects:source_new"),
        "source": reverse("subjects:source", args=[source.pk]),
        "import": reverse("subjects:import", args=[run.pk]),
        "enrichment": reverse("subjects:enrichment", args=[signal.pk]),
    }


@pytest.fixture
def run(source, officer):
    return ImportRun.objects.create(source=source, file_name="x.csv", stored_as="none.csv",
                                    created_at=dt.datetime.now(dt.UTC), created_by=officer)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["search", "sources", "source_new", "source", "import",
                                  "enrichment"])
def test_only_officers_may_open_the_register_pages(client, role_user, role, name, signal,
                                                   source, run):
    client.force_login(role_user(role))
    assert client.get(urls(signal, source, run)[name]).status_code == 404
    assert client.post(urls(signal, source, run)[name], {"name": "x"}).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_officers_may_link(client, role_user, role, signal, register):
    client.force_login(role_user(role))
    subject = signal.subjects.first()
    response = client.post(reverse("subjects:decide", args=[signal.pk]),
                           {"subject": subject.pk, "record": register["jan"].pk,
                            "decision": "linked"})
    assert response.status_code == 404
    assert not Link.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, signal):
    response = client.get(reverse("subjects:enrichment", args=[signal.pk]))
    assert response.status_code == 302 and "inloggen" in response.url


def test_the_reporter_of_a_signal_cannot_enrich_it(client, employee, signal):
    client.force_login(employee)
    assert client.get(reverse("subjects:enrichment", args=[signal.pk])).status_code == 404


def test_a_search_is_recorded_with_its_purpose_but_not_its_terms(client, officer, register):
    client.force_login(officer)
    response = client.post(reverse("subjects:search"), {
        "kind": "person", "name": "Klaas Yzerman", "purpose": "Signaal 2026-0007 verrijken"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Klaas IJzerman" in html and "zelfde achternaam" in html
    record = ProcessingRecord.objects.select_related("audit").latest("seq")
    assert record.activity == "enrich" and record.purpose == "Signaal 2026-0007 verrijken"
    assert record.audit.actor == officer and record.audit.action == "read"
    stored = str(record.__dict__) + str(record.audit.__dict__)
    assert "yzerman" not in stored.lower()


def test_a_search_without_purpose_or_terms_explains_itself_in_dutch(client, officer):
    client.force_login(officer)
    response = client.post(reverse("subjects:search"), {"kind": "person", "name": "Jan"})
    assert "Dit veld is verplicht" in response.content.decode()
    response = client.post(reverse("subjects:search"), {"kind": "person", "purpose": "test"})
    assert "Vul een naam" in response.content.decode()
    assert not ProcessingRecord.objects.filter(activity="enrich").exists()


def test_the_search_form_sends_its_terms_by_post(client, officer):
    client.force_login(officer)
    html = client.get(reverse("subjects:search")).content.decode()
    assert re.search(r'<form method="post"', html)


def test_the_enrichment_page_proposes_candidates_with_a_score_and_a_reason(
        client, officer, signal, register):
    client.force_login(officer)
    response = client.get(reverse("subjects:enrichment", args=[signal.pk]))
    html = response.content.decode()
    assert "Jan van den Berg" in html and "zelfde geboortedatum" in html
    assert "Bakkerij De Vries B.V." in html and "zelfde naam (rechtsvorm genegeerd)" in html
    assert "zelfde postcode en huisnummer" in html
    assert MARKER not in html
    event = AuditEvent.objects.latest("id")
    assert event.object_id == str(signal.pk)
    assert event.records.first().purpose == f"Stap 3: signaal {signal.reference} verrijken"


def test_a_person_from_an_earlier_signal_is_proposed(client, officer, employee, make_signal,
                                                     signal):
    later = make_signal(employee, steps=("receive",), officer=officer, subjects=[
        SubjectData(kind="person", values={"name": "Jan van den Berg", "capacity": "victim",
                                           "date_of_birth": dt.date(1980, 3, 4)})])
    client.force_login(officer)
    html = client.get(reverse("subjects:enrichment", args=[later.pk])).content.decode()
    assert f"in signaal {signal.reference}" in html
    assert Source.objects.get(code=Source.SIGNALS).records.count() == 4


def test_linking_is_recorded_and_shows_on_the_signal(client, officer, signal, register):
    client.force_login(officer)
    subject = signal.subjects.get(kind="person")
    response = client.post(reverse("subjects:decide", args=[signal.pk]), {
        "subject": subject.pk, "record": register["jan"].pk, "decision": "linked",
        "score": "100", "reason": "zelfde geboortedatum"})
    assert response.status_code == 302
    link = Link.objects.get()
    assert (link.decision, link.actor, link.score) == (Decision.LINKED, officer, 100)
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_id, event.changes["decision"]) == (
        "create", str(signal.pk), "linked")
    assert event.records.first().activity == "enrich"
    page = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "Verrijking (stap 3)" in page and "Jan van den Berg" in page
    # A linked record is no longer proposed as a candidate.
    html = client.get(reverse("subjects:enrichment", args=[signal.pk])).content.decode()
    assert "Gekoppeld" in html


def test_a_rejected_candidate_is_not_proposed_again(client, officer, signal, register):
    client.force_login(officer)
    subject = signal.subjects.get(kind="organisation")
    client.post(reverse("subjects:decide", args=[signal.pk]), {
        "subject": subject.pk, "record": register["bakker"].pk, "decision": "rejected"})
    assert Link.objects.get().decision == Decision.REJECTED
    html = client.get(reverse("subjects:enrichment", args=[signal.pk])).content.decode()
    section = html.split(f'id="subject-{subject.pk}"')[1].split("</section>")[0]
    assert "Afgewezen" in section and section.count("Bakker Vries Transport") == 1


def test_a_subject_of_another_signal_cannot_be_linked_here(client, officer, signal, make_signal,
                                                           employee, register):
    other = make_signal(employee, steps=("receive",), officer=officer)
    client.force_login(officer)
    response = client.post(reverse("subjects:decide", args=[signal.pk]), {
        "subject": other.subjects.first().pk, "record": register["jan"].pk,
        "decision": "linked"})
    assert response.status_code == 404 and not Link.objects.exists()


def test_a_broken_decision_form_gives_a_message_not_a_crash(client, officer, signal):
    client.force_login(officer)
    response = client.post(reverse("subjects:decide", args=[signal.pk]), {"subject": "x"},
                           follow=True)
    assert response.status_code == 200
    assert "kon niet worden opgeslagen" in response.content.decode()


def test_the_enrichment_page_needs_a_fixed_number_of_queries(client, officer, signal, register,
                                                              add_record,
                                                              django_assert_max_num_queries):
    client.force_login(officer)
    client.get(reverse("subjects:enrichment", args=[signal.pk]))  # files the subjects
    with django_assert_max_num_queries(40) as first:
        client.get(reverse("subjects:enrichment", args=[signal.pk]))
    for i in range(30):
        add_record(name=f"Jan van den Berg{i}", street="Kerkstraat", house_number="12",
                   postcode="3417AB")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("subjects:enrichment", args=[signal.pk]))


def test_the_signal_page_section_needs_one_query(officer, signal, register,
                                                 django_assert_num_queries):
    from schakel.subjects.templatetags.subjects_tags import signal_links

    with django_assert_num_queries(1):
        signal_links(signal)
    subjects = list(signal.subjects.all())  # as the signal page passes them
    with django_assert_num_queries(1):
        signal_links(signal, subjects)


def test_a_linked_record_that_is_someone_in_another_signal_links_to_that_signal(
        client, officer, employee, make_signal, signal, register, add_record,
        django_assert_num_queries):
    from django.utils import timezone

    from schakel.subjects.templatetags.subjects_tags import signal_links

    other = make_signal(employee, steps=("receive",), officer=officer, subjects=subjects())
    record = add_record(name="Berg, J. van den", subject=other.subjects.first())
    plain = register["jan"]
    mine = signal.subjects.first()
    for target in (record, plain):
        Link.objects.create(subject=mine, record=target, decision=Decision.LINKED,
                            actor=officer, at=timezone.now())
    with django_assert_num_queries(2):  # the links, and the other signal's reference
        links = signal_links(signal)
    assert {link.record.pk for link in links} == {record.pk, plain.pk}
    read = list(signal.subjects.all())
    with django_assert_num_queries(2):
        given = signal_links(signal, read)
    assert [(link.pk, link.subject.pk) for link in given] == [
        (link.pk, link.subject.pk) for link in links]
    client.force_login(officer)
    html = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    section = html.split('id="h-enrichment"')[1].split("</section>")[0]
    assert f'href="{reverse("signals:detail", args=[other.pk])}">{other.reference}</a>' in section
    assert section.count(other.reference) == 1


def test_an_officer_adds_a_data_set(client, officer):
    client.force_login(officer)
    response = client.post(reverse("subjects:source_new"), {
        "name": "Risicoadressen", "owner": "Team Toezicht", "confidentiality": "secret"})
    source = Source.objects.get(name="Risicoadressen")
    assert response.url == reverse("subjects:source", args=[source.pk])
    assert AuditEvent.objects.latest("id").changes == {"source": "Risicoadressen"}
    page = client.get(reverse("subjects:sources")).content.decode()
    assert "Risicoadressen" in page and "Geheim" in page


def test_a_data_set_without_owner_is_refused_with_a_dutch_message(client, officer):
    client.force_login(officer)
    response = client.post(reverse("subjects:source_new"),
                           {"name": "X", "confidentiality": "secret"})
    assert "Dit veld is verplicht" in response.content.decode()
    assert not Source.objects.filter(name="X").exists()


def test_the_menu_shows_the_register_to_officers_only(client, officer, employee):
    client.force_login(officer)
    assert reverse("subjects:search") in client.get("/", follow=True).content.decode()
    client.force_login(employee)
    assert reverse("subjects:search") not in client.get("/", follow=True).content.decode()
