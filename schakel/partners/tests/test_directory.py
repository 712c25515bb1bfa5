"""The partner directory: yearly verification, contacts, bad input."""

from datetime import date

from django.urls import reverse

from schakel.audit.models import AuditEvent
from schakel.partners.models import Contact, Partner


def test_partners_not_verified_for_a_year_are_listed_as_overdue(client, officer, seeded, clock):
    Partner.objects.update(last_verified=date(2026, 6, 1))
    Partner.objects.filter(pk=seeded["ggd"].pk).update(last_verified=date(2025, 6, 15))
    client.force_login(officer)
    body = client.get(reverse("partners:directory") + "?show=overdue").content.decode()
    assert "GGD" in body and "SWOM" not in body


def test_seeded_partners_use_demo_mailboxes_only(seeded):
    for partner in seeded.values():
        assert partner.is_demo and partner.email.endswith("@demo.schakel.invalid")
    assert not Contact.objects.exists()


def test_the_officer_adds_a_contact_and_it_is_logged(client, officer, seeded):
    client.force_login(officer)
    url = reverse("partners:contact_new", args=[seeded["nla"].pk])
    response = client.post(url, {"name": "Meldpunt", "function": "Intake",
                                 "email": "meldpunt@demo.schakel.invalid", "phone": ""})
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert AuditEvent.objects.filter(object_type="partners.contact",
                                     object_id=str(contact.pk), actor=officer).exists()


def test_a_contact_without_any_way_to_reach_them_is_refused(client, officer, seeded):
    client.force_login(officer)
    url = reverse("partners:contact_new", args=[seeded["nla"].pk])
    response = client.post(url, {"name": "Naam blijft staan", "function": "", "email": "",
                                 "phone": ""})
    assert response.status_code == 200
    assert "Naam blijft staan" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_partner_with_a_bad_address_is_refused_with_the_input_kept(client, admin_user, db):
    client.force_login(admin_user)
    response = client.post(reverse("partners:partner_new"), {
        "name": "Nieuwe partner", "email": "geen-adres", "takes_signals": "on"})
    assert response.status_code == 200
    assert "Nieuwe partner" in response.content.decode()
    assert not Partner.objects.exists()


def test_a_partner_form_with_errors_titles_the_page_error_and_links_each_field(
        client, make_user):
    client.force_login(make_user("admin"))
    html = client.post(reverse("partners:partner_new"), {"name": ""}).content.decode()
    assert "<title>Fout: " in html
    summary = html[html.index("data-error-summary"):]
    summary = summary[:summary.index("</div>")]
    assert 'href="#id_name"' in summary
