"""The regional pages per role: the policy officer's switch, the officers' questions,
the ketenregisseur's picture and report, the administrator's tokens."""

import pytest
from django.db import connection

from schakel.audit.models import AuditEvent
from schakel.region import actions
from schakel.region.models import FetchStatus, Municipality, RegionalQuestion, ShareSwitch

pytestmark = pytest.mark.django_db


def test_the_policy_officer_sees_the_share_and_switches_it_on(client, policy, signals_in):
    made = signals_in(6)
    client.force_login(policy)
    page = client.get("/regio/delen/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Delen uit" in text or "staat uit" in text.lower()
    assert made[0].reference not in text and "Piet Test" not in text
    client.post("/regio/delen/schakelen/", {"enabled": "1"})
    assert ShareSwitch.current().enabled
    assert "Delen staat aan" in client.get("/regio/delen/").content.decode()
    assert AuditEvent.objects.filter(changes__enabled=True).exists()


def test_the_policy_officer_sees_the_questions_that_travel_too(client, policy, officer):
    actions.question_submit(actor=officer, text="Hoe pakken jullie huisvesting aan?",
                            confirmed=True)
    client.force_login(policy)
    assert "Hoe pakken jullie huisvesting aan?" in client.get("/regio/delen/").content.decode()


@pytest.mark.parametrize("role", ["employee", "team_lead", "officer", "admin"])
def test_only_the_policy_officer_switches_sharing(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get("/regio/delen/").status_code == 404
    assert client.post("/regio/delen/schakelen/", {"enabled": "1"}).status_code == 404
    assert not ShareSwitch.current().enabled


def _register_person(name):
    from schakel.subjects import engine
    from schakel.subjects.models import Record, Source

    source = Source.objects.create(name="BRP-uittreksel")
    record = Record.objects.create(source=source, external_id="1", kind="person", name=name)
    engine.reindex([record])


def test_a_name_in_the_register_is_warned_about_before_the_question_goes(client, officer):
    _register_person("Johannes Verbeek")
    client.force_login(officer)
    text = "Wat doen jullie als Johannes Verbeek weer op een ander adres opduikt?"
    page = client.post("/regio/vragen/", {"text": text, "confirm": "on"})
    assert page.status_code == 200
    assert "Johannes Verbeek" in page.context["warnings"][0]
    assert not RegionalQuestion.objects.exists()
    # Seen, and confirmed anyway: it goes, and the overruled warning is recorded.
    warned = page.context["form"].initial["warned"]
    client.post("/regio/vragen/", {"text": text, "confirm": "on", "warned": warned})
    assert RegionalQuestion.objects.get().warnings_overruled == 1


def test_a_name_from_the_signal_is_warned_about(client, officer, signals_in):
    signal = signals_in(1)[0]
    client.force_login(officer)
    page = client.post("/regio/vragen/", {
        "text": "Kent iemand het patroon rond Test bij de balie?", "confirm": "on",
        "reference": signal.reference})
    assert any("Piet Test" in w for w in page.context["warnings"])
    assert not RegionalQuestion.objects.exists()


def test_an_anonymous_question_still_needs_the_persons_confirmation(client, officer):
    client.force_login(officer)
    page = client.post("/regio/vragen/", {"text": "Hoe gaan jullie om met uitzendbureaus?"})
    assert page.context["errors"] and not RegionalQuestion.objects.exists()
    client.post("/regio/vragen/", {"text": "Hoe gaan jullie om met uitzendbureaus?",
                                   "confirm": "on"})
    assert RegionalQuestion.objects.get().confirmed_by == officer


def test_an_address_is_warned_about_even_when_unknown(client, officer):
    client.force_login(officer)
    page = client.post("/regio/vragen/", {"text": "Wie kent de Kerkstraat 12 in 3417 AB?",
                                          "confirm": "on"})
    assert len(page.context["warnings"]) == 2


@pytest.mark.parametrize("role", ["employee", "team_lead", "policy", "admin"])
def test_only_officers_put_questions_on_the_agenda(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get("/regio/vragen/").status_code == 404


REGION_PAGES = ["/regio/", "/regio/rapport/", "/regio/rapport.csv", "/regio/agenda/"]


@pytest.mark.parametrize("path", REGION_PAGES)
def test_the_regional_pages_are_not_there_on_a_municipalitys_installation(client, make_user,
                                                                         path):
    client.force_login(make_user("region", team=None))
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", REGION_PAGES)
@pytest.mark.parametrize("role", ["employee", "officer", "policy", "admin"])
def test_only_the_ketenregisseur_sees_the_regional_pages(client, make_user, region_settings,
                                                         path, role):
    client.force_login(make_user(role))
    assert client.get(path).status_code == 404


def _shared(name, total):
    from .test_validate_and_combine import a_share, period

    Municipality.objects.filter(name=name).update(
        share=a_share(period("2026-Q3", total, 0, total, total, 0)), status=FetchStatus.OK)


def test_the_ketenregisseur_sees_the_figures_and_the_report(client, ketenregisseur):
    client.force_login(ketenregisseur)
    assert client.get("/regio/").status_code == 200  # makes the municipalities' rows
    _shared("Montfoort", 12)
    _shared("Oudewater", 20)
    page = client.get("/regio/")
    assert page.context["signals"]["total"]["region"].value == 32
    assert "32" in page.content.decode()
    csv = client.get("/regio/rapport.csv").content.decode("utf-8-sig")
    assert "2026-Q3;Signalen;totaal;Regio;32" in csv
    document = client.get("/regio/rapport/").content.decode()
    assert '<html lang="nl">' in document and "32" in document
    assert AuditEvent.objects.filter(changes__format="csv").exists()


def test_the_report_is_a_tagged_pdf(client, ketenregisseur):
    client.force_login(ketenregisseur)
    client.get("/regio/")
    _shared("Montfoort", 12)
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(client.get("/regio/rapport.pdf").content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl" and "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("Regionaal beeld mensenhandel")
    assert "12" in "".join(page.extract_text() for page in reader.pages)


def test_the_administrator_enters_a_token_that_is_stored_encrypted(client, make_user,
                                                                    region_settings):
    admin = make_user("admin", team=None, is_staff=True)
    client.force_login(admin)
    assert client.get("/regio/gemeenten/").status_code == 200
    municipality = Municipality.objects.get(name="Montfoort")
    secret = "schakel_" + "a" * 43
    client.post(f"/regio/gemeenten/{municipality.pk}/token/", {"token": secret})
    assert Municipality.objects.get(pk=municipality.pk).token == secret
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM region_municipality WHERE id = %s", [municipality.pk])
        assert secret not in cursor.fetchone()[0]
    page = client.post(f"/regio/gemeenten/{municipality.pk}/token/", {"token": "geheim"})
    assert page.context["errors"]


def test_the_fetch_button_queues_a_task_and_a_silent_municipality_shows_as_such(
        client, ketenregisseur, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(ketenregisseur)
    client.get("/regio/")
    Municipality.objects.update(token="schakel_" + "b" * 43)
    _shared("Montfoort", 12)
    response = client.post("/regio/ophalen/")
    assert response.status_code == 302
    montfoort = Municipality.objects.get(name="Montfoort")
    assert montfoort.status == FetchStatus.UNREACHABLE  # 127.0.0.1:9 does not answer
    assert montfoort.share is not None  # the last share stays, with its date
    assert "Reageert niet" in client.get("/regio/").content.decode()


def test_the_ketenregisseur_sees_the_regional_agenda(client, ketenregisseur):
    client.force_login(ketenregisseur)
    client.get("/regio/")
    municipality = Municipality.objects.get(name="Oudewater")
    actions.fetch_recorded(municipality_id=municipality.pk, status=FetchStatus.OK,
                           share=None, agenda=[{"id": 4, "question": "Vraag over huisvesting?",
                                                "quarter": "2026-Q4"}])
    page = client.get("/regio/agenda/")
    assert "Vraag over huisvesting?" in page.content.decode()


def test_the_chain_directors_role_exists_only_on_the_regions_installation(make_user):
    from schakel.accounts import roles

    admin, user = make_user("admin", team=None), make_user("employee")
    with pytest.raises(roles.RoleError):
        roles.role_change(actor=admin, user=user, role="region")


def test_on_the_regions_installation_the_administrator_gives_the_role(make_user,
                                                                      region_settings):
    from schakel.accounts import roles

    admin, user = make_user("admin", team=None), make_user("employee")
    roles.role_change(actor=admin, user=user, role="region")
    user.refresh_from_db()
    assert user.role == "region" and user.needs_two_factor
