"""An access request finds the person everywhere and gives nothing of anyone else."""

import io
from datetime import UTC, date, datetime

import pypdf
import pytest
from django.urls import reverse
from django.utils import translation

from schakel.audit.models import ProcessingRecord
from schakel.privacy import access_requests as ar
from schakel.privacy.answer import render_answer
from schakel.privacy.finding import find_everywhere
from schakel.privacy.models import AccessRequest, AccessRequestItem
from schakel.signals import actions

ZOFIA = "Zofia Przybylski-Ottens"
OTHERS = ["Karel Ander", "Henk Verbruggen", "Melder-Afgeschermd-91c3", "Teamcoördinator",
          "Dirk-Jan Smitskamp"]


def pdf_text(content: bytes) -> str:
    return "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)


def person(name, capacity="victim", **values):
    return actions.SubjectData(kind="person", values={"name": name, "capacity": capacity,
                                                      **values})


def refer_with_feedback(signal, text):
    from schakel.partners.models import Partner, Referral

    partner = Partner.objects.get_or_create(name="Testpartner", defaults={
        "email": "test@demo.schakel.invalid"})[0]
    return Referral.objects.create(signal=signal, partner=partner, created_at=datetime.now(UTC),
                                   feedback_text=text, state="feedback_received")


def import_register(officer, name, csv):
    """A data set imported the way an officer imports one (Register → Gegevenssets)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from schakel.subjects.models import ImportRun, ImportState, Source

    client = Client()
    client.force_login(officer)
    source = Source.objects.create(name=name, owner="Burgerzaken")
    client.post(reverse("subjects:source", args=[source.pk]),
                {"file": SimpleUploadedFile("data.csv", csv.encode()), "kind": "person"})
    run = ImportRun.objects.latest("id")
    client.post(reverse("subjects:import", args=[run.pk]),
                {f: str(i) for f, i in run.mapping.items()})
    client.get(reverse("subjects:import", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportState.CHECKED and not run.error_count, run.errors
    client.post(reverse("subjects:import_commit", args=[run.pk]))
    return source.records.get()


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def agenda(signal, question, decision):
    from schakel.plan.models import AgendaItem, Meeting, MeetingKind

    meeting = Meeting.objects.create(kind=MeetingKind.values[0], date=date(2026, 10, 1))
    return AgendaItem.objects.create(meeting=meeting, signal=signal, question=question,
                                     decision=decision)


@pytest.fixture
def planted(employee, officer, make_signal):
    """Zofia in every kind of place Schakel has."""
    as_subject = make_signal(employee, steps=["receive"], officer=officer,
                             subjects=[person(ZOFIA, nationality="Pools")])
    as_variant = make_signal(employee, steps=["receive"], officer=officer,
                             subjects=[person("Z. Przybylski Ottens")])
    as_reporter = make_signal(employee, steps=["receive"], officer=officer, reporter_name=ZOFIA,
                              subjects=[person("Piet Test")])
    in_texts = make_signal(employee, steps=["receive"], officer=officer,
                           subjects=[person("Piet Test")])
    note = actions.signal_add_note(signal=in_texts, actor=officer,
                                   text="Gebeld met mevrouw Przybylski-Ottens over de schuur.")
    feedback = refer_with_feedback(in_texts, "Zofia Przybylski-Ottens is opgevangen.")
    in_meeting = make_signal(employee, steps=["receive"], officer=officer,
                             subjects=[person("Piet Test")])
    item = agenda(in_meeting, "Wat weten we van Z. Przybylski Ottens?",
                  "Gemeente zoekt onderdak voor Zofia Przybylski-Ottens.")
    record = import_register(officer, "BRP-uittreksel",
                             "Nummer;Naam;Geboortedatum\n1;Przybylski Ottens, Z.;02-04-1990\n")
    return {"subject": as_subject.subjects.get(), "variant": as_variant.subjects.get(),
            "reporter": as_reporter.reporter, "note": note, "feedback": feedback,
            "question": item, "record": record}


@pytest.mark.django_db
def test_the_look_up_finds_the_person_in_every_kind_of_place(planted):
    hits = {h.key: h for h in find_everywhere(person_name=ZOFIA,
                                              date_of_birth=date(1990, 4, 2))}
    expected = {
        f"subject:{planted['subject'].pk}", f"subject:{planted['variant'].pk}",
        f"reporter:{planted['reporter'].pk}", f"record:{planted['record'].pk}",
        f"text:event.remark:{planted['note'].pk}",
        f"text:referral.feedback_text:{planted['feedback'].pk}",
        f"text:agenda.question:{planted['question'].pk}",
        f"text:agenda.decision:{planted['question'].pk}",
    }
    assert expected <= set(hits)
    assert hits[f"subject:{planted['variant'].pk}"].match.band == "waarschijnlijk"
    assert hits[f"record:{planted['record'].pk}"].match.band == "zeker"  # name and birth date
    assert not any(h.shown == "Piet Test" for h in hits.values())


def _start(officer, name=ZOFIA, dob=None):
    hits = find_everywhere(person_name=name, date_of_birth=dob)
    return ar.access_request_start(actor=officer, person_name=name, date_of_birth=dob,
                                   received_on=date(2026, 11, 1), hits=hits)


@pytest.mark.django_db
def test_the_processing_log_of_the_persons_pseudonyms_is_part_of_the_answer(planted, officer):
    access = _start(officer)
    log = access.items.get(kind="log")
    assert str(planted["subject"].pseudonym) in log.subject_ids
    assert str(planted["reporter"].pseudonym) in log.subject_ids
    text = pdf_text(render_answer(access, actor=officer))
    assert "Wie uw gegevens verwerkte" in text and "Een signaal registreren" in text
    assert ProcessingRecord.objects.filter(activity="access_request").exists()


@pytest.fixture
def crowded(employee, officer, make_signal):
    """Zofia on a signal with other people, named in its texts."""
    signal = make_signal(
        employee, steps=["receive"], officer=officer, reporter_name="Melder-Afgeschermd-91c3",
        background=("Zofia Przybylski-Ottens slaapt in de schuur van Karel Ander. "
                    "Ook Henk Verbruggen en Dirk-Jan Smitskamp werken daar."),
        subjects=[person(ZOFIA, nationality="Pools"), person("Karel Ander", "perpetrator"),
                  person("Henk Verbruggen")])
    actions.signal_add_note(signal=signal, actor=officer,
                            text="K. Ander zegt dat mevrouw Przybylski-Ottens vrij is.")
    refer_with_feedback(signal, "Verbruggen en Zofia Przybylski-Ottens zijn opgevangen.")
    agenda(signal, "Wie is Dirk-Jan Smitskamp?", "Smitskamp wordt uitgenodigd.")
    import_register(officer, "Vergunningen", "Nummer;Naam\n7;Smitskamp, Dirk-Jan\n")
    return signal


@pytest.mark.django_db
def test_by_default_the_answer_holds_nothing_of_others_and_says_it_is_incomplete(
        crowded, officer):
    access = _start(officer)
    texts = access.items.filter(kind="text")
    assert texts.count() >= 5 and all(i.restricted and i.others for i in texts)
    assert access.items.get(kind="reporter").restricted
    text = pdf_text(render_answer(access, actor=officer))
    assert ZOFIA in text and "Pools" in text
    for name in OTHERS + ["Ander", "Verbruggen", "Smitskamp", "schuur"]:
        assert name not in text, name
    assert "nog niet beoordeeld" in text and "niet volledig" in text
    assert "Er is niets achtergehouden" not in text


@pytest.mark.django_db
def test_reviewed_texts_are_given_without_the_names_of_others(crowded, officer):
    access = _start(officer)
    for item in access.items.filter(kind="text"):
        give_reason = "Partner stemt in" if item.needs_reason else ""
        ar.access_item_review(item=item, actor=officer, extra_spans=[], restricted=False,
                              give_reason=give_reason)
    text = pdf_text(render_answer(access, actor=officer))
    assert "slaapt in de schuur" in text and "zijn opgevangen" in text  # her own data
    assert "[verwijderd]" in text
    for name in OTHERS + ["Ander", "Verbruggen", "Smitskamp"]:
        assert name not in text, name
    assert "niet volledig" in text


@pytest.mark.django_db
def test_the_officer_marks_more_to_remove(crowded, officer):
    access = _start(officer)
    background = access.items.get(kind="text", place="signal.background")
    extra = ar.spans_of_phrases(ar.item_text(background), ["de schuur"])
    ar.access_item_review(item=background, actor=officer, extra_spans=extra, restricted=False)
    text = pdf_text(render_answer(access, actor=officer))
    assert "slaapt in" in text and "de schuur" not in text


@pytest.mark.django_db
def test_giving_another_persons_reporter_identity_or_feedback_needs_a_reason(crowded, officer):
    access = _start(officer)
    reporter = access.items.get(kind="reporter")
    with pytest.raises(ar.AccessError):
        ar.access_item_decide(item=reporter, actor=officer, restricted=False, reason="")
    feedback = access.items.get(kind="text", place="referral.feedback_text")
    with pytest.raises(ar.AccessError):
        ar.access_item_review(item=feedback, actor=officer, extra_spans=[], restricted=False)
    ar.access_item_decide(item=reporter, actor=officer, restricted=False, reason="",
                          give_reason="Melder stemt schriftelijk in")
    assert "Melder-Afgeschermd-91c3" in pdf_text(render_answer(access, actor=officer))


@pytest.mark.django_db
def test_a_text_changed_after_review_counts_as_not_reviewed(crowded, officer):
    from schakel.signals.models import Signal

    access = _start(officer)
    background = access.items.get(kind="text", place="signal.background")
    ar.access_item_review(item=background, actor=officer, extra_spans=[], restricted=False)
    Signal.objects.filter(pk=crowded.pk).update(background="Nieuwe tekst over Zofia.")
    text = pdf_text(render_answer(access, actor=officer))
    assert "Nieuwe tekst" not in text and "opnieuw worden beoordeeld" in text


@pytest.mark.django_db
def test_nothing_withheld_is_the_only_case_that_says_this_is_all(make_signal, employee,
                                                                    officer):
    make_signal(employee, steps=["receive"], officer=officer, subjects=[person(ZOFIA)],
                background="Alleen over haarzelf.")
    access = _start(officer)
    for item in access.items.all():
        if item.kind == "text":
            ar.access_item_review(item=item, actor=officer, extra_spans=[], restricted=False)
        elif item.restricted:
            ar.access_item_decide(item=item, actor=officer, restricted=False, reason="",
                                  give_reason="Melder stemt in")
    text = pdf_text(render_answer(access, actor=officer))
    assert "Er is niets achtergehouden" in text and "niet volledig" not in text


@pytest.mark.django_db
def test_an_officer_handles_a_request_through_the_pages(client, crowded, officer):
    client.force_login(officer)
    url = reverse("privacy:access_list")
    look = client.post(url, {"person_name": "Z. Przybylski Ottens", "received_on": "2026-11-01"})
    html = look.content.decode()
    assert "<strong>waarschijnlijk</strong>" in html and "voorletter gelijk" in html
    chosen = [h.key for h in find_everywhere(person_name="Z. Przybylski Ottens",
                                             date_of_birth=None)]
    made = client.post(url, {"person_name": "Z. Przybylski Ottens", "received_on": "2026-11-01",
                             "hit": chosen, "confirm": "1"})
    access = AccessRequest.objects.get()
    assert made.status_code == 302 and "Przybylski" not in made.url
    detail = client.get(made.url).content.decode()
    assert "beperkt tot beoordeling" in detail
    feedback = access.items.get(kind="text", place="referral.feedback_text")
    review_url = reverse("privacy:access_review", args=[access.pk, feedback.pk])
    page = client.get(review_url).content.decode()
    assert "niet van de persoon zelf" in page and "<del" in page
    refused = client.post(review_url, {"decision": "give", "remove": ""})
    assert refused.status_code == 400 and "Zeg waarom" in refused.content.decode()
    given = client.post(review_url, {"decision": "give", "give_reason": "Partner stemt in",
                                     "remove": "opgevangen"})
    assert given.status_code == 302
    reporter = access.items.get(kind="reporter")
    bad = client.post(reverse("privacy:access_decide", args=[access.pk, reporter.pk]),
                      {f"i{reporter.pk}-decision": "give"})
    assert bad.status_code == 302
    assert AccessRequestItem.objects.get(pk=reporter.pk).decided_by is None
    pdf = client.get(reverse("privacy:access_answer", args=[access.pk]))
    assert pdf["Content-Type"] == "application/pdf" and "no-store" in pdf["Cache-Control"]
    text = pdf_text(pdf.content)
    assert "Melder-Afgeschermd-91c3" not in text and "Verbruggen" not in text
    assert "opgevangen" not in text


@pytest.mark.django_db
def test_the_person_name_is_encrypted_at_rest(officer):
    from django.db import connection

    _start(officer, name="Jan van den Berg")
    with connection.cursor() as cursor:
        cursor.execute("SELECT person_name FROM audit_accessrequest")
        assert "Jan" not in cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_answer_follows_the_language(crowded, officer):
    access = _start(officer)
    with translation.override("en"):
        content = render_answer(access, actor=officer)
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "Answer to access request" in pdf_text(content)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee", "team_lead", "policy", "admin"])
def test_only_officers_handle_access_requests(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("privacy:access_list")).status_code == 404
