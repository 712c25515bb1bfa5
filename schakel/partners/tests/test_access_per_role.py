"""Every page per role: who may see it gets it, everyone else a 404 (anonymous: the login)."""

import pytest
from django.urls import reverse

from schakel.partners.models import Contact, OutboxMessage, RoutingRule

ROLES = ["employee", "team_lead", "policy", "officer", "admin_user"]


@pytest.fixture
def things(received, send_to, seeded):
    [care] = send_to(received, "zorgcoordinator")
    partner = seeded["nla"]
    return {
        "signal": received, "referral": care, "partner": partner,
        "contact": Contact.objects.create(partner=partner, name="Functionele balie",
                                          email="balie@demo.schakel.invalid"),
        "rule": RoutingRule.objects.first(), "message": OutboxMessage.objects.first(),
    }


def officer_pages(t):
    return [
        ("partners:referrals", []), ("partners:outbox", []),
        ("partners:referral", [t["referral"].pk]), ("partners:refer", [t["signal"].pk]),
    ]


def directory_pages(t):
    p = t["partner"].pk
    return [
        ("partners:directory", []), ("partners:partner", [p]), ("partners:partner_new", []),
        ("partners:partner_edit", [p]), ("partners:contact_new", [p]),
        ("partners:contact_edit", [p, t["contact"].pk]), ("partners:rules", []),
    ]


def admin_pages(t):
    return [("partners:rule_new", []), ("partners:rule_edit", [t["rule"].pk]),
            ("partners:settings", [])]


def allowed(role, group):
    return {"officer": role == "officer", "directory": role in ("officer", "admin_user"),
            "admin": role == "admin_user"}[group]


@pytest.mark.parametrize("role", ROLES)
def test_pages_per_role(client, request, role, things):
    client.force_login(request.getfixturevalue(role))
    for group, pages in [("officer", officer_pages), ("directory", directory_pages),
                         ("admin", admin_pages)]:
        for name, args in pages(things):
            status = client.get(reverse(name, args=args)).status_code
            assert status == (200 if allowed(role, group) else 404), (role, name)


@pytest.mark.parametrize("role", ["employee", "team_lead", "policy", "admin_user"])
def test_posts_are_refused_for_outsiders(client, request, role, things):
    client.force_login(request.getfixturevalue(role))
    r, p = things["referral"].pk, things["partner"].pk
    posts = [("partners:referral_act", [r, "remind"]), ("partners:referral_act", [r, "withdraw"]),
             ("partners:outbox_resend", [things["message"].pk]),
             ("partners:refer", [things["signal"].pk])]
    if role != "admin_user":
        posts += [("partners:partner_verify", [p]),
                  ("partners:contact_delete", [p, things["contact"].pk]),
                  ("partners:rule_delete", [things["rule"].pk])]
    for name, args in posts:
        assert client.post(reverse(name, args=args), {"wd-reason": "x"}).status_code == 404
    things["referral"].refresh_from_db()
    assert things["referral"].state == "sent" and things["referral"].reminders_sent == 0
    assert Contact.objects.filter(pk=things["contact"].pk).exists()


def test_anonymous_visitors_are_sent_to_the_login(client, things):
    for name, args in officer_pages(things) + directory_pages(things) + admin_pages(things):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_an_officer_cannot_open_a_referral_of_a_draft_signal(client, officer, make_signal,
                                                             employee, seeded):
    draft = make_signal(employee, submit=False)
    client.force_login(officer)
    assert client.get(reverse("partners:refer", args=[draft.pk])).status_code == 404


def test_the_admin_verifies_a_partner(client, admin_user, things, clock):
    client.force_login(admin_user)
    response = client.post(reverse("partners:partner_verify", args=[things["partner"].pk]))
    assert response.status_code == 302
    things["partner"].refresh_from_db()
    assert things["partner"].last_verified == clock().date()
