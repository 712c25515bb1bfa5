"""Every URL × every role → the expected answer, generated from the URL configuration.

The test walks the URL configuration; each named route must have an entry in EXPECTED,
so a new view without one fails here until someone decides who may see it. Each page
answered with 200 is also checked for inline scripts and styles (CSP forbids them).

Codes: a number is the status; "login" is a redirect to the login page; "admin-login"
a redirect to the admin's login (which sends people to the one login page). Routes with
ids are requested with the id of a real received signal for `meldingen/<pk>/…` and an
id that exists nowhere else (999999): outsiders and insiders alike must then get a 404,
never a 500. POST-only routes answer 405 to GET.

To print the observed table after adding routes: SCHAKEL_PRINT_MATRIX=1 pytest -s this file.
"""

import os
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ["anonymous", "employee", "team_lead", "officer", "policy", "admin"]
MISSING = 999999

# Admin-site views below the index are Django's own, guarded by is_staff and the
# model permissions; they are checked through a sample (admin:app_list, admin:None).
SKIP_PREFIXES = ("admin:", )
SKIP_EXCEPT = {"admin:index", "admin:app_list", "admin:None", "admin:login", "admin:logout",
               "admin:password_change", "admin:jsi18n", "admin:autocomplete"}

L, A = "login", "admin-login"

