"""No input gives a server error: every form and every query parameter, fuzzed with hypothesis.

The pages each role can open are found from the URL configuration (as in the access
matrix); their forms are read from the HTML. Hypothesis then fills every field and
every query parameter with hostile values (huge, negative, malformed dates, markup,
control characters, unicode). Each answer must be below 500, error messages next to
fields must be Dutch, and no row already saved may disappear.

More examples: SCHAKEL_FUZZ_EXAMPLES=200 pytest schakel/core/tests/test_bad_input.py
"""

import os
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .test_access_matrix import ROLES, concrete, routes

EXAMPLES = int(os.environ.get("SCHAKEL_FUZZ_EXAMPLES", "5"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))

HOSTILE = st.sampled_from([
    "", " ", "0", "-1", "1.5", "99999999999999999999999", "1e309", "NaN", "-0", "2026-02-30",
    "31-12-2026", "0000-00-00", "9999-12-31", "12:99", "<script>alert(1)</script>",
    "' OR 1=1 --", "../../etc/passwd", "\u202e\u200b", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "a" * 5000, "%00", "\r\n",
    "on", "true", "[]", "{}", "null",
])
VALUE = st.one_of(HOSTILE, st.text(max_size=200), st.integers().map(str),
                  st.dates().map(str))
QUERY_NAMES = ["page", "q", "sort", "order", "state", "status", "year", "jaar", "filter",
               "from", "to", "van", "tot", "team", "form", "urgent", "partner", "pillar",
               "month", "week", "next", "kind", "fmt", "user", "subject", "action"]

# Row counts of these may go down for reasons of their own (sessions, login attempts).
VOLATILE = {"sessions", "axes", "otp_totp", "otp_static", "django_tasks_database"}
# Forms whose purpose is to remove something.
REMOVING = re.compile(r"verwijderen|weggooien|uitloggen|overal-uitloggen|taal")
ENGLISH = re.compile(r"This field is required|Enter a valid|Ensure this value|"
                     r"Select a valid choice|is not a valid|The submitted file")


class Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = {"method": (a.get("method") or "get").lower(),
                            "action": a.get("action") or "", "fields": {},
                            "multipart": "multipart" in (a.get("enctype") or "")}
            self.forms.append(self.current)
        elif self.current is not None and tag in ("input", "textarea", "select") and a.get("name"):
            name = a["name"]
            if name == "csrfmiddlewaretoken":
                return
            field = self.current["fields"].setdefault(
                name, {"type": a.get("type", tag), "options": [], "value": a.get("value")})
            if tag == "input" and a.get("type") in ("checkbox", "radio") and a.get("value"):
                field["options"].append(a["value"])
            if tag == "select":
                self.select = field
        elif tag == "option" and self.select is not None and a.get("value") is not None:
            self.select["options"].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m._meta.app_label not in VOLATILE and not m._meta.proxy}


@pytest.fixture
def pages(make_user, make_signal):
    users = {role: make_user(role, **({"is_staff": True} if role == "admin" else {}))
             for role in ROLES[1:]}
    signal = make_signal(users["employee"], steps=["receive"], officer=users["officer"])
    found = []
    clients = {role: client_for(user) for role, user in users.items()}
    for name, route in sorted(routes().items()):
        if name.startswith("admin:") or name in {"logout", "set_language"}:
            continue
        path = concrete(route, signal.pk)
        for role in ROLES[1:]:
            response = clients[role].get(path)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                parser = Forms()
                parser.feed(response.content.decode())
                found.append((role, users[role], path, parser.forms))
    return found


def client_for(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=False)
def test_no_query_parameter_gives_a_server_error(pages):
    assert pages
    seen = set()
    for role, user, path, forms in pages:
        if path in seen:
            continue
        seen.add(path)
        names = set(QUERY_NAMES)
        for form in forms:
            if form["method"] == "get":
                names |= set(form["fields"])
        fuzz_query(client_for(user), role, path, sorted(names))


def fuzz_query(client, role, path, names):
    @FUZZ
    @given(st.dictionaries(st.sampled_from(names), VALUE, max_size=4))
    @example({n: "99999999999999999999999" for n in names})
    @example({n: "-1" for n in names})
    def check(params):
        response = client.get(path, params)
        assert response.status_code < 500, (role, path, params)

    check()


@pytest.mark.django_db(transaction=False)
def test_no_form_input_gives_a_server_error_english_text_or_lost_data(pages):
    seen, failures = set(), []
    for role, user, path, forms in pages:
        for form in forms:
            action = form["action"] or path
            if form["method"] != "post" or REMOVING.search(action) or action in seen:
                continue
            seen.add(action)  # one role per form: the first that can open it
            try:
                fuzz_form(client_for(user), role, form, action)
            except Exception as failure:  # noqa: BLE001 - go on: report every failing form
                failures.append(str(failure).splitlines()[0][:300])
    assert seen
    assert not failures, "\n".join(failures)


def fuzz_form(client, role, form, action):
    huge = {n: "99999999999999999999999" for n in form["fields"]}
    empty = {n: "" for n in form["fields"]}

    @FUZZ
    @given(st.fixed_dictionaries({n: VALUE for n in form["fields"]}),
           st.sampled_from([True, False]))
    @example(huge, False)  # always tried: ids beyond 64 bits, and nothing at all
    @example(empty, False)
    def check(values, mixed):
        data = {}
        for name, field in form["fields"].items():
            value = values[name]
            if field["type"] == "file":
                data[name] = SimpleUploadedFile("bestand.pdf", value.encode()[:2000])
            elif field["options"] and mixed:
                data[name] = field["options"][len(value) % len(field["options"])]
            else:
                data[name] = value
        before = counts()
        response = client.post(action, data)
        assert response.status_code < 500, (role, action, data)
        html = response.content.decode(errors="replace")
        assert not ENGLISH.search(html), (role, action, ENGLISH.search(html))
        after = counts()
        lost = {k: (v, after.get(k)) for k, v in before.items() if after.get(k, 0) < v}
        assert not lost, (role, action, lost)

    check()


@pytest.mark.django_db
@pytest.mark.parametrize("role,path,field", [
    ("employee", "/meldingen/nieuw/", "exploitation_forms"),
    ("employee", "/meldingen/nieuw/", "indicators"),
    ("officer", "/ketenpartners/nieuw/", "forms"),
    ("officer", "/trainingen/nieuw/", "forms"),
    ("team_lead", "/meldingen/nieuw/", "on_behalf_of"),
])
def test_a_huge_id_in_a_multiple_choice_is_a_form_error(make_user, role, path, field):
    client = client_for(make_user(role))
    response = client.post(path, {field: "99999999999999999999999"})
    assert response.status_code == 200
