"""The shipped plan file, and importing another municipality's plan."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from schakel.plan.actions import plan_import
from schakel.plan.loader import DEFAULT_PLAN, PlanFileError, read_plan, write_plan
from schakel.plan.models import Action, Occurrence, OccurrenceStatus, Pillar

SEED = Path(__file__).resolve().parents[4] / "shared" / "seed" / "000_f9bb08b28be3f2cb.txt"
HEADER = "pijler;pijler_titel;code;titel;omschrijving;planning;wie;verantwoordelijke;soort\n"


def flat(text):
    text = re.sub(r"\s+", " ", text.replace("’", "'")).lower()
    return text.replace("- ", "-")  # words broken over lines in the plan's tables


def test_the_shipped_plan_has_five_pillars_and_every_action_of_the_plan():
    rows = read_plan(DEFAULT_PLAN.read_bytes())
    assert sorted({(r.pillar, r.pillar_title) for r in rows}) == [
        (1, "Voorlichten, trainen en bewust maken"),
        (2, "Uitwerken en bekend maken interne meldroute"),
        (3, "Inzichtelijk maken (samenwerking) ketenpartners bij signalen, ketenregisseur"),
        (4, "Aanpak dadernetwerken"), (5, "Monitoren voortgang aanpak")]
    per_section = {}
    for r in rows:
        per_section[r.code.rsplit(".", 1)[0]] = per_section.get(r.code.rsplit(".", 1)[0], 0) + 1
    # §3.1 five rows, §3.2 two, §3.3 four, §3.4 five; §3.5 names two duties in its text.
    assert per_section == {"3.1": 5, "3.2": 2, "3.3": 4, "3.4": 5, "3.5": 2}


@pytest.mark.skipif(not SEED.exists(), reason="the plan's text is not beside the checkout")
def test_every_action_and_schedule_is_in_the_plans_text():
    seed = flat(SEED.read_text())
    for row in read_plan(DEFAULT_PLAN.read_bytes()):
        if row.code.startswith("3.5"):
            continue  # §3.5 has no table; its duties are taken from the text
        assert flat(row.title)[:40] in seed, row.code
        assert flat(row.schedule_text).split(" ")[0] in seed, row.code


def test_importing_the_shipped_plan_twice_changes_nothing(db, today):
    rows = read_plan(DEFAULT_PLAN.read_bytes())
    first = plan_import(actor=None, rows=rows)
    count = Occurrence.objects.count()
    second = plan_import(actor=None, rows=rows)
    assert first["created"] == 18 and second == {"created": 0, "updated": 18, "removed": 0,
                                                 "archived": 0}
    assert Occurrence.objects.count() == count and Pillar.objects.count() == 5


def test_the_export_reads_back_as_the_same_plan(plan):
    text = write_plan(Action.objects.select_related("pillar"))
    rows = read_plan(text.encode())
    assert [r.code for r in rows] == [r.code for r in read_plan(DEFAULT_PLAN.read_bytes())]


@pytest.mark.parametrize("body, message", [
    ("1;P;1.1;Actie;;4x per jaar;;beleid;algemeen\n1;P;1.1;Ander;;1x per jaar;;;\n",
     "Regel 3: code '1.1' staat ook op regel 2"),
    ("1;P;1.1;Actie;;af en toe;;beleid;algemeen\n", "Regel 2: planning 'af en toe'"),
    ("1;;1.1;Actie;;4x per jaar;;;\n", "Regel 2: de eerste regel van pijler 1"),
    ("x;P;1.1;Actie;;4x per jaar;;;\n", "Regel 2: pijler 'x' is geen nummer"),
    ("1;P;1.1;Actie;;4x per jaar;;wethouder;\n", "Regel 2: verantwoordelijke 'wethouder'"),
    ("1;P;1.1;Actie;;4x per jaar;;;feest\n", "Regel 2: soort 'feest'"),
    ("1;P;1.1;;;4x per jaar;;;\n", "Regel 2: kolom 'titel' is leeg"),
    ("1;P;1.1;Actie;4x per jaar\n", "Regel 2: 5 velden gevonden, 9 verwacht"),
    ("1;P;1.1;Actie;;4x per jaar;;;\n2;Q;2.1;A;;1x per jaar;;;\n1;Anders;1.2;B;;1x per jaar;;;\n",
     "Regel 4: pijler 1 heet hier 'Anders' maar op regel 2 'P'"),
    ("", "geen acties"),
])
def test_a_bad_file_gets_dutch_errors_with_line_numbers(body, message):
    with pytest.raises(PlanFileError) as caught:
        read_plan((HEADER + body).encode())
    assert any(message in e for e in caught.value.errors), caught.value.errors


def test_a_multi_line_description_counts_its_lines():
    body = '1;P;1.1;Actie;"twee\nregels";4x per jaar;;;\n1;P;1.2;B;;nooit;;;\n'
    with pytest.raises(PlanFileError) as caught:
        read_plan((HEADER + body).encode())
    assert caught.value.errors == [caught.value.errors[0]]
    assert caught.value.errors[0].startswith("Regel 4:")


def test_a_file_without_the_columns_is_refused():
    with pytest.raises(PlanFileError, match="Regel 1: de kolom"):
        read_plan(b"naam;wanneer\nA;4x per jaar\n")


def test_a_binary_file_is_refused():
    with pytest.raises(PlanFileError):
        read_plan(b"\x00\x01\x02" * 10)


def test_a_spreadsheet_in_cp1252_with_commas_is_read():
    body = HEADER.replace(";", ",") + "1,Preventie,1.1,Controle café's,,2x per jaar,,,\n"
    rows = read_plan(body.encode("cp1252"))
    assert rows[0].title == "Controle café's"


def test_a_bad_upload_changes_nothing_and_shows_the_errors(plan, policy, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = list(Action.objects.values_list("code", "title", "schedule_text"))
    body = (HEADER + "1;Nieuw;9.1;Nieuwe actie;;4x per jaar;;;\n1;Nieuw;9.2;X;;ooit;;;\n")
    response = as_user(policy).post(reverse("plan:import"), {
        "file": SimpleUploadedFile("plan.csv", body.encode(), "text/csv")})
    assert response.status_code == 200
    assert "Regel 3: planning &#x27;ooit&#x27;" in response.content.decode()
    assert list(Action.objects.values_list("code", "title", "schedule_text")) == before


BAD_ROWS = "1;P;1.1;Actie;;af en toe;;wethouder;\n1;P;1.1;Actie 2;;5x per jaar;;;\n"


def test_a_bad_file_is_explained_in_english_under_english_and_in_dutch_by_default():
    from django.utils import translation

    with pytest.raises(PlanFileError) as dutch:
        read_plan((HEADER + BAD_ROWS).encode())
    with translation.override("en"), pytest.raises(PlanFileError) as english:
        read_plan((HEADER + BAD_ROWS).encode())
    assert dutch.value.errors == [
        "Regel 2: planning 'af en toe': Deze planning wordt niet herkend. Schrijf bijvoorbeeld "
        "'4x per jaar', '3x per jaar januari / mei / september op een dinsdag', 'om de 2 jaar "
        "gepland maart/april 2025', 'voorjaar 2025', 'Doorlopend' of 'geen datum'.",
        "Regel 2: verantwoordelijke 'wethouder' is onbekend; kies aandachtsfunctionaris of "
        "beleid.",
        "Regel 3: code '1.1' staat ook op regel 2; elke actie heeft een eigen code.",
        "Regel 3: planning '5x per jaar': 5x per jaar past niet in gelijke perioden; noem de "
        "maanden, bijvoorbeeld '5x per jaar januari / maart / mei / september / november'.",
    ]
    assert english.value.errors == [
        "Line 2: planning 'af en toe': This planning is not recognised. Write for example "
        "'4x per jaar', '3x per jaar januari / mei / september op een dinsdag', 'om de 2 jaar "
        "gepland maart/april 2025', 'voorjaar 2025', 'Doorlopend' or 'geen datum'.",
        "Line 2: verantwoordelijke 'wethouder' is unknown; choose aandachtsfunctionaris or "
        "beleid.",
        "Line 3: code '1.1' is also on line 2; every action has a code of its own.",
        "Line 3: planning '5x per jaar': 5x per jaar does not fit in equal periods; name the "
        "months, for example '5x per jaar januari / maart / mei / september / november'.",
    ]


def test_the_upload_page_explains_a_bad_file_in_the_language_the_user_chose(
        plan, policy, as_user, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user(policy)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("plan:import"), {
        "file": SimpleUploadedFile("plan.csv", (HEADER + BAD_ROWS).encode(), "text/csv")})
    page = response.content.decode()
    assert "Line 3: code &#x27;1.1&#x27; is also on line 2" in page
    assert "Regel" not in page


def test_another_municipality_replaces_the_plan_and_keeps_what_was_recorded(
        plan, policy, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    recorded = plan["3.4.1"].occurrences.first()
    recorded.status = OccurrenceStatus.DONE
    recorded.save()
    body = HEADER + "1;Preventie;A.1;Voorlichting scholen;;2x per jaar;RIEC;beleid;training\n"
    response = as_user(policy).post(reverse("plan:import"), {
        "file": SimpleUploadedFile("plan.csv", body.encode(), "text/csv")})
    assert response.status_code == 302
    assert list(Action.objects.filter(active=True).values_list("code", flat=True)) == ["A.1"]
    archived = Action.objects.get(code="3.4.1")
    assert not archived.active and archived.occurrences.filter(status="done").exists()
    # From the start of the plan period (2025, kept from the plan it replaces) to 2027.
    assert Action.objects.get(code="A.1").occurrences.count() == 6


def test_policy_edits_an_action_and_its_schedule_is_planned_again(plan, policy, as_user):
    action = plan["3.3.2"]
    data = {"pillar": action.pillar_id, "code": action.code, "title": action.title,
            "description": "", "schedule_text": "2x per jaar", "who": action.who,
            "responsible_role": "officer", "owner": "", "kind": action.kind, "active": "on"}
    client = as_user(policy)
    bad = client.post(reverse("plan:action_edit", args=[action.pk]),
                      {**data, "schedule_text": "soms"})
    assert bad.status_code == 200 and "niet herkend" in bad.content.decode()
    assert client.post(reverse("plan:action_edit", args=[action.pk]), data).status_code == 302
    dues = [o.due.isoformat() for o in action.occurrences.filter(status="planned")]
    assert dues == ["2025-06-30", "2025-12-31", "2026-06-30", "2026-12-31", "2027-06-30",
                    "2027-12-31"]


def test_reloading_a_changed_schedule_keeps_what_was_recorded(plan, officer):
    from datetime import date

    from schakel.plan import actions
    from schakel.plan.loader import DEFAULT_PLAN, read_plan
    from schakel.plan.models import Meeting

    action = plan["3.3.2"]
    q3 = action.occurrences.get(key="2026-p3")
    meeting = Meeting.objects.create(kind="partner", date=date(2026, 6, 10), title="Overleg")
    actions.occurrence_link(occurrence=action.occurrences.get(key="2026-p2"), record=meeting,
                            actor=officer)
    actions.occurrence_skip(occurrence=q3, actor=officer, reason="Zomerstop")
    text = DEFAULT_PLAN.read_text().replace(";4x per jaar;SWOM", ";2x per jaar;SWOM")
    actions.plan_import(actor=officer, rows=read_plan(text))
    keys = set(action.occurrences.values_list("key", flat=True))
    # The new schedule has p1 and p2; the skipped third quarter stays with its reason,
    # the moment the meeting held stays done; the unmarked fourth quarter goes.
    assert {"2026-p2", "2026-p3"} <= keys and "2026-p4" not in keys
    assert action.occurrences.get(key="2026-p3").skip_reason == "Zomerstop"
    meeting.refresh_from_db()
    assert meeting.occurrence.status == "done" and meeting.occurrence.key == "2026-p2"
    assert action.occurrences.get(key="2026-p2").events.filter(what="linked").exists()


def test_loading_again_does_not_double_or_lose_a_moment(plan, officer):
    from schakel.plan import actions
    from schakel.plan.loader import DEFAULT_PLAN, read_plan

    occ = plan["3.3.1"].occurrences.get(key="2026-m01")
    actions.occurrence_complete(occurrence=occ, actor=officer, done_on=occ.due)
    before = Occurrence.objects.count()
    actions.plan_import(actor=officer, rows=read_plan(DEFAULT_PLAN.read_bytes()))
    assert Occurrence.objects.count() == before
    occ.refresh_from_db()
    assert occ.status == "done"


@pytest.mark.parametrize("character", ["\x01", "\x1b", "\x07", "\x7f", "\x85"])
def test_a_control_character_in_a_cell_is_refused_with_its_line_and_column(character):
    body = f"1;P;1.1;Act{character}ie;;4x per jaar;;;\n1;P;1.2;Goed;tab\there;1x per jaar;;;\n"
    with pytest.raises(PlanFileError) as caught:
        read_plan((HEADER + body).encode())
    assert caught.value.errors == [
        "Regel 2: kolom 'titel' bevat een stuurteken (zoals NUL of ESC). Haal het weg en "
        "laad het bestand opnieuw."]


def test_tabs_and_line_breaks_in_a_description_are_no_control_characters():
    body = '1;P;1.1;Actie;"eerste regel\r\ntweede\tregel";4x per jaar;;;\n'
    assert read_plan((HEADER + body).encode())[0].description == "eerste regel\r\ntweede\tregel"


def test_an_upload_with_an_escape_character_changes_nothing(plan, policy, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = list(Action.objects.values_list("code", "title"))
    body = HEADER + "1;Nieuw;9.1;Nieuwe \x1b[31mactie;;4x per jaar;;;\n"
    response = as_user(policy).post(reverse("plan:import"), {
        "file": SimpleUploadedFile("plan.csv", body.encode(), "text/csv")})
    assert "bevat een stuurteken" in response.content.decode()
    assert list(Action.objects.values_list("code", "title")) == before