# name: (anonymous, employee, team_lead, officer, policy, admin)
EXPECTED = {
    'accounts:account': (L, 200, 200, 200, 200, 200),
    'accounts:enrol': (L, 200, 200, 200, 200, 200),
    'accounts:lockouts': (L, 404, 404, 404, 404, 200),
    'accounts:logout_everywhere': (405, 405, 405, 405, 405, 405),
    'accounts:oidc_callback': (404, 404, 404, 404, 404, 404),
    'accounts:oidc_start': (404, 404, 404, 404, 404, 404),
    'accounts:role_approve': (405, 405, 405, 405, 405, 405),
    'accounts:role_refuse': (405, 405, 405, 405, 405, 405),
    'accounts:roles': (L, 404, 404, 200, 404, 200),
    'accounts:recovery_codes': (L, 302, 302, 302, 302, 302),
    'accounts:verify': (L, 302, 302, 302, 302, 302),
    'admin:None': (A, A, A, A, A, 302),
    'admin:app_list': (A, A, A, A, A, 404),
    'admin:autocomplete': (A, A, A, A, A, 403),
    'admin:index': (A, A, A, A, A, 200),
    'admin:jsi18n': (A, A, A, A, A, 200),
    'admin:login': (L, 302, 302, 302, 302, 302),
    'admin:logout': (302, 302, 302, 302, 302, 405),
    'admin:password_change': (A, A, A, A, A, 200),
    'api:docs': (200, 200, 200, 200, 200, 200),
    'api:not_found': (404, 404, 404, 404, 404, 404),
    'api:partner': (401, 404, 404, 404, 404, 404),
    'api:partners': (401, 404, 404, 200, 404, 200),
    'api:plan_actions': (401, 404, 404, 200, 200, 404),
    'api:plan_control': (401, 404, 404, 404, 404, 404),
    'api:plan_controls': (401, 200, 200, 200, 200, 404),
    'api:plan_meeting': (401, 404, 404, 404, 404, 404),
    'api:plan_meetings': (401, 404, 404, 200, 200, 404),
    'api:plan_occurrence': (401, 404, 404, 404, 404, 404),
    'api:plan_occurrence_done': (401, 404, 404, 405, 405, 404),
    'api:plan_occurrence_link': (401, 404, 404, 405, 405, 404),
    'api:plan_occurrence_move': (401, 404, 404, 405, 405, 404),
    'api:plan_occurrence_reopen': (401, 404, 404, 405, 405, 404),
    'api:plan_occurrence_skip': (401, 404, 404, 405, 405, 404),
    'api:plan_training': (401, 404, 404, 404, 404, 404),
    'api:plan_trainings': (401, 404, 404, 200, 200, 404),
    'api:processing_log': (401, 404, 404, 400, 404, 404),
    'api:referral': (401, 404, 404, 404, 404, 404),
    'api:referral_feedback': (401, 404, 404, 405, 404, 404),
    'api:referral_send': (401, 404, 404, 405, 404, 404),
    'api:referral_withdraw': (401, 404, 404, 405, 404, 404),
    'api:register_match': (401, 404, 404, 405, 404, 404),
    'api:report_figures': (401, 404, 404, 200, 200, 404),
    'api:schema': (200, 200, 200, 200, 200, 200),
    'api:signal': (401, 404, 404, 404, 404, 404),
    'api:signal_attachment': (401, 404, 404, 404, 404, 404),
    'api:signal_attachments': (401, 404, 404, 404, 404, 404),
    'api:signal_referrals': (401, 404, 404, 404, 404, 404),
    'api:signal_subject': (401, 404, 404, 404, 404, 404),
    'api:signal_subject_links': (401, 405, 405, 405, 405, 405),
    'api:signal_subjects': (401, 404, 404, 404, 404, 404),
    'api:signal_transitions': (401, 405, 405, 405, 405, 405),
    'api:signals': (401, 200, 200, 200, 404, 404),
    'api:system_token_decide': (L, 405, 405, 405, 405, 405),
    'api:system_tokens': (L, 404, 404, 200, 404, 200),
    'api:token_revoke': (L, 405, 405, 405, 405, 405),
    'api:tokens': (L, 200, 200, 200, 200, 200),
    'audit:register': (L, 404, 404, 200, 404, 404),
    'audit:search': (L, 404, 404, 200, 404, 404),
    'beheer/login/': (L, 302, 302, 302, 302, 302),
    'home': (L, 302, 302, 302, 200, 200),
    L: (200, 302, 302, 302, 302, 302),
    'logout': (405, 405, 405, 405, 405, 405),
    # Monitoring: the test client asks from 127.0.0.1 (a local network); no worker runs.
    'ops:live': (200, 200, 200, 200, 200, 200),
    'ops:metrics': (200, 200, 200, 200, 200, 200),
    'ops:ready': (503, 503, 503, 503, 503, 503),
    'partners:contact_delete': (L, 405, 405, 405, 405, 405),
    'partners:contact_edit': (L, 404, 404, 404, 404, 404),
    'partners:contact_new': (L, 404, 404, 404, 404, 404),
    'partners:directory': (L, 404, 404, 200, 404, 200),
    'partners:link': (404, 404, 404, 404, 404, 404),
    'partners:outbox': (L, 404, 404, 200, 404, 404),
    'partners:outbox_resend': (L, 405, 405, 405, 405, 405),
    'partners:partner': (L, 404, 404, 404, 404, 404),
    'partners:partner_edit': (L, 404, 404, 404, 404, 404),
    'partners:partner_new': (L, 404, 404, 200, 404, 200),
    'partners:partner_verify': (L, 405, 405, 405, 405, 405),
    'partners:refer': (L, 404, 404, 200, 404, 404),
    'partners:referral': (L, 404, 404, 404, 404, 404),
    'partners:referral_act': (L, 405, 405, 405, 405, 405),
    'partners:referrals': (L, 404, 404, 200, 404, 404),
    'partners:rule_delete': (L, 405, 405, 405, 405, 405),
    'partners:rule_edit': (L, 404, 404, 404, 404, 404),
    'partners:rule_new': (L, 404, 404, 404, 404, 200),
    'partners:rules': (L, 404, 404, 200, 404, 200),
    'partners:settings': (L, 404, 404, 404, 404, 200),
    'plan:action': (L, 404, 404, 404, 404, 404),
    'plan:action_edit': (L, 404, 404, 404, 404, 404),
    'plan:action_new': (L, 404, 404, 404, 200, 404),
    'plan:agenda_add': (L, 405, 405, 405, 405, 405),
    'plan:agenda_decide': (L, 405, 405, 405, 405, 405),
    'plan:agenda_remove': (L, 405, 405, 405, 405, 405),
    'plan:attachment': (L, 404, 404, 404, 404, 404),
    'plan:attachment_delete': (L, 405, 405, 405, 405, 405),
    'plan:campaign_edit': (L, 404, 404, 404, 404, 404),
    'plan:campaign_new': (L, 404, 404, 200, 200, 404),
    'plan:control': (L, 404, 404, 404, 404, 404),
    'plan:control_edit': (L, 404, 404, 404, 404, 404),
    'plan:control_new': (L, 404, 404, 404, 404, 404),
    'plan:control_upload': (L, 405, 405, 405, 405, 405),
    'plan:controls': (L, 200, 200, 200, 200, 404),
    'plan:coverage': (L, 404, 404, 200, 200, 404),
    'plan:export': (L, 404, 404, 200, 200, 404),
    'plan:feed': (404, 404, 404, 404, 404, 404),
    'plan:feed_settings': (L, 404, 404, 200, 200, 404),
    'plan:figures': (L, 404, 404, 200, 200, 404),
    'plan:figures_edit': (L, 404, 404, 404, 404, 404),
    'plan:figures_new': (L, 404, 404, 200, 200, 404),
    'plan:import': (L, 404, 404, 404, 200, 404),
    'plan:meeting': (L, 404, 404, 404, 404, 404),
    'plan:meeting_edit': (L, 404, 404, 404, 404, 404),
    'plan:meeting_new': (L, 404, 404, 404, 404, 404),
    'plan:meeting_upload': (L, 405, 405, 405, 405, 405),
    'plan:meetings': (L, 404, 404, 200, 200, 404),
    'plan:occurrence': (L, 404, 404, 404, 404, 404),
    'plan:occurrence_done': (L, 405, 405, 405, 405, 405),
    'plan:occurrence_due': (L, 405, 405, 405, 405, 405),
    'plan:occurrence_link': (L, 405, 405, 405, 405, 405),
    'plan:occurrence_reopen': (L, 405, 405, 405, 405, 405),
    'plan:occurrence_skip': (L, 405, 405, 405, 405, 405),
    'plan:occurrence_upload': (L, 405, 405, 405, 405, 405),
    'plan:overview': (L, 404, 404, 200, 200, 404),
    'plan:pillar_edit': (L, 404, 404, 404, 404, 404),
    'plan:pillar_new': (L, 404, 404, 404, 200, 404),
    'plan:training_edit': (L, 404, 404, 404, 404, 404),
    'plan:training_new': (L, 404, 404, 200, 200, 404),
    'plan:training_upload': (L, 405, 405, 405, 405, 405),
    'plan:trainings': (L, 404, 404, 200, 200, 404),
    'privacy:access_answer': (L, 404, 404, 404, 404, 404),
    'privacy:access_attachment': (L, 404, 404, 404, 404, 404),
    'privacy:access_decide': (L, 405, 405, 405, 405, 405),
    'privacy:access_detail': (L, 404, 404, 404, 404, 404),
    'privacy:access_list': (L, 404, 404, 200, 404, 404),
    'privacy:access_review': (L, 404, 404, 404, 404, 404),
    'privacy:certificate': (L, 404, 404, 404, 404, 404),
    'privacy:destruction': (L, 404, 404, 200, 404, 404),
    'privacy:destruction_approve': (L, 405, 405, 405, 405, 405),
    'privacy:destruction_postpone': (L, 405, 405, 405, 405, 405),
    'privacy:index': (L, 404, 404, 200, 404, 404),
    'region:agenda': (L, 404, 404, 404, 404, 404),
    'region:api_agenda': (404, 404, 404, 404, 404, 404),
    'region:api_share': (404, 404, 404, 404, 404, 404),
    'region:document': (L, 404, 404, 404, 404, 404),
    'region:document_csv': (L, 404, 404, 404, 404, 404),
    'region:document_pdf': (L, 404, 404, 404, 404, 404),
    'region:fetch': (405, 405, 405, 405, 405, 405),
    'region:municipalities': (L, 404, 404, 404, 404, 404),
    'region:municipality_token': (L, 404, 404, 404, 404, 404),
    'region:overview': (L, 404, 404, 404, 404, 404),
    'region:question_close': (405, 405, 405, 405, 405, 405),
    'region:questions': (L, 404, 404, 200, 404, 404),
    'region:share': (L, 404, 404, 404, 200, 404),
    'region:share_toggle': (405, 405, 405, 405, 405, 405),
    'reports:dashboard': (L, 404, 404, 200, 200, 404),
    'reports:detail': (L, 404, 404, 404, 404, 404),
    'reports:file': (L, 404, 404, 404, 404, 404),
    'reports:finalise': (L, 405, 405, 405, 405, 405),
    'reports:list': (L, 404, 404, 200, 200, 404),
    'reports:progress': (L, 404, 404, 404, 404, 404),
    'reports:render': (L, 405, 405, 405, 405, 405),
    'reports:retry': (L, 405, 405, 405, 405, 405),
    'set_language': (302, 302, 302, 302, 302, 302),
    'signals:attachment': (L, 404, 404, 404, 404, 404),
    'partners:link_attachment': (404, 404, 404, 404, 404, 404),
    'signals:attachment_add': (L, 405, 405, 405, 405, 405),
    'signals:attachment_delete': (L, 405, 405, 405, 405, 405),
    'signals:attachment_thumbnail': (L, 404, 404, 404, 404, 404),
    'signals:detail': (L, 200, 200, 200, 404, 404),
    'signals:draft': (L, 302, 404, 404, 404, 404),
    'signals:draft_delete': (L, 405, 405, 405, 405, 405),
    'signals:intake': (L, 200, 200, 200, 404, 404),
    'signals:mine': (L, 200, 200, 200, 404, 404),
    'signals:note': (L, 405, 405, 405, 405, 405),
    'signals:queue': (L, 404, 404, 200, 404, 404),
    'signals:team': (L, 404, 200, 404, 404, 404),
    'signals:transition': (L, 405, 405, 405, 405, 405),
    'subjects:decide': (L, 405, 405, 405, 405, 405),
    'subjects:enrichment': (L, 404, 404, 200, 404, 404),
    'subjects:import': (L, 404, 404, 404, 404, 404),
    'subjects:import_commit': (L, 405, 405, 405, 405, 405),
    'subjects:list_check': (L, 404, 404, 200, 404, 404),
    'subjects:list_download': (L, 405, 405, 405, 405, 405),
    'subjects:search': (L, 404, 404, 200, 404, 404),
    'subjects:source': (L, 404, 404, 404, 404, 404),
    'subjects:source_new': (L, 404, 404, 200, 404, 404),
    'subjects:sources': (L, 404, 404, 200, 404, 404),
}


def walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if p.namespace and namespace:
                ns = f"{namespace}:{p.namespace}"
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace else (p.name or "")
            yield prefix + str(p.pattern), name or prefix + str(p.pattern)


def routes():
    seen = {}
    for route, name in walk(get_resolver().url_patterns):
        if name.startswith(SKIP_PREFIXES) and name not in SKIP_EXCEPT:
            continue
        seen.setdefault(name, route)
    return seen


def concrete(route, signal_pk):
    path = route.replace("^", "").replace("$", "")
    path = re.sub(r"\(\?P<app_label>[^)]*\)", "accounts", path)
    path = re.sub(r"\(\?P<url>[^)]*\)", "accounts/user/", path)
    pk = signal_pk if path.startswith("meldingen/<int:pk>") else MISSING
    path = path.replace("<int:pk>", str(pk))
    path = re.sub(r"<int:\w+>", str(MISSING), path)
    path = re.sub(r"<(slug|str):(\w+)>", r"onbekend-\2", path)
    return "/" + path


def classify(response):
    if response.status_code in (301, 302):
        url = response.url
        if url.startswith("/inloggen/"):
            return L
        if url.startswith("/beheer/login/"):
            return A
        return 302
    return response.status_code


INLINE = [re.compile(p, re.I) for p in (r"<script(?![^>]*\bsrc=)[^>]*>", r"<style\b",
                                        r"\sstyle=", r"\son[a-z]+=")]


