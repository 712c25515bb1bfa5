"""Step 1 through the page: the intake form, its bad input, and double submits."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schakel.signals.models import ExploitationForm, Indicator, ReporterIdentity, Signal

URL = reverse("signals:intake")


def _management(prefix, total):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "50"}


def valid_post(**overrides):
    labour = ExploitationForm.objects.get(code="labour")
    data = {
        "submission_token": str(uuid.uuid4()),
        "urgent": "on",
        "exploitation_forms": [str(labour.pk)],
        "indicators": [str(Indicator.objects.filter(form=labour).first().pk)],
        "background": "Vier mannen wilden op één adres inschrijven.",
        "observed_where": "Balie",
        "observed_on": "2026-11-20",
        "team_lead_consulted": "yes",
        "team_lead_consulted_with": "Tom",
        "reporter_phone": "0348 123456",
        "reporter_email": "",
        **_management("persons", 2), **_management("organisations", 1),
        **_management("addresses", 1),
        "persons-0-name": "Piet Voorbeeld", "persons-0-capacity": "perpetrator",
        "persons-0-date_of_birth": "1980-02-03", "persons-0-nationality": "Onbekend",
        "persons-1-description": "Man van ongeveer 30", "persons-1-capacity": "victim",
        "organisations-0-name": "Uitzendbureau Voorbeeld B.V.",
        "organisations-0-kvk_number": "12345678", "organisations-0-capacity": "employer",
        "addresses-0-street": "Demostraat", "addresses-0-house_number": "12",
        "addresses-0-house_number_addition": "a", "addresses-0-postcode": "3417zz",
        "addresses-0-city": "Montfoort", "addresses-0-capacity": "other",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_it_shows_the_form_in_dutch(client, employee):
    client.force_login(employee)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Een signaal van mensenhandel melden" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["policy", "admin"])
def test_other_roles_cannot_file(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {}).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/inloggen/" in response.url


@pytest.mark.django_db
def test_a_valid_signal_is_filed_with_everything_and_officers_are_told(
        client, employee, officer, django_capture_on_commit_callbacks):
    client.force_login(employee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, valid_post())
    signal = Signal.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("signals:detail", args=[signal.pk])
    assert signal.state == "submitted" and signal.urgent
    assert [f.code for f in signal.forms.all()] == ["labour"]
    assert signal.indicators.count() == 1
    kinds = sorted(s.kind for s in signal.subjects.all())
    assert kinds == ["address", "organisation", "person", "person"]
    address = signal.subjects.get(kind="address")
    assert (address.postcode, address.house_number, address.house_number_addition) == (
        "3417 ZZ", "12", "a")
    reporter = ReporterIdentity.objects.get(signal=signal)
    assert reporter.user == employee and reporter.phone == "0348 123456"
    assert reporter.team_lead_consulted_with == "Tom"
    # The officer gets a link and the reference, nothing personal.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [officer.email]
    assert "URGENT" in message.subject and signal.reference in message.subject
    body = message.subject + message.body
    for secret in ("Piet", "Demostraat", "Uitzendbureau", employee.last_name, "0348"):
        assert secret not in body
    assert f"/meldingen/{signal.pk}/" in message.body


@pytest.mark.django_db
def test_a_double_submit_makes_one_signal(client, employee):
    client.force_login(employee)
    data = valid_post()
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert Signal.objects.count() == 1
    assert first.url == second.url


@pytest.mark.django_db
def test_bad_input_keeps_everything_typed_and_explains_in_dutch(client, employee):
    client.force_login(employee)
    data = valid_post(**{"background": "", "addresses-0-postcode": "12345",
                         "organisations-0-kvk_number": "12",
                         "persons-0-date_of_birth": "2999-01-01"})
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Signal.objects.exists()
    assert "Het signaal is nog niet verstuurd" in html
    assert "Vul een postcode in zoals 3417 AB." in html
    assert "Een KvK-nummer bestaat uit 8 cijfers." in html
    assert "Deze datum ligt in de toekomst." in html
    assert "Dit veld is verplicht." in html
    for kept in ("Piet Voorbeeld", "Uitzendbureau Voorbeeld B.V.", "Demostraat", "Tom",
                 "0348 123456", data["submission_token"]):
        assert kept in html


@pytest.mark.django_db
def test_a_signal_without_anyone_involved_is_refused(client, employee):
    client.force_login(employee)
    data = {k: v for k, v in valid_post().items()
            if not k.startswith(("persons-0", "persons-1", "organisations-0", "addresses-0"))}
    response = client.post(URL, data)
    assert response.status_code == 200 and not Signal.objects.exists()
    assert "ten minste één persoon, organisatie of adres" in response.content.decode()


@pytest.mark.django_db
def test_adding_a_row_keeps_the_input_and_adds_an_empty_row(client, employee):
    client.force_login(employee)
    response = client.post(URL, valid_post(add="persons"))
    html = response.content.decode()
    assert not Signal.objects.exists()
    assert 'name="persons-2-name"' in html and "Piet Voorbeeld" in html
    assert "Het signaal is nog niet verstuurd" not in html


@pytest.mark.django_db
def test_an_indicator_implies_its_form_of_exploitation(client, employee):
    client.force_login(employee)
    sexual = Indicator.objects.filter(form__code="sexual").first()
    client.post(URL, valid_post(exploitation_forms=[], indicators=[str(sexual.pk)]))
    assert [f.code for f in Signal.objects.get().forms.all()] == ["sexual"]


@pytest.mark.django_db
def test_a_team_lead_files_on_behalf_of_a_team_member(client, team_lead, employee):
    client.force_login(team_lead)
    client.post(URL, valid_post(on_behalf_of=str(employee.pk)))
    reporter = Signal.objects.get().reporter
    assert reporter.user == employee and reporter.filed_by == team_lead
    assert reporter.name == employee.display_name


@pytest.mark.django_db
def test_a_team_lead_cannot_file_on_behalf_of_another_team(client, team_lead, make_user):
    stranger = make_user("employee", team="Sociaal Team")
    client.force_login(team_lead)
    response = client.post(URL, valid_post(on_behalf_of=str(stranger.pk)))
    assert response.status_code == 200 and not Signal.objects.exists()


FIELDS = ["urgent", "exploitation_forms", "indicators", "background", "observed_where",
          "observed_on", "team_lead_consulted", "team_lead_consulted_with", "reporter_phone",
          "reporter_email", "submission_token", "persons-TOTAL_FORMS", "persons-0-name",
          "persons-0-date_of_birth", "persons-0-capacity", "organisations-0-kvk_number",
          "addresses-0-house_number", "addresses-0-postcode", "addresses-TOTAL_FORMS", "add"]


@pytest.mark.django_db
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS),
       value=st.one_of(st.text(max_size=300), st.sampled_from(
           ["", "-1", "999999999999", "2026-02-30", "0", "\x00", "persons", "1e9"])))
def test_no_input_gives_a_server_error(client, employee, field, value):
    client.force_login(employee)
    data = valid_post()
    data[field] = value
    response = client.post(URL, data)
    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_an_officer_registers_a_signal_found_in_a_control(client, officer, officer2):
    client.force_login(officer)
    response = client.post(URL, valid_post())
    signal = Signal.objects.get()
    assert response.status_code == 302 and signal.state == "submitted"
    assert signal.reporter.filed_by == officer
    client.force_login(officer2)
    assert client.get(reverse("signals:detail", args=[signal.pk])).status_code == 200


@pytest.mark.django_db
def test_an_officers_draft_is_not_in_other_officers_view(client, officer, officer2):
    client.force_login(officer)
    client.post(URL, valid_post(save_draft="1"))
    draft = Signal.objects.get()
    assert client.get(reverse("signals:draft", args=[draft.pk])).status_code == 200
    client.force_login(officer2)
    assert client.get(reverse("signals:draft", args=[draft.pk])).status_code == 404
    assert client.get(reverse("signals:detail", args=[draft.pk])).status_code == 404


# ---------------------------------------------------------------- keyboard and screen reader

@pytest.mark.django_db
def test_the_first_submit_button_in_the_form_sends_the_signal_so_enter_never_adds_a_row(
        client, employee):
    import re

    client.force_login(employee)
    html = client.get(URL).content.decode()
    form = html[html.index('class="intake"'):]
    first_button = re.search(r"<button[^>]*>", form).group(0)
    assert 'name="add"' not in first_button and 'name="save_draft"' not in first_button
    assert 'type="submit"' in first_button and 'tabindex="-1"' in first_button


@pytest.mark.django_db
def test_after_adding_a_person_the_new_rows_first_field_has_the_focus(client, employee):
    client.force_login(employee)
    html = client.post(URL, valid_post(add="persons")).content.decode()
    assert 'id="id_persons-2-name"' in html
    tag = html[html.rindex("<input", 0, html.index('id="id_persons-2-name"')):]
    tag = tag[:tag.index(">")]
    assert "autofocus" in tag and "data-focus-on-load" in tag
    assert "data-error-summary" not in html


@pytest.mark.django_db
def test_a_failed_submit_titles_the_page_error_and_links_each_error_to_its_field(
        client, employee):
    client.force_login(employee)
    data = valid_post(background="", team_lead_consulted="", **{"addresses-0-postcode": "xx"})
    html = client.post(URL, data).content.decode()
    assert "<title>Fout: " in html
    summary = html[html.index("data-error-summary"):]
    summary = summary[:summary.index("</div>")]
    assert 'role="alert"' in html and 'tabindex="-1"' in html
    for anchor in ("#id_background", "#id_team_lead_consulted_0", "#id_addresses-0-postcode"):
        assert f'href="{anchor}"' in summary
    assert "Achtergrond" in summary


@pytest.mark.django_db
def test_no_one_involved_is_in_the_summary_with_a_link_to_the_first_person(client, employee):
    client.force_login(employee)
    data = valid_post(**_management("persons", 1), **_management("organisations", 1),
                      **_management("addresses", 1))
    for key in [k for k in data if k.startswith(("persons-", "organisations-", "addresses-"))
                and not k.endswith("FORMS")]:
        data.pop(key)
    html = client.post(URL, data).content.decode()
    summary = html[html.index("data-error-summary"):]
    assert 'href="#id_persons-0-name"' in summary[:summary.index("</div>")]


@pytest.mark.django_db
def test_the_team_leads_on_behalf_list_shows_names_not_user_names(client, team_lead, employee):
    client.force_login(team_lead)
    html = client.get(URL).content.decode()
    options = html[html.index('name="on_behalf_of"'):]
    options = options[:options.index("</select>")]
    assert employee.display_name in options and f">{employee.username}<" not in options


@pytest.mark.django_db
def test_every_aria_describedby_on_the_intake_points_to_an_element_on_the_page(
        client, team_lead):
    import re

    client.force_login(team_lead)
    for html in (client.get(URL).content.decode(),
                 client.post(URL, valid_post(background="")).content.decode()):
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        refs = {ref for value in re.findall(r'aria-describedby="([^"]+)"', html)
                for ref in value.split()}
        assert refs and refs <= ids, sorted(refs - ids)
        assert "id_background_helptext" in refs
