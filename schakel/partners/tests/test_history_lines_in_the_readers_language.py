"""History lines Schakel writes ("Doorgezet naar …") are stored as a code and shown in the
reader's language; lines stored as sentences before are converted by migration 0014."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.urls import reverse
from django.utils import translation

from schakel.signals.models import SignalEvent

migration = importlib.import_module("schakel.signals.migrations.0014_history_lines_as_codes")


def _history(client, signal, language):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    return page.split('id="h-history"', 1)[1]


def test_a_referral_stores_a_code_with_the_partner_names_not_a_sentence(received, send_to,
                                                                         seeded):
    send_to(received, "zorgcoordinator", "nla")
    event = received.events.get(transition="refer")
    names = [seeded["zorgcoordinator"].name, seeded["nla"].name]
    assert (event.code, event.params, event.remark) == ("referred", {"partners": names}, "")


def test_the_referral_line_is_dutch_for_a_dutch_reader_and_english_for_an_english_one(
        received, send_to, seeded, officer, client):
    send_to(received, "zorgcoordinator")
    name = seeded["zorgcoordinator"].name
    client.force_login(officer)
    assert f"Doorgezet naar {name}." in _history(client, received, "nl")
    english = _history(client, received, "en")
    assert f"Referred to {name}." in english and "Doorgezet" not in english


def test_the_settled_line_follows_the_reader_too(received, send_to, officer, token_of):
    from schakel.partners import actions

    [referral] = send_to(received, "zorgcoordinator")
    actions.referral_record_feedback(referral=referral, actor=officer, outcome="taken_up",
                                     text="In zorg genomen.", channel="phone")
    event = received.events.get(transition="settle")
    assert (event.code, event.remark) == ("referrals_settled", "")
    with translation.override("en"):
        assert event.text == "All referrals are settled."
    with translation.override("nl"):
        assert event.text == "Alle doorverwijzingen zijn afgerond."


def test_the_api_gives_the_line_in_the_requests_language_with_its_code(
        received, send_to, seeded, officer, client):
    send_to(received, "zorgcoordinator")
    client.force_login(officer)
    body = client.get(f"/api/v1/signals/{received.pk}/", HTTP_ACCEPT="application/json").json()
    [event] = [e for e in body["events"] if e["transition"] == "refer"]
    assert event["code"] == "referred"
    assert event["params"] == {"partners": [seeded["zorgcoordinator"].name]}
    assert event["remark"] == f"Doorgezet naar {seeded['zorgcoordinator'].name}."


def _old(signal, officer, **fields):
    """A history row as Schakel wrote it before migration 0014: the sentence as remark."""
    return SignalEvent.objects.create(signal=signal, at=signal.submitted_at, actor=officer,
                                      actor_role="officer", **fields)


@pytest.fixture
def old_rows(received, officer):
    return {
        "refer_nl": _old(received, officer, kind="transition", transition="refer",
                         remark="Doorgezet naar Politie AVIM, Zorgcoördinator Moviera."),
        "refer_en": _old(received, officer, kind="transition", transition="refer",
                         remark="Referred to NLA."),
        "settle_nl": _old(received, officer, kind="transition", transition="settle",
                          remark="Alle doorverwijzingen zijn afgerond."),
        "settle_en": _old(received, officer, kind="transition", transition="settle",
                          remark="All referrals are settled."),
        "decision": _old(received, officer, kind="decision",
                         remark="Lokaal ondermijningsoverleg van 20-06-2026: Controle plannen.\n"
                                "Daarna bespreken."),
        "decision_en": _old(received, officer, kind="decision",
                            remark="Local case meeting of 03-02-2026: Wait."),
        "own_remark": _old(received, officer, kind="transition", transition="refer",
                           remark="Met spoed, gebeld met de wijkagent."),
        "note": _old(received, officer, kind="note", remark="Doorgezet naar de buren."),
    }


def test_the_migration_turns_old_sentences_in_either_language_into_codes(old_rows):
    migration.to_codes(global_apps, None)
    rows = {k: SignalEvent.objects.get(pk=v.pk) for k, v in old_rows.items()}
    assert (rows["refer_nl"].code, rows["refer_nl"].params, rows["refer_nl"].remark) == (
        "referred", {"partners": ["Politie AVIM, Zorgcoördinator Moviera"]}, "")
    assert rows["refer_en"].params == {"partners": ["NLA"]}
    assert {rows["settle_nl"].code, rows["settle_en"].code} == {"referrals_settled"}
    assert (rows["decision"].code, rows["decision"].params, rows["decision"].remark) == (
        "case_meeting_decision", {"date": "2026-06-20"}, "Controle plannen.\nDaarna bespreken.")
    assert rows["decision_en"].params == {"date": "2026-02-03"}
    # What a person typed is not a line Schakel wrote: left exactly as it was.
    assert (rows["own_remark"].code, rows["own_remark"].remark) == (
        "", "Met spoed, gebeld met de wijkagent.")
    assert (rows["note"].code, rows["note"].remark) == ("", "Doorgezet naar de buren.")
    with translation.override("en"):
        assert rows["refer_nl"].text == "Referred to Politie AVIM, Zorgcoördinator Moviera."
        assert rows["decision"].text == ("Local case meeting of 20 June 2026: Controle plannen."
                                         "\nDaarna bespreken.")
    with translation.override("nl"):
        assert rows["refer_en"].text == "Doorgezet naar NLA."
        assert rows["decision_en"].text == "Lokaal ondermijningsoverleg van 3 februari 2026: Wait."


def test_the_migration_keeps_the_remark_encrypted_and_runs_twice_without_harm(old_rows):
    from django.db import connection

    migration.to_codes(global_apps, None)
    migration.to_codes(global_apps, None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT remark FROM signals_signalevent WHERE id = %s",
                       [old_rows["decision"].pk])
        (raw,) = cursor.fetchone()
    assert "Controle plannen" not in raw and raw
    assert SignalEvent.objects.get(pk=old_rows["decision"].pk).remark.startswith("Controle")


def test_the_migration_back_writes_the_dutch_sentences_again(old_rows):
    migration.to_codes(global_apps, None)
    migration.to_sentences(global_apps, None)
    assert SignalEvent.objects.get(pk=old_rows["refer_en"].pk).remark == "Doorgezet naar NLA."
    decision = SignalEvent.objects.get(pk=old_rows["decision"].pk)
    assert (decision.code, decision.remark) == (
        "", "Lokaal ondermijningsoverleg van 20-06-2026: Controle plannen.\nDaarna bespreken.")