@pytest.fixture(autouse=True)
def _no_link_guess_limit(monkeypatch):
    # Every role tries made-up feedback-link tokens from one address; the limit on
    # guessing (tested in partners) would turn the later routes' 404 into 429.
    monkeypatch.setattr("schakel.partners.linkguard.PER_CLIENT", 10_000)


@pytest.fixture
def world(make_user, make_signal):
    users = {role: make_user(role, **({"is_staff": True} if role == "admin" else {}))
             for role in ROLES[1:]}
    signal = make_signal(users["employee"], steps=["receive"], officer=users["officer"])
    return users, signal


def observe(world):
    users, signal = world
    table, problems = {}, []
    clients = {}
    for role in ROLES:  # GET changes nothing, so one session per role serves every URL
        clients[role] = Client(raise_request_exception=False)
        if role != "anonymous":
            clients[role].force_login(users[role])
    for name, route in sorted(routes().items()):
        path = concrete(route, signal.pk)
        row = []
        for role in ROLES:
            response = clients[role].get(path)
            row.append(classify(response))
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                html = response.content.decode()
                for pattern in INLINE:
                    if pattern.search(html):
                        problems.append(f"{path} as {role}: inline {pattern.pattern}")
        table[name] = tuple(row)
    return table, problems


@pytest.mark.django_db
def test_every_url_answers_each_role_as_expected(world):
    table, problems = observe(world)
    if os.environ.get("SCHAKEL_PRINT_MATRIX"):
        for name, row in table.items():
            print(f"    {name!r}: {row!r},")
    assert not [n for n, row in table.items() if 500 in row], "a page answered 500"
    missing = sorted(set(table) - set(EXPECTED))
    assert not missing, f"routes without an entry in EXPECTED: {missing}"
    wrong = {n: (table[n], EXPECTED[n]) for n in table if table[n] != EXPECTED[n]}
    assert not wrong, "observed != expected: " + "; ".join(
        f"{n}: {o} != {e}" for n, (o, e) in wrong.items())
    assert not problems, problems
