import pytest
from django.urls import reverse

from schakel.audit.models import ProcessingRecord


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["audit:register", "audit:search"])
@pytest.mark.parametrize("role", ["employee", "team_lead", "policy", "admin"])
def test_only_officers_see_the_log(client, make_user, url, role):
    client.force_login(make_user(role))
    assert client.get(reverse(url)).status_code == 404


@pytest.mark.django_db
def test_the_register_names_purpose_and_legal_basis(client, officer):
    client.force_login(officer)
    html = client.get(reverse("audit:register")).content.decode()
    assert "Een signaal ontvangen" in html and "AVG art. 6" in html


@pytest.mark.django_db
def test_who_saw_a_signal(client, officer, officer2, employee, make_signal):
    signal = make_signal(employee)
    client.force_login(officer2)
    client.get(reverse("signals:detail", args=[signal.pk]))
    client.force_login(officer)
    html = client.get(reverse("audit:search"), {"reference": signal.reference}).content.decode()
    assert officer2.username in html and "Een signaal inzien" in html


@pytest.mark.django_db
def test_what_a_user_opened_and_everything_about_a_subject(client, officer, officer2,
                                                           employee, make_signal):
    signal = make_signal(employee)
    person = signal.subjects.get()
    client.force_login(officer2)
    client.get(reverse("signals:detail", args=[signal.pk]))
    client.force_login(officer)
    by_user = client.get(reverse("audit:search"), {"user": officer2.pk}).content.decode()
    assert f"<td>{signal.reference}</td>" in by_user
    assert f"signals.signal {signal.pk}" not in by_user
    about = client.get(reverse("audit:search"), {"subject": str(person.pseudonym)})
    assert about.status_code == 200
    assert "Een signaal registreren" in about.content.decode()


@pytest.mark.django_db
def test_searching_the_log_is_itself_logged(client, officer):
    client.force_login(officer)
    client.get(reverse("audit:search"), {"user": officer.pk})
    assert ProcessingRecord.objects.filter(activity="log_search").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"subject": "geen-uuid"}, {}, {"date_from": "2026-13-01",
                                                                   "reference": "x"},
                                    {"user": "abc"}, {"page": "-1", "reference": "MH"}])
def test_bad_search_input_gives_a_dutch_message(client, officer, params):
    client.force_login(officer)
    assert client.get(reverse("audit:search"), params).status_code == 200


@pytest.mark.django_db
def test_the_log_shows_role_labels_and_readable_object_names(client, officer, team_lead,
                                                             employee, make_signal):
    signal = make_signal(employee)
    client.force_login(team_lead)
    client.get(reverse("signals:detail", args=[signal.pk]))
    client.force_login(officer)
    html = client.get(reverse("audit:search"), {"user": team_lead.pk}).content.decode()
    assert "<td>Teamcoördinator</td>" in html
    assert "<td>team_lead</td>" not in html
    assert f"<td>{signal.reference}</td>" in html


@pytest.mark.django_db
def test_objects_without_a_namer_show_their_kind_and_id(client, officer):
    from schakel.audit.references import object_names

    names = object_names([("accounts.user", str(officer.pk)), ("signals.signal", "999999"),
                          ("gone.model", "3")])
    assert names[("accounts.user", str(officer.pk))] == f"gebruiker {officer.pk}"
    assert names[("signals.signal", "999999")].endswith(" 999999")  # a draft thrown away
    assert names[("gone.model", "3")] == "gone.model 3"


@pytest.mark.parametrize("text", ["", "abc", "1234567890123", "12345678901234",
                                  "3f2a9c1e-7b4d-4e8f-9a2b-1c3d5e7f9a0b", "ééééééééééééééé"])
@pytest.mark.parametrize("length", [9, 13])
def test_the_short_ids_read_as_truncatechars_wrote_them(text, length):
    from django.template.defaultfilters import truncatechars

    from schakel.audit.views import _short

    assert _short(text, length) == truncatechars(text, length)
